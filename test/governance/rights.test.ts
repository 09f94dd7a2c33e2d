// Rectification, erasure, restriction and objection requests (issue 21): a
// request is refused field by field, recorded with its one-month clock, and
// decided with its reason and what was changed: an agreed decision without
// what was changed is refused, a stale one is refused with the words kept, a
// refusal needs no change, and a decided request cannot be decided again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addCalendarMonths } from '../../src/modules/governance/subjectAccess.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { makeAgency, makeUser, signedIn, submit, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let ig: Client;
const today = londonToday();

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { name: 'Rights Council', kind: 'council' });
  ig = await signedIn(t, await makeUser(t.db, council.id, ['ig_officer']));
});
afterAll(() => t.close());

const request = (reference: string) => t.db.selectFrom('rights_request').selectAll().where('reference', '=', reference).executeTakeFirstOrThrow();

describe('a request to correct what is held', () => {
  it('is refused field by field, then recorded with its clock', async () => {
    const bad = await ig.post('/rights-requests', { asked: 'Correct my date of birth' });
    expect(bad.statusCode).toBe(400);
    for (const message of ['Select what they are asking for', 'Enter the name of the person who asked', 'Enter who the request is about', 'Enter the date it was received']) expect(bad.body).toContain(message);
    expect(bad.body).toContain('Correct my date of birth');
    expect(await t.db.selectFrom('rights_request').select('id').execute()).toHaveLength(0);
    const res = await submit(ig, '/rights-requests/new', '/rights-requests', { kind: 'rectification', requesterName: 'Jay Example', about: 'Jay Example, born 3 March 2010', asked: 'My date of birth is wrong on the incident in May', ...dateParts('receivedOn', addDays(today, -3)) });
    expect(res.statusCode).toBe(303);
    expect((await request('DR-000001')).due_on).toBe(addCalendarMonths(addDays(today, -3), 1));
  });

  it('is decided with what was changed: refused without it, and when stale, then recorded once', async () => {
    const r = await request('DR-000001');
    const noChange = await ig.post(`/rights-requests/${r.id}/decision`, { version: String(r.version), decision: 'agreed', reason: 'The date was mistyped', ...dateParts('decidedOn', today) });
    expect(noChange.statusCode).toBe(400);
    expect(noChange.body).toContain('Say what was changed');
    const stale = await ig.post(`/rights-requests/${r.id}/decision`, { version: String(r.version + 1), decision: 'agreed', reason: 'The date was mistyped', changed: 'Date of birth corrected on the person record', ...dateParts('decidedOn', today) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Date of birth corrected on the person record');
    expect((await request('DR-000001')).decision).toBeNull();
    const ok = await submit(ig, `/rights-requests/${r.id}`, `/rights-requests/${r.id}/decision`, { decision: 'agreed', reason: 'The date was mistyped', changed: 'Date of birth corrected on the person record', ...dateParts('decidedOn', today) });
    expect(ok.statusCode).toBe(303);
    expect(await request('DR-000001')).toMatchObject({ decision: 'agreed', changed: 'Date of birth corrected on the person record', decided_on: today });
    const again = await ig.post(`/rights-requests/${r.id}/decision`, { version: String(r.version + 1), decision: 'refused', reason: 'No', ...dateParts('decidedOn', today) });
    expect(again.statusCode).toBe(400);
    expect(again.body).toContain('already been decided');
  });

  it('may be refused with a reason and nothing changed', async () => {
    await submit(ig, '/rights-requests/new', '/rights-requests', { kind: 'erasure', requesterName: 'Sam Example', about: 'Sam Example, record 3f2b', asked: 'Delete the urgent response', ...dateParts('receivedOn', today) });
    const r = await request('DR-000002');
    expect((await submit(ig, `/rights-requests/${r.id}`, `/rights-requests/${r.id}/decision`, { decision: 'refused', reason: 'Kept to safeguard a child (Article 17(3)(b), legal obligation)', ...dateParts('decidedOn', today) })).statusCode).toBe(303);
    expect((await ig.get('/rights-requests')).body).toContain('Refused');
  });
});
