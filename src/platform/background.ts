// Worked out in the background (issue 22): an analysis too long for one
// page request runs once per question, a few steps at a time so the server
// keeps answering, and its result is kept in `worked_out` for every process
// to show. The question's key is a hash of everything the answer depends
// on; a page asks, waits a moment, and shows either the answer with when it
// was worked out, or how far it has got.
import { createHash } from 'node:crypto';
import { setImmediate as yieldToOthers } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export type WorkedOut<T> =
  | { state: 'done'; result: T; computedAt: Date }
  | { state: 'running'; done: number; total: number; startedAt: Date };

/** A process that has not beaten for this long has stopped: another takes the work over. */
export const STALE_AFTER_MS = 30_000;
/** How often the working process records its progress. */
const BEAT_MS = 250;
/** Results older than this are removed when new work starts: the data will have moved on. */
const KEEP_DAYS = 7;

/** The key of a question: the analysis's name and everything its answer depends on. */
export function questionKey(analysis: string, ...parts: unknown[]): string {
  const hash = createHash('sha256').update(analysis);
  for (const part of parts) hash.update('\0').update(JSON.stringify(part));
  return `${analysis}:${hash.digest('base64url')}`;
}

// The work this process is doing, so a page here can wait on it directly.
const working = new Map<string, Promise<void>>();

/** The kept answer or the progress so far, and whether its worker has stopped beating. */
async function read<T>(db: Kysely<DB>, key: string): Promise<{ answer: WorkedOut<T>; stopped: boolean } | undefined> {
  const row = await db.selectFrom('worked_out').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) return undefined;
  if (row.state === 'done') return { answer: { state: 'done', result: row.result as T, computedAt: new Date(row.finished_at!) }, stopped: false };
  return { answer: { state: 'running', done: row.done, total: row.total, startedAt: new Date(row.started_at) }, stopped: Date.now() - new Date(row.beat_at).getTime() > STALE_AFTER_MS };
}

/** Take the work: a new question, or one whose worker stopped beating. True when this process now owns it. */
async function claim(db: Kysely<DB>, key: string, total: number): Promise<boolean> {
  await db.deleteFrom('worked_out').where('started_at', '<', new Date(Date.now() - KEEP_DAYS * 86_400_000)).execute();
  const inserted = await db.insertInto('worked_out').values({ key, state: 'running', total }).onConflict((oc) => oc.column('key').doNothing()).executeTakeFirst();
  if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) return true;
  const taken = await db
    .updateTable('worked_out')
    .set({ done: 0, started_at: sql`now()`, beat_at: sql`now()` })
    .where('key', '=', key)
    .where('state', '=', 'running')
    .where('beat_at', '<', new Date(Date.now() - STALE_AFTER_MS))
    .executeTakeFirst();
  return Number(taken.numUpdatedRows) > 0;
}

async function run<T>(db: Kysely<DB>, key: string, steps: Generator<number, T>): Promise<void> {
  let beat = Date.now();
  try {
    for (;;) {
      const next = steps.next();
      if (next.done) {
        await db.updateTable('worked_out').set({ state: 'done', done: sql`total`, result: JSON.stringify(next.value), finished_at: new Date(), beat_at: new Date() }).where('key', '=', key).execute();
        return;
      }
      if (Date.now() - beat > BEAT_MS) {
        beat = Date.now();
        await db.updateTable('worked_out').set({ done: next.value, beat_at: new Date() }).where('key', '=', key).execute();
      }
      await yieldToOthers();
    }
  } catch (error) {
    // A failed run leaves nothing behind, so the next page asks again.
    await db.deleteFrom('worked_out').where('key', '=', key).execute();
    throw error;
  } finally {
    working.delete(key);
  }
}

/**
 * The answer to a question, worked out in the background if it is new:
 * waits up to `waitMs` for it, then says how far it has got. `steps` yields
 * how many of `total` steps are done and returns the result (JSON-safe).
 */
export async function workedOut<T>(db: Kysely<DB>, key: string, total: number, steps: () => Generator<number, T>, waitMs = 800): Promise<WorkedOut<T>> {
  const known = await read<T>(db, key);
  if (known?.answer.state === 'done') return known.answer;
  if ((!known || known.stopped) && !working.has(key) && (await claim(db, key, total))) {
    const job = run(db, key, steps()).catch((error) => console.error(`Working out ${key.split(':')[0]} failed`, error));
    working.set(key, job);
  }
  const mine = working.get(key);
  if (mine && waitMs > 0) await Promise.race([mine, new Promise((resolve) => setTimeout(resolve, waitMs))]);
  else if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(waitMs, BEAT_MS)));
  return (await read<T>(db, key))?.answer ?? { state: 'running', done: 0, total, startedAt: new Date() };
}
