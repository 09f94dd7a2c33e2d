import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, signedIn, testApp, type Client, type TestApp, submit } from '../support/app.ts';

let t: TestApp;
let worker: Client;
let workerId: string;
let other: Client;
let child: string;
let sister: string;
let councilId: string;

async function person(given: string, family: string, dob: string) {
  const row = await t.db.insertInto('person').values({ given_name: given, family_name: family, date_of_birth: dob, sex: 'female', ethnicity: 'not_stated', agency_id: councilId }).returning('id').executeTakeFirstOrThrow();
  const { refreshMatchKeys } = await import('../../src/modules/people/queries.ts');
  await refreshMatchKeys(t.db, [row.id]);
  return row.id;
}

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council' });
  councilId = council.id;
  const nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  const u = await makeUser(t.db, council.id, ['caseworker']);
  workerId = u.id;
  worker = await signedIn(t, u);
  other = await signedIn(t, await makeUser(t.db, nhs.id, ['panel_chair']));
  child = await person('Aaliyah', 'Okafor', '2011-03-04');
  sister = await person('Zainab', 'Okafor', '2008-07-09');
  // The NHS tells the partnership it works with the sister.
  await t.db.insertInto('person_involvement').values({ person_id: sister, agency_id: nhs.id, kind: 'CAMHS', since: '2026-01-10', contact_name: 'Dr Patel', contact_detail: '020 7946 0000' }).execute();
});
afterAll(() => t.close());

describe('families', () => {
  let familyId: string;

  it('starts a family from a person, needing a name and a relationship', async () => {
    const bad = await worker.post(`/people/${child}/families`, { familyName: '' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a name for the family');
    expect(bad.body).toContain('Select how they are related to the family');
    expect(await t.db.selectFrom('family').selectAll().execute()).toEqual([]);
    const res = await worker.post(`/people/${child}/families`, { familyName: 'The Okafor family', relationship: 'young_person' });
    expect(res.statusCode).toBe(303);
    familyId = String(res.headers.location).split('/').pop()!;
  });

  it('names one champion, finds and adds a sister, and shows every member’s involvement', async () => {
    expect((await worker.post(`/families/${familyId}/champion`, { championId: 'nobody' })).body).toContain('Select the family’s champion');
    expect((await submit(worker, `/families/${familyId}`, `/families/${familyId}/champion`, { championId: workerId })).statusCode).toBe(303);
    const found = await worker.post(`/families/${familyId}/members/search`, { name: 'Zaynab Okafor' });
    expect(found.body).toContain('Add Zainab Okafor');
    expect((await worker.post(`/families/${familyId}/members`, { personId: sister, relationship: '' })).body).toContain('Select how they are related');
    expect((await worker.post(`/families/${familyId}/members`, { personId: sister, relationship: 'sibling' })).statusCode).toBe(303);
    expect((await worker.post(`/families/${familyId}/members`, { personId: sister, relationship: 'sibling' })).statusCode).toBe(409);

    const page = await other.get(`/families/${familyId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Brother or sister');
    expect(page.body).toContain('CAMHS');
    expect(page.body).toContain('Dr Patel');
    expect(page.body).toMatch(/Test caseworker<\/strong>/);
    const viewed = await t.db.selectFrom('audit_event').select('person_id').where('action', '=', 'family.view').where('record_id', '=', familyId).execute();
    expect(new Set(viewed.map((v) => v.person_id))).toEqual(new Set([child, sister]));
    expect((await worker.get(`/people/${sister}`)).body).toContain('The Okafor family');
  });
});
