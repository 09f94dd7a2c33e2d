import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let provider: { id: string; name: string };
let coordinator: Client;
let analyst: Client;

const service = (overrides: Record<string, string> = {}) => ({
  name: 'A&E navigators',
  providerAgencyId: provider.id,
  domain: 'treat',
  description: 'Caseworkers in the hospital who support young people with a violence-related injury.',
  minAge: '10',
  maxAge: '25',
  capacity: '40',
  plannedWeeks: '26',
  referralCriteria: 'Violence-related injury',
  contact: 'navigators@example.nhs.uk',
  yefImpact: 'moderate',
  yefEvidence: '2',
  ...overrides,
});

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council' });
  provider = await makeAgency(t.db, { kind: 'nhs_trust' });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
});
afterAll(() => t.close());

describe('the services directory', () => {
  it('refuses a service with missing or inconsistent fields, saving nothing', async () => {
    const res = await coordinator.post('/services', service({ minAge: '18', maxAge: '12', domain: '', providerAgencyId: 'nope', yefEvidence: '7' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Oldest age served must be the same as or older than the youngest');
    expect(res.body).toContain('Select the strategy domain');
    expect(res.body).toContain('Select the agency that provides the service');
    expect(res.body).toContain('Toolkit evidence rating must be a whole number from 0 to 5');
    expect(await t.db.selectFrom('service').selectAll().execute()).toEqual([]);
  });

  it('lists services by domain and by the age they serve, with places used and the Toolkit ratings', async () => {
    expect((await coordinator.post('/services', service())).statusCode).toBe(303);
    expect((await coordinator.post('/services', service({ name: 'LifeSkills', domain: 'strengthen', minAge: '8', maxAge: '11', plannedWeeks: '' }))).statusCode).toBe(303);
    const forFifteen = await analyst.get('/services?age=15');
    expect(forFifteen.body).toContain('A&amp;E navigators');
    expect(forFifteen.body).not.toContain('LifeSkills');
    expect(forFifteen.body).toContain('0 of 40 in use');
    expect(forFifteen.body).toContain('Moderate');
    const strengthen = await analyst.get('/services?domain=strengthen');
    expect(strengthen.body).toContain('LifeSkills');
    expect(strengthen.body).not.toContain('A&amp;E navigators');
    expect((await analyst.get('/services?age=old')).statusCode).toBe(400);
    expect((await coordinator.post('/services', service())).body).toContain('already in the directory');
  });

  it('refuses a stale edit and keeps the words typed', async () => {
    const row = await t.db.selectFrom('service').select(['id', 'version']).where('name', '=', 'LifeSkills').executeTakeFirstOrThrow();
    const first = await coordinator.post(`/services/${row.id}`, { ...service({ name: 'LifeSkills', domain: 'strengthen', minAge: '8', maxAge: '11', capacity: '300' }), version: String(row.version) });
    expect(first.statusCode).toBe(303);
    const stale = await coordinator.post(`/services/${row.id}`, { ...service({ name: 'LifeSkills', domain: 'strengthen', minAge: '8', maxAge: '11', capacity: '250' }), version: String(row.version) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Someone else changed this service');
    expect(stale.body).toContain('value="250"');
    expect((await t.db.selectFrom('service').select('capacity').where('id', '=', row.id).executeTakeFirstOrThrow()).capacity).toBe(300);
  });
});
