// Needs assessment, the multi-agency plan, the actions page, referral to a
// meeting and the custody clock, through the pages a caseworker uses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, formTime, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';
import { versionOf } from '../support/app.ts';
import { NEED_DOMAINS } from '../../src/modules/urgent-response/needs.ts';

let t: TestApp;
let coordinator: Client;
let council: { id: string };
let school: { id: string };

const due = (days: number) => {
  const d = new Date(Date.now() + days * 86_400_000);
  const [year, month, day] = d.toISOString().slice(0, 10).split('-');
  return { 'actionDue-day': day, 'actionDue-month': month, 'actionDue-year': year };
};
const action = (agencyId: string, overrides: Record<string, string> = {}) => ({ actionDescription: 'Arrange a school meeting with the family', actionAgency: agencyId, actionOwner: 'Ms Okafor', ...due(7), ...overrides });
const actionsOf = (id: string) => t.db.selectFrom('action').selectAll().where('urgent_response_id', '=', id).execute();

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  school = await makeAgency(t.db, { kind: 'school', name: 'Lime Academy' });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
});
afterAll(() => t.close());

describe('needs assessment', () => {
  it('saves each domain with a level, strengths and notes, and only the domains that changed', async () => {
    const { id } = await newResponse(t, council.id, 'Ade');
    const form = await coordinator.get(`/urgent-responses/${id}/needs/edit`);
    expect(form.statusCode).toBe(200);
    for (const label of Object.values(NEED_DOMAINS)) expect(form.body).toContain(label);

    const body: Record<string, string> = {};
    for (const domain of Object.keys(NEED_DOMAINS)) body[`${domain}-level`] = 'not_assessed';
    const missing = await coordinator.post(`/urgent-responses/${id}/needs`, { ...body, 'housing-level': '', version: await versionOf(t.db, 'urgent_response', id) });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Select the level of need for housing');

    const saved = await coordinator.post(`/urgent-responses/${id}/needs`, { ...body, version: await versionOf(t.db, 'urgent_response', id), 'education-level': 'high', 'education-strengths': 'Loves football; good relationship with PE teacher', 'education-notes': 'Excluded twice this term' });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`/urgent-responses/${id}/needs`);
    let rows = await t.db.selectFrom('needs_assessment').selectAll().where('urgent_response_id', '=', id).execute();
    expect(rows.map((r) => [r.domain, r.level])).toEqual([['education', 'high']]);

    // Saving again with one change adds one row; the page shows the newest.
    await coordinator.post(`/urgent-responses/${id}/needs`, { ...body, version: await versionOf(t.db, 'urgent_response', id), 'education-level': 'medium', 'education-strengths': 'Loves football; good relationship with PE teacher', 'education-notes': 'Excluded twice this term' });
    rows = await t.db.selectFrom('needs_assessment').selectAll().where('urgent_response_id', '=', id).execute();
    expect(rows).toHaveLength(2);
    const page = await coordinator.get(`/urgent-responses/${id}/needs`);
    expect(page.body).toContain('Medium need');
    expect((await coordinator.get(`/urgent-responses/${id}`)).body).toContain('1 of 8 areas assessed');
    expect(page.body).toContain('Loves football');
    expect(await auditCount(t.db, { action: 'urgent-response.needs', recordId: id })).toBe(2);
  });
});

describe('the multi-agency plan', () => {
  it('refuses an action without an owner, a named person or a due date, and saves nothing', async () => {
    const { id } = await newResponse(t, council.id, 'Bea');
    const bads: Record<string, string>[] = [{ actionAgency: '' }, { actionOwner: '' }, { 'actionDue-day': '', 'actionDue-month': '', 'actionDue-year': '' }, { actionDescription: '' }];
    for (const bad of bads) {
      const res = await coordinator.post(`/urgent-responses/${id}/actions`, action(council.id, bad));
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('There is a problem');
    }
    const past = await coordinator.post(`/urgent-responses/${id}/actions`, action(council.id, due(-3)));
    expect(past.body).toContain('Due date must be today or in the future');
    expect(await actionsOf(id)).toHaveLength(0);
  });

  it('gives another agency an action only with consent or a confirmed lawful basis', async () => {
    const { id } = await newResponse(t, council.id, 'Cal');
    const refused = await coordinator.post(`/urgent-responses/${id}/actions`, action(school.id));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('shares the young person');
    expect(await actionsOf(id)).toHaveLength(0);

    // The coordinating agency's own action needs no sharing.
    expect((await coordinator.post(`/urgent-responses/${id}/actions`, action(council.id, { actionDescription: 'Home visit' }))).statusCode).toBe(303);
    await coordinator.post(`/urgent-responses/${id}/consent`, { consentStatus: 'given', consentBy: 'parent_carer', ...formTime(new Date(Date.now() - 60_000), 'decidedAt') });
    expect((await coordinator.post(`/urgent-responses/${id}/actions`, action(school.id))).statusCode).toBe(303);
    const actions = await actionsOf(id);
    expect(actions.map((a) => a.owner_agency_id).sort()).toEqual([council.id, school.id].sort());
    expect(actions.every((a) => /^A-\d{6}$/.test(a.reference) && a.status === 'not_started')).toBe(true);
  });

  it('shows the owning agency what it owes, and lets it update the status', async () => {
    const { id } = await newResponse(t, council.id, 'Dev');
    await coordinator.post(`/urgent-responses/${id}/consent`, { consentStatus: 'given', consentBy: 'young_person', ...formTime(new Date(Date.now() - 60_000), 'decidedAt') });
    await coordinator.post(`/urgent-responses/${id}/actions`, action(school.id, { actionDescription: 'Safe route home plan with the head of year' }));
    const [act] = await actionsOf(id);

    const teacher = await signedIn(t, await makeUser(t.db, school.id, ['caseworker']));
    const owed = await teacher.get('/actions?owner=mine');
    expect(owed.body).toContain('Safe route home plan with the head of year');
    expect(owed.body).toContain('Lime Academy');
    // An agency with no part in it sees nothing of it.
    const other = await signedIn(t, await makeUser(t.db, (await makeAgency(t.db, { kind: 'nhs_trust' })).id, ['caseworker']));
    expect((await other.get('/actions')).body).not.toContain('Safe route home plan');
    expect((await other.post(`/actions/${act.id}/status`, { status: 'done' })).statusCode).toBe(404);

    const bad = await teacher.post(`/actions/${act.id}/status`, { status: 'finished', returnTo: '/actions' });
    expect(bad.statusCode).toBe(400);
    const done = await teacher.post(`/actions/${act.id}/status`, { status: 'done', returnTo: 'https://evil.example/', version: await versionOf(t.db, 'action', act.id) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/actions');
    const after = await t.db.selectFrom('action').select(['status', 'completed_at']).where('id', '=', act.id).executeTakeFirstOrThrow();
    expect(after.status).toBe('done');
    expect(after.completed_at).not.toBeNull();
    expect(await auditCount(t.db, { action: 'action.status', recordId: act.id })).toBe(1);
  });
});

describe('referral to a meeting and the custody clock', () => {
  it('refers once to each meeting type, with a reason', async () => {
    const { id } = await newResponse(t, council.id, 'Eli');
    expect((await coordinator.post(`/urgent-responses/${id}/meeting-referral`, { meetingType: 'drm' })).statusCode).toBe(400);
    expect((await coordinator.post(`/urgent-responses/${id}/meeting-referral`, { meetingType: 'drm', referralReason: 'Retaliation feared' })).statusCode).toBe(303);
    expect((await coordinator.post(`/urgent-responses/${id}/meeting-referral`, { meetingType: 'drm', referralReason: 'Again' })).statusCode).toBe(303);
    const referrals = await t.db.selectFrom('meeting_referral').select(['type_code', 'reason']).where('urgent_response_id', '=', id).execute();
    expect(referrals).toEqual([{ type_code: 'drm', reason: 'Retaliation feared' }]);
    expect((await coordinator.get(`/urgent-responses/${id}`)).body).toContain('Referred to the Daily Risk Management meeting');
  });

  it('records a custody booking-in, which starts the 1-hour clock, and when MASH was told', async () => {
    const { id } = await newResponse(t, council.id, 'Fin');
    const booked = new Date(Date.now() - 3 * 3_600_000);
    const early = await coordinator.post(`/urgent-responses/${id}/custody`, { version: await versionOf(t.db, 'urgent_response', id), ...formTime(booked, 'bookedAt'), ...formTime(new Date(booked.getTime() - 3_600_000), 'mashToldAt') });
    expect(early.statusCode).toBe(400);
    expect(early.body).toContain('must be after the booking-in time');
    const res = await coordinator.post(`/urgent-responses/${id}/custody`, { version: await versionOf(t.db, 'urgent_response', id), ...formTime(booked, 'bookedAt'), custodySuite: 'Leyton custody suite', ...formTime(new Date(booked.getTime() + 2 * 3_600_000), 'mashToldAt') });
    expect(res.statusCode).toBe(303);
    const row = await t.db.selectFrom('urgent_response').select(['source', 'custody_suite']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'custody', custody_suite: 'Leyton custody suite' });
    const page = await coordinator.get(`/urgent-responses/${id}`);
    expect(page.body).toContain('MASH told of custody booking-in');
    expect(page.body).toContain('Met late');
  });
});

describe('opening by hand and closing as not eligible', () => {
  it('opens one for a witness the rules did not cover, with a reason, from the incident page', async () => {
    const { incidentId, officer } = await newResponse(t, council.id, 'Gus');
    await officer.post(`/incidents/${incidentId}/people`, { role: 'witness', givenName: 'Hal', familyName: 'Witness', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': String(new Date().getFullYear() - 17), sex: 'male', ethnicity: 'not_stated' });
    const page = await coordinator.get(`/incidents/${incidentId}`);
    expect(page.body).toContain('Open an urgent response by hand');
    const witness = await t.db.selectFrom('involvement').innerJoin('person', 'person.id', 'involvement.person_id').select(['involvement.id', 'person.id as personId']).where('person.given_name', '=', 'Hal').executeTakeFirstOrThrow();
    expect(await t.db.selectFrom('urgent_response').select('id').where('person_id', '=', witness.personId).execute()).toHaveLength(0);

    const noReason = await coordinator.post(`/incidents/${incidentId}/urgent-responses`, { involvementId: witness.id });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Say why this person needs an urgent response');
    const res = await coordinator.post(`/incidents/${incidentId}/urgent-responses`, { involvementId: witness.id, openReason: 'Saw the stabbing; named on social media' });
    expect(res.statusCode).toBe(303);
    const ur = await t.db.selectFrom('urgent_response').selectAll().where('person_id', '=', witness.personId).executeTakeFirstOrThrow();
    expect(ur).toMatchObject({ opened_how: 'by hand', opened_reason: 'Saw the stabbing; named on social media', agency_id: council.id, status: 'open' });

    // Not eligible after all: closing says why.
    const noNote = await coordinator.post(`/urgent-responses/${ur.id}/close`, { reason: 'not_eligible', version: String(ur.version) });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Say why the young person is not eligible');
    expect((await coordinator.post(`/urgent-responses/${ur.id}/close`, { reason: 'not_eligible', note: 'Lives outside the partnership area', version: String(ur.version) })).statusCode).toBe(303);
    expect((await t.db.selectFrom('urgent_response').select('closure_reason').where('id', '=', ur.id).executeTakeFirstOrThrow()).closure_reason).toBe('not_eligible');
  });
});

describe('the coordinator’s list, ordered and counted in the database', () => {
  it('puts breached before due soon before due, counts each, and filters by state', async () => {
    const fresh = (given: string) => newResponse(t, council.id, given, { family: 'Order', form: { ...formTime(new Date(Date.now() - 2 * 3_600_000), 'occurredAt'), ...formTime(new Date(Date.now() - 3_600_000), 'notifiedAt') } });
    await fresh('Ida');
    const soon = await fresh('Jon');
    await newResponse(t, council.id, 'Kim', { family: 'Order' });
    // Jon was booked into custody 30 minutes ago and MASH has not been told: due within the hour.
    await coordinator.post(`/urgent-responses/${soon.id}/custody`, { version: await versionOf(t.db, 'urgent_response', soon.id), ...formTime(new Date(Date.now() - 30 * 60_000), 'bookedAt') });
    const body = (await coordinator.get('/urgent-responses?source=')).body;
    const order = ['Kim Order', 'Jon Order', 'Ida Order'].map((name) => body.indexOf(name));
    expect(order.every((i) => i > 0)).toBe(true);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    const onlyDueSoon = (await coordinator.get('/urgent-responses?state=due_soon')).body;
    expect(onlyDueSoon).toContain('Jon Order');
    expect(onlyDueSoon).not.toContain('Kim Order');
    expect(onlyDueSoon).not.toContain('Ida Order');
    const counts = /<strong>(\d+)<\/strong> breached.*?<strong>(\d+)<\/strong> due soon.*?<strong>(\d+)<\/strong> due/s.exec(body)!.slice(1).map(Number);
    const open = await t.db.selectFrom('urgent_response').select('id').where('status', '=', 'open').where('agency_id', '=', council.id).execute();
    expect(counts.reduce((a, b) => a + b, 0)).toBe(open.length);
    expect(counts[1]).toBeGreaterThanOrEqual(1);
  });
});
