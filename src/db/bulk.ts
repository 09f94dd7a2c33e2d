// Loading many rows fast on both engines: one INSERT … SELECT FROM unnest()
// per chunk, each column sent as one array parameter (CONVENTIONS.md: batch).
import { sql, type Kysely, type Transaction } from 'kysely';

export type ColumnTypes = Record<string, 'uuid' | 'text' | 'date' | 'timestamptz' | 'float8' | 'int4' | 'boolean' | 'text[]'>;

/**
 * Inserts the rows, in chunks; returns how many went in. With `skipConflicts`, rows that clash with a
 * unique key already there are left out (ON CONFLICT DO NOTHING), which makes imports idempotent.
 */
export async function bulkInsert(
  db: Kysely<any> | Transaction<any>,
  table: string,
  columns: ColumnTypes,
  rows: Record<string, unknown>[],
  options: { chunkSize?: number; skipConflicts?: boolean } = {},
): Promise<number> {
  const names = Object.keys(columns);
  const chunkSize = options.chunkSize ?? 5000;
  let added = 0;
  for (let start = 0; start < rows.length; start += chunkSize) {
    const chunk = rows.slice(start, start + chunkSize);
    const arrays = names.map((name) => {
      const type = columns[name];
      const values = chunk.map((row) => row[name] ?? null);
      // text[] columns travel as JSON text and are unpacked in SQL, since unnest() would flatten a 2-D array.
      return type === 'text[]' ? sql`${values.map((v) => JSON.stringify(v))}::jsonb[]` : sql`${values}::${sql.raw(type)}[]`;
    });
    const selects = names.map((name, i) =>
      columns[name] === 'text[]' ? sql`ARRAY(SELECT jsonb_array_elements_text(${sql.ref(`c${i}`)}))` : sql.ref(`c${i}`),
    );
    const result = await sql`INSERT INTO ${sql.table(table)} (${sql.join(names.map((n) => sql.ref(n)))})
      SELECT ${sql.join(selects)} FROM unnest(${sql.join(arrays)}) AS u(${sql.join(names.map((_, i) => sql.ref(`c${i}`)))})
      ${options.skipConflicts ? sql`ON CONFLICT DO NOTHING` : sql``}`.execute(db);
    added += Number(result.numAffectedRows ?? 0);
  }
  return added;
}
