// Hot times: the day-by-hour table, school days against weekends and
// holidays (terms kept by the partnership, bank holidays by rule), the
// after-school share, and months for police.uk crime, on a worked example;
// the page, and the term dates page refusing a term that ends before it
// starts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hotTimes, schoolDays, weekday } from '../../src/modules/hotspots/times.ts';
import type { PlaceEvent } from '../../src/modules/hotspots/events.ts';
import { taskingList } from '../../src/modules/hotspots/tasking.ts';
import { makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { readStopSearches } from '../../src/modules/crime-data/stopSearch.ts';
import { saveImport } from '../../src/modules/crime-data/imports.ts';

const at = (day: string, hour: number | null): PlaceEvent => ({ source: 'stop_search', category: 'x', x: 0, y: 0, month: `${day.slice(0, 7)}-01`, day, hour, victimAge: null });
// Autumn half term 2026 ends Friday 23 October; Monday 31 August 2026 is the summer bank holiday.
const terms = [{ starts_on: '2026-09-02', ends_on: '2026-10-23' }];

describe('hot times, worked by hand', () => {
  it('knows a school day from a weekend, a holiday and a bank holiday', () => {
    const school = schoolDays(terms, '2026-08-01', '2026-10-31');
    expect(weekday('2026-09-14')).toBe(0);
    expect(school('2026-09-14')).toBe(true); // a Monday in term
    expect(school('2026-09-19')).toBe(false); // a Saturday
    expect(school('2026-10-27')).toBe(false); // half term
    expect(school('2026-08-31')).toBe(false); // bank holiday, out of term anyway
    expect(schoolDays([{ starts_on: '2026-08-24', ends_on: '2026-09-04' }], '2026-08-01', '2026-09-30')('2026-08-31')).toBe(false);
  });

  it('counts the grid, school days against other days, and the after-school share', () => {
    const events = [at('2026-09-14', 15), at('2026-09-14', 16), at('2026-09-15', 9), at('2026-09-19', 20), at('2026-10-27', 15), at('2026-09-16', null), { ...at('2026-09-01', null), day: null }];
    const t = hotTimes(events, terms, { start: 15, end: 17 }, '2026-09', '2026-10');
    expect(t.grid[0][15]).toBe(1);
    expect(t.grid[0][16]).toBe(1);
    expect(t.grid[5][20]).toBe(1);
    expect(t.timed).toBe(5);
    expect(t.dayOnly).toBe(1);
    expect(t.months).toEqual([['2026-09', 1]]);
    // September and October 2026: 61 days; school days 2 September to 23 October, weekdays only: 38.
    expect(t.school.days).toBe(38);
    expect(t.other.days).toBe(23);
    expect(t.school.events).toBe(4);
    expect(t.other.events).toBe(2);
    // School-day events with a time: 15:00, 16:00 and 09:00; two of the three are after school.
    expect(t.school.afterSchool).toBe(2);
    expect(t.school.afterSchoolShare).toBeCloseTo(2 / 3, 12);
  });
});

describe('tasking list', () => {
  it('gives a cell’s busiest day, its busiest two hours and the schools within 400 metres', () => {
    const cell = { col: 0, row: 0, x: 125, y: 125, borough: 'B', count: 5, z: 3, p: 0.001, adjusted: 0.001, klass: 'hot99' as const };
    const events = [15, 16, 16, 9].map((h) => ({ ...at('2026-09-14', h), x: 10, y: 10 })).concat({ ...at('2026-09-19', 23), x: 20, y: 20 });
    const [task] = taskingList([cell], events, 250, [
      { name: 'School A', kind: 'school', easting: 300, northing: 300 },
      { name: 'Far park', kind: 'park', easting: 5000, northing: 0 },
    ]);
    expect(task).toMatchObject({ rank: 1, events: 5, peakDay: 'Monday', peakHours: '15:00 to 17:00', schools: ['School A'], places: [], hotSpot: 'Hot spot, 99% confidence' });
    // Named after the nearest place (247.5 m away, to the nearest 10 m), not its grid square.
    expect(task.where).toBe('By School A (250 m)');
    // With nothing named within a kilometre, the grid square.
    const [far] = taskingList([cell], events, 250, [{ name: 'Far park', kind: 'park', easting: 5000, northing: 0 }]);
    expect(far.where).toBe(`Grid square ${far.cell}`);
  });
});

const HEADER =
  'Type,Date,Part of a policing operation,Policing operation,Latitude,Longitude,Gender,Age range,Self-defined ethnicity,Officer-defined ethnicity,Legislation,Object of search,Outcome,Outcome linked to object of search,Removal of more than just outer clothing';
let t: TestApp;
let analyst: Client;
beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council' });
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  const rows = ['2026-09-14T15:20:00+01:00', '2026-09-14T16:05:00+01:00', '2026-09-19T21:00:00+01:00'].map((d) => `Person search,${d},False,,51.583,-0.0199,Male,10-17,,,,Offensive weapons,A no further action disposal,False,False`);
  await saveImport(t.db, {}, 'stop_search', [{ fileName: 'ss.csv', rows: readStopSearches([HEADER, ...rows].join('\n')) }]);
});
afterAll(() => t.close());

describe('hot times pages', () => {
  it('shows the table and warns when no terms are recorded; a term added is used', async () => {
    const query = '/hot-times?sources=stop_search&from=2026-09&to=2026-09&boroughs=Waltham+Forest';
    const before = await analyst.get(query);
    expect(before.statusCode).toBe(200);
    expect(before.body).toContain('No school terms are recorded for these months');
    const bad = await analyst.post('/term-dates', { name: 'Autumn 2026', ...dateParts('startsOn', '2026-10-23'), ...dateParts('endsOn', '2026-09-02') });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The last day must be the same as or after the first day');
    expect((await analyst.post('/term-dates', { name: 'Autumn 2026', ...dateParts('startsOn', '2026-09-02'), ...dateParts('endsOn', '2026-10-23') })).statusCode).toBe(303);
    const after = await analyst.get(query);
    expect(after.body).not.toContain('No school terms are recorded');
    // Two searches after school on a school day, of two school-day searches with a time.
    expect(after.body).toMatch(/After school \(15:00 to 17:00 on school days\): <strong>2<\/strong> events, 100% of school-day events/);
    expect((await analyst.post('/term-dates/window', { start: '17', end: '15' })).body).toContain('The end must be after the start');
  });

  it('runs the Knox test on events with a day, and refuses bands that go down', async () => {
    const page = await analyst.get('/near-repeats?sources=stop_search&from=2026-09&to=2026-09&boroughs=Waltham+Forest&iterations=99');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('3 events with a day');
    expect(page.body).toContain('Same location');
    expect(page.body).toContain('0 to 7 days');
    expect(page.body).toContain('Worked out');
    // While another process is still working it out, the page says how far it has got and links back to itself.
    await t.db.updateTable('worked_out').set({ state: 'running', done: 50, result: null, finished_at: null, beat_at: new Date() }).where('key', 'like', 'near-repeats:%').execute();
    const running = await analyst.get('/near-repeats?sources=stop_search&from=2026-09&to=2026-09&boroughs=Waltham+Forest&iterations=99');
    expect(running.body).toContain('Working this out: 50 of 99 shuffles done');
    expect(running.body).toContain('href="/near-repeats?sources=stop_search&amp;from=2026-09&amp;to=2026-09&amp;boroughs=Waltham+Forest&amp;iterations=99"');
    expect(running.body).not.toContain('Same location');
    const bad = await analyst.get('/near-repeats?sources=stop_search&from=2026-09&to=2026-09&spaceBands=400,200');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The distance bands must go up');
  });
});
