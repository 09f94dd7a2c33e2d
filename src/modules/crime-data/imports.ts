// The imports Reachable takes, and saving them: one transaction for all the
// files of an import, so a failure part way leaves nothing behind; rows whose
// key is already there are skipped, so importing the same file twice adds
// nothing the second time.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { bulkInsert, type ColumnTypes } from '../../db/bulk.ts';
import { recordAudit, type Actor } from '../../platform/audit.ts';
import { STREET_COLUMNS, readStreetCrimes } from './policeStreet.ts';
import { STOP_SEARCH_COLUMNS, readStopSearches } from './stopSearch.ts';
import { ISTV_COLUMNS, readIstv, type IstvLookups } from './istv.ts';
import { readLsoaBoundaries } from './lsoaBoundaries.ts';

const CHUNK = 10_000;
const GRID = { longitude: 'float8', latitude: 'float8', easting: 'float8', northing: 'float8' } as const;

export const IMPORTS = {
  police_street: {
    label: 'police.uk street-level crime',
    format: `CSV with the columns ${STREET_COLUMNS.join(', ')}`,
    table: 'crime_record',
    reader: async (_db: Kysely<DB>) => readStreetCrimes as Reader,
    columns: {
      id: 'uuid',
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
    format: `CSV with the columns ${STOP_SEARCH_COLUMNS.join(', ')}`,
    table: 'stop_search',
    reader: async (_db: Kysely<DB>) => readStopSearches as Reader,
    columns: {
      id: 'uuid',
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
  istv: {
    label: 'ISTV (Information Sharing to Tackle Violence)',
    format: `CSV with the columns ${ISTV_COLUMNS.join(', ')}`,
    table: 'ae_attendance',
    reader: async (db: Kysely<DB>) => {
      const lookups = await istvLookups(db);
      return ((text: string) => readIstv(text, lookups)) as Reader;
    },
    columns: {
      id: 'uuid',
      site_code: 'text',
      reporting_period: 'date',
      arrived_at: 'timestamptz',
      assault_on: 'date',
      assaulted_at: 'timestamptz',
      method_code: 'text',
      method_description: 'text',
      location_type_code: 'text',
      location_type_description: 'text',
      location_text: 'text',
      place_id: 'uuid',
      match_status: 'text',
    } as ColumnTypes,
  },
  lsoa_boundaries: {
    label: 'LSOA boundaries (ONS)',
    format: 'GeoJSON from the ONS Open Geography Portal: each feature with LSOA21CD and LSOA21NM (or LSOA11CD and LSOA11NM), in longitude and latitude or on the British National Grid',
    table: 'lsoa_boundary',
    reader: async (_db: Kysely<DB>) => readLsoaBoundaries as Reader,
    columns: {
      code: 'text',
      name: 'text',
      outline: 'jsonb',
      grid: 'jsonb',
      min_easting: 'float8',
      min_northing: 'float8',
      max_easting: 'float8',
      max_northing: 'float8',
    } as ColumnTypes,
  },
} as const;

type Reader = (text: string) => Record<string, unknown>[];

/** The code lists, the named places and analysts' earlier answers, read once per import. */
export async function istvLookups(db: Kysely<DB>): Promise<IstvLookups> {
  const codes = await db.selectFrom('istv_code').selectAll().execute();
  const list = (name: string) => new Map(codes.filter((c) => c.list === name).map((c) => [c.code, c.description]));
  return {
    methods: list('method'),
    locationTypes: list('location_type'),
    places: await db.selectFrom('place').select(['id', 'name']).execute(),
    chosen: new Map((await db.selectFrom('place_match').select(['location_key', 'place_id']).execute()).map((m) => [m.location_key, m.place_id])),
  };
}
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
      const added = await bulkInsert(trx, table, { ...columns, import_id: 'uuid' }, file.rows, {
        chunkSize: CHUNK,
        skipConflicts: true,
        same: { import_id: run.id },
        saved: (count) => progress(saved + count, total),
      });
      saved += file.rows.length;
      await trx.updateTable('import_run').set({ rows_added: added }).where('id', '=', run.id).execute();
      await recordAudit(trx, actor, { action: 'crime-data.import', recordType: 'import_run', recordId: run.id, detail: { kind, file: file.fileName, read: file.rows.length, added } });
      results.push({ fileName: file.fileName, read: file.rows.length, added });
    }
    return results;
  });
}
