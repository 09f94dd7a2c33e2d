// Subject access requests (issue 21), on the demo partnership: the officer
// records a request for a demo child (refused field by field first), sees
// the statutory clock, finds the child with the identity matcher, withholds
// every item naming another young person as third-party information
// (refused without an exemption, and when stale), and the bundle, as a page
// and as JSON, shows the child's own information, the clock and the
// exemption, and not the other young person's name. The time limit is a
// calendar month (31 January to 28 or 29 February), extended once by two.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { addCalendarMonths, dueOn, gatherBundle } from '../../src/modules/governance/subjectAccess.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { signedIn, submit, testApp, testDatabase, type Client, type TestApp } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';

let database: Database;
let t: TestApp;
let ig: Client;
let child: { id: string; given_name: string; family_name: string; date_of_birth: string };
let other: string;
let id: string;
const today = londonToday();

const demoUser = (local: string) => t.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', 'like', `${local}@%`).executeTakeFirstOrThrow();
const request = () => t.db.selectFrom('subject_access_request').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

beforeAll(async () => {
  database = await testDatabase();
  await seedDemo(database.db, { scale: 'borough', seed: 9, people: 150, incidents: 300 });
  t = await testApp({}, database);
  ig = await signedIn(t, await demoUser('ig'));
  // A demo child linked to another young person: the other is the third party to withhold.
  const { rows } = await sql<{ id: string; given_name: string; family_name: string; date_of_birth: string; other: string }>`
    SELECT p.id, p.given_name, p.family_name, p.date_of_birth::text, o.given_name || ' ' || o.family_name AS other
    FROM association a JOIN person p ON p.id = a.person_id JOIN person o ON o.id = a.other_person_id
    WHERE a.kind = 'person_person' AND p.date_of_birth IS NOT NULL ORDER BY p.id LIMIT 1`.execute(t.db);
  child = rows[0];
  other = rows[0].other;
}, 180_000);
afterAll(async () => {
  await t.close();
  await database.close();
});

describe('the statutory time limit', () => {
  it('is the same day next month, or the last day of a shorter month', () => {
    expect(addCalendarMonths('2026-03-15', 1)).toBe('2026-04-15');
    expect(addCalendarMonths('2027-01-31', 1)).toBe('2027-02-28');
    expect(addCalendarMonths('2028-01-31', 1)).toBe('2028-02-29');
    expect(addCalendarMonths('2026-11-30', 3)).toBe('2027-02-28');
    expect(addCalendarMonths('2026-12-31', 3)).toBe('2027-03-31');
  });
  it('runs from receipt, or from the identity check when that came later, and for three months once extended', () => {
    expect(dueOn('2026-11-02', null, false)).toBe('2026-12-02');
    expect(dueOn('2026-11-02', '2026-11-01', false)).toBe('2026-12-02');
    expect(dueOn('2026-11-02', '2026-11-09', false)).toBe('2026-12-09');
    expect(dueOn('2026-11-02', '2026-11-09', true)).toBe('2027-02-09');
  });
});

describe('a subject access request for a demo child', () => {
  it('is refused field by field, and recorded with its clock', async () => {
    const bad = await ig.post('/subject-access', { identityEvidence: 'Passport' });
    expect(bad.statusCode).toBe(400);
    for (const message of ['Enter the name of the person who asked', 'Select who they are to the person', 'Enter the first name', 'Enter the last name', 'Enter the date it was received', 'Enter the date identity was checked']) expect(bad.body).toContain(message);
    expect(await t.db.selectFrom('subject_access_request').select('id').execute()).toHaveLength(0);
    const [y, m, d] = child.date_of_birth.split('-');
    const res = await submit(ig, '/subject-access/new', '/subject-access', {
      requesterName: 'Their mother',
      relationship: 'parent_carer',
      givenName: child.given_name,
      familyName: child.family_name,
      'dateOfBirth-day': d,
      'dateOfBirth-month': m,
      'dateOfBirth-year': y,
      ...dateParts('receivedOn', addDays(today, -10)),
      ...dateParts('identityCheckedOn', addDays(today, -5)),
      identityEvidence: 'Birth certificate and the mother’s passport seen at the council offices',
    });
    expect(res.statusCode).toBe(303);
    id = (res.headers.location as string).split('/').pop()!;
    expect((await request()).due_on).toBe(addCalendarMonths(addDays(today, -5), 1));
    const page = await ig.get(`/subject-access/${id}`);
    expect(page.body).toContain('days left');
    expect(page.body).toContain('This is the person');
    expect(page.body).toContain(child.id);
  });

  it('finds the child with the identity matcher and lists what is held, marking items that name someone else', async () => {
    expect((await submit(ig, `/subject-access/${id}`, `/subject-access/${id}/person`, { personId: child.id })).statusCode).toBe(303);
    const page = (await ig.get(`/subject-access/${id}`)).body;
    expect(page).toContain('Links to other people, groups and places');
    expect(page).toContain('Names someone else');
    expect(page).toContain('Who has looked at or changed your records');
  });

  it('withholds every item naming the other young person: refused without an exemption and when stale first', async () => {
    const items = (await gatherBundle(t.db, child.id)).flatMap((s) => s.items);
    const naming = items.filter((i) => i.text.includes(other)).map((i) => i.key);
    expect(naming.length).toBeGreaterThan(0);
    const { version } = await request();
    const noExemption = await ig.post(`/subject-access/${id}/redactions`, { version: String(version), redact: naming });
    expect(noExemption.statusCode).toBe(400);
    expect(noExemption.body).toContain('Select the exemption each withheld item is withheld under');
    const marks = Object.fromEntries(naming.map((k) => [`exemption-${k}`, 'third_party']));
    const stale = await ig.post(`/subject-access/${id}/redactions`, { version: String(version + 1), redact: naming, ...marks });
    expect(stale.statusCode).toBe(409);
    expect(await t.db.selectFrom('subject_access_redaction').select('item_key').execute()).toHaveLength(0);
    expect((await ig.post(`/subject-access/${id}/redactions`, { version: String(version), redact: naming, ...marks })).statusCode).toBe(303);
    expect(await t.db.selectFrom('subject_access_redaction').select('item_key').execute()).toHaveLength(naming.length);
  });

  it('produces the bundle as a page and as JSON: the child’s information and the clock, the third party withheld', async () => {
    const page = await ig.get(`/subject-access/${id}/bundle`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(`${child.given_name} ${child.family_name}`);
    expect(page.body).toContain('Information about another person (Data Protection Act 2018, Schedule 2, Part 3, paragraph 16)');
    expect(page.body).toContain('is answered by');
    expect(page.body).not.toContain(other);
    const json = await ig.get(`/subject-access/${id}/bundle.json`);
    expect(json.headers['content-type']).toContain('application/json');
    expect(json.body).not.toContain(other);
    const bundle = JSON.parse(json.body) as { dueOn: string; sections: { title: string; items: { text?: string; withheld?: string }[] }[] };
    expect(bundle.dueOn).toBe((await request()).due_on);
    expect(bundle.sections.flatMap((s) => s.items).filter((i) => i.withheld)).toHaveLength((await t.db.selectFrom('subject_access_redaction').select('item_key').execute()).length);
    const events = await t.db.selectFrom('audit_event').select(['action', 'purpose']).where('person_id', '=', child.id).where('action', 'in', ['sar.view', 'sar.bundle']).execute();
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.every((e) => e.purpose === 'governance')).toBe(true);
  });

  it('extends the time limit once, with a reason, and is answered', async () => {
    expect((await submit(ig, `/subject-access/${id}`, `/subject-access/${id}/extend`, { extendedReason: '' })).body).toContain('Say why more time is needed');
    expect((await submit(ig, `/subject-access/${id}`, `/subject-access/${id}/extend`, { extendedReason: 'Records held by six agencies' })).statusCode).toBe(303);
    expect((await request()).due_on).toBe(addCalendarMonths(addDays(today, -5), 3));
    const { version } = await request();
    expect((await ig.post(`/subject-access/${id}/extend`, { version: String(version), extendedReason: 'Again' })).body).toContain('can be extended once');
    expect((await submit(ig, `/subject-access/${id}`, `/subject-access/${id}/complete`, dateParts('sentOn', today))).statusCode).toBe(303);
    expect((await request()).completed_on).toBe(today);
    expect((await ig.get('/subject-access')).body).toContain('Answered');
  });

  it('is the information governance officer’s alone', async () => {
    const coordinator = await signedIn(t, await demoUser('coordinator'));
    expect((await coordinator.get('/subject-access')).statusCode).toBe(403);
    expect((await coordinator.get(`/subject-access/${id}/bundle`)).statusCode).toBe(403);
  });
});
