// Importing from a page: the kinds, a file with problems refused with its
// lines (nothing saved), a good file saved with its progress shown as it
// goes, the list of imports; the queue of A&E places an analyst matches.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

const STREET = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const MET = 'Metropolitan Police Service,Metropolitan Police Service';
const ISTV = 'Site code,Reporting period,Arrival date,Arrival time,Assault date,Assault time,Assault method code,Assault method,Assault location type code,Assault location type,Assault location';

let t: TestApp;
let analyst: Client;
let caseworker: Client;
let station: string;
beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council' });
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  caseworker = await signedIn(t, await makeUser(t.db, council.id, ['caseworker']));
  station = (await t.db.insertInto('place').values({ name: 'Leyton station', kind: 'station', easting: 538_300, northing: 186_300 }).returning('id').executeTakeFirstOrThrow()).id;
});
afterAll(() => t.close());

describe('imports from a page', () => {
  it('keeps the ISTV code lists: a code added or its words changed is used by the next import; a bad code refused', async () => {
    const bad = await analyst.post('/imports/codes', { list: 'method', code: '0 7', description: 'E-scooter' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('The code must be letters and numbers only');
    expect((await analyst.post('/imports/codes', { list: 'method', code: '07', description: 'Vehicle used as a weapon' })).statusCode).toBe(303);
    expect((await analyst.get('/imports/codes')).body).toContain('Vehicle used as a weapon');
    expect((await caseworker.get('/imports/codes')).statusCode).toBe(403);
  });

  it('refuses a file with a problem, listing its line, and saves nothing', async () => {
    const res = await analyst.post('/imports', { kind: 'police_street', file: `${STREET}\nabc,2026-13,${MET},-0.01,51.56,On or near X,E01,WF 1,Burglary,,\n` });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('line 2: Month must be a month written YYYY-MM (found &quot;2026-13&quot;)');
    expect(await t.db.selectFrom('crime_record').select('id').execute()).toHaveLength(0);
    const none = await analyst.post('/imports', { file: `${STREET}\n` });
    expect(none.body).toContain('Select what kind of file it is');
  });

  it('saves a good file, showing progress and the result on the page, and lists the import', async () => {
    const rows = Array.from({ length: 25 }, (_, i) => `c${i},2026-09,${MET},-0.0086,51.5595,On or near High Road,E01004380,WF 031B,Robbery,Under investigation,`);
    const res = await analyst.post('/imports', { kind: 'police_street', file: [STREET, ...rows].join('\n') });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Saved 25 of 25 rows');
    expect(res.body).toContain('25 rows read, 25 new');
    expect(res.body).toContain('</html>');
    expect(await t.db.selectFrom('crime_record').select('id').execute()).toHaveLength(25);
    const list = await analyst.get('/imports');
    expect(list.body).toContain('police.uk street-level crime');
    expect((await caseworker.get('/imports')).statusCode).toBe(403);
  });

  it('queues A&E places that match no named place; an analyst’s answer matches them and later ones', async () => {
    const file = `${ISTV}\nR1H,2026-09,2026-09-14,17:05,2026-09-14,16:20,02,,02,,Outside Leyton station\nR1H,2026-09,2026-09-15,22:05,2026-09-15,21:40,07,,03,,The Coach and Horses\n`;
    expect((await analyst.post('/imports', { kind: 'istv', file })).statusCode).toBe(200);
    const queue = await analyst.get('/imports/unmatched');
    expect(queue.body).toContain('The Coach and Horses');
    expect(queue.body).not.toContain('Outside Leyton station');
    expect((await analyst.post('/imports/unmatched', { locationText: 'The Coach and Horses', placeId: 'nowhere' })).statusCode).toBe(400);
    expect((await analyst.post('/imports/unmatched', { locationText: 'The Coach and Horses', placeId: station })).statusCode).toBe(303);
    const rows = await t.db.selectFrom('ae_attendance').select(['location_text', 'place_id', 'match_status', 'method_description']).orderBy('arrived_at').execute();
    // The code added on the code list page gave the second assault its words.
    expect(rows[1].method_description).toBe('Vehicle used as a weapon');
    expect(rows.map((r) => [r.place_id, r.match_status])).toEqual([
      [station, 'matched'],
      [station, 'chosen'],
    ]);
    const later = `${ISTV}\nR1H,2026-10,2026-10-02,20:00,2026-10-02,19:30,01,,03,,the coach & horses\n`;
    await analyst.post('/imports', { kind: 'istv', file: later });
    expect((await t.db.selectFrom('ae_attendance').select('match_status').where('reporting_period', '=', '2026-10-01').executeTakeFirstOrThrow()).match_status).toBe('chosen');
  });
});
