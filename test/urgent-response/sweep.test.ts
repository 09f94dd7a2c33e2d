import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSweep } from '../../src/modules/urgent-response/sweep.ts';
import { incidentForm, makeAgency, makeUser, signedIn, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let responseId: string;
let coordinatorId: string;
let notifiedAt: Date;

beforeAll(async () => {
  t = await testApp();
  const police = await makeAgency(t.db, { kind: 'police' });
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  const officer = await signedIn(t, await makeUser(t.db, police.id, ['police']));
  coordinatorId = (await makeUser(t.db, council.id, ['coordinator'])).id;
  const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, shareWith: [council.id] }));
  const incidentId = (res.headers.location as string).split('/').pop()!;
  await officer.post(`/incidents/${incidentId}/people`, { role: 'victim', givenName: 'Sweep', familyName: 'Test', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': String(new Date().getFullYear() - 16), sex: 'female', ethnicity: 'not_stated' });
  const response = await t.db.selectFrom('urgent_response').select(['id', 'notified_at']).executeTakeFirstOrThrow();
  responseId = response.id;
  notifiedAt = new Date(response.notified_at);
});
afterAll(() => t.close());

const hoursAfter = (h: number) => new Date(notifiedAt.getTime() + h * 3_600_000);
const notifications = () => t.db.selectFrom('notification').select(['clock', 'event', 'recipient_id']).where('urgent_response_id', '=', responseId).orderBy('clock').orderBy('event').execute();

describe('the reminder sweep', () => {
  it('raises nothing while every clock has time left', async () => {
    expect(await runSweep(t.db, hoursAfter(1))).toEqual({ ran: true, raised: 0 });
  });

  it('raises exactly one notification per clock event, however often it runs', async () => {
    expect((await runSweep(t.db, hoursAfter(21))).raised).toBe(1); // first attempt due soon
    expect((await runSweep(t.db, hoursAfter(21.5))).raised).toBe(0);
    // Two sweeps at once (two instances): still one notification each.
    const both = await Promise.all([runSweep(t.db, hoursAfter(25)), runSweep(t.db, hoursAfter(25))]);
    expect(both.reduce((n, r) => n + r.raised, 0)).toBe(1); // first attempt breached
    expect(await notifications()).toEqual([
      { clock: 'first_attempt', event: 'breached', recipient_id: coordinatorId },
      { clock: 'first_attempt', event: 'due_soon', recipient_id: coordinatorId },
    ]);
    // A sweep that finds a clock already breached raises only "breached": a late "due soon" would help nobody.
    expect((await runSweep(t.db, hoursAfter(49))).raised).toBe(2);
  });

  it('shows the coordinator their notifications', async () => {
    const coordinator = await signedIn(t, { id: coordinatorId });
    const page = await coordinator.get('/notifications');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('UR-');
    expect(page.body).toContain('Breached');
  });
});
