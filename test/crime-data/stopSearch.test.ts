// police.uk stop and search imports: the fifteen published columns, ISO
// date-times with their offsets, True/False cells that may be empty, keyed by
// content so a re-import adds nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';
import { STOP_SEARCH_COLUMNS, readStopSearches } from '../../src/modules/crime-data/stopSearch.ts';
import { saveImport } from '../../src/modules/crime-data/imports.ts';

const HEADER =
  'Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,Outcome linked to object of search,Removal of more than just outer clothing';
const ROWS = [
  'Person search,2026-09-14T16:20:00+01:00,False,,51.583000,-0.019900,Male,10-17,Black/African/Caribbean/Black British - Any other Black/African/Caribbean background,Black,Criminal Justice and Public Order Act 1994 (section 60),Offensive weapons,A no further action disposal,False,False',
  'Person and Vehicle search,2026-09-15T02:05:41+00:00,,,,,Male,18-24,White - English/Welsh/Scottish/Northern Irish/British,White,Misuse of Drugs Act 1971 (section 23),Controlled drugs,Arrest,True,',
];
const file = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

let database: Database;
beforeAll(async () => {
  database = await testDatabase();
});
afterAll(() => database.close());

describe('police.uk stop and search', () => {
  it('reads the fifteen published columns with the time and its offset', () => {
    expect(STOP_SEARCH_COLUMNS.join(',')).toBe(HEADER);
    const [first, second] = readStopSearches(file(ROWS));
    expect(first.searched_at.toISOString()).toBe('2026-09-14T15:20:00.000Z');
    expect(first).toMatchObject({ search_type: 'Person search', part_of_operation: false, age_range: '10-17', outcome_linked: false });
    expect(first.easting).toBeGreaterThan(537_000);
    expect(second).toMatchObject({ part_of_operation: null, longitude: null, easting: null, outcome_linked: true, removal_of_clothing: null });
  });

  it('refuses a time without its offset or a yes/no cell it cannot read, naming the line', () => {
    expect(() => readStopSearches(file([ROWS[0].replace('2026-09-14T16:20:00+01:00', '14/09/2026 16:20')]))).toThrow(
      'line 2: Date must be a date and time with its offset, like 2026-09-14T16:20:00+01:00 (found "14/09/2026 16:20")',
    );
    expect(() => readStopSearches(file([ROWS[1].replace(',Arrest,True,', ',Arrest,Yes,')]))).toThrow('line 2: Outcome linked to object of search must be True, False or empty (found "Yes")');
    expect(() => readStopSearches('Crime ID,Month\n')).toThrow(/this is not a police.uk stop and search file: missing "Type"/);
  });

  it('saves, then adds nothing when the same file comes again', async () => {
    const [first] = await saveImport(database.db, {}, 'stop_search', [{ fileName: 'ss.csv', rows: readStopSearches(file(ROWS)) }]);
    const [again] = await saveImport(database.db, {}, 'stop_search', [{ fileName: 'ss.csv', rows: readStopSearches(file(ROWS)) }]);
    expect([first.added, again.added]).toEqual([2, 0]);
    expect(await database.db.selectFrom('stop_search').select('id').execute()).toHaveLength(2);
  });
});
