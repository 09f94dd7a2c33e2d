// Saving imported crime data: one transaction per import, so a failure part
// way leaves nothing behind; rows whose key is already there are skipped, so
// importing the same file twice adds nothing the second time.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { bulkInsert } from '../../db/bulk.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import type { StreetCrime } from './policeStreet.ts';

const CHUNK = 10_000;

const STREET_COLUMNS = {
  row_key: 'text',
  crime_id: 'text',
  month: 'date',
  reported_by: 'text',
  falls_within: 'text',
  longitude: 'float8',
  latitude: 'float8',
  easting: 'float8',
  northing: 'float8',
  location: 'text',
  lsoa_code: 'text',
  lsoa_name: 'text',
  crime_type: 'text',
  last_outcome: 'text',
  context: 'text',
  import_id: 'uuid',
} as const;

export interface ImportedFile {
  fileName: string;
  rows: StreetCrime[];
}

/** Every file in one transaction; `progress` hears how many rows are saved so far. Returns rows read and added per file. */
export async function saveStreetCrimes(db: Kysely<DB>, actor: Actor, files: ImportedFile[], progress: (saved: number, total: number) => void = () => {}) {
  const total = files.reduce((s, f) => s + f.rows.length, 0);
  let saved = 0;
  return db.transaction().execute(async (trx) => {
    const results: { fileName: string; read: number; added: number }[] = [];
    for (const file of files) {
      const run = await trx.insertInto('import_run').values({ kind: 'police_street', file_name: file.fileName, rows_read: file.rows.length, rows_added: 0, imported_by: actor.userId ?? null }).returning('id').executeTakeFirstOrThrow();
      let added = 0;
      for (let start = 0; start < file.rows.length; start += CHUNK) {
        const chunk = file.rows.slice(start, start + CHUNK).map((r) => ({ ...r, import_id: run.id }));
        added += await bulkInsert(trx, 'crime_record', STREET_COLUMNS, chunk, { chunkSize: CHUNK, skipConflicts: true });
        saved += chunk.length;
        progress(saved, total);
      }
      await trx.updateTable('import_run').set({ rows_added: added }).where('id', '=', run.id).execute();
      await recordAudit(trx, actor, { action: 'crime-data.import', recordType: 'import_run', recordId: run.id, detail: { kind: 'police_street', file: file.fileName, read: file.rows.length, added } });
      results.push({ fileName: file.fileName, read: file.rows.length, added });
    }
    return results;
  });
}
