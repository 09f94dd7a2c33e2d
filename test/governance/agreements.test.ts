// Data sharing agreements (issue 21): the information governance officer
// records an agreement between the council and a voluntary-sector service (a
// refusal first, field by field); a referral to that service, from the page
// and through the API, is refused before it with words naming what is
// missing, and accepted after; an agreement that ended yesterday or begins
// tomorrow refuses again, one that ends today allows it. A stale change is
// refused with the words kept; the register lists agreements due for review
// at 30 days and not at 31, and the sweep reminds the officer once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { agreementCovering, agreementsDue } from '../../src/modules/governance/agreements.ts';
import { runSweep } from '../../src/modules/urgent-response/sweep.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { makeAgency, makeUser, newResponse, signedIn, submit, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let councilId: string;
let charityId: string;
let serviceId: string;
let ig: Client;
let igUserId: string;
let coordinator: Client;
let apiKey: string;
const today = londonToday();
const [y, m, d] = today.split('-');

beforeAll(async () => {
  t = await testApp();
  // The council shares incidents with the police under the partnership's agreement; the charity is party to none.
  councilId = (await makeAgency(t.db, { name: 'Agreement Council', kind: 'council', receivesIncidents: true })).id;
  charityId = (await makeAgency(t.db, { name: 'Streetbase Youth Charity', kind: 'voluntary', agreement: false })).id;
  const officer = await makeUser(t.db, councilId, ['ig_officer']);
  igUserId = officer.id;
  ig = await signedIn(t, officer);
  coordinator = await signedIn(t, await makeUser(t.db, councilId, ['coordinator']));
  apiKey = (await createApiClient(t.db, { agencyId: councilId, name: 'Case system', role: 'coordinator', createdBy: null })).secret;
  serviceId = (
    await t.db.insertInto('service').values({ name: 'Streetbase mentoring', provider_agency_id: charityId, domain: 'treat', description: 'Mentoring', min_age: 10, max_age: 25, capacity: 10, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: 26 }).returning('id').executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

const agreementForm = (over: Record<string, string | string[]> = {}) => ({
  title: 'Council and Streetbase mentoring agreement',
  partyAgencyIds: [councilId, charityId],
  purposes: ['referral'],
  dataCategories: ['personal', 'health'],
  article6: 'e',
  article9: 'g',
  schedule1: 'p18',
  ...dateParts('startsOn', addDays(today, -30)),
  ...dateParts('reviewOn', addDays(today, 300)),
  signatories: 'Director of Children’s Services; Chief Executive, Streetbase',
  document: 'Signed copy with the council’s information governance team',
  ...over,
});

/** A referral of a new young person to the charity's service: from the page, or through the API. */
async function refer(how: 'page' | 'api', n: number) {
  const r = await newResponse(t, councilId, `Agree${n}`, { family: 'Sharing' });
  if (how === 'page') {
    const res = await coordinator.post(`/people/${r.personId}/refer`, { serviceId, reason: 'Mentoring after the incident', sharingBasis: 'consent', consentBy: 'young_person', 'consentOn-day': d, 'consentOn-month': m, 'consentOn-year': y, urgentResponseId: r.id, submissionKey: crypto.randomUUID() });
    return { ok: res.statusCode === 303, body: res.body };
  }
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${apiKey}` }, payload: { personId: r.personId, serviceId, reason: 'Mentoring', sharingBasis: 'consent', consentBy: 'young_person', consentOn: today } });
  return { ok: res.statusCode === 201, body: res.body };
}

let n = 0;
describe('a data sharing agreement between the council and a voluntary-sector service', () => {
  it('refuses referrals to the service before there is one, from the page and the API, naming what is missing', async () => {
    for (const how of ['page', 'api'] as const) {
      const before = await t.db.selectFrom('referral').select('id').execute();
      const res = await refer(how, n++);
      expect(res.ok).toBe(false);
      expect(res.body).toContain('No data sharing agreement in force covers referrals to services between Agreement Council and Streetbase Youth Charity');
      expect(await t.db.selectFrom('referral').select('id').execute()).toHaveLength(before.length);
    }
  });

  it('is recorded by the information governance officer, refusing a bad form field by field and saving nothing', async () => {
    expect((await coordinator.post('/sharing-agreements', agreementForm())).statusCode).toBe(403);
    const bad = await ig.post('/sharing-agreements', agreementForm({ title: '', partyAgencyIds: [councilId], purposes: [], article9: '', schedule1: '', ...dateParts('reviewOn', addDays(today, -31)) }));
    expect(bad.statusCode).toBe(400);
    for (const message of ['Enter the agreement’s title', 'Select at least two agencies that are party to it', 'Select what sharing it covers', 'Special category data needs an Article 9 condition', 'The review date must be on or after the start date']) expect(bad.body).toContain(message);
    expect(await t.db.selectFrom('sharing_agreement').select('id').where('title', 'like', 'Council%').execute()).toHaveLength(0);
    const ok = await ig.post('/sharing-agreements', agreementForm());
    expect(ok.statusCode).toBe(303);
    const page = await ig.get('/sharing-agreements');
    expect(page.body).toContain('The data sharing agreement has been recorded');
    expect(page.body).toContain('Council and Streetbase mentoring agreement');
  });

  it('allows the referrals after it is recorded, from the page and the API', async () => {
    for (const how of ['page', 'api'] as const) {
      const res = await refer(how, n++);
      expect(res.ok, res.body.slice(0, 3000)).toBe(true);
    }
  });

  it('refuses again once it has ended (yesterday), and before it begins (tomorrow); allows it on its last day', async () => {
    const a = await t.db.selectFrom('sharing_agreement').select(['id', 'version']).where('title', 'like', 'Council%').executeTakeFirstOrThrow();
    const change = async (over: Record<string, string | string[]>) => {
      const res = await submit(ig, `/sharing-agreements/${a.id}`, `/sharing-agreements/${a.id}`, { ...agreementForm(), ...over });
      expect(res.statusCode).toBe(303);
    };
    await change(dateParts('endsOn', addDays(today, -1)));
    const ended = await refer('page', n++);
    expect(ended.ok).toBe(false);
    expect(ended.body).toContain('ended on');
    await change(dateParts('endsOn', today));
    expect((await refer('api', n++)).ok).toBe(true);
    await change({ ...dateParts('startsOn', addDays(today, 1)), ...dateParts('reviewOn', addDays(today, 300)), ...dateParts('endsOn', addDays(today, 400)) });
    const early = await refer('api', n++);
    expect(early.ok).toBe(false);
    expect(early.body).toContain('starts on');
    expect(await agreementCovering(t.db, councilId, charityId, 'referral', addDays(today, 1))).toMatchObject({ covered: true });
    // Only the purposes it names: actions are not covered by a referrals agreement.
    expect(await agreementCovering(t.db, councilId, charityId, 'action', addDays(today, 1))).toMatchObject({ covered: false });
  });

  it('refuses a change from a page someone else has changed since, keeping the words', async () => {
    const a = await t.db.selectFrom('sharing_agreement').select(['id', 'version']).where('title', 'like', 'Council%').executeTakeFirstOrThrow();
    await t.db.updateTable('sharing_agreement').set({ version: a.version + 1 }).where('id', '=', a.id).execute();
    const res = await ig.post(`/sharing-agreements/${a.id}`, { ...agreementForm({ title: 'Renewed agreement' }), version: String(a.version) });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Your changes were not saved');
    expect(res.body).toContain('Renewed agreement');
    expect((await t.db.selectFrom('sharing_agreement').select('title').where('id', '=', a.id).executeTakeFirstOrThrow()).title).toBe('Council and Streetbase mentoring agreement');
  });

  it('lists agreements due for review at 30 days, not at 31', async () => {
    const a = await t.db.selectFrom('sharing_agreement').select('id').where('title', 'like', 'Council%').executeTakeFirstOrThrow();
    const reminders = () => t.db.selectFrom('notification').select(['recipient_id', 'clock']).where('sharing_agreement_id', '=', a.id).execute();
    await t.db.updateTable('sharing_agreement').set({ starts_on: addDays(today, -30), ends_on: null, review_on: addDays(today, 31) }).where('id', '=', a.id).execute();
    expect(await agreementsDue(t.db)).toHaveLength(0);
    await runSweep(t.db);
    expect(await reminders()).toHaveLength(0);
    await t.db.updateTable('sharing_agreement').set({ review_on: addDays(today, 30) }).where('id', '=', a.id).execute();
    expect((await agreementsDue(t.db)).map((x) => x.id)).toEqual([a.id]);
    // Reminded once, to the information governance officer: a second sweep adds nothing.
    await runSweep(t.db);
    await runSweep(t.db);
    expect(await reminders()).toEqual([{ recipient_id: igUserId, clock: addDays(today, 30) }]);
    expect((await ig.get('/notifications')).body).toContain('Data sharing agreement due for review by');
    expect((await coordinator.get('/sharing-agreements')).statusCode).toBe(403);
    const page = await ig.get('/sharing-agreements');
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/Due for review within 30 days[\s\S]*Council and Streetbase mentoring agreement/);
  });
});

describe('meeting attendance under an agreement', () => {
  it('refuses to record an agency present without an agreement in force for meetings, allows apologies, then allows it under one and refuses once it has ended', async () => {
    const meeting = (await t.db.insertInto('meeting').values({ type_code: 'drm', agency_id: councilId, starts_at: new Date(Date.now() + 86_400_000) }).returning('id').executeTakeFirstOrThrow()).id;
    const url = `/meetings/${meeting}`;
    const attendance = () => t.db.selectFrom('meeting_attendance').select(['agency_id', 'status']).where('meeting_id', '=', meeting).execute();
    expect((await coordinator.get(url)).body).toContain('No agreement in force');

    // The council and the charity have an agreement for referrals only: not for meetings.
    const refused = await submit(coordinator, url, `${url}/attendance`, { [`attendance-${councilId}`]: 'present', [`attendance-${charityId}`]: 'present', [`attendees-${charityId}`]: 'Jo Mentor' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Streetbase Youth Charity cannot be recorded present: No data sharing agreement in force covers panels and meetings (agendas and attendance) between Agreement Council and Streetbase Youth Charity');
    expect(refused.body).toContain('Jo Mentor');
    expect(await attendance()).toHaveLength(0);

    const apologies = await submit(coordinator, url, `${url}/attendance`, { [`attendance-${councilId}`]: 'present', [`attendance-${charityId}`]: 'apologies' });
    expect(apologies.statusCode).toBe(303);
    expect(await attendance()).toHaveLength(2);

    const recorded = await ig.post('/sharing-agreements', agreementForm({ title: 'Streetbase panels agreement', purposes: ['meeting'] }));
    expect(recorded.statusCode).toBe(303);
    expect((await submit(coordinator, url, `${url}/attendance`, { [`attendance-${councilId}`]: 'present', [`attendance-${charityId}`]: 'present' })).statusCode).toBe(303);
    expect(await attendance()).toContainEqual({ agency_id: charityId, status: 'present' });

    const a = await t.db.selectFrom('sharing_agreement').select('id').where('title', '=', 'Streetbase panels agreement').executeTakeFirstOrThrow();
    expect((await submit(ig, `/sharing-agreements/${a.id}`, `/sharing-agreements/${a.id}`, agreementForm({ title: 'Streetbase panels agreement', purposes: ['meeting'], ...dateParts('endsOn', addDays(today, -1)) }))).statusCode).toBe(303);
    const ended = await submit(coordinator, url, `${url}/attendance`, { [`attendance-${councilId}`]: 'present', [`attendance-${charityId}`]: 'present' });
    expect(ended.statusCode).toBe(400);
    expect(ended.body).toContain('“Streetbase panels agreement” between Agreement Council and Streetbase Youth Charity for panels and meetings (agendas and attendance) ended on');
  });
});

describe('the signed agreement document', () => {
  const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
  it('is uploaded as a PDF by the officer (refused when not a PDF, and when stale), then downloaded as sent by those who read the register', async () => {
    const a = await t.db.selectFrom('sharing_agreement').select(['id', 'version']).where('title', 'like', 'Council%').executeTakeFirstOrThrow();
    const url = `/sharing-agreements/${a.id}/document`;
    await ig.get(`/sharing-agreements/${a.id}`);
    const notPdf = await ig.upload(url, { version: String(a.version) }, { field: 'signed', filename: 'agreement.pdf', type: 'application/pdf', content: Buffer.from('PK\u0003\u0004 a Word document') });
    expect(notPdf.statusCode).toBe(400);
    expect(notPdf.body).toContain('The signed agreement must be a PDF');
    const none = await ig.post(url, { version: String(a.version) });
    expect(none.body).toContain('Choose the signed agreement, as a PDF');
    const stale = await ig.upload(url, { version: String(a.version - 1) }, { field: 'signed', filename: 'agreement.pdf', type: 'application/pdf', content: pdf });
    expect(stale.statusCode).toBe(409);
    expect(await t.db.selectFrom('sharing_agreement_document').select('agreement_id').execute()).toHaveLength(0);
    expect((await coordinator.upload(url, { version: String(a.version) }, { field: 'signed', filename: 'agreement.pdf', type: 'application/pdf', content: pdf })).statusCode).toBe(403);

    const saved = await ig.upload(url, { version: String(a.version) }, { field: 'signed', filename: 'agreement.pdf', type: 'application/pdf', content: pdf });
    expect(saved.statusCode).toBe(303);
    const page = await ig.get(`/sharing-agreements/${a.id}`);
    expect(page.body).toContain('The signed agreement has been uploaded');
    const sha256 = (await import('node:crypto')).createHash('sha256').update(pdf).digest('hex');
    expect(page.body).toContain(sha256);

    const board = await signedIn(t, await makeUser(t.db, councilId, ['board_member']));
    expect((await board.get(`/sharing-agreements/${a.id}`)).body).toContain('Download the signed agreement (PDF)');
    const got = await board.get(url);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('application/pdf');
    expect(got.rawPayload.equals(pdf)).toBe(true);
    expect((await coordinator.get(url)).statusCode).toBe(403);
    const events = await t.db.selectFrom('audit_event').select(['action', 'detail']).where('record_id', '=', a.id).where('action', 'like', 'agreement.document%').execute();
    expect(events.map((e) => e.action).sort()).toEqual(['agreement.document', 'agreement.document.read']);
    expect(events.every((e) => (e.detail as { sha256?: string }).sha256 === sha256)).toBe(true);
  });
});
