// police.uk street-level crime imports (issue 6, item 1): the published
// header exactly, months only, rows without coordinates kept but not mapped,
// anti-social behaviour deduplicated by content, all or nothing with the line
// named (row 70,000 of a big file), idempotent on re-import, and from the
// command line with a progress bar.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { testDatabase } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';
import { ImportProblems, STREET_COLUMNS, readStreetCrimes } from '../../src/modules/crime-data/policeStreet.ts';
import { saveImport } from '../../src/modules/crime-data/imports.ts';

const HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const MET = 'Metropolitan Police Service,Metropolitan Police Service';
const ROWS = [
  `,2026-09,${MET},-0.019900,51.583000,On or near Hoe Street,E01004437,Waltham Forest 020A,Anti-social behaviour,,`,
  // The same anti-social behaviour twice in one month at one snap point: two reports, both kept.
  `,2026-09,${MET},-0.019900,51.583000,On or near Hoe Street,E01004437,Waltham Forest 020A,Anti-social behaviour,,`,
  `9f2c1d0e8b7a6f5e4d3c2b1a0f9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a2f1e,2026-09,${MET},-0.008600,51.559500,On or near High Road Leyton,E01004380,Waltham Forest 031B,Violence and sexual offences,Under investigation,`,
  `a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90,2026-09,${MET},,,No location,,,Robbery,Investigation complete; no suspect identified,`,
];
const file = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('police.uk street-level crime', () => {
  it('reads the published columns, keeping rows without coordinates unmapped and working out grid references', () => {
    expect(STREET_COLUMNS.join(',')).toBe(HEADER);
    const rows = readStreetCrimes(file(ROWS));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatchObject({ crime_id: null, month: '2026-09-01', crime_type: 'Anti-social behaviour', lsoa_code: 'E01004437' });
    // Walthamstow Central is at about TQ 37 88 (537,xxx 188,xxx) on the British National Grid.
    expect(rows[0].easting).toBeGreaterThan(537_000);
    expect(rows[0].easting).toBeLessThan(538_000);
    expect(rows[0].northing).toBeGreaterThan(188_500);
    expect(rows[0].northing).toBeLessThan(189_500);
    expect(rows[0].id).not.toBe(rows[1].id);
    expect(rows[3]).toMatchObject({ longitude: null, easting: null, crime_type: 'Robbery' });
  });

  it('says which columns are wrong when the file is not a street-level crime file', () => {
    expect(() => readStreetCrimes('Type,Date,Latitude,Longitude\n')).toThrow(/missing "Crime ID", "Month".*not expected "Type", "Date"/);
    const reordered = HEADER.split(',');
    [reordered[4], reordered[5]] = [reordered[5], reordered[4]];
    expect(() => readStreetCrimes(reordered.join(',') + '\n')).toThrow(/the columns are in the wrong order/);
  });

  it('refuses a bad month, an unknown crime type or a crime without its ID, naming each line', () => {
    try {
      readStreetCrimes(file([ROWS[0], ROWS[2].replace('2026-09', '09/2026'), ROWS[2].replace('Violence and sexual offences', 'Knife crime'), ROWS[2].replace(/^[0-9a-f]+/, '')]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ImportProblems);
      const problems = (error as ImportProblems).problems;
      expect(problems[0]).toBe('line 3: Month must be a month written YYYY-MM (found "09/2026")');
      expect(problems[1]).toBe('line 4: "Knife crime" is not one of the 14 police.uk crime types');
      expect(problems[2]).toBe('line 5: Crime ID is empty: only anti-social behaviour has none');
    }
  });

  it('saves, then adds nothing when the same file comes again', async () => {
    const rows = readStreetCrimes(file(ROWS));
    const [first] = await saveImport(database.db, {}, 'police_street', [{ fileName: '2026-09-metropolitan-street.csv', rows }]);
    expect(first).toMatchObject({ read: 4, added: 4 });
    const [again] = await saveImport(database.db, {}, 'police_street', [{ fileName: '2026-09-metropolitan-street.csv', rows: readStreetCrimes(file(ROWS)) }]);
    expect(again).toMatchObject({ read: 4, added: 0 });
    expect(await database.db.selectFrom('crime_record').select('id').execute()).toHaveLength(4);
    const runs = await database.db.selectFrom('import_run').select(['rows_read', 'rows_added']).orderBy('imported_at').execute();
    expect(runs.map((r) => r.rows_added)).toEqual([4, 0]);
  });

  it('keeps every imported row with a run that exists, and keeps the runs', async () => {
    const crime = { id: '00000000-0000-4000-8000-000000000001', month: '2026-09-01', reported_by: 'Metropolitan Police Service', falls_within: 'Metropolitan Police Service', crime_type: 'Burglary' };
    await expect(database.db.insertInto('crime_record').values({ ...crime, import_id: '00000000-0000-4000-8000-0000000000ff' }).execute()).rejects.toThrow(/must belong to an import run/);
    const run = await database.db.selectFrom('import_run').select('id').executeTakeFirstOrThrow();
    await expect(database.db.deleteFrom('import_run').where('id', '=', run.id).execute()).rejects.toThrow(/import runs are kept/);
    await expect(database.db.updateTable('crime_record').set({ import_id: run.id }).execute()).rejects.toThrow(/stays with the import run/);
    await database.db.insertInto('crime_record').values({ ...crime, import_id: run.id }).execute();
    await database.db.deleteFrom('crime_record').where('id', '=', crime.id).execute();
  });

  it('imports nothing from the command line when row 70,000 is bad, and names it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-import-'));
    const rows: string[] = [];
    for (let i = 0; i < 70_000; i++) rows.push(`${i.toString(16).padStart(64, '0')},2026-08,${MET},-0.0199,51.583,On or near Hoe Street,E01004437,Waltham Forest 020A,Burglary,Under investigation,`);
    rows[69_998] = rows[69_998].replace('Burglary', 'Burglarly');
    const big = path.join(dir, 'big-street.csv');
    fs.writeFileSync(big, file(rows));
    const good = path.join(dir, 'good-street.csv');
    fs.writeFileSync(good, file(ROWS));
    const env = { ...process.env, DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', DEMO_SEED_ON_EMPTY: 'false' };
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', 'police-street', good, big], { encoding: 'utf8', env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('big-street.csv: nothing was imported (from this or any other file):');
    expect(bad.stderr).toContain('line 70000: "Burglarly" is not one of the 14 police.uk crime types');
    const ok = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', 'police-street', good], { encoding: 'utf8', env });
    expect(ok.stderr).toContain('saving [##############################] 4 of 4 rows');
    expect(ok.stdout).toContain('good-street.csv: 4 rows read, 4 new');
    expect(ok.status).toBe(0);
  }, 120_000);
});
