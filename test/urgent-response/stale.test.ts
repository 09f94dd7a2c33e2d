// Two people never silently overwrite each other (issue 18): the needs
// assessment, the custody form, the worker assigned and an action's status,
// each saved from a version someone else has since changed, is refused with
// who changed it and when, the user's words kept, nothing changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NEED_DOMAINS } from '../../src/modules/urgent-response/needs.ts';
import { auditCount, formTime, makeAgency, makeUser, newResponse, signedIn, testApp, versionOf, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let councilId: string;
let first: Client;
let second: Client;
let workerId: string;
beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  councilId = council.id;
  first = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  const sam = await makeUser(t.db, council.id, ['coordinator']);
  await t.db.updateTable('app_user').set({ display_name: 'Sam Second' }).where('id', '=', sam.id).execute();
  second = await signedIn(t, sam);
  workerId = (await makeUser(t.db, council.id, ['caseworker'])).id;
});
afterAll(() => t.close());

const notAssessed = () => Object.fromEntries(Object.keys(NEED_DOMAINS).map((d) => [`${d}-level`, 'not_assessed']));

describe('a save from a version someone else has changed', () => {
  it('the needs assessment: the second save does not put back what the first changed', async () => {
    const { id } = await newResponse(t, councilId, 'Nia');
    const read = await versionOf(t.db, 'urgent_response', id);
    // Both open the form at the same version; Sam saves Education first.
    expect((await second.post(`/urgent-responses/${id}/needs`, { ...notAssessed(), version: read, 'education-level': 'high', 'education-notes': 'Excluded twice' })).statusCode).toBe(303);
    const before = await auditCount(t.db);
    const stale = await first.post(`/urgent-responses/${id}/needs`, { ...notAssessed(), version: read, 'housing-level': 'medium', 'housing-notes': 'Temporary accommodation since May' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toMatch(/Sam Second changed it on \d+ \w+ \d{4} at \d{2}:\d{2}, while you were editing this needs assessment/);
    expect(stale.body).toContain('Temporary accommodation since May');
    expect(await auditCount(t.db)).toBe(before);
    const rows = await t.db.selectFrom('needs_assessment').select(['domain', 'level']).where('urgent_response_id', '=', id).execute();
    expect(rows).toEqual([{ domain: 'education', level: 'high' }]);
    // Saved again from the version the refusal showed, it goes in.
    const now = await versionOf(t.db, 'urgent_response', id);
    expect(stale.body).toContain(`name="version" value="${now}"`);
    expect((await first.post(`/urgent-responses/${id}/needs`, { ...notAssessed(), version: now, 'education-level': 'high', 'education-notes': 'Excluded twice', 'housing-level': 'medium' })).statusCode).toBe(303);
  });

  it('the worker assigned, the custody form, and a form with no version at all', async () => {
    const { id } = await newResponse(t, councilId, 'Oti');
    const read = await versionOf(t.db, 'urgent_response', id);
    expect((await second.post(`/urgent-responses/${id}/owner`, { ownerId: workerId, version: read })).statusCode).toBe(303);
    const owner = await first.post(`/urgent-responses/${id}/owner`, { ownerId: workerId, version: read });
    expect(owner.statusCode).toBe(409);
    expect(owner.body).toContain('Sam Second changed it on');
    const custody = await first.post(`/urgent-responses/${id}/custody`, { version: read, ...formTime(new Date(Date.now() - 3_600_000), 'bookedAt'), custodySuite: 'Leyton' });
    expect(custody.statusCode).toBe(409);
    expect(custody.body).toContain('value="Leyton"');
    expect((await t.db.selectFrom('urgent_response').select('custody_booked_at').where('id', '=', id).executeTakeFirstOrThrow()).custody_booked_at).toBeNull();
    expect((await first.post(`/urgent-responses/${id}/custody`, { ...formTime(new Date(Date.now() - 3_600_000), 'bookedAt') })).statusCode).toBe(409);
  });

  it('an action’s status', async () => {
    const { id } = await newResponse(t, councilId, 'Pim');
    const due = formTime(new Date(Date.now() + 3 * 86_400_000), 'actionDue');
    await first.post(`/urgent-responses/${id}/actions`, { actionDescription: 'Home visit', actionAgency: councilId, actionOwner: 'Jo', 'actionDue-day': due['actionDue-day'], 'actionDue-month': due['actionDue-month'], 'actionDue-year': due['actionDue-year'] });
    const action = await t.db.selectFrom('action').select(['id', 'version']).where('urgent_response_id', '=', id).executeTakeFirstOrThrow();
    const read = String(action.version);
    expect((await second.post(`/actions/${action.id}/status`, { status: 'done', version: read })).statusCode).toBe(303);
    const stale = await first.post(`/actions/${action.id}/status`, { status: 'in_progress', version: read });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Sam Second changed it on');
    expect((await t.db.selectFrom('action').select('status').where('id', '=', action.id).executeTakeFirstOrThrow()).status).toBe('done');
  });
});
