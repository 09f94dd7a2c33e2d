// One query codebase over two engines: PGlite (PostgreSQL compiled to
// WebAssembly, kept in a data folder) by default, or a real PostgreSQL when
// DATABASE_URL is set. Both are reached through node-postgres and Kysely.
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { Kysely, PostgresDialect, sql, type Transaction } from 'kysely';
import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { DB } from './schema.ts';
import { survivePoolErrors } from './availability.ts';
import { loadSnapshot, renewInstallationSecrets } from './snapshot.ts';
import { PreparingClient } from './prepared.ts';

// int8 (count(*), bigint ids) comes back as a string from both engines; the
// numbers we count stay far below 2^53, so parse them.
pg.types.setTypeParser(20, (value: string) => Number(value));
// A date (date of birth) is a calendar date, not an instant: keep it as YYYY-MM-DD, never a local-midnight Date.
pg.types.setTypeParser(1082, (value: string) => value);

export type DatabaseKind = 'pglite' | 'postgresql';

/**
 * Said wherever it matters (README, start-up log, /health): PGlite never
 * flushes its files to disk (its fsync is a no-op), so an acknowledged save
 * can be lost in a power cut. Production uses PostgreSQL.
 */
export const EMBEDDED_DURABILITY = 'The embedded database is for trials and single-user work: it does not flush saves to disk, so a power cut can lose them. Production uses PostgreSQL (DATABASE_URL).';

export interface Database {
  db: Kysely<DB>;
  kind: DatabaseKind;
  /** The embedded engine itself, for dumps and loads (PGlite only). */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface OpenOptions {
  databaseUrl?: string;
  /** Folder for the embedded database; `memory://` for an in-memory one. */
  dataDir?: string;
  /** A PGlite data-folder dump (from dumpDataDir) to start from. */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(options: OpenOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: options.poolSize ?? 10, Client: PreparingClient });
    survivePoolErrors(pool);
    knowClients(pool);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'postgresql', close: () => db.destroy() };
  }
  const dataDir = options.dataDir ?? './data';
  const inMemory = dataDir.startsWith('memory://');
  const release = inMemory ? () => {} : lockDataFolder(dataDir);
  try {
    const folder = inMemory ? dataDir : path.join(dataDir, 'pgdata');
    // A new folder starts as a copy of the migrated, empty snapshot (snapshot.ts), not from initdb.
    const snapshot = !options.loadDataDir && !inMemory && !fs.existsSync(path.join(folder, 'PG_VERSION')) ? loadSnapshot() : undefined;
    const pglite = new PGlite(folder, { loadDataDir: options.loadDataDir ?? snapshot });
    await pglite.waitReady;
    if (!inMemory && !options.loadDataDir) await renewInstallationSecrets(pglite);
    const pool = new pg.Pool(createPgConfig(pglite));
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return {
      db,
      kind: 'pglite',
      pglite,
      async close() {
        await db.destroy();
        await pglite.close();
        release();
      },
    };
  } catch (error) {
    release();
    throw error;
  }
}

// Kysely hides the driver's client, but COPY needs it (bulk.ts): each PostgreSQL client is known by
// its server process id, which a query on a transaction can ask for.
const clientsByBackend = new Map<number, pg.PoolClient>();

function knowClients(pool: pg.Pool) {
  pool.on('connect', (client) => {
    const pid = (client as unknown as { processID?: number }).processID;
    if (pid) clientsByBackend.set(pid, client);
  });
  pool.on('remove', (client) => {
    const pid = (client as unknown as { processID?: number }).processID;
    if (pid && clientsByBackend.get(pid) === client) clientsByBackend.delete(pid);
  });
}

/** The node-postgres client a transaction runs on, when it is a real PostgreSQL one (not the embedded database). */
export async function postgresClientOf(trx: Transaction<any>): Promise<pg.PoolClient | undefined> {
  if (!clientsByBackend.size) return undefined;
  // The embedded database has a process id too, and no port: a client is only taken when the server it
  // reached is the one answering (its port, or a Unix socket when there is none, and the database).
  const { rows } = await sql<{ pid: number; port: number | null; database: string }>`SELECT pg_backend_pid() AS pid, inet_server_port() AS port, current_database() AS database`.execute(trx);
  const client = clientsByBackend.get(rows[0].pid) as (pg.PoolClient & { port?: number; host?: string; database?: string }) | undefined;
  if (!client || client.database !== rows[0].database) return undefined;
  return (rows[0].port === null ? client.host?.startsWith('/') : client.port === rows[0].port) ? client : undefined;
}

export class DataFolderLockedError extends Error {}

/**
 * PGlite keeps no lock of its own, and two processes writing one folder
 * corrupt it. Take an exclusive lock file holding our process id; a lock
 * left by a process that has died is taken over.
 */
export function lockDataFolder(dataDir: string): () => void {
  fs.mkdirSync(dataDir, { recursive: true });
  const lockPath = path.join(dataDir, 'reachable.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = fs.openSync(lockPath, 'wx');
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(lockPath, 'utf8') === String(process.pid)) fs.unlinkSync(lockPath);
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8'));
      if (holder && holder !== process.pid && isAlive(holder)) {
        throw new DataFolderLockedError(
          `The data folder ${dataDir} is in use by another Reachable process (pid ${holder}). ` +
            'Stop that process first, or set DATA_DIR to another folder.',
        );
      }
      if (holder === process.pid) {
        throw new DataFolderLockedError(`The data folder ${dataDir} is already open in this process.`);
      }
      fs.unlinkSync(lockPath); // stale: its process has gone
    }
  }
  throw new DataFolderLockedError(`Could not lock the data folder ${dataDir}.`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
