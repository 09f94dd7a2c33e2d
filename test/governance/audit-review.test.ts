// Audit review (issue 21): each rule at both edges of its threshold, over
// audit rows placed at known London times on Wednesday 25 November 2026
// (GMT) and Saturday 28 November: 29 and 30 different people in an hour;
// 19:59 and 20:00, 06:59 and 07:00, and a Saturday noon; casework on a young
// person the agency has an open urgent response for, and on one it has
// nothing open with; an emergency access. The page lists each finding with
// a link to its audit rows. (The rows are inserted directly, outside the
// hash chain: this file never verifies it.)
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewAudit } from '../../src/modules/governance/auditReview.ts';
import { makeAgency, makeUser, newResponse, signedIn, submit, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let councilId: string;
const users: Record<string, string> = {};
let seq = 9_000_000_000;

/** One audit row of casework on a person at a London time (GMT in November, so the same as UTC). */
async function opened(user: string, personId: string, at: string, purpose = 'casework') {
  seq += 1;
  await t.db
    .insertInto('audit_event')
    .values({ seq, chain: 99, position: seq, at: new Date(`${at}Z`), user_id: users[user], agency_id: councilId, action: 'person.view', record_type: 'person', record_id: personId, person_id: personId, purpose, outcome: 'allowed', detail: '{}', prev_hash: '0'.repeat(64), hash: '0'.repeat(64) })
    .execute();
}

beforeAll(async () => {
  t = await testApp();
  councilId = (await makeAgency(t.db, { name: 'Review Council', kind: 'council', receivesIncidents: true })).id;
  for (const name of ['twentyNine', 'thirty', 'evening', 'late', 'early', 'morning', 'weekend', 'known', 'unknown']) users[name] = (await makeUser(t.db, councilId, ['caseworker'], { email: `${name.toLowerCase()}@review.test` })).id;
  for (let i = 0; i < 29; i++) await opened('twentyNine', randomUUID(), `2026-11-25T10:${String(i).padStart(2, '0')}:00`);
  for (let i = 0; i < 30; i++) await opened('thirty', randomUUID(), `2026-11-25T11:${String(i).padStart(2, '0')}:00`);
  await opened('evening', randomUUID(), '2026-11-25T19:59:00');
  await opened('late', randomUUID(), '2026-11-25T20:00:00');
  await opened('early', randomUUID(), '2026-11-25T06:59:00');
  await opened('morning', randomUUID(), '2026-11-25T07:00:00');
  await opened('weekend', randomUUID(), '2026-11-28T12:00:00');
  const response = await newResponse(t, councilId, 'Reviewed');
  await opened('known', response.personId, '2026-11-25T12:00:00');
  await opened('unknown', randomUUID(), '2026-11-25T12:00:00');
  await t.db.insertInto('break_glass').values({ user_id: users.known, agency_id: councilId, record_type: 'urgent_response', record_id: response.id, reference: 'UR-000001', reason: 'missing', words: 'Missing overnight', opened_at: new Date('2026-11-25T23:00:00Z'), expires_at: new Date('2026-11-26T00:00:00Z') }).execute();
});
afterAll(() => t.close());

const flagged = async (rule: 'peoplePerHour' | 'outOfHours' | 'breakGlass' | 'noOpenWork') => {
  const found = await reviewAudit(t.db, new Date('2026-11-23T00:00:00Z'), new Date('2026-11-30T00:00:00Z'));
  return found[rule].map((f) => Object.entries(users).find(([, id]) => id === f.user_id)?.[0]);
};

describe('the audit review rules', () => {
  it('many people in an hour: 30 different people are listed, 29 are not', async () => {
    const who = await flagged('peoplePerHour');
    expect(who).toContain('thirty');
    expect(who).not.toContain('twentyNine');
  });

  it('out of hours: 20:00, 06:59 and a Saturday are listed; 19:59 and 07:00 are not', async () => {
    const who = await flagged('outOfHours');
    expect(who).toEqual(expect.arrayContaining(['late', 'early', 'weekend']));
    expect(who).not.toContain('evening');
    expect(who).not.toContain('morning');
  });

  it('no open work: a young person the agency has nothing open with is listed; one with an open urgent response is not', async () => {
    const who = await flagged('noOpenWork');
    expect(who).toContain('unknown');
    expect(who).not.toContain('known');
  });

  it('emergency access: every use is listed', async () => {
    expect(await flagged('breakGlass')).toEqual(['known']);
  });

  it('is shown to the officer with each finding’s audit rows a click away, and to no one else', async () => {
    const ig = await signedIn(t, await makeUser(t.db, councilId, ['ig_officer']));
    const page = await ig.get('/audit/review?from-day=23&from-month=11&from-year=2026&to-day=29&to-month=11&to-year=2026');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('30 different people between 11:00 and 12:00');
    expect(page.body).toContain(`/audit?userId=${users.thirty}&amp;from-day=25&amp;from-month=11&amp;from-year=2026`);
    expect(page.body).toContain('Emergency access to UR-000001, waiting for review');
    const backwards = await ig.get('/audit/review?from-day=29&from-month=11&from-year=2026&to-day=23&to-month=11&to-year=2026');
    expect(backwards.statusCode).toBe(400);
    expect(backwards.body).toContain('The end date must be the same as or after the start date');
    const worker = await signedIn(t, await makeUser(t.db, councilId, ['caseworker']));
    expect((await worker.get('/audit/review')).statusCode).toBe(403);
  });

  it('uses the thresholds the officer sets: refused field by field and when stale, then in force at both edges', async () => {
    const ig = await signedIn(t, await makeUser(t.db, councilId, ['ig_officer']));
    const before = await t.db.selectFrom('audit_review_threshold').selectAll().executeTakeFirstOrThrow();
    const bad = await ig.post('/audit/review/thresholds', { version: String(before.version), peoplePerHour: '1', dayStartsHour: '7.5', dayEndsHour: '25', policy: '' });
    expect(bad.statusCode).toBe(400);
    for (const message of ['The number of people in an hour must be between 2 and 1000', 'The hour the working day starts must be a whole number', 'The hour the working day ends must be between 1 and 24', 'Enter the policy or agreement the thresholds come from']) expect(bad.body).toContain(message);
    expect((await ig.post('/audit/review/thresholds', { version: String(before.version), peoplePerHour: '30', dayStartsHour: '9', dayEndsHour: '9', policy: 'x' })).body).toContain('The working day must end after it starts');
    const stale = await ig.post('/audit/review/thresholds', { version: String(before.version + 1), peoplePerHour: '29', dayStartsHour: '8', dayEndsHour: '19', policy: 'Agreed with the DPO, December 2026' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Agreed with the DPO, December 2026');
    expect(await t.db.selectFrom('audit_review_threshold').selectAll().executeTakeFirstOrThrow()).toMatchObject({ people_per_hour: 30, version: before.version });
    const worker = await signedIn(t, await makeUser(t.db, councilId, ['caseworker']));
    expect((await worker.post('/audit/review/thresholds', { version: String(before.version), peoplePerHour: '29', dayStartsHour: '8', dayEndsHour: '19', policy: 'x' })).statusCode).toBe(403);

    const saved = await submit(ig, '/audit/review', '/audit/review/thresholds', { peoplePerHour: '29', dayStartsHour: '8', dayEndsHour: '19', policy: 'Agreed with the DPO, December 2026' });
    expect(saved.statusCode).toBe(303);
    const page = await ig.get('/audit/review');
    expect(page.body).toContain('The audit review thresholds have been changed');
    expect(page.body).toContain('Agreed with the DPO, December 2026');
    // 29 people is now a finding; 07:00 is before the day starts at 08:00; 19:59 is after it ends at 19:00.
    expect(await flagged('peoplePerHour')).toEqual(expect.arrayContaining(['twentyNine', 'thirty']));
    expect(await flagged('outOfHours')).toEqual(expect.arrayContaining(['morning', 'evening']));
    expect((await submit(ig, '/audit/review', '/audit/review/thresholds', { peoplePerHour: '30', dayStartsHour: '7', dayEndsHour: '20' })).statusCode).toBe(303);
    expect(await flagged('peoplePerHour')).not.toContain('twentyNine');
  });
});
