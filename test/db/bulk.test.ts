// Bulk loading (src/db/bulk.ts) saves exactly what it is given by either
// path: COPY into a staging table (PostgreSQL, in a transaction) and
// json_to_recordset (the embedded database, or outside a transaction), with
// the awkward values an import meets: tabs, line breaks, backslashes, quotes,
// empty strings beside nulls, numbers that are not finite, lists and JSON.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { bulkInsert, type ColumnTypes } from '../../src/db/bulk.ts';
import { postgresClientOf, type Database } from '../../src/db/database.ts';
import { engine, testDatabase } from '../support/app.ts';

let database: Database;
const columns: ColumnTypes = { id: 'int4', name: 'text', at: 'timestamptz', on_day: 'date', x: 'float8', ok: 'boolean', tags: 'text[]', doc: 'jsonb', ref: 'uuid', batch: 'text' };
const AWKWARD = ['plain', 'tab\there', 'line\nbreak', 'carriage\rreturn', 'back\\slash', '\\N', 'quote "double" \'single\'', '', 'comma, semi; pipe|', 'ünïcödé — £ ✓', '{braces}', 'NULL'];

function rows(count: number, from = 0) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      id: i,
      name: i % 13 === 12 ? null : AWKWARD[i % AWKWARD.length],
      at: i % 5 === 0 ? null : new Date(Date.UTC(2026, 0, 1, 0, 0, i)),
      on_day: i % 7 === 0 ? null : `2026-02-${String((i % 28) + 1).padStart(2, '0')}`,
      x: i % 11 === 0 ? Number.NaN : i % 17 === 0 ? null : i / 3,
      ok: i % 3 === 0 ? null : i % 2 === 0,
      tags: i % 4 === 0 ? null : [AWKWARD[i % AWKWARD.length], 'a"b', 'c\\d', 'e,f'],
      doc: i % 6 === 0 ? null : { name: AWKWARD[(i + 1) % AWKWARD.length], n: i, nested: [1, 'two\tthree'] },
      ref: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    };
  });
}

beforeAll(async () => {
  database = await testDatabase();
  for (const table of ['by_json', 'by_copy']) {
    await sql`CREATE TABLE ${sql.table(table)} (id int4 PRIMARY KEY, name text, at timestamptz, on_day date, x float8, ok boolean, tags text[], doc jsonb, ref uuid, batch text NOT NULL)`.execute(database.db);
  }
});
afterAll(() => database.close());

const saved = async (table: string) => (await sql<{ r: string }>`SELECT to_jsonb(t)::text AS r FROM ${sql.table(table)} t ORDER BY id`.execute(database.db)).rows.map((r) => r.r);

describe('bulk loading', () => {
  it('saves the same rows by COPY as by JSON, awkward values and all, and skips rows already there', async () => {
    const data = rows(2500);
    const byJson = await bulkInsert(database.db, 'by_json', columns, data, { same: { batch: 'one' } });
    const { byCopy, usedCopy, again } = await database.db.transaction().execute(async (trx) => ({
      usedCopy: Boolean(await postgresClientOf(trx)),
      byCopy: await bulkInsert(trx, 'by_copy', columns, data, { same: { batch: 'one' } }),
      // The same rows and 500 new ones: only the new ones go in.
      again: await bulkInsert(trx, 'by_copy', columns, [...data.slice(1000), ...rows(500, 2500)], { skipConflicts: true, same: { batch: 'two' } }),
    }));
    expect(usedCopy).toBe(engine === 'postgresql');
    expect([byJson, byCopy, again]).toEqual([2500, 2500, 500]);
    await bulkInsert(database.db, 'by_json', columns, rows(500, 2500), { skipConflicts: true, same: { batch: 'two' } });
    const [json, copy] = [await saved('by_json'), await saved('by_copy')];
    expect(copy).toHaveLength(3000);
    expect(copy).toEqual(json);
    // Spot checks that the values are the ones given, not merely equal by both paths.
    const tab = JSON.parse(copy[1]);
    expect(tab).toMatchObject({ name: 'tab\there', ok: false, tags: ['tab\there', 'a"b', 'c\\d', 'e,f'], doc: { name: 'line\nbreak', n: 1, nested: [1, 'two\tthree'] }, on_day: '2026-02-02', x: 1 / 3, batch: 'one' });
    expect(JSON.parse(copy[5])).toMatchObject({ name: '\\N', at: null });
    expect(JSON.parse(copy[7])).toMatchObject({ name: '' });
    expect(JSON.parse(copy[12])).toMatchObject({ name: null });
    expect(JSON.parse(copy[11])).toMatchObject({ x: null, name: 'NULL' });
    expect(JSON.parse(copy[2999])).toMatchObject({ batch: 'two' });
  });

  it('leaves nothing behind when the transaction fails', async () => {
    const bad = rows(2500, 10_000).map((r, i) => (i === 2400 ? { ...r, ref: 'not a uuid' } : r));
    await expect(database.db.transaction().execute((trx) => bulkInsert(trx, 'by_copy', columns, bad, { same: { batch: 'bad' } }))).rejects.toThrow(/uuid/);
    expect((await sql<{ n: number }>`SELECT count(*)::int AS n FROM by_copy WHERE batch = 'bad'`.execute(database.db)).rows[0].n).toBe(0);
  });
});
