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
    for (const message of ['Enter the urgent response’s reference', 'Select why you need emergency access', 'Say in your own words what is happening']) expect(empty.body).toContain(message);
    const missing = await caseworker.post('/emergency-access/new', { reference: 'UR-999999', reason: 'missing', words: 'Reported missing at 2am' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('No urgent response has that reference');
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
