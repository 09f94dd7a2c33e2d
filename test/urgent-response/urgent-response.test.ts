import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, incidentForm, makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';
import { versionOf } from '../support/app.ts';

let t: TestApp;
let police: { id: string };
let council: { id: string };
let officer: Client;
let coordinator: Client;
let youthWorker: { id: string };

const year = new Date().getFullYear();
// Distinct children who share a surname and birthday: the worker has looked at the possible matches and said so.
const person = (given: string, age: number, role: string) => ({
  confirmNew: 'yes',
  role,
  givenName: given,
  familyName: 'Testperson',
  'dateOfBirth-day': '1',
  'dateOfBirth-month': '1',
  'dateOfBirth-year': String(year - age - 1),
  sex: 'male',
  ethnicity: 'not_stated',
});

beforeAll(async () => {
  t = await testApp();
  police = await makeAgency(t.db, { kind: 'police' });
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  const vcs = await makeAgency(t.db, { kind: 'voluntary' });
  officer = await signedIn(t, await makeUser(t.db, police.id, ['police']));
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  youthWorker = await makeUser(t.db, vcs.id, ['caseworker']);
});
afterAll(() => t.close());

async function incidentWith(people: Record<string, string>[], overrides: Record<string, string> = {}) {
  const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, shareWith: [council.id], ...overrides }));
  const id = (res.headers.location as string).split('/').pop()!;
  for (const p of people) expect((await officer.post(`/incidents/${id}/people`, p)).statusCode).toBe(303);
  return id;
}

const responsesFor = (given: string) =>
  t.db
    .selectFrom('urgent_response')
    .innerJoin('person', 'person.id', 'urgent_response.person_id')
    .select(['urgent_response.id', 'urgent_response.agency_id', 'urgent_response.status', 'urgent_response.notified_at'])
    .where('person.given_name', '=', given)
    .execute();

describe('opening urgent responses', () => {
  it('opens one for each young victim, suspect or associate under 25, at the coordinating agency', async () => {
    await incidentWith([person('Ayo', 16, 'victim'), person('Ben', 19, 'suspect'), person('Cal', 15, 'witness'), person('Dev', 30, 'victim')]);
    for (const [given, expected] of [['Ayo', 1], ['Ben', 1], ['Cal', 0], ['Dev', 0]] as const) expect(await responsesFor(given), given).toHaveLength(expected);
    expect((await responsesFor('Ayo'))[0].agency_id).toBe(council.id);
    expect(await auditCount(t.db, { action: 'urgent-response.open' })).toBeGreaterThanOrEqual(2);
  });

  it('links a second incident to the open urgent response instead of opening another', async () => {
    const first = await incidentWith([person('Eli', 17, 'victim')]);
    const [response] = await responsesFor('Eli');
    const eli = await t.db.selectFrom('person').select('id').where('given_name', '=', 'Eli').executeTakeFirstOrThrow();
    const second = await incidentWith([]);
    await officer.post(`/incidents/${second}/people`, { personId: eli.id, role: 'suspect' });
    expect(await responsesFor('Eli')).toHaveLength(1);
    const links = await t.db.selectFrom('urgent_response_incident').select('incident_id').where('urgent_response_id', '=', response.id).execute();
    expect(links.map((l) => l.incident_id).sort()).toEqual([first, second].sort());
  });
});

describe('working an urgent response', () => {
  it('records attempts, refuses one dated before the incident, and stops the first-attempt clock', async () => {
    await incidentWith([person('Fin', 16, 'victim')]);
    const [response] = await responsesFor('Fin');
    const page = await coordinator.get(`/urgent-responses/${response.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Fin Testperson');
    expect(await auditCount(t.db, { action: 'urgent-response.view', recordId: response.id })).toBe(1);

    const early = await coordinator.post(`/urgent-responses/${response.id}/attempts`, { 'attemptedAt-day': '1', 'attemptedAt-month': '1', 'attemptedAt-year': '2020', 'attemptedAt-time': '10:00', withWhom: 'young_person', channel: 'phone', outcome: 'no_answer' });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('must be after the incident happened');
    expect(await t.db.selectFrom('contact_attempt').select('id').where('urgent_response_id', '=', response.id).execute()).toHaveLength(0);

    const now = new Date(Date.now() - 60_000);
    const f = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]));
    const ok = await coordinator.post(`/urgent-responses/${response.id}/attempts`, { 'attemptedAt-day': p.day, 'attemptedAt-month': p.month, 'attemptedAt-year': p.year, 'attemptedAt-time': `${p.hour}:${p.minute}`, withWhom: 'parent_carer', channel: 'home', outcome: 'reached' });
    expect(ok.statusCode).toBe(303);
    const after = await coordinator.get(`/urgent-responses/${response.id}`);
    expect(after.body).toMatch(/First contact attempt[\s\S]*?Met/);
    expect(after.body).toMatch(/Contact made with young person or family[\s\S]*?Met/);
  });

  it('shows a breached clock first, as a badge', async () => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
    const f = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    const fields = (name: string, d: Date) => {
      const p = Object.fromEntries(f.formatToParts(d).map((x) => [x.type, x.value]));
      return { [`${name}-day`]: p.day, [`${name}-month`]: p.month, [`${name}-year`]: p.year, [`${name}-time`]: `${p.hour}:${p.minute}` };
    };
    await incidentWith([person('Gus', 16, 'victim')], { ...fields('occurredAt', hoursAgo(60)), ...fields('notifiedAt', hoursAgo(50)) });
    const list = await coordinator.get('/urgent-responses');
    expect(list.statusCode).toBe(200);
    const firstRow = /<tbody class="govuk-table__body">[\s\S]*?<\/tr>/.exec(list.body)![0];
    expect(firstRow).toContain('Gus Testperson');
    expect(firstRow).toContain('moj-badge--red');
    expect(firstRow).toContain('Breached');
    expect((await coordinator.get('/urgent-responses?state=breached')).body).toContain('Gus Testperson');
  });
});

describe('an urgent response read in parts', () => {
  const PARTS = ['', '/attempts', '/consent', '/needs', '/plan', '/history'];
  const ago = (h: number) => new Date(Date.now() - h * 3_600_000).toLocaleString('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23' }).match(/\d+/g)!;
  const when = (name: string, h: number) => { const [d, m, y, hh, mm] = ago(h); return { [`${name}-day`]: d, [`${name}-month`]: m, [`${name}-year`]: y, [`${name}-time`]: `${hh}:${mm}` }; };

  it('leads with the next step, and keeps each form on its own part', async () => {
    await incidentWith([person('Ivo', 16, 'victim')], { ...when('occurredAt', 3), ...when('notifiedAt', 2) });
    const [response] = await responsesFor('Ivo');
    const summary = await coordinator.get(`/urgent-responses/${response.id}`);
    expect(summary.body).toContain('Next step: First contact attempt is due by');
    expect(summary.body).toContain(`href="/urgent-responses/${response.id}/attempts">Go to contact attempts`);
    expect(summary.body).not.toContain('Save attempt');
    for (const part of PARTS) {
      const page = await coordinator.get(`/urgent-responses/${response.id}${part}`);
      expect(page.statusCode, part).toBe(200);
      // Every part names the young person and shows where it is among the parts.
      expect(page.body, part).toContain('Ivo Testperson');
      expect(page.body, part).toContain(`aria-current="page" href="/urgent-responses/${response.id}${part}"`);
    }
    expect(await auditCount(t.db, { action: 'urgent-response.view', recordId: response.id })).toBe(PARTS.length + 1);

    // A refused attempt shows the attempts part again with its error; a saved one goes back there.
    const refused = await coordinator.post(`/urgent-responses/${response.id}/attempts`, { withWhom: 'young_person' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('<h1 class="govuk-heading-l">Contact attempts</h1>');
    expect(refused.body).toContain('govuk-error-summary');
    const saved = await coordinator.post(`/urgent-responses/${response.id}/attempts`, { ...when('attemptedAt', 0.1), withWhom: 'professional', channel: 'phone', outcome: 'reached' });
    expect(saved.headers.location).toBe(`/urgent-responses/${response.id}/attempts`);
    // The next step moves on to the clock still running.
    expect((await coordinator.get(`/urgent-responses/${response.id}`)).body).toContain('Next step: Contact made with young person or family is due by');
  });

  it('warns when the next step is already late, and answers every part of another agency\'s response as missing', async () => {
    await incidentWith([person('Jon', 16, 'victim')], { ...when('occurredAt', 30), ...when('notifiedAt', 25) });
    const [response] = await responsesFor('Jon');
    const summary = await coordinator.get(`/urgent-responses/${response.id}`);
    expect(summary.body).toMatch(/govuk-warning-text[\s\S]*Next step: First contact attempt was due by/);
    const other = await makeAgency(t.db, { kind: 'council' });
    const stranger = await signedIn(t, await makeUser(t.db, other.id, ['coordinator']));
    for (const part of PARTS) expect((await stranger.get(`/urgent-responses/${response.id}${part}`)).statusCode, part).toBe(404);
  });
});

describe('who sees an urgent response', () => {
  it("answers 404 to a caseworker who is not its worker, and shows it once they are", async () => {
    await incidentWith([person('Hal', 17, 'victim')]);
    const [response] = await responsesFor('Hal');
    const worker = await signedIn(t, youthWorker);
    expect((await worker.get(`/urgent-responses/${response.id}`)).statusCode).toBe(404);
    expect((await worker.get('/urgent-responses')).body).not.toContain('Hal Testperson');
    expect((await coordinator.post(`/urgent-responses/${response.id}/owner`, { ownerId: youthWorker.id, version: await versionOf(t.db, 'urgent_response', response.id) })).statusCode).toBe(303);
    expect((await worker.get(`/urgent-responses/${response.id}`)).statusCode).toBe(200);
    expect((await worker.get('/urgent-responses?owner=mine')).body).toContain('Hal Testperson');
    // A caseworker may work it, not close it.
    expect((await worker.get(`/urgent-responses/${response.id}/close`)).statusCode).toBe(403);
  });
});

describe('closing', () => {
  it('refuses "no contact" before three attempts on two channels, and "not eligible" without a reason', async () => {
    await incidentWith([person('Ike', 18, 'suspect')]);
    const [response] = await responsesFor('Ike');
    const close = (form: Record<string, string>) => coordinator.post(`/urgent-responses/${response.id}/close`, { version: '1', ...form });
    const tooSoon = await close({ reason: 'no_contact' });
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.body).toContain('at least 3 attempts on at least 2 different channels');
    expect((await close({ reason: 'not_eligible' })).body).toContain('Say why the young person is not eligible');
    expect((await responsesFor('Ike'))[0].status).toBe('open');
    for (const channel of ['phone', 'phone', 'letter']) {
      await t.db.insertInto('contact_attempt').values({ urgent_response_id: response.id, attempted_at: new Date(), with_whom: 'young_person', channel, outcome: 'no_answer' }).execute();
    }
    expect((await close({ reason: 'no_contact' })).statusCode).toBe(303);
    expect((await responsesFor('Ike'))[0].status).toBe('closed');
    // Closed: no more work on it, and a new incident opens a new one.
    expect((await coordinator.post(`/urgent-responses/${response.id}/attempts`, {})).statusCode).toBe(404);
  });
});
