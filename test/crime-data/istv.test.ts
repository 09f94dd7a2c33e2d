// ISTV (Information Sharing to Tackle Violence) imports: UK clock times,
// codes from the administrator's lists (an unknown code keeps the file's
// description), free-text places matched to named places or queued, and an
// analyst's answer used for later rows with the same words.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';
import { ISTV_COLUMNS, locationKey, matchPlace, readIstv, type IstvLookups } from '../../src/modules/crime-data/istv.ts';
import { istvLookups, saveImport } from '../../src/modules/crime-data/imports.ts';

const HEADER = 'Site code,Reporting period,Arrival date,Arrival time,Assault date,Assault time,Assault method code,Assault method,Assault location type code,Assault location type,Assault location';
const ROWS = [
  'R1HKH,2026-09,2026-09-14,17:05,2026-09-14,16:20,02,,02,,Outside Walthamstow Central station by the bus stops',
  'R1HKH,2026-09,2026-09-20,01:10,2026-09-19,,07,Scooter,03,,The Bell pub',
  'R1HKH,2026-09,2026-09-21,23:40,,,,,,,',
];
const file = (rows: string[]) => [HEADER, ...rows].join('\n') + '\n';

let database: Database;
let lookups: IstvLookups;
let station: string;
beforeAll(async () => {
  database = await testDatabase();
  station = (await database.db.insertInto('place').values({ name: 'Walthamstow Central station', kind: 'station' }).returning('id').executeTakeFirstOrThrow()).id;
  await database.db.insertInto('place').values({ name: 'Walthamstow', kind: 'shops' }).execute();
  lookups = await istvLookups(database.db);
});
afterAll(() => database.close());

describe('ISTV imports', () => {
  it('reads UK clock times, code descriptions from the lists, and keeps an unknown code’s own words', () => {
    expect(ISTV_COLUMNS.join(',')).toBe(HEADER);
    const [stabbing, scooter, unknown] = readIstv(file(ROWS), lookups);
    // 16:20 British Summer Time is 15:20 UTC.
    expect(stabbing.assaulted_at!.toISOString()).toBe('2026-09-14T15:20:00.000Z');
    expect(stabbing.arrived_at.toISOString()).toBe('2026-09-14T16:05:00.000Z');
    expect(stabbing).toMatchObject({ method_code: '02', method_description: 'Knife or other bladed article', location_type_description: 'Street or road', reporting_period: '2026-09-01' });
    expect(scooter).toMatchObject({ method_code: '07', method_description: 'Scooter', assault_on: '2026-09-19', assaulted_at: null, location_type_description: 'Pub, bar or club' });
    expect(unknown).toMatchObject({ method_code: null, location_text: null, match_status: 'none' });
  });

  it('matches a free-text place to the longest named place in it, and queues the rest', () => {
    const [stabbing, pub] = readIstv(file(ROWS), lookups);
    expect(stabbing).toMatchObject({ place_id: station, match_status: 'matched' });
    expect(pub).toMatchObject({ place_id: null, match_status: 'unmatched', location_text: 'The Bell pub' });
    expect(locationKey('St. James’s Park & Ride')).toBe('st james s park and ride');
    expect(matchPlace('near walthamstow', [{ id: 'a', name: 'Walthamstow Central station' }])).toBeNull();
  });

  it('uses an analyst’s answer for the same words in later rows', () => {
    const chosen = { ...lookups, chosen: new Map([[locationKey('The Bell pub'), station]]) };
    expect(readIstv(file([ROWS[1]]), chosen)[0]).toMatchObject({ place_id: station, match_status: 'chosen' });
    const none = { ...lookups, chosen: new Map([[locationKey('The Bell pub'), null]]) };
    expect(readIstv(file([ROWS[1]]), none)[0]).toMatchObject({ place_id: null, match_status: 'none' });
  });

  it('refuses an unknown code with no words, a bad time or an assault after the arrival, naming the line', () => {
    expect(() => readIstv(file([ROWS[0].replace('02,,02', '42,,02')]), lookups)).toThrow('line 2: Assault method code "42" is not in the code list and has no description: give the description');
    expect(() => readIstv(file([ROWS[0].replace('17:05', '5pm')]), lookups)).toThrow(/line 2: Arrival date and time must be a date written YYYY-MM-DD and a 24-hour time written HH:MM/);
    expect(() => readIstv(file([ROWS[0].replace('2026-09-14,16:20', '2026-09-15,16:20')]), lookups)).toThrow('line 2: The assault date is after the arrival at A&E');
  });

  it('saves, then adds nothing when the same file comes again', async () => {
    const [first] = await saveImport(database.db, {}, 'istv', [{ fileName: 'istv.csv', rows: readIstv(file(ROWS), lookups) }]);
    const [again] = await saveImport(database.db, {}, 'istv', [{ fileName: 'istv.csv', rows: readIstv(file(ROWS), lookups) }]);
    expect([first.added, again.added]).toEqual([3, 0]);
  });
});
