// When PostgreSQL goes away, Reachable stays up (issue 24). A connection the
// server ends (a restart, a failover, an administrator's terminate) is
// dropped from the pool instead of killing the process; a request that
// cannot reach the database is answered 503 with Retry-After and words that
// say nothing was saved; /health says so; the sweep tries again on its next
// turn; and a start waits for the database instead of exiting.
import type pg from 'pg';
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema.ts';

/** PostgreSQL's "the server went away" codes (57P0x, class 08) and the socket's own. */
const LOST = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', 'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH']);
const LOST_WORDS = /Connection terminated|terminating connection|Client has encountered a connection error|timeout exceeded when trying to connect|not currently accepting connections/i;
const UNREACHABLE = Symbol('database unreachable');
/** How long a caller is asked to wait before trying again while the database is away. */
export const RETRY_AFTER_SECONDS = 30;

/** True when an error means the database could not be reached, not that a query was wrong. */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const e = error as { code?: unknown; message?: unknown; [UNREACHABLE]?: boolean };
  return Boolean(e[UNREACHABLE]) || (typeof e.code === 'string' && LOST.has(e.code)) || (typeof e.message === 'string' && LOST_WORDS.test(e.message));
}

/**
 * Makes a pool survive its server: an idle connection the server ends is
 * logged and dropped (node-postgres emits 'error' on the pool, which with no
 * listener ends the process), and any failure to get a connection is marked
 * as the database being unavailable. Logs carry no query and no data.
 */
export function survivePoolErrors(pool: pg.Pool, warn: (message: string) => void = (m) => console.warn(m)): void {
  pool.on('error', (error) => warn(`Reachable lost a database connection (${(error as { code?: string }).code ?? error.message}); it will open another when needed`));
  const connect = pool.connect.bind(pool) as (...args: unknown[]) => Promise<pg.PoolClient> | undefined;
  pool.connect = ((...args: unknown[]) => {
    // The callback form (node-postgres's own) is left as it is; Kysely uses the promise.
    if (args.length) return connect(...args);
    return connect()!.catch((error: unknown) => {
      if (error && typeof error === 'object') (error as Record<symbol, boolean>)[UNREACHABLE] = true;
      throw error;
    });
  }) as typeof pool.connect;
}

/** Answers whether the database is there now, within `timeoutMs`. */
export async function databaseReachable(db: Kysely<DB>, timeoutMs = 3000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), timeoutMs)));
    await Promise.race([sql`SELECT 1`.execute(db), timeout]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}

/** Waits for the database at start-up, saying so every few seconds; gives up after `seconds`. */
export async function waitForDatabase(db: Kysely<DB>, seconds: number, say: (message: string) => void = (m) => console.log(m)): Promise<void> {
  const until = Date.now() + seconds * 1000;
  for (let attempt = 1; ; attempt++) {
    if (await databaseReachable(db)) return;
    if (Date.now() > until) throw new Error(`Reachable could not reach its database for ${seconds} seconds: check DATABASE_URL and that PostgreSQL is running`);
    if (attempt === 1 || attempt % 5 === 0) say('Waiting for the database…');
    await new Promise((resolve) => setTimeout(resolve, 2000));
  }
}
