// Every entrance that opens an urgent response (issue 18): the clocks count
// from when the partnership was told (or the booking-in or arrival), never
// from when the call arrived; a time in the future is refused; a late entry
// says so; and the response is the coordinating agency's, on its list and
// swept, whoever opened it and whether or not they shared the incident.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { runSweep } from '../../src/modules/urgent-response/sweep.ts';
import { FIRST_ATTEMPT_HOURS, CONTACT_MADE_HOURS } from '../../src/modules/urgent-response/clocks.ts';
import { formTime, incidentForm, makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let council: { id: string };
let police: { id: string };
let nhs: { id: string };
let coordinator: Client;
let coordinatorId: string;
let officer: Client;
let keys: { police: string; hospital: string };

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  police = await makeAgency(t.db, { kind: 'police' });
  nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  const c = await makeUser(t.db, council.id, ['coordinator']);
  coordinatorId = c.id;
  coordinator = await signedIn(t, c);
  officer = await signedIn(t, await makeUser(t.db, police.id, ['police']));
  keys = {
    police: (await createApiClient(t.db, { agencyId: police.id, name: 'Custody and CAD', role: 'police', createdBy: null })).secret,
    hospital: (await createApiClient(t.db, { agencyId: nhs.id, name: 'A&E', role: 'caseworker', createdBy: null })).secret,
  };
});
afterAll(() => t.close());

const HOUR = 3_600_000;
const toldAgo = 4 * HOUR;
const iso = (msAgo: number) => new Date(Date.now() - msAgo).toISOString();
const dob = (age: number) => `${new Date().getFullYear() - age}-03-04`;
const api = (url: string, key: string, payload: object) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}` }, payload });
const newPerson = (given: string) => ({ givenName: given, familyName: 'Entrance', dateOfBirth: dob(16), sex: 'female', ethnicity: 'white_british', confirmNew: true });
const responseOf = (given: string) =>
  t.db.selectFrom('urgent_response').innerJoin('person', 'person.id', 'urgent_response.person_id').selectAll('urgent_response').where('person.given_name', '=', given).executeTakeFirstOrThrow();

/** Each entrance, opening a response for a young person the partnership was told of four hours ago, without sharing anything. */
const ENTRANCES: Record<string, (given: string) => Promise<void>> = {
  'the incident form and its add-person form (POST /incidents, POST /incidents/:id/people)': async (given) => {
    const now = new Date();
    const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, ...formTime(new Date(now.getTime() - toldAgo - HOUR), 'occurredAt'), ...formTime(new Date(now.getTime() - toldAgo), 'notifiedAt') }));
    const id = (res.headers.location as string).split('/').pop()!;
    const added = await officer.post(`/incidents/${id}/people`, { confirmNew: 'yes', role: 'victim', givenName: given, familyName: 'Entrance', 'dateOfBirth-day': '4', 'dateOfBirth-month': '3', 'dateOfBirth-year': String(new Date().getFullYear() - 16), sex: 'female', ethnicity: 'white_british' });
    expect(added.statusCode).toBe(303);
  },
  'the incidents API (POST /api/v1/incidents)': async (given) => {
    const res = await api('/api/v1/incidents', keys.police, {
      type: 'knife_injury', occurredAt: iso(toldAgo + HOUR), notifiedAt: iso(toldAgo), weapon: 'knife', place: { description: 'Hoe Street' }, people: [{ role: 'victim', ...newPerson(given) }],
    });
    expect(res.statusCode, res.body).toBe(201);
  },
  'the custody API (POST /api/v1/custody-notifications)': async (given) => {
    const res = await api('/api/v1/custody-notifications', keys.police, { person: newPerson(given), bookedInAt: iso(toldAgo), custodySuite: 'Leyton', offence: 'Possession of a bladed article' });
    expect(res.statusCode, res.body).toBe(201);
  },
  'the hospital API (POST /api/v1/hospital-referrals)': async (given) => {
    const res = await api('/api/v1/hospital-referrals', keys.hospital, { person: newPerson(given), arrivedAt: iso(toldAgo), hospital: 'Whipps Cross', injury: 'Stab wound to the leg' });
    expect(res.statusCode, res.body).toBe(201);
  },
  'a coordinator by hand (POST /incidents/:id/urgent-responses)': async (given) => {
    // A witness (no response by the rules), on an incident the police shared with the council.
    const now = new Date();
    const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, shareWith: [council.id], ...formTime(new Date(now.getTime() - toldAgo - HOUR), 'occurredAt'), ...formTime(new Date(now.getTime() - toldAgo), 'notifiedAt') }));
    const id = (res.headers.location as string).split('/').pop()!;
    await officer.post(`/incidents/${id}/people`, { confirmNew: 'yes', role: 'witness', givenName: given, familyName: 'Entrance', 'dateOfBirth-day': '4', 'dateOfBirth-month': '3', 'dateOfBirth-year': String(new Date().getFullYear() - 16), sex: 'female', ethnicity: 'white_british' });
    const involvement = await t.db.selectFrom('involvement').select('id').where('incident_id', '=', id).executeTakeFirstOrThrow();
    const opened = await coordinator.post(`/incidents/${id}/urgent-responses`, { involvementId: involvement.id, openReason: 'Witness threatened afterwards' });
    expect(opened.statusCode).toBe(303);
  },
};

// The routes these entrances are: a new route that opens responses must join the list above.
const OPENING_ROUTES = ['POST /incidents', 'POST /incidents/:id/people', 'POST /api/v1/incidents', 'POST /api/v1/custody-notifications', 'POST /api/v1/hospital-referrals', 'POST /incidents/:id/urgent-responses'];

describe('every entrance that opens an urgent response', () => {
  it('is in the list this test walks', () => {
    const opening = t.app.routeTable
      .filter((r) => r.method === 'POST' && (r.audit?.startsWith('urgent-response.open') || ['incident.record', 'incident.add-person', 'urgent-response.custody-notification', 'urgent-response.hospital-referral'].includes(r.audit ?? '')))
      .map((r) => `${r.method} ${r.url}`);
    expect(opening.sort()).toEqual([...OPENING_ROUTES].sort());
  });

  it.each(Object.keys(ENTRANCES).map((name, i) => [name, `Entry${String.fromCharCode(65 + i)}`]))('%s: clocks from when the partnership was told, the coordinator sees it, the sweep reminds', async (name, given) => {
    await ENTRANCES[name](given);
    const response = await responseOf(given);
    const told = Date.now() - toldAgo;
    expect(Math.abs(new Date(response.notified_at).getTime() - told)).toBeLessThan(90_000);
    expect(response.agency_id).toBe(council.id);

    // On the coordinator's list, with due times counted from when the partnership was told, and marked as entered late.
    const list = await coordinator.get('/urgent-responses');
    expect(list.body).toContain(response.reference);
    const page = await coordinator.get(`/urgent-responses/${response.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(/this response was entered (3|4) hours after that/);

    // The sweep, an hour before the 24-hour clock, reminds the coordinator.
    const sweepAt = new Date(new Date(response.notified_at).getTime() + (FIRST_ATTEMPT_HOURS - 1) * HOUR);
    await runSweep(t.db, sweepAt);
    const reminders = await t.db.selectFrom('notification').select(['clock', 'event']).where('urgent_response_id', '=', response.id).where('recipient_id', '=', coordinatorId).execute();
    expect(reminders).toContainEqual({ clock: 'first_attempt', event: 'due_soon' });
    expect(CONTACT_MADE_HOURS).toBe(48);
  });
});

describe('times the partner system gives', () => {
  it('a notification time given to the custody API is used, a booking-in in the future is refused', async () => {
    const told = await api('/api/v1/custody-notifications', keys.police, { person: newPerson('Told'), bookedInAt: iso(6 * HOUR), notifiedAt: iso(5 * HOUR), custodySuite: 'Leyton', offence: 'Robbery' });
    expect(told.statusCode).toBe(201);
    const r = await responseOf('Told');
    expect(Math.abs(new Date(r.notified_at).getTime() - (Date.now() - 5 * HOUR))).toBeLessThan(90_000);
    expect(Math.abs(new Date(r.custody_booked_at!).getTime() - (Date.now() - 6 * HOUR))).toBeLessThan(90_000);

    const future = await api('/api/v1/custody-notifications', keys.police, { person: newPerson('Future'), bookedInAt: new Date(Date.now() + HOUR).toISOString(), custodySuite: 'Leyton', offence: 'Robbery' });
    expect(future.statusCode).toBe(400);
    expect(JSON.stringify(future.json())).toMatch(/must be in the past/);
    const futureTold = await api('/api/v1/hospital-referrals', keys.hospital, { person: newPerson('Future2'), arrivedAt: iso(HOUR), notifiedAt: new Date(Date.now() + HOUR).toISOString(), hospital: 'Whipps Cross', injury: 'Cut' });
    expect(futureTold.statusCode).toBe(400);
    expect(await t.db.selectFrom('person').select('id').where('given_name', 'in', ['Future', 'Future2']).execute()).toHaveLength(0);
  });

  it('asks which 01:30 it was on the night the clocks go back, and uses the answer', async () => {
    const night = { 'occurredAt-day': '25', 'occurredAt-month': '10', 'occurredAt-year': '2026', 'occurredAt-time': '01:10', 'notifiedAt-day': '25', 'notifiedAt-month': '10', 'notifiedAt-year': '2026', 'notifiedAt-time': '01:30' };
    const asked = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, ...night, 'occurredAt-clock': 'BST' }));
    expect(asked.statusCode).toBe(400);
    expect(asked.body).toContain('01:30 happened twice that night');
    expect(asked.body).toContain('name="notifiedAt-clock"');
    for (const [clock, utc] of [['BST', '2026-10-25T00:30:00.000Z'], ['GMT', '2026-10-25T01:30:00.000Z']]) {
      const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, ...night, 'occurredAt-clock': 'BST', 'notifiedAt-clock': clock }));
      expect(res.statusCode).toBe(303);
      const incident = await t.db.selectFrom('incident').select('notified_at').where('id', '=', (res.headers.location as string).split('/').pop()!).executeTakeFirstOrThrow();
      expect(new Date(incident.notified_at).toISOString()).toBe(utc);
    }
  });
});
