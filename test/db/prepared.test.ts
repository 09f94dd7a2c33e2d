// Statements as named prepared statements (src/db/prepared.ts): on PostgreSQL
// each parameterised statement is parsed once per connection and then only
// bound and run; the same text is always the same statement; statements
// without parameters, long ones and those past the cap are sent as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { sql } from 'kysely';
import { MAX_PREPARED, PreparingClient } from '../../src/db/prepared.ts';
import { engine, testDatabase, testPostgresUrl } from '../support/app.ts';

describe.skipIf(engine !== 'postgresql')('statements prepared once per connection (PostgreSQL)', () => {
  let client: PreparingClient;
  let url: string;
  const prepared = async () => (await client.query('SELECT statement FROM pg_prepared_statements ORDER BY prepare_time')).rows.map((r: { statement: string }) => r.statement);

  beforeAll(async () => {
    url = await testPostgresUrl();
    client = new PreparingClient({ connectionString: url });
    await client.connect();
  });
  afterAll(() => client.end());

  it('prepares a statement with parameters the first time and reuses it, with the right answer each time', async () => {
    const text = 'SELECT $1::int + $2::int AS sum';
    expect((await client.query(text, [1, 2])).rows[0].sum).toBe(3);
    expect((await client.query(text, [40, 2])).rows[0].sum).toBe(42);
    expect(await prepared()).toEqual([text]);
    // Another text is another statement; the callback form answers too.
    const other = 'SELECT $1::text AS word';
    const word = await new Promise((resolve, reject) => client.query(other, ['kettle'], (error: Error | null, result: pg.QueryResult) => (error ? reject(error) : resolve(result.rows[0].word))));
    expect(word).toBe('kettle');
    expect(await prepared()).toEqual([text, other]);
  });

  it('sends statements without parameters as they are, so a script of several statements still runs', async () => {
    const before = (await prepared()).length;
    const results = (await client.query('SELECT 1 AS a; SELECT 2 AS b')) as unknown as pg.QueryResult[];
    expect(results.map((r) => r.rows[0])).toEqual([{ a: 1 }, { b: 2 }]);
    await client.query('SELECT 3', []);
    expect((await prepared()).length).toBe(before);
  });

  it('never keeps a long statement (a bulk insert of many rows)', async () => {
    const before = (await prepared()).length;
    const values = Array.from({ length: 1200 }, (_, i) => i);
    const text = `SELECT ${values.map((_, i) => `$${i + 1}::int`).join(' + ')} AS total`;
    expect(text.length).toBeGreaterThan(8000);
    expect((await client.query(text, values)).rows[0].total).toBe((1199 * 1200) / 2);
    expect((await prepared()).length).toBe(before);
  });

  it('keeps at most MAX_PREPARED statements a connection, and still answers past the cap', async () => {
    const fresh = new PreparingClient({ connectionString: url });
    await fresh.connect();
    try {
      for (let i = 0; i <= MAX_PREPARED; i++) await fresh.query(`SELECT $1::int + ${i} AS n`, [1]);
      expect((await fresh.query(`SELECT $1::int + ${MAX_PREPARED + 1} AS n`, [1])).rows[0].n).toBe(MAX_PREPARED + 2);
      const { rows } = await fresh.query('SELECT count(*)::int AS n FROM pg_prepared_statements');
      expect(rows[0].n).toBe(MAX_PREPARED);
    } finally {
      await fresh.end();
    }
  });

  it('reports an error in a prepared statement as usual, and the connection goes on', async () => {
    await expect(client.query('SELECT $1::int / 0 AS n', [1])).rejects.toThrow(/division by zero/);
    await expect(client.query('SELEC $1', [1])).rejects.toThrow(/syntax error/);
    expect((await client.query('SELECT $1::int AS n', [7])).rows[0].n).toBe(7);
  });

  it("is what Reachable's own PostgreSQL pool uses", async () => {
    const database = await testDatabase();
    try {
      const found = await database.db.transaction().execute(async (trx) => {
        await trx.selectFrom('agency').select('id').where('name', '=', 'nobody').execute();
        return (await sql<{ statement: string }>`SELECT statement FROM pg_prepared_statements WHERE statement LIKE ${'%from "agency"%'}`.execute(trx)).rows;
      });
      expect(found.map((r) => r.statement)).toEqual(['select "id" from "agency" where "name" = $1']);
    } finally {
      await database.close();
    }
  });
});
