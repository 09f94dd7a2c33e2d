// What we hold (issue 21): the record of processing lists every table that
// names a person (read from the database's catalogue, so a new one cannot be
// left out), each category's columns, purpose, lawful basis, the agencies
// agreements in force share it with and the retention rule as it stands, on
// the page and as CSV.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/modules/governance/processing.ts';
import { makeAgency, makeUser, signedIn, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
});
afterAll(() => t.close());

describe('what we hold', () => {
  it('lists every table that names a person, and only tables that exist', async () => {
    const { rows } = await sql<{ table_name: string }>`SELECT DISTINCT table_name FROM information_schema.columns
      WHERE table_schema = current_schema() AND column_name IN ('person_id', 'other_person_id', 'with_person_id')`.execute(t.db);
    const listed = new Set(CATEGORIES.flatMap((c) => c.tables));
    expect(rows.map((r) => r.table_name).filter((table) => !listed.has(table))).toEqual([]);
    const { rows: tables } = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()`.execute(t.db);
    const existing = new Set(tables.map((r) => r.table_name));
    expect([...listed].filter((table) => !existing.has(table))).toEqual([]);
  });

  it('says who it is shared with and how long it is kept as they stand today, on the page and as CSV', async () => {
    const council = await makeAgency(t.db, { name: 'Holding Council', kind: 'council', receivesIncidents: true });
    const board = await signedIn(t, await makeUser(t.db, council.id, ['board_member']));
    await sql`UPDATE retention_rule SET months = 60 WHERE kind = 'episode'`.execute(t.db);
    const page = await board.get('/what-we-hold');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Casework episodes: notes, goals and outcome measures');
    expect(page.body).toContain('60 months from when it was closed or ended');
    expect(page.body).toContain('Holding Council');
    expect(page.body).toContain('date of birth');
    const csv = await board.get('/what-we-hold.csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body.split('\r\n')[0]).toBe('category,what_it_holds,purpose,lawful_basis,shared_with,kept_for');
    expect(csv.body.split('\r\n').filter(Boolean)).toHaveLength(CATEGORIES.length + 1);
    const worker = await signedIn(t, await makeUser(t.db, council.id, ['caseworker']));
    expect((await worker.get('/what-we-hold')).statusCode).toBe(403);
  });
});
