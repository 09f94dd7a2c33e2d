// Idempotency keys mean one thing on every POST of the API (issue 18): the
// same key and the same request is one effect; the same key with a different
// request is refused with 422 and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../src/modules/access/accounts.ts';
import { londonToday } from '../src/platform/time.ts';
import { auditCount, makeAgency, testApp, type TestApp } from './support/app.ts';

let t: TestApp;
let keys: Record<string, string>;
let serviceId: string;
let personId: string;
const today = londonToday();
const year = Number(today.slice(0, 4));
// Fixed once, so a retry repeats its request exactly.
const NOW = Date.now();
const ago = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  const police = await makeAgency(t.db, { kind: 'police' });
  const nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  keys = {
    police: (await createApiClient(t.db, { agencyId: police.id, name: 'Police', role: 'police', createdBy: null })).secret,
    hospital: (await createApiClient(t.db, { agencyId: nhs.id, name: 'A&E', role: 'caseworker', createdBy: null })).secret,
    council: (await createApiClient(t.db, { agencyId: council.id, name: 'Case system', role: 'caseworker', createdBy: null })).secret,
  };
  serviceId = (
    await t.db.insertInto('service').values({ name: 'Navigators', provider_agency_id: nhs.id, domain: 'treat', description: 'x', min_age: 10, max_age: 25, capacity: 10, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: 26 }).returning('id').executeTakeFirstOrThrow()
  ).id;
  const made = await t.app.inject({ method: 'POST', url: '/api/v1/people', headers: { authorization: `Bearer ${keys.council}` }, payload: person('Rio', 'Reference') });
  personId = made.json().personId ?? made.json().id;
});
afterAll(() => t.close());

function person(given: string, family: string) {
  return { givenName: given, familyName: family, dateOfBirth: `${year - 15}-05-06`, sex: 'male', ethnicity: 'black_caribbean', confirmNew: true };
}

/** For each API POST: who calls it, and two different valid requests. */
const CALLS: Record<string, { key: string; request: (n: number) => object }> = {
  '/api/v1/incidents': {
    key: 'police',
    request: (n) => ({ type: 'knife_injury', occurredAt: ago(3), notifiedAt: ago(2), weapon: 'knife', place: { description: `Street ${n}` }, people: [{ role: 'victim', ...person(`Inc${n}`, 'Idem') }] }),
  },
  '/api/v1/custody-notifications': { key: 'police', request: (n) => ({ person: person(`Cus${n}`, 'Idem'), bookedInAt: ago(1), custodySuite: 'Leyton', offence: `Offence ${n}` }) },
  '/api/v1/hospital-referrals': { key: 'hospital', request: (n) => ({ person: person(`Hos${n}`, 'Idem'), arrivedAt: ago(1), hospital: 'Whipps Cross', injury: `Injury ${n}` }) },
  '/api/v1/people': { key: 'council', request: (n) => person(`Ppl${n}`, 'Idem') },
  '/api/v1/orders': {
    key: 'police',
    request: (n) => ({ kindCode: 'bail_conditions', personId, court: `Court ${n}`, madeOn: today, inForceFrom: today, interim: false, leadOfficer: { name: 'PC Lee', contact: '020 7946 0000' }, conditions: [{ kind: 'no_bladed_article', wording: 'No knives' }] }),
  },
  '/api/v1/missing-episodes': { key: 'police', request: (n) => ({ personId, policeReference: `MP-IDEM-${n}`, reportedBy: 'parent_carer', missingFrom: ago(6), reportedAt: ago(5) }) },
  '/api/v1/referrals': { key: 'council', request: (n) => ({ personId, serviceId, reason: `Reason ${n}`, sharingBasis: 'consent', consentBy: 'young_person', consentOn: today }) },
};

const post = (url: string, key: string, idem: string, payload: object) =>
  t.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${keys[key]}`, 'idempotency-key': idem }, payload });

describe('every API POST', () => {
  it('is in the table this test walks', () => {
    const live = t.app.routeTable.filter((r) => r.api && r.method === 'POST').map((r) => r.url);
    expect(live.sort()).toEqual(Object.keys(CALLS).sort());
  });

  it.each(Object.keys(CALLS))('%s: a retry is one effect; the same key with another request is refused with 422, changing nothing', async (url) => {
    const call = CALLS[url];
    const idem = `key-${url}`;
    const first = await post(url, call.key, idem, call.request(1));
    expect(first.statusCode, first.body).toBe(201);
    const retry = await post(url, call.key, idem, call.request(1));
    expect(retry.statusCode, retry.body).toBeLessThan(300);
    const before = await auditCount(t.db);
    const people = await t.db.selectFrom('person').select('id').execute();
    const other = await post(url, call.key, idem, call.request(2));
    expect(other.statusCode).toBe(422);
    expect(other.json()).toMatchObject({ error: 'idempotency_key_reused' });
    expect(await auditCount(t.db)).toBe(before);
    expect(await t.db.selectFrom('person').select('id').execute()).toHaveLength(people.length);
    // A new key is a new request.
    expect((await post(url, call.key, `${idem}-2`, call.request(2))).statusCode).toBe(201);
  });
});
