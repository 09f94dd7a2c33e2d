// Emergency access (issue 21): a caseworker who cannot open another
// worker's urgent response asks for emergency access (refused field by field
// and for a reference that is not there first), reads it for an hour and no
// longer (59 and 61 minutes), cannot change it, and every read is audited
// with the purpose "break_glass"; each information governance officer is
// notified once, and the use waits in their queue until reviewed (a "not
// appropriate" without a note refused, a stale review refused). Every route
// that audits has a purpose.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { purposeOf } from '../../src/platform/purposes.ts';
import { makeAgency, makeUser, newResponse, signedIn, submit, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let caseworker: Client;
let caseworkerId: string;
let ig: Client;
let response: { id: string; personId: string };
let reference: string;

beforeAll(async () => {
  t = await testApp();
  const councilId = (await makeAgency(t.db, { name: 'Glass Council', kind: 'council', receivesIncidents: true })).id;
  response = await newResponse(t, councilId, 'Glassy');
  reference = (await t.db.selectFrom('urgent_response').select('reference').where('id', '=', response.id).executeTakeFirstOrThrow()).reference;
  const worker = await makeUser(t.db, councilId, ['caseworker']);
  caseworkerId = worker.id;
  caseworker = await signedIn(t, worker);
  ig = await signedIn(t, await makeUser(t.db, councilId, ['ig_officer']));
  await makeUser(t.db, councilId, ['ig_officer']);
});
afterAll(() => t.close());

const grants = () => t.db.selectFrom('break_glass').selectAll().execute();

describe('emergency access to an urgent response', () => {
  it('is needed: the caseworker cannot open another worker’s urgent response', async () => {
    expect((await caseworker.get(`/urgent-responses/${response.id}`)).statusCode).toBe(404);
    const search = await caseworker.post('/search', { q: reference });
    expect(search.statusCode).toBe(404);
    expect(search.body).toContain('use emergency access');
  });

  it('is refused field by field, and for a reference that is not there, with nothing granted', async () => {
    const empty = await caseworker.post('/emergency-access/new', {});
    expect(empty.statusCode).toBe(400);
    for (const message of ['Enter the reference, like UR-000123 or 2026-000123', 'Select why you need emergency access', 'Say in your own words what is happening']) expect(empty.body).toContain(message);
    const missing = await caseworker.post('/emergency-access/new', { reference: 'UR-999999', reason: 'missing', words: 'Reported missing at 2am' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('No record has that reference');
    expect((await caseworker.post('/emergency-access/new', { reference: 'RF-000001', reason: 'missing', words: 'x' })).body).toContain('The reference must be an urgent response’s');
    expect(missing.body).toContain('Reported missing at 2am');
    expect(await grants()).toHaveLength(0);
    const refused = await t.db.selectFrom('audit_event').select(['outcome', 'purpose']).where('action', '=', 'break_glass.open').execute();
    expect(refused).toEqual([{ outcome: 'denied', purpose: 'break_glass' }]);
  });

  it('opens the record to read for an hour, in red in the audit, with the officers told once each', async () => {
    const res = await submit(caseworker, '/emergency-access/new', '/emergency-access/new', { reference, reason: 'missing', words: 'Reported missing at 2am; mother thinks he is with older boys' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/urgent-responses/${response.id}`);
    const page = await caseworker.get(`/urgent-responses/${response.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You are using emergency access');
    expect(page.body).toContain('Glassy');
    // Read, not work: a contact attempt is refused as if the record were not there.
    expect((await caseworker.post(`/urgent-responses/${response.id}/attempts`, { withWhom: 'young_person', channel: 'phone', outcome: 'no_answer' })).statusCode).toBe(404);

    const events = await t.db.selectFrom('audit_event').select(['action', 'purpose', 'person_id']).where('user_id', '=', caseworkerId).where('record_id', '=', response.id).where('outcome', '=', 'allowed').orderBy('seq').execute();
    expect(events).toEqual([
      { action: 'break_glass.open', purpose: 'break_glass', person_id: response.personId },
      { action: 'urgent-response.view', purpose: 'break_glass', person_id: response.personId },
    ]);
    const told = await t.db.selectFrom('notification').select(['recipient_id', 'event']).where('break_glass_id', 'is not', null).execute();
    expect(told).toHaveLength(2);
    expect(told.every((n) => n.event === 'break_glass')).toBe(true);
    const inbox = await ig.get('/notifications');
    expect(inbox.body).toContain(`Emergency access to ${reference}`);
    const audit = await ig.get('/audit');
    expect(audit.body).toContain('Break-glass');
  });

  it('lasts an hour: open a minute before it ends, closed a minute after', async () => {
    const [grant] = await grants();
    await sql`UPDATE break_glass SET opened_at = now() - interval '59 minutes', expires_at = now() + interval '1 minute' WHERE id = ${grant.id}`.execute(t.db);
    expect((await caseworker.get(`/urgent-responses/${response.id}`)).statusCode).toBe(200);
    await sql`UPDATE break_glass SET opened_at = now() - interval '61 minutes', expires_at = now() - interval '1 minute' WHERE id = ${grant.id}`.execute(t.db);
    expect((await caseworker.get(`/urgent-responses/${response.id}`)).statusCode).toBe(404);
    expect(new Date(grant.expires_at).getTime() - new Date(grant.opened_at).getTime()).toBe(60 * 60_000);
    await t.db.updateTable('break_glass').set({ opened_at: grant.opened_at, expires_at: grant.expires_at }).where('id', '=', grant.id).execute();
  });

  it('waits in the officer’s queue until reviewed: refused without a note when not appropriate, and when stale', async () => {
    const [grant] = await grants();
    const queue = await ig.get('/emergency-access');
    expect(queue.body).toContain('Waiting for your review');
    expect(queue.body).toContain(reference);
    const use = await ig.get(`/emergency-access/${grant.id}`);
    expect(use.body).toContain('mother thinks he is with older boys');
    expect(use.body).toContain('urgent-response.view');
    expect((await caseworker.get('/emergency-access')).statusCode).toBe(403);

    const noNote = await ig.post(`/emergency-access/${grant.id}/review`, { version: String(grant.version), decision: 'not_appropriate', note: '' });
    expect(noNote.statusCode).toBe(400);
    expect(noNote.body).toContain('Say why the access was not appropriate');
    const stale = await ig.post(`/emergency-access/${grant.id}/review`, { version: String(grant.version + 1), decision: 'appropriate', note: 'Missing child found within the hour' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Missing child found within the hour');
    expect((await grants())[0].reviewed_at).toBeNull();
    expect((await submit(ig, `/emergency-access/${grant.id}`, `/emergency-access/${grant.id}/review`, { decision: 'appropriate', note: 'Missing child found within the hour' })).statusCode).toBe(303);
    expect((await grants())[0]).toMatchObject({ decision: 'appropriate', review_note: 'Missing child found within the hour' });
    // The officer's notification now says it was reviewed, not that it waits.
    const told = (await ig.get('/notifications')).body;
    expect(told).toContain('reviewed on');
    expect(told).not.toContain('waiting for your review');
    expect((await ig.post(`/emergency-access/${grant.id}/review`, { version: String(grant.version + 1), decision: 'appropriate' })).statusCode).toBe(400);
  });

  it('gives no grant to someone who can already open the record', async () => {
    const coordinatorUser = await t.db.selectFrom('app_user').select(['id', 'agency_id']).where('id', '=', caseworkerId).executeTakeFirstOrThrow();
    const coordinator = await signedIn(t, await makeUser(t.db, coordinatorUser.agency_id, ['coordinator']));
    const before = (await grants()).length;
    const res = await submit(coordinator, '/emergency-access/new', '/emergency-access/new', { reference, reason: 'other', words: 'Checking the plan' });
    expect(res.headers.location).toBe(`/urgent-responses/${response.id}`);
    expect(await grants()).toHaveLength(before);
  });
});

describe('emergency access to another agency’s incident and casework episode', () => {
  it('opens the incident by its reference and the episode by its record ID, to read only, each read audited in red, for the hour only', async () => {
    const otherId = (await makeAgency(t.db, { name: 'Glass Youth Service', kind: 'youth_justice' })).id;
    const other = await newResponse(t, otherId, 'Hidden');
    const incident = await t.db.selectFrom('urgent_response_incident').innerJoin('incident', 'incident.id', 'urgent_response_incident.incident_id').select(['incident.id', 'incident.reference']).where('urgent_response_id', '=', other.id).executeTakeFirstOrThrow();
    await t.db.deleteFrom('incident_share').where('incident_id', '=', incident.id).execute();
    expect((await caseworker.get(`/incidents/${incident.id}`)).statusCode).toBe(404);
    const search = await caseworker.post('/search', { q: incident.reference });
    expect(search.body).toContain('use emergency access');

    const opened = await submit(caseworker, '/emergency-access/new', '/emergency-access/new', { reference: incident.reference, reason: 'immediate_risk', words: 'Threats made tonight against the young person' });
    expect(opened.headers.location).toBe(`/incidents/${incident.id}`);
    const page = await caseworker.get(`/incidents/${incident.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('You can read this incident until');
    expect(page.body).toContain('Hidden');
    expect(page.body).not.toContain('Edit incident');
    expect((await caseworker.get(`/incidents/${incident.id}/edit`)).statusCode).not.toBe(200);
    const views = await t.db.selectFrom('audit_event').select('purpose').where('user_id', '=', caseworkerId).where('record_id', '=', incident.id).where('action', '=', 'incident.view').execute();
    expect(views.length).toBeGreaterThan(0);
    expect(views.every((v) => v.purpose === 'break_glass')).toBe(true);

    // A closed episode at the other agency, with a note it shares with partners and one it keeps to itself.
    const service = await t.db.insertInto('service').values({ name: 'Glass mentoring', provider_agency_id: otherId, domain: 'treat', description: 'Mentoring', min_age: 10, max_age: 25, capacity: 5, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: 12 }).returning('id').executeTakeFirstOrThrow();
    const lead = await makeUser(t.db, otherId, ['caseworker']);
    const referral = await t.db.insertInto('referral').values({ reference: 'RF-GLASS-1', person_id: other.personId, service_id: service.id, from_agency_id: otherId, reason: 'Mentoring', sharing_basis: 'consent', consent_by: 'young_person', consent_on: '2026-01-05', status: 'started', response_due_on: '2026-01-12' }).returning('id').executeTakeFirstOrThrow();
    const episode = await t.db.insertInto('episode').values({ person_id: other.personId, service_id: service.id, agency_id: otherId, referral_id: referral.id, lead_worker_id: lead.id, started_on: '2026-01-10', review_on: '2026-03-01' }).returning('id').executeTakeFirstOrThrow();
    await t.db.insertInto('episode_note').values([
      { episode_id: episode.id, kind: 'note', happened_at: new Date('2026-02-01T10:00:00Z'), body: 'Shared with partners: attends Tuesday sessions', visibility: 'all', author_id: lead.id },
      { episode_id: episode.id, kind: 'note', happened_at: new Date('2026-02-02T10:00:00Z'), body: 'Kept to the service: disclosure about home', visibility: 'agency', author_id: lead.id },
    ]).execute();
    expect((await caseworker.get(`/episodes/${episode.id}`)).statusCode).toBe(404);
    expect((await submit(caseworker, '/emergency-access/new', '/emergency-access/new', { reference: episode.id, reason: 'missing', words: 'Missing since Tuesday; mentor may know where' })).headers.location).toBe(`/episodes/${episode.id}`);
    const read = await caseworker.get(`/episodes/${episode.id}`);
    expect(read.body).toContain('You can read this episode until');
    expect(read.body).toContain('attends Tuesday sessions');
    expect(read.body).not.toContain('disclosure about home');
    expect(read.body).not.toContain('Search the notes');
    expect((await caseworker.get(`/episodes/${episode.id}/notes.csv`)).statusCode).toBe(404);
    expect((await caseworker.post(`/episodes/${episode.id}/notes`, { kind: 'note', body: 'Added under emergency access', visibility: 'all' })).statusCode).toBe(404);
    const grant = await t.db.selectFrom('break_glass').selectAll().where('record_type', '=', 'episode').executeTakeFirstOrThrow();
    expect(grant).toMatchObject({ record_id: episode.id, reason: 'missing' });
    // The hour is up: it answers as if not there.
    await sql`UPDATE break_glass SET opened_at = now() - interval '61 minutes', expires_at = now() - interval '1 minute' WHERE record_id IN (${episode.id}, ${incident.id})`.execute(t.db);
    expect((await caseworker.get(`/episodes/${episode.id}`)).statusCode).toBe(404);
    expect((await caseworker.get(`/incidents/${incident.id}`)).statusCode).toBe(404);
    const queue = await ig.get('/emergency-access');
    expect(queue.body).toContain(incident.reference);
  });
});

describe('the purpose of every audited route', () => {
  it('is known for every route that writes audit events', () => {
    const unknown = t.app.routeTable.filter((r) => r.audit !== null && purposeOf(r.url) === null).map((r) => `${r.method} ${r.url}`);
    expect(unknown).toEqual([]);
  });

  it('is recorded on the events pages write', async () => {
    const rows = await t.db.selectFrom('audit_event').select(['action', 'purpose']).where('user_id', 'is not', null).execute();
    expect(rows.filter((r) => r.purpose === null)).toEqual([]);
  });
});
