import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { auditCount, incidentForm, makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let police: { id: string };
let council: { id: string };
let officer: Client;
let analyst: Client;
let coordinator: Client;

beforeAll(async () => {
  t = await testApp();
  police = await makeAgency(t.db, { kind: 'police' });
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  officer = await signedIn(t, await makeUser(t.db, police.id, ['police']));
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
});
afterAll(() => t.close());

const incidentCount = async () => Number((await t.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

async function record(overrides: Record<string, string | string[]> = {}) {
  const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, shareWith: [council.id], ...overrides }));
  expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
  return (res.headers.location as string).split('/').pop()!;
}

async function addPerson(id: string, person: Record<string, string>) {
  const res = await officer.post(`/incidents/${id}/people`, person);
  expect(res.statusCode, res.body.match(/govuk-error-message[\s\S]{0,200}/)?.[0]).toBe(303);
}

describe('recording an incident', () => {
  it('saves it with its borough and grid reference, audits it in the same transaction, and shows it', async () => {
    const before = await auditCount(t.db, { action: 'incident.record' });
    const id = await record();
    const row = await t.db.selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.borough_name).toBe('Waltham Forest');
    expect(row.borough_code).toBe('E09000031');
    expect(row.easting).toBeGreaterThan(537000);
    expect(row.easting).toBeLessThan(538000);
    expect(row.reference).toMatch(/^\d{4}-\d{6}$/);
    expect(await auditCount(t.db, { action: 'incident.record' })).toBe(before + 1);
    const page = await officer.get(`/incidents/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Outside Walthamstow Central station');
    expect(page.body).toContain('Incident recorded');
    expect(await auditCount(t.db, { action: 'incident.view', recordId: id })).toBe(1);
  });

  it('numbers incidents past a million without repeating a reference', async () => {
    await sql`SELECT setval('incident_reference_seq', 999998)`.execute(t.db);
    const refs = [];
    for (let i = 0; i < 3; i++) refs.push((await t.db.selectFrom('incident').select('reference').where('id', '=', await record()).executeTakeFirstOrThrow()).reference);
    expect(refs.map((r) => r.split('-')[1])).toEqual(['999999', '1000000', '1000001']);
  });

  it('creates one incident when the same form is submitted twice', async () => {
    const form = incidentForm({ sourceAgencyId: police.id });
    const count = await incidentCount();
    const first = await officer.post('/incidents', form);
    const second = await officer.post('/incidents', form);
    expect(first.headers.location).toBe(second.headers.location);
    expect(await incidentCount()).toBe(count + 1);
  });

  const bad: [string, Record<string, string>, string, string][] = [
    ['missing type', { type: '' }, 'type', 'Select the type of incident'],
    ['unknown type', { type: "knife_injury'; DROP TABLE incident; --" }, 'type', 'Select the type of incident'],
    ['missing date', { 'occurredAt-day': '', 'occurredAt-month': '', 'occurredAt-year': '' }, 'occurredAt-day', 'Enter when it happened'],
    ['impossible date', { 'occurredAt-day': '31', 'occurredAt-month': '2' }, 'occurredAt-day', 'must be a real date'],
    ['date in the future', { 'occurredAt-year': String(new Date().getFullYear() + 1) }, 'occurredAt-day', 'must be in the past'],
    ['time not a time', { 'occurredAt-time': '25:99' }, 'occurredAt-time', 'real time'],
    ['too long', { placeDescription: 'x'.repeat(301) }, 'placeDescription', '300 characters or fewer'],
    ['wrong type', { latitude: 'north', longitude: '0.1' }, 'latitude', 'must be a number'],
    ['out of range', { latitude: '95', longitude: '0.1' }, 'latitude', 'between'],
    ['one coordinate', { longitude: '' }, 'longitude', 'both latitude and longitude'],
    ['control characters', { sourceReference: 'abc\u0000def' }, 'sourceReference', 'control characters'],
    ['learned of before it happened', { 'notifiedAt-year': '2001' }, 'notifiedAt-day', 'after when it happened'],
    ['unknown share agency', { shareWith: '00000000-0000-4000-8000-000000000000' }, 'shareWith', 'Select agencies'],
  ];
  it.each(bad)('refuses %s with an error next to the field, and changes nothing', async (_name, overrides, field, message) => {
    const count = await incidentCount();
    const res = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, ...overrides }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain(`href="#${field}"`);
    expect(res.body).toContain(message);
    expect(await incidentCount()).toBe(count);
  });

  it('keeps script tags as text: stored as typed, shown escaped', async () => {
    const id = await record({ placeDescription: '<script>alert(1)</script> Hoe Street' });
    const page = await officer.get(`/incidents/${id}`);
    expect(page.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt; Hoe Street');
    expect(page.body).not.toContain('<script>alert(1)</script>');
  });
});

describe('people involved', () => {
  it('adds a new person and an existing one, with their age at the incident', async () => {
    const id = await record({ 'occurredAt-day': '1', 'occurredAt-month': '6', 'occurredAt-year': '2025', 'occurredAt-time': '16:10', 'notifiedAt-day': '1', 'notifiedAt-month': '6', 'notifiedAt-year': '2025', 'notifiedAt-time': '18:00' });
    await addPerson(id, { role: 'victim', givenName: 'Jayden', familyName: 'Okoro', 'dateOfBirth-day': '2', 'dateOfBirth-month': '6', 'dateOfBirth-year': '2009', sex: 'male', ethnicity: 'black_african', postcode: 'e17 4pp' });
    const person = await t.db.selectFrom('person').selectAll().where('family_name', '=', 'Okoro').executeTakeFirstOrThrow();
    expect(person.postcode).toBe('E17 4PP');
    const other = await record();
    const search = await officer.post(`/incidents/${other}/people/search`, { searchName: 'okoro jay' });
    expect(search.body).toContain('Jayden Okoro');
    expect(search.body).toContain(`value="${person.id}"`);
    await addPerson(other, { personId: person.id, role: 'suspect' });
    const page = await officer.get(`/incidents/${id}`);
    expect(page.body).toMatch(/Jayden Okoro[\s\S]*Victim[\s\S]*>15</);
    expect(await auditCount(t.db, { action: 'incident.add-person' })).toBeGreaterThanOrEqual(2);
  });

  it('refuses a person with bad details and changes nothing', async () => {
    const id = await record();
    const res = await officer.post(`/incidents/${id}/people`, { role: 'victim', givenName: '', familyName: 'X', sex: 'robot', ethnicity: 'martian', postcode: 'NOT A POSTCODE', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': '2999' });
    expect(res.statusCode).toBe(400);
    for (const field of ['givenName', 'sex', 'ethnicity', 'postcode', 'dateOfBirth-day']) expect(res.body).toContain(`href="#${field}"`);
    expect(await t.db.selectFrom('involvement').select('id').where('incident_id', '=', id).execute()).toHaveLength(0);
  });

  it('shows people pseudonymised and hides the narrative from an analyst', async () => {
    const id = await record({ narrative: 'Sensitive account of what happened.' });
    await addPerson(id, { role: 'victim', givenName: 'Amara', familyName: 'Mensah', sex: 'female', ethnicity: 'not_stated' });
    const page = await analyst.get(`/incidents/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Mensah');
    expect(page.body).toMatch(/Person [0-9A-F]{6}/);
    expect(page.body).not.toContain('Sensitive account');
    expect(page.body).toContain('your role does not allow you to read it');
    const full = await coordinator.get(`/incidents/${id}`);
    expect(full.body).toContain('Amara Mensah');
    expect(full.body).toContain('Sensitive account');
  });
});

describe('editing', () => {
  it('saves over the version seen, and refuses to overwrite a newer change, naming who made it', async () => {
    const id = await record();
    const form = await officer.get(`/incidents/${id}/edit`);
    const version = /name="version" value="(\d+)"/.exec(form.body)![1];
    const colleague = await signedIn(t, await makeUser(t.db, police.id, ['police']));
    const theirs = await colleague.post(`/incidents/${id}`, incidentForm({ sourceAgencyId: police.id, version, placeDescription: 'Their correction', shareWith: [council.id] }));
    expect(theirs.statusCode).toBe(303);
    const mine = await officer.post(`/incidents/${id}`, incidentForm({ sourceAgencyId: police.id, version, placeDescription: 'My stale edit', shareWith: [council.id] }));
    expect(mine.statusCode).toBe(409);
    expect(mine.body).toContain('Test police changed this incident on');
    expect(mine.body).toContain('Your changes have not been saved');
    const row = await t.db.selectFrom('incident').select(['place_description', 'version']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(row.place_description).toBe('Their correction');
    expect(row.version).toBe(Number(version) + 1);
    const history = await officer.get(`/incidents/${id}`);
    expect(history.body).toContain('Incident edited');
    expect(history.body).toContain('place description');
  });

  it('lets only the recording agency edit', async () => {
    const id = await record();
    expect((await coordinator.get(`/incidents/${id}`)).statusCode).toBe(200);
    expect((await coordinator.get(`/incidents/${id}/edit`)).statusCode).toBe(404);
  });
});

describe('the incident list', () => {
  it('filters, sorts and paginates, showing only what the agency may see', async () => {
    const id = await record({ type: 'gun_discharge', weapon: 'firearm' });
    const hiddenFromCouncil = await record({ type: 'gun_discharge', weapon: 'firearm', shareWith: [] });
    const list = await coordinator.get('/incidents?type=gun_discharge&sort=occurred&order=desc');
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`/incidents/${id}`);
    expect(list.body).not.toContain(`/incidents/${hiddenFromCouncil}`);
    const mine = await officer.get('/incidents?type=gun_discharge');
    expect(mine.body).toContain(`/incidents/${hiddenFromCouncil}`);
    const none = await coordinator.get('/incidents?borough=E09000001');
    expect(none.body).toContain('No incidents found');
    const bad = await coordinator.get('/incidents?borough=nowhere&from-day=40&from-month=1&from-year=2026');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('href="#borough"');
    expect(bad.body).toContain('href="#from-day"');
    for (let i = 0; i < 26; i++) await record({ type: 'homicide', weapon: 'knife' });
    const page1 = await officer.get('/incidents?type=homicide');
    expect(page1.body).toContain('Showing 1 to 25 of 26 incidents');
    expect(page1.body).toContain('page=2');
    const page2 = await officer.get('/incidents?type=homicide&page=2');
    expect(page2.body).toContain('Showing 26 to 26 of 26 incidents');
    // Past the end: no rows to carry the count, so it is asked alone, and the way back is offered.
    const page3 = await officer.get('/incidents?type=homicide&page=3');
    expect(page3.statusCode).toBe(200);
    expect(page3.body).not.toContain('No incidents found');
    expect(page3.body).toContain('page=2');
  });

  it('filters by the age band of those involved, at the time of the incident', async () => {
    const id = await record({ type: 'weapon_robbery', weapon: 'knife' });
    await addPerson(id, { role: 'victim', givenName: 'Young', familyName: 'Person', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': String(new Date().getFullYear() - 15), sex: 'male', ethnicity: 'white_british' });
    expect((await officer.get('/incidents?type=weapon_robbery&ageBand=under-18')).body).toContain(`/incidents/${id}`);
    expect((await officer.get('/incidents?type=weapon_robbery&ageBand=25-plus')).body).not.toContain(`/incidents/${id}`);
  });
});
