import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { auditCount, makeAgency, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let police: { id: string };
let custody: string;
let analystKey: string;

beforeAll(async () => {
  t = await testApp();
  police = await makeAgency(t.db, { kind: 'police' });
  custody = (await createApiClient(t.db, { agencyId: police.id, name: 'Custody system', role: 'police', createdBy: null })).secret;
  analystKey = (await createApiClient(t.db, { agencyId: police.id, name: 'Analysis', role: 'analyst', createdBy: null })).secret;
});
afterAll(() => t.close());

const hourAgo = () => new Date(Date.now() - 3_600_000).toISOString();
const body = (overrides: Record<string, unknown> = {}) => ({
  occurredAt: new Date(Date.now() - 7_200_000).toISOString(),
  notifiedAt: hourAgo(),
  type: 'weapon_possession',
  weapon: 'knife',
  place: { description: 'Hoe Street, Walthamstow', latitude: 51.5852, longitude: -0.0171 },
  sourceReference: 'CUST/2026/0001',
  narrative: 'Arrested in possession of a kitchen knife.',
  people: [{ role: 'suspect', givenName: 'Kai', familyName: 'Brown', dateOfBirth: '2010-03-04', sex: 'male', ethnicity: 'mixed_white_black_caribbean', confirmNew: true }],
  ...overrides,
});
const post = (payload: unknown, key = custody, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}`, ...headers }, payload: payload as object });

describe('POST /api/v1/incidents', () => {
  it('records an incident with its people and audits it', async () => {
    const res = await post(body());
    expect(res.statusCode).toBe(201);
    const json = res.json();
    expect(json.place.boroughName).toBe('Waltham Forest');
    expect(json.people).toHaveLength(1);
    expect(json.people[0]).toMatchObject({ role: 'suspect', givenName: 'Kai', familyName: 'Brown' });
    expect(json.people[0].ageAtIncident).toBeGreaterThanOrEqual(15);
    expect(res.headers.location).toBe(`/api/v1/incidents/${json.id}`);
    expect(await auditCount(t.db, { action: 'incident.record', recordId: json.id })).toBe(1);
    expect(await auditCount(t.db, { action: 'incident.add-person', recordId: json.id })).toBe(1);
    const audit = await t.db.selectFrom('audit_event').select(['api_client_id', 'user_id']).where('record_id', '=', json.id).executeTakeFirstOrThrow();
    expect(audit.api_client_id).toBeTruthy();
    expect(audit.user_id).toBeNull();
  });

  it('returns the first incident when retried with the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}`;
    const request = body();
    const first = await post(request, custody, { 'idempotency-key': key });
    const second = await post(request, custody, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(first.json().id);
  });

  it('stops at possible duplicates of a new person, with their reasons, until the caller confirms or names the person', async () => {
    const before = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const kyeBrown = { role: 'suspect', givenName: 'Kye', familyName: 'Brown', dateOfBirth: '2010-03-04', sex: 'male', ethnicity: 'mixed_white_black_caribbean' };
    const res = await post(body({ people: [kyeBrown] }));
    expect(res.statusCode).toBe(409);
    const json = res.json();
    expect(json.error).toBe('possible_duplicates');
    expect(json.candidates['people[0]'][0]).toMatchObject({ givenName: 'Kai', familyName: 'Brown', dateOfBirth: '2010-03-04' });
    expect(json.candidates['people[0]'][0].reasons.join(' ')).toMatch(/date of birth/i);
    const after = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const named = await post(body({ people: [{ role: 'suspect', personId: json.candidates['people[0]'][0].personId }] }));
    expect(named.statusCode).toBe(201);
  });

  it('names every bad field and records nothing', async () => {
    const before = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await post(body({ occurredAt: '2026-13-45T99:00:00', type: 'unknown', place: { description: '' }, people: [{ role: 'boss', givenName: '<script>' }] }));
    expect(res.statusCode).toBe(400);
    const { errors } = res.json();
    expect(Object.keys(errors)).toEqual(expect.arrayContaining(['occurredAt', 'type', 'placeDescription', 'people[0].role', 'people[0].familyName']));
    const naive = await post(body({ occurredAt: '2026-01-01T10:00:00' }));
    expect(naive.json().errors.occurredAt).toMatch(/time zone/);
    const after = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('rolls everything back when a personId is not one the agency can see', async () => {
    const before = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const res = await post(body({ people: [{ role: 'victim', personId: '00000000-0000-4000-8000-000000000001' }] }));
    expect(res.statusCode).toBe(400);
    const after = await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });

  it('answers 401, never 404 or 500, without a valid credential', async () => {
    for (const headers of [{}, { authorization: 'Bearer nope' }, { authorization: 'Basic dXNlcjpwYXNz' }, { authorization: `Bearer ${custody}x` }]) {
      const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers, payload: body() });
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toBe('unauthorised');
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/incidents/not-a-uuid' })).statusCode).toBe(401);
  });

  it('refuses a role that may not record, and revoked credentials', async () => {
    expect((await post(body(), analystKey)).statusCode).toBe(403);
    const revoked = await createApiClient(t.db, { agencyId: police.id, name: 'Old', role: 'police', createdBy: null });
    await t.db.updateTable('api_client').set({ revoked_at: new Date() }).where('id', '=', revoked.id).execute();
    expect((await post(body(), revoked.secret)).statusCode).toBe(401);
  });

  it('answers malformed JSON with a 400 that leaks nothing', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${custody}`, 'content-type': 'application/json' }, payload: '{"type": ' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toContain('at ');
    expect(res.json().correlationId).toBeTruthy();
  });
});

describe('GET /api/v1/incidents/{id}', () => {
  it('shows an analyst credential the incident without names or narrative', async () => {
    const created = (await post(body())).json();
    const res = await t.app.inject({ method: 'GET', url: `/api/v1/incidents/${created.id}`, headers: { authorization: `Bearer ${analystKey}` } });
    expect(res.statusCode).toBe(200);
    const json = res.json();
    expect(json.narrative).toBeUndefined();
    expect(json.people[0].givenName).toBeUndefined();
    expect(json.people[0].ageAtIncident).toBeGreaterThan(10);
  });
});

describe('OpenAPI', () => {
  it('describes every operation', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    // Every API route the app serves, with its method, is in the document.
    const served = t.app.routeTable.filter((r) => r.api && r.method !== 'HEAD').map((r) => `${r.method.toLowerCase()} ${r.url.replace(/:(\w+)/g, '{$1}')}`);
    const described = Object.entries(doc.paths as Record<string, object>).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(new Set(described)).toEqual(new Set(served));
    expect(doc.components.schemas.NewIncident.properties.type.enum).toContain('knife_injury');
  });
});
