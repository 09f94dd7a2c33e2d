// The imports Reachable takes, and saving them: one transaction for all the
// files of an import, so a failure part way leaves nothing behind; rows whose
// key is already there are skipped, so importing the same file twice adds
// nothing the second time.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { bulkInsert, type ColumnTypes } from '../../db/bulk.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import { readStreetCrimes } from './policeStreet.ts';
import { readStopSearches } from './stopSearch.ts';

const CHUNK = 10_000;
const GRID = { longitude: 'float8', latitude: 'float8', easting: 'float8', northing: 'float8' } as const;

export const IMPORTS = {
  police_street: {
    label: 'police.uk street-level crime',
    table: 'crime_record',
    read: readStreetCrimes as (text: string) => Record<string, unknown>[],
    columns: {
      row_key: 'text',
      crime_id: 'text',
      month: 'date',
      reported_by: 'text',
      falls_within: 'text',
      ...GRID,
      location: 'text',
      lsoa_code: 'text',
      lsoa_name: 'text',
      crime_type: 'text',
      last_outcome: 'text',
      context: 'text',
    } as ColumnTypes,
  },
  stop_search: {
    label: 'police.uk stop and search',
    table: 'stop_search',
    read: readStopSearches as (text: string) => Record<string, unknown>[],
    columns: {
      row_key: 'text',
      search_type: 'text',
      searched_at: 'timestamptz',
      part_of_operation: 'boolean',
      operation: 'text',
      ...GRID,
      gender: 'text',
      age_range: 'text',
      self_defined_ethnicity: 'text',
      officer_defined_ethnicity: 'text',
      legislation: 'text',
      object_of_search: 'text',
      outcome: 'text',
      outcome_linked: 'boolean',
      removal_of_clothing: 'boolean',
    } as ColumnTypes,
  },
} as const;
export type ImportKind = keyof typeof IMPORTS;

export interface ImportedFile {
  fileName: string;
  rows: Record<string, unknown>[];
}

/** Every file in one transaction; `progress` hears how many rows are saved so far. Returns rows read and added per file. */
export async function saveImport(db: Kysely<DB>, actor: Actor, kind: ImportKind, files: ImportedFile[], progress: (saved: number, total: number) => void = () => {}) {
  const { table, columns } = IMPORTS[kind];
  const total = files.reduce((s, f) => s + f.rows.length, 0);
  let saved = 0;
  return db.transaction().execute(async (trx) => {
    const results: { fileName: string; read: number; added: number }[] = [];
    for (const file of files) {
      const run = await trx.insertInto('import_run').values({ kind, file_name: file.fileName, rows_read: file.rows.length, rows_added: 0, imported_by: actor.userId ?? null }).returning('id').executeTakeFirstOrThrow();
      let added = 0;
      for (let start = 0; start < file.rows.length; start += CHUNK) {
        const chunk = file.rows.slice(start, start + CHUNK).map((r) => ({ ...r, import_id: run.id }));
        added += await bulkInsert(trx, table, { ...columns, import_id: 'uuid' }, chunk, { chunkSize: CHUNK, skipConflicts: true });
        saved += chunk.length;
        progress(saved, total);
      }
      await trx.updateTable('import_run').set({ rows_added: added }).where('id', '=', run.id).execute();
      await recordAudit(trx, actor, { action: 'crime-data.import', recordType: 'import_run', recordId: run.id, detail: { kind, file: file.fileName, read: file.rows.length, added } });
      results.push({ fileName: file.fileName, read: file.rows.length, added });
    }
    return results;
  });
}
