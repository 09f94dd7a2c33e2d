// Shared by the benchmarks: the London-scale demo in a PostgreSQL database of
// its own (loaded once, reused with --reuse), signed-in sessions for a role,
// and Reachable started against it with its worker processes.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase, type Database } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { newToken, sha256 } from '../src/platform/sessions.ts';

// Not strict: a bench script may take options of its own beside these.
export const { values: options } = parseArgs({ strict: false, options: { reuse: { type: 'boolean' }, seconds: { type: 'string' }, connections: { type: 'string' }, workers: { type: 'string' }, times: { type: 'string' }, part: { type: 'string' } } });
export const seconds = Number(options.seconds ?? 20);
export const connections = Number(options.connections ?? 20);
// Web processes: Node renders pages on one core each (WORKERS in the README).
export const workers = Number(options.workers ?? 2);
const adminUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const benchDb = 'reachable_bench';
/**
 * Node's flags for the server, as `npm start` gives them: a young generation of 64 MB a half (16 by
 * default), since a page's short-lived objects then die young instead of being collected every few
 * requests (about a tenth less Node CPU a page, measured with bench:pages).
 */
export const SERVER_NODE_FLAGS = ['--max-semi-space-size=64'];
const port = 3999;
export const base = `http://127.0.0.1:${port}`;

/** A PostgreSQL database of the bench's own, migrated: made afresh unless `reuse` finds it there. */
export async function ownDatabase(name: string, reuse: unknown): Promise<Database> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount;
  if (!reuse || !exists) {
    // A new database starts a new audit chain: its old checkpoints would no longer match it.
    fs.rmSync(auditDir(name), { recursive: true, force: true });
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  }
  await admin.end();
  const own = new URL(adminUrl);
  own.pathname = `/${name}`;
  const database = await openDatabase({ databaseUrl: own.toString() });
  await migrate(database.db);
  return database;
}

/** The bench database, with the London-scale demo loaded (again, unless --reuse finds it there). */
export async function benchDatabase(): Promise<Database> {
  const database = await ownDatabase(benchDb, options.reuse);
  const loaded = await database.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(loaded.n) === 0) {
    const t0 = performance.now();
    const counts = await seedDemo(database.db, { scale: 'london', seed: 1, progress: (m) => process.stdout.write(`\r  loading: ${m}            `) });
    console.log(`\nLondon scale loaded into PostgreSQL: ${counts.people.toLocaleString('en-GB')} people, ${counts.incidents.toLocaleString('en-GB')} incidents in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  } else {
    console.log(`reusing ${benchDb}: ${Number(loaded.n).toLocaleString('en-GB')} incidents`);
  }
  return database;
}

/** The borough-scale demo (Waltham Forest) in a PostgreSQL database of its own, loaded unless `reuse` finds it there. */
export async function boroughDatabase(reuse: unknown): Promise<{ database: Database; name: string }> {
  const name = 'reachable_bench_critical';
  const database = await ownDatabase(name, reuse);
  const loaded = await database.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  if (Number(loaded.n) === 0) {
    const t0 = performance.now();
    await seedDemo(database.db, { scale: 'borough', seed: 1 });
    console.log(`borough demo loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return { database, name };
}

/** One signed-in session per client for the first user with this role. */
export async function sessionsFor(database: Database, role: string, count = connections) {
  const user = await database.db.selectFrom('app_user').select(['id', 'agency_id']).where(sql<boolean>`${role} = ANY(roles)`, '=', true).executeTakeFirstOrThrow();
  const tokens = Array.from({ length: count }, () => newToken());
  await database.db.insertInto('session').values(tokens.map((t) => ({ token_hash: sha256(t), user_id: user.id, stage: 'active' as const }))).execute();
  return { user, cookies: tokens.map((t) => `reachable-session=${t}`) };
}

/** Reachable on the bench database (or another the bench made with ownDatabase), with its worker processes. */
/** Each bench database's own audit checkpoints and signing key (config.ts would share ./audit among them). */
const auditDir = (database: string) => path.resolve('bench-audit', database);

export async function startServer(database = benchDb) {
  const own = new URL(adminUrl);
  own.pathname = `/${database}`;
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, '--import', 'tsx', 'src/server.ts'], {
    env: { ...process.env, DATABASE_URL: own.toString(), PORT: String(port), LOG_LEVEL: 'warn', DEMO_SEED_ON_EMPTY: 'false', SESSION_IDLE_MINUTES: '600', WORKERS: String(workers), AUDIT_CHECKPOINT_DIR: path.join(auditDir(database), 'checkpoints'), AUDIT_KEY_FILE: path.join(auditDir(database), 'signing-key.pem') },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) return child;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  child.kill();
  throw new Error('Reachable did not start');
}

/** A CSRF token and its cookie for a session, as a browser would have from a form page. */
export async function formState(token: string, path: string) {
  const res = await fetch(`${base}${path}`, { headers: { cookie: `reachable-session=${token}` } });
  const html = await res.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)![1];
  const csrfCookie = res.headers.getSetCookie().find((c) => c.startsWith('reachable-csrf='))!.split(';')[0];
  return { csrf, cookie: `reachable-session=${token}; ${csrfCookie}` };
}
