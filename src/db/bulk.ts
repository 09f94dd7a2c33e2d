// Loading many rows fast on both engines: one INSERT … SELECT FROM
// json_to_recordset() per chunk, the chunk sent as a single JSON parameter
// (CONVENTIONS.md: batch). JSON.stringify is native and four times faster
// than the driver writing one array literal per column.
import { sql, type Kysely, type Transaction } from 'kysely';

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
