import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { openApiDocument } from '../../src/modules/incidents/openapi.ts';
import { londonToday } from '../../src/platform/time.ts';
import { formTime, makeAgency, makeUser, signedIn, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let councilKey: string;
let nhsKey: string;
let otherKey: string;
let serviceId: string;
let youngServiceId: string;
const today = londonToday();

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council' });
  const nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  const other = await makeAgency(t.db, { kind: 'school' });
  councilKey = (await createApiClient(t.db, { agencyId: council.id, name: 'Council case system', role: 'caseworker', createdBy: null })).secret;
  nhsKey = (await createApiClient(t.db, { agencyId: nhs.id, name: 'Hospital system', role: 'caseworker', createdBy: null })).secret;
  otherKey = (await createApiClient(t.db, { agencyId: other.id, name: 'School MIS', role: 'caseworker', createdBy: null })).secret;
  const service = (name: string, min: number, max: number) => t.db.insertInto('service').values({ name, provider_agency_id: nhs.id, domain: 'treat', description: name, min_age: min, max_age: max, capacity: 10, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: 26 }).returning('id').executeTakeFirstOrThrow();
  serviceId = (await service('A&E navigators', 10, 25)).id;
  youngServiceId = (await service('LifeSkills', 8, 11)).id;
  // A navigator at the NHS, to open the episode and write notes at each level.
  (globalThis as { nhsUser?: { id: string } }).nhsUser = await makeUser(t.db, nhs.id, ['caseworker']);
});
afterAll(() => t.close());

const call = (method: 'GET' | 'POST', url: string, key: string, payload?: object, headers: Record<string, string> = {}) => t.app.inject({ method, url, headers: { authorization: `Bearer ${key}`, ...headers }, payload });
const dob = `${Number(today.slice(0, 4)) - 15}-05-06`;
const kai = { givenName: 'Kai', familyName: 'Brown', dateOfBirth: dob, sex: 'male', ethnicity: 'black_caribbean', nhsNumber: '943 476 5919' };

describe('the casework API', () => {
  let personId: string;

  it('refuses an NHS number with a wrong check digit or a future date of birth, saving nothing', async () => {
    const res = await call('POST', '/api/v1/people', councilKey, { ...kai, nhsNumber: '943 476 5918', dateOfBirth: `${Number(today.slice(0, 4)) + 1}-01-01` });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().errors)).toEqual(expect.arrayContaining(['nhsNumber', 'dateOfBirth']));
    expect(await t.db.selectFrom('person').selectAll().execute()).toEqual([]);
  });

  it('creates a person, and answers a likely duplicate with 409 and each match’s reasons until confirmed', async () => {
    const created = await call('POST', '/api/v1/people', councilKey, kai);
    expect(created.statusCode).toBe(201);
    personId = created.json().personId;
    const again = await call('POST', '/api/v1/people', nhsKey, { ...kai, givenName: 'Kye', nhsNumber: undefined });
    expect(again.statusCode).toBe(409);
    expect(again.json().candidates.person[0]).toMatchObject({ personId, reasons: expect.arrayContaining(['Same date of birth']) });
    expect((await call('POST', '/api/v1/people', nhsKey, { ...kai, givenName: 'Kye', nhsNumber: undefined, confirmNew: true })).statusCode).toBe(201);
  });

  it('finds people by name however spelt and by date of birth, with reasons; audited', async () => {
    const res = await call('GET', `/api/v1/people?name=${encodeURIComponent('Brwn Kai')}&dateOfBirth=${dob}`, nhsKey);
    expect(res.statusCode).toBe(200);
    expect(res.json().matches[0]).toMatchObject({ personId, givenName: 'Kai', familyName: 'Brown' });
    expect(res.json().matches[0].reasons.length).toBeGreaterThan(0);
    expect((await call('GET', '/api/v1/people?dateOfBirth=2099-01-01', nhsKey)).statusCode).toBe(400);
    const audited = await t.db.selectFrom('audit_event').select('person_id').where('action', '=', 'person.search').where('api_client_id', 'is not', null).execute();
    expect(audited.map((a) => a.person_id)).toContain(personId);
  });

  it('sends a referral with the form’s rules: consent or lawful basis, the service’s ages', async () => {
    const none = await call('POST', '/api/v1/referrals', councilKey, { personId, serviceId, reason: 'Support after an assault' });
    expect(none.statusCode).toBe(400);
    expect(none.json().errors.sharingBasis).toBeDefined();
    const age = await call('POST', '/api/v1/referrals', councilKey, { personId, serviceId: youngServiceId, reason: 'Support', sharingBasis: 'consent', consentBy: 'young_person', consentOn: today });
    expect(age.statusCode).toBe(400);
    expect(age.json().errors.serviceId).toMatch(/takes young people aged 8 to 11; Kai is 15/);
    expect(await t.db.selectFrom('referral').selectAll().execute()).toEqual([]);
    const ok = await call('POST', '/api/v1/referrals', councilKey, { personId, serviceId, reason: 'Support', sharingBasis: 'consent', consentBy: 'young_person', consentOn: today }, { 'idempotency-key': 'ref-1' });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ status: 'sent', sharingBasis: 'consent', service: 'A&E navigators' });
    const retry = await call('POST', '/api/v1/referrals', councilKey, { personId, serviceId, reason: 'Support', sharingBasis: 'consent', consentBy: 'young_person', consentOn: today }, { 'idempotency-key': 'ref-1' });
    expect(retry.statusCode).toBe(200);
    expect(retry.json().id).toBe(ok.json().id);
  });

  it('gives each agency only the notes at its level; restricted notes never leave through the API', async () => {
    const user = (globalThis as { nhsUser?: { id: string } }).nhsUser!;
    const navigator = await signedIn(t, user);
    const referral = await t.db.selectFrom('referral').select('id').executeTakeFirstOrThrow();
    const [y, m, d] = today.split('-');
    await navigator.post(`/referrals/${referral.id}/decision`, { version: '1', decision: 'accepted' });
    const started = await navigator.post(`/referrals/${referral.id}/start`, { version: '2', leadWorkerId: user.id, 'startedOn-day': d, 'startedOn-month': m, 'startedOn-year': y, 'reviewOn-day': d, 'reviewOn-month': m, 'reviewOn-year': String(Number(y) + 1) });
    const episodeId = String(started.headers.location).split('/').pop()!;
    for (const visibility of ['all', 'agency', 'restricted']) {
      await navigator.post(`/episodes/${episodeId}/notes`, { kind: 'note', ...formTime(new Date(Date.now() - 60_000), 'happenedAt'), body: `${visibility} level note`, visibility });
    }
    const texts = async (key: string) => {
      const res = await call('GET', `/api/v1/episodes/${episodeId}`, key);
      return res.statusCode === 200 ? res.json().notes.map((n: { text: string }) => n.text).sort() : res.statusCode;
    };
    expect(await texts(nhsKey)).toEqual(['agency level note', 'all level note']);
    expect(await texts(councilKey)).toEqual(['all level note']);
    expect(await texts(otherKey)).toBe(404);
  });

  it('is described in the OpenAPI document', () => {
    const doc = openApiDocument(['knife_injury']);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/people', '/api/v1/referrals', '/api/v1/episodes/{id}']));
    expect(doc.paths['/api/v1/people'].get.parameters.map((p: { name: string }) => p.name)).toEqual(['name', 'dateOfBirth']);
  });
});
