// Worked out in the background (issue 22): a long analysis runs once per
// question, says how far it has got while it runs, is kept for every later
// page, and is taken over when the process working it out stops.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import type { Database } from '../../src/db/database.ts';
import { STALE_AFTER_MS, questionKey, workedOut } from '../../src/platform/background.ts';
import { knox, knoxSteps } from '../../src/analysis/knox.ts';
import { seededRandom } from '../../src/analysis/random.ts';
import { testDatabase } from '../support/app.ts';

let database: Database;
let db: Kysely<DB>;
beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
});
afterAll(() => database.close());

/** A computation of `total` steps that waits for `gate` before finishing, counting how often it is started. */
function gated(total: number) {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let released = false;
  void gate.then(() => (released = true));
  const state = { starts: 0, release };
  const steps = function* (): Generator<number, { total: number }> {
    state.starts++;
    for (let i = 1; i <= total; i++) {
      // Busy until released: the generator is stepped between other work, so it only ends once the gate opens.
      while (i === total && !released) yield i - 1;
      yield i;
    }
    return { total };
  };
  return { state, steps };
}

describe('worked out in the background', () => {
  it('says how far it has got, then keeps the answer; a second page never starts it again', async () => {
    const key = questionKey('test', { a: 1 });
    const { state, steps } = gated(10);
    const first = await workedOut(db, key, 10, steps, 50);
    expect(first.state).toBe('running');
    if (first.state === 'running') expect(first.total).toBe(10);
    const again = await workedOut(db, key, 10, steps, 0);
    expect(again.state).toBe('running');
    state.release();
    let done = await workedOut(db, key, 10, steps, 500);
    for (let i = 0; i < 20 && done.state !== 'done'; i++) done = await workedOut(db, key, 10, steps, 100);
    expect(done).toMatchObject({ state: 'done', result: { total: 10 } });
    expect(state.starts).toBe(1);
    // Asked again later: the kept answer, without working it out again.
    expect(await workedOut(db, key, 10, steps, 0)).toMatchObject({ state: 'done', result: { total: 10 } });
    expect(state.starts).toBe(1);
  });

  it('takes over work whose process stopped beating, and only then', async () => {
    const key = questionKey('test', { b: 2 });
    // Another process claimed it and is still beating: this one waits.
    await db.insertInto('worked_out').values({ key, state: 'running', total: 5, beat_at: new Date(Date.now() - STALE_AFTER_MS + 5_000) }).execute();
    const { state, steps } = gated(5);
    state.release();
    expect((await workedOut(db, key, 5, steps, 0)).state).toBe('running');
    expect(state.starts).toBe(0);
    // It stopped beating a second past the limit: taken over and finished here.
    await db.updateTable('worked_out').set({ beat_at: new Date(Date.now() - STALE_AFTER_MS - 1_000) }).where('key', '=', key).execute();
    let done = await workedOut(db, key, 5, steps, 500);
    for (let i = 0; i < 20 && done.state !== 'done'; i++) done = await workedOut(db, key, 5, steps, 100);
    expect(done).toMatchObject({ state: 'done', result: { total: 5 } });
    expect(state.starts).toBe(1);
  });

  it('gives the near-repeat answer the all-at-once test gives, for the same seed', async () => {
    const random = seededRandom(7);
    const events = Array.from({ length: 300 }, () => ({ x: random() * 2000, y: random() * 2000, day: Math.floor(random() * 120) }));
    const options = { spaceBands: [100, 200], timeBands: [7, 14], iterations: 199, seed: 3, metric: 'euclidean' as const };
    const key = questionKey('near-repeats', options, events);
    let answer = await workedOut(db, key, options.iterations, () => knoxSteps(events, options), 2_000);
    for (let i = 0; i < 50 && answer.state !== 'done'; i++) answer = await workedOut(db, key, options.iterations, () => knoxSteps(events, options), 100);
    expect(answer.state).toBe('done');
    // Kept as JSON: a ratio with nothing expected (NaN) comes back as null.
    const expected = JSON.parse(JSON.stringify(knox(events, options)));
    if (answer.state === 'done') expect(answer.result).toEqual(expected);
    // Another seed, or other events, is another question.
    expect(questionKey('near-repeats', { ...options, seed: 4 }, events)).not.toBe(key);
    expect(questionKey('near-repeats', options, events.slice(1))).not.toBe(key);
  });
});
