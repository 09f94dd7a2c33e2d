// Loading many rows fast on both engines. On PostgreSQL, inside a
// transaction: COPY … FROM STDIN into a temporary table (the server's own
// bulk path, streamed by pg-copy-streams), then one INSERT … SELECT, which
// keeps ON CONFLICT DO NOTHING for idempotent imports. Elsewhere (the
// embedded database, whose driver has no COPY): one INSERT … SELECT FROM
// json_to_recordset() per chunk, the chunk sent as a single JSON parameter
// (CONVENTIONS.md: batch); JSON.stringify is native and four times faster
// than the driver writing one array literal per column.
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { from as copyFrom } from 'pg-copy-streams';
import { sql, type Kysely, type Transaction } from 'kysely';
import { postgresClientOf } from './database.ts';

export type ColumnTypes = Record<string, 'uuid' | 'text' | 'date' | 'timestamptz' | 'float8' | 'int4' | 'boolean' | 'text[]' | 'jsonb'>;

/**
 * Inserts the rows, in chunks; returns how many went in. With `skipConflicts`, rows that clash with a
 * unique key already there are left out (ON CONFLICT DO NOTHING), which makes imports idempotent.
 * `same` gives columns whose value is the same on every row (sent once, not copied into each row);
 * `saved` hears after each chunk how many of the rows are saved so far. JSON has no NaN or Infinity:
 * callers check numbers before saving (a non-finite number would be saved as null). A Date is sent
 * as its instant (toJSON gives UTC), which timestamptz reads exactly.
 */
export async function bulkInsert(
  db: Kysely<any> | Transaction<any>,
  table: string,
  columns: ColumnTypes,
  rows: readonly Record<string, unknown>[],
  options: { chunkSize?: number; skipConflicts?: boolean; same?: Record<string, unknown>; saved?: (count: number) => void } = {},
): Promise<number> {
  const same = options.same ?? {};
  const names = Object.keys(columns).filter((n) => !(n in same));
  if (rows.length >= COPY_FROM && db.isTransaction) {
    const client = await postgresClientOf(db as Transaction<any>);
    if (client) return copyInsert(db as Transaction<any>, client, table, columns, names, rows, options);
  }
  const chunkSize = options.chunkSize ?? 5000;
  const targets = sql.join([...names, ...Object.keys(same)].map((n) => sql.ref(n)));
  const values = sql.join([...names.map((n) => sql.ref(n)), ...Object.entries(same).map(([n, v]) => sql`${v}::${sql.raw(columns[n])}`)]);
  const definition = sql.raw(names.map((n) => `"${n}" ${columns[n]}`).join(', '));
  let added = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = JSON.stringify(rows.slice(start, start + chunkSize));
    const result = await sql`INSERT INTO ${sql.table(table)} (${targets})
      SELECT ${values} FROM json_to_recordset(${chunk}::json) AS r(${definition})
      ${options.skipConflicts ? sql`ON CONFLICT DO NOTHING` : sql``}`.execute(db);
    added += Number(result.numAffectedRows ?? 0);
    options.saved?.(Math.min(start + chunkSize, rows.length));
  }
  return added;
}

/**
 * Updates many rows by key in one statement per chunk (UPDATE … FROM
 * json_to_recordset()): each row sets the columns it names, read as typed.
 */
export async function bulkUpdate(
  db: Kysely<any> | Transaction<any>,
  table: string,
  key: { name: string; type: ColumnTypes[string] },
  columns: ColumnTypes,
  rows: readonly Record<string, unknown>[],
  options: { chunkSize?: number } = {},
): Promise<number> {
  if (!rows.length) return 0;
  const names = Object.keys(columns);
  const sets = sql.join(names.map((n) => sql`${sql.ref(n)} = r.${sql.ref(n)}`));
  const definition = sql.raw([`"${key.name}" ${key.type}`, ...names.map((n) => `"${n}" ${columns[n]}`)].join(', '));
  const chunkSize = options.chunkSize ?? 5000;
  let changed = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = JSON.stringify(rows.slice(start, start + chunkSize));
    const result = await sql`UPDATE ${sql.table(table)} AS t SET ${sets}
      FROM json_to_recordset(${chunk}::json) AS r(${definition})
      WHERE t.${sql.ref(key.name)} = r.${sql.ref(key.name)}`.execute(db);
    changed += Number(result.numAffectedRows ?? 0);
  }
  return changed;
}

// Below this many rows, the temporary table costs more than it saves.
const COPY_FROM = 2000;
const COPY_CHUNK = 5000;

async function copyInsert(
  trx: Transaction<any>,
  client: Awaited<ReturnType<typeof postgresClientOf>> & object,
  table: string,
  columns: ColumnTypes,
  names: string[],
  rows: readonly Record<string, unknown>[],
  options: { skipConflicts?: boolean; same?: Record<string, unknown>; saved?: (count: number) => void },
): Promise<number> {
  const same = options.same ?? {};
  const staging = `bulk_${table}`;
  const definition = sql.raw(names.map((n) => `"${n}" ${columns[n]}`).join(', '));
  // Made afresh each time: the same table may be loaded twice in a transaction with other columns.
  await sql`DROP TABLE IF EXISTS ${sql.table(staging)}`.execute(trx);
  await sql`CREATE TEMPORARY TABLE ${sql.table(staging)} (${definition}) ON COMMIT DROP`.execute(trx);
  const encoders = names.map((n) => encoderFor(columns[n]));
  let written = 0;
  function* lines() {
    for (let start = 0; start < rows.length; start += COPY_CHUNK) {
      let text = '';
      for (let r = start; r < Math.min(start + COPY_CHUNK, rows.length); r++) {
        const row = rows[r];
        for (let c = 0; c < names.length; c++) text += (c ? '\t' : '') + encoders[c](row[names[c]]);
        text += '\n';
      }
      yield text;
      written = Math.min(start + COPY_CHUNK, rows.length);
      options.saved?.(written);
    }
  }
  await pipeline(Readable.from(lines()), client.query(copyFrom(`COPY "${staging}" (${names.map((n) => `"${n}"`).join(', ')}) FROM STDIN`)));
  const targets = sql.join([...names, ...Object.keys(same)].map((n) => sql.ref(n)));
  const values = sql.join([...names.map((n) => sql.ref(n)), ...Object.entries(same).map(([n, v]) => sql`${v}::${sql.raw(columns[n])}`)]);
  const result = await sql`INSERT INTO ${sql.table(table)} (${targets}) SELECT ${values} FROM ${sql.table(staging)}
    ${options.skipConflicts ? sql`ON CONFLICT DO NOTHING` : sql``}`.execute(trx);
  await sql`DROP TABLE ${sql.table(staging)}`.execute(trx);
  return Number(result.numAffectedRows ?? 0);
}

/** One value in COPY's text format: \N for null, and backslash, tab and line breaks escaped. */
function encoderFor(type: ColumnTypes[string]): (value: unknown) => string {
  const special = /[\\\t\n\r]/;
  // Most values have nothing to escape: testing first is twice as fast as always replacing.
  const text = (v: string) => (special.test(v) ? v.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : v);
  return (value) => {
    if (value === null || value === undefined) return '\\N';
    if (value instanceof Date) return value.toISOString();
    switch (type) {
      case 'float8':
      case 'int4':
        // As JSON does, a number that is not finite is saved as null (callers check numbers first).
        return typeof value === 'number' && !Number.isFinite(value) ? '\\N' : String(value);
      case 'boolean':
        return value ? 't' : 'f';
      case 'jsonb':
        return text(JSON.stringify(value));
      case 'text[]':
        return text(`{${(value as unknown[]).map((v) => (v === null ? 'NULL' : `"${String(v).replace(/["\\]/g, '\\$&')}"`)).join(',')}}`);
      default:
        return text(String(value));
    }
  };
}
