// The custody and hospital APIs: one call records the incident and person
// and opens the urgent response; a retry with the same key has one effect.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { openApiDocument } from '../../src/modules/incidents/openapi.ts';
import { auditCount, makeAgency, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let police: { id: string };
let nhs: { id: string };
let council: { id: string };
let custodyKey: string;
let hospitalKey: string;
let analystKey: string;

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  police = await makeAgency(t.db, { kind: 'police' });
  nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  custodyKey = (await createApiClient(t.db, { agencyId: police.id, name: 'Custody', role: 'police', createdBy: null })).secret;
  hospitalKey = (await createApiClient(t.db, { agencyId: nhs.id, name: 'A&E navigators', role: 'caseworker', createdBy: null })).secret;
  analystKey = (await createApiClient(t.db, { agencyId: police.id, name: 'Analysis', role: 'analyst', createdBy: null })).secret;
});
afterAll(() => t.close());

const ago = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
const person = (given: string, age = 16) => ({ givenName: given, familyName: 'Api', dateOfBirth: `${new Date().getFullYear() - age}-02-03`, sex: 'male', ethnicity: 'black_caribbean', confirmNew: true });
const post = (url: string, key: string, payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${key}`, ...headers }, payload });
const custody = (overrides: object = {}) => ({ person: person('Jay'), bookedInAt: ago(30), custodySuite: 'Leyton', offence: 'Possession of a bladed article', reference: 'CUST-1', ...overrides });

describe('POST /api/v1/custody-notifications', () => {
  it('opens an urgent response with the custody clock from booking-in, at the coordinating agency', async () => {
    const res = await post('/api/v1/custody-notifications', custodyKey, custody({ person: person('Jay'), place: { description: 'Hoe Street', latitude: 51.5852, longitude: -0.0171 } }));
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json.urgentResponse.reference).toMatch(/^UR-\d{6}$/);
    expect(json.incident.reference).toMatch(/^\d{4}-\d{6}$/);
    const ur = await t.db.selectFrom('urgent_response').selectAll().where('id', '=', json.urgentResponse.id).executeTakeFirstOrThrow();
    expect(ur).toMatchObject({ source: 'custody', custody_suite: 'Leyton', opened_how: 'custody notification', agency_id: council.id });
    expect(Math.abs(new Date(ur.custody_booked_at!).getTime() - (Date.now() - 30 * 60_000))).toBeLessThan(60_000);
    const involvement = await t.db.selectFrom('involvement').select('role').where('incident_id', '=', json.incident.id).execute();
    expect(involvement).toEqual([{ role: 'suspect' }]);
    expect(await auditCount(t.db, { action: 'urgent-response.open', recordId: ur.id })).toBe(1);
  });

  it('has one effect for a repeated Idempotency-Key', async () => {
    const headers = { 'idempotency-key': 'custody-booking-77' };
    // A retry repeats its request exactly (the same key with another request is refused: test/idempotency.test.ts).
    const request = custody({ person: person('Kit') });
    const first = await post('/api/v1/custody-notifications', custodyKey, request, headers);
    const second = await post('/api/v1/custody-notifications', custodyKey, request, headers);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().urgentResponse.reference).toBe(first.json().urgentResponse.reference);
    expect(second.json().incident.id).toBe(first.json().incident.id);
    const people = await t.db.selectFrom('person').select('id').where('given_name', '=', 'Kit').execute();
    expect(people).toHaveLength(1);
  });

  it('refuses bad input with field errors and records nothing', async () => {
    const before = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await post('/api/v1/custody-notifications', custodyKey, { person: { givenName: 'Lo' }, bookedInAt: '21/11/2026 10:00', offence: '' });
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors;
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['bookedInAt', 'custodySuite', 'offence', 'person.familyName']));
    const future = await post('/api/v1/custody-notifications', custodyKey, custody({ bookedInAt: new Date(Date.now() + 3_600_000).toISOString() }));
    expect(future.statusCode).toBe(400);
    const after = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('stops at a possible duplicate of the young person until the caller confirms a new person', async () => {
    const { confirmNew: _, ...jay } = person('Jay');
    const res = await post('/api/v1/custody-notifications', custodyKey, custody({ person: jay, reference: 'CUST-DUP' }));
    expect(res.statusCode).toBe(409);
    expect(res.json().candidates.person).toEqual(expect.arrayContaining([expect.objectContaining({ givenName: 'Jay', familyName: 'Api', reasons: ['Same name', 'Same date of birth'] })]));
  });

  it('is refused to roles that may not send it', async () => {
    expect((await post('/api/v1/custody-notifications', analystKey, custody())).statusCode).toBe(403);
    expect((await post('/api/v1/custody-notifications', hospitalKey, custody())).statusCode).toBe(403);
  });

  it('records an adult without opening an urgent response', async () => {
    const res = await post('/api/v1/custody-notifications', custodyKey, custody({ person: person('Max', 30) }));
    expect(res.statusCode).toBe(201);
    expect(res.json().urgentResponse).toBeNull();
  });
});

describe('POST /api/v1/hospital-referrals', () => {
  it('opens an A&E urgent response for the young victim, and links a second attendance to it', async () => {
    const first = await post('/api/v1/hospital-referrals', hospitalKey, { person: person('Noa'), arrivedAt: ago(90), hospital: 'Whipps Cross University Hospital', injury: 'Stab wound to the thigh', weapon: 'knife' });
    expect(first.statusCode).toBe(201);
    const ur = first.json().urgentResponse;
    const row = await t.db.selectFrom('urgent_response').select(['source', 'opened_how', 'custody_booked_at']).where('id', '=', ur.id).executeTakeFirstOrThrow();
    expect(row).toEqual({ source: 'ae', opened_how: 'hospital referral', custody_booked_at: null });

    const again = await post('/api/v1/hospital-referrals', hospitalKey, { personId: first.json().personId, arrivedAt: ago(10), hospital: 'Whipps Cross University Hospital', injury: 'Returned with a second wound' });
    expect(again.statusCode).toBe(201);
    expect(again.json().urgentResponse.id).toBe(ur.id);
    const incidents = await t.db.selectFrom('urgent_response_incident').select('incident_id').where('urgent_response_id', '=', ur.id).execute();
    expect(incidents).toHaveLength(2);
  });

  it('answers an unknown personId like a missing one, and records nothing', async () => {
    const res = await post('/api/v1/hospital-referrals', hospitalKey, { personId: crypto.randomUUID(), arrivedAt: ago(5), hospital: 'Whipps Cross', injury: 'Cut' });
    expect(res.statusCode).toBe(400);
    expect(res.json().errors.personId).toBeDefined();
  });
});

it('both are described in the OpenAPI document', () => {
  const doc = openApiDocument(['knife_injury']);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/custody-notifications', '/api/v1/hospital-referrals']));
  expect(doc.components.schemas.CustodyNotification.required).toEqual(['bookedInAt', 'custodySuite', 'offence']);
});
