// LSOA boundaries from the ONS Open Geography Portal (GeoJSON): read in
// longitude and latitude or, where the file's crs says EPSG:27700, on the
// British National Grid, the other worked out at import; every problem named
// by feature and nothing saved; a second load adds nothing; from the command
// line too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { testDatabase } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';
import { readLsoaBoundaries } from '../../src/modules/crime-data/lsoaBoundaries.ts';
import { ImportProblems } from '../../src/modules/crime-data/reading.ts';
import { saveImport } from '../../src/modules/crime-data/imports.ts';
import { degrees, feature, inDegrees, lsoa, onGrid, square } from '../support/lsoa.ts';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('LSOA boundaries', () => {
  it('reads a file on the grid and one in degrees to the same places', () => {
    const [grid] = readLsoaBoundaries(onGrid([lsoa('E01004437', 'Waltham Forest 020A', square(537_000, 188_500, 1000))]));
    const [deg] = readLsoaBoundaries(inDegrees([lsoa('E01004437', 'Waltham Forest 020A', degrees(square(537_000, 188_500, 1000)))]));
    expect(grid).toMatchObject({ code: 'E01004437', name: 'Waltham Forest 020A', min_easting: 537_000, max_northing: 189_500 });
    // Projected there and back: within a tenth of a metre on the grid and a millionth of a degree on the map.
    expect(Math.abs(deg.min_easting - 537_000)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(deg.max_northing - 189_500)).toBeLessThanOrEqual(0.1);
    grid.outline[0][0].forEach(([lon, lat], i) => {
      expect(Math.abs(lon - deg.outline[0][0][i][0])).toBeLessThanOrEqual(1e-6);
      expect(Math.abs(lat - deg.outline[0][0][i][1])).toBeLessThanOrEqual(1e-6);
    });
    // The 2011 names, lower-cased, and a MultiPolygon are read too.
    const [old] = readLsoaBoundaries(onGrid([feature({ lsoa11cd: 'W01000001', lsoa11nm: 'Cardiff 001A' }, { type: 'MultiPolygon', coordinates: [[square(318_000, 176_000, 500)], [square(319_000, 176_000, 500)]] })]));
    expect(old).toMatchObject({ code: 'W01000001', name: 'Cardiff 001A' });
    expect(old.grid).toHaveLength(2);
  });

  it('names every problem by feature, and says what the file must be', () => {
    const problems = (text: string) => {
      try {
        readLsoaBoundaries(text);
      } catch (error) {
        expect(error).toBeInstanceOf(ImportProblems);
        return (error as ImportProblems).problems;
      }
      throw new Error('no problems found');
    };
    expect(problems('Crime ID,Month')).toEqual(['this is not a GeoJSON file of LSOA boundaries: it is not JSON']);
    expect(problems('{"type":"Feature"}')).toEqual(['this is not a GeoJSON file of LSOA boundaries: it must be a FeatureCollection']);
    const good = square(537_000, 188_500, 1000);
    expect(
      problems(
        onGrid([
          lsoa('E01004437', 'Waltham Forest 020A', good),
          feature({ LSOA21NM: 'Nameless' }, { type: 'Polygon', coordinates: [good] }),
          lsoa('E02000895', 'Waltham Forest 020', good),
          lsoa('E01004437', 'Waltham Forest 020A', good),
          feature({ LSOA21CD: 'E01004438', LSOA21NM: 'Waltham Forest 020B' }, { type: 'Point', coordinates: [537_000, 188_500] }),
          lsoa('E01004439', 'Waltham Forest 020C', square(-0.02, 51.58, 0.01)),
        ]),
      ),
    ).toEqual([
      'feature 2: it has no LSOA code (LSOA21CD, or LSOA11CD)',
      'feature 3: "E02000895" is not an LSOA code (E01 or W01 and six digits)',
      'feature 4 (E01004437): E01004437 comes twice in the file',
      'feature 5 (E01004438): the boundary must be a Polygon or MultiPolygon (found a Point)',
      'feature 6 (E01004439): the boundary is not in Great Britain on the British National Grid',
    ]);
    // Metres in a file that does not say it is on the grid.
    expect(problems(inDegrees([lsoa('E01004437', 'Waltham Forest 020A', good)]))[0]).toContain('if the file is on the British National Grid, its crs must say EPSG:27700');
  });

  it('saves the boundaries once: loading the same file again adds nothing', async () => {
    const rows = readLsoaBoundaries(onGrid([lsoa('E01004437', 'Waltham Forest 020A', square(537_000, 188_500, 1000))]));
    const [first] = await saveImport(database.db, {}, 'lsoa_boundaries', [{ fileName: 'LSOA_2021_EW_BGC.geojson', rows }]);
    expect(first).toMatchObject({ read: 1, added: 1 });
    const [again] = await saveImport(database.db, {}, 'lsoa_boundaries', [{ fileName: 'LSOA_2021_EW_BGC.geojson', rows }]);
    expect(again).toMatchObject({ read: 1, added: 0 });
    const saved = await database.db.selectFrom('lsoa_boundary').selectAll().executeTakeFirstOrThrow();
    expect(saved.grid[0][0][2]).toEqual([538_000, 189_500]);
    expect(saved.outline[0][0][0][1]).toBeCloseTo(51.57, 1);
  });

  it('loads from the command line', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-lsoa-'));
    const file = path.join(dir, 'LSOA_2021_EW_BGC.geojson');
    fs.writeFileSync(file, onGrid([lsoa('E01004437', 'Waltham Forest 020A', square(537_000, 188_500, 1000)), lsoa('E01004438', 'Waltham Forest 020B', square(536_000, 188_500, 1000))]));
    const env = { ...process.env, DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '', DEMO_SEED_ON_EMPTY: 'false' };
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'import', 'lsoa-boundaries', file], { encoding: 'utf8', env });
    expect(run.stdout).toContain('LSOA_2021_EW_BGC.geojson: 2 rows read, 2 new');
    expect(run.status).toBe(0);
  }, 60_000);
});
