import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp, submit } from '../support/app.ts';

let t: TestApp;
let council: { id: string };
let yjs: { id: string };
let coordinator: Client;
let yjsWorker: Client;

const year = new Date().getFullYear();
const newPerson = (given: string, family: string, extra: Record<string, string> = {}) => ({
  givenName: given,
  familyName: family,
  'dateOfBirth-day': '12',
  'dateOfBirth-month': '4',
  'dateOfBirth-year': String(year - 15),
  sex: 'male',
  ethnicity: 'black_caribbean',
  postcode: 'e17 4pp',
  ...extra,
});
const count = async (table: 'person' | 'person_marker' | 'person_identifier') => Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  yjs = await makeAgency(t.db, { kind: 'youth_justice', name: 'Youth Justice Service' });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  yjsWorker = await signedIn(t, await makeUser(t.db, yjs.id, ['caseworker']));
});
afterAll(() => t.close());

describe('adding a person', () => {
  it('keeps a postcode typed without an address as their address', async () => {
    const res = await coordinator.post('/people', newPerson('Pax', 'Postcode', { confirmNew: 'yes', postcode: 'n1 9gu', 'dateOfBirth-day': '3', 'dateOfBirth-month': '9' }));
    expect(res.statusCode).toBe(303);
    const id = (res.headers.location as string).split('/').pop()!;
    expect(await t.db.selectFrom('person_address').select(['address', 'postcode']).where('person_id', '=', id).execute()).toEqual([{ address: 'Postcode only', postcode: 'N1 9GU' }]);
    expect((await coordinator.get(`/people/${id}`)).body).toMatch(/Postcode only<\/td><td class="govuk-table__cell">N1 9GU/);
  });

  it('refuses a wrong NHS check digit and a birth date in the future, saving nothing', async () => {
    const before = await count('person');
    const res = await yjsWorker.post('/people', newPerson('Ade', 'Bello', { nhsNumber: '943 476 5918', 'dateOfBirth-year': String(year + 1) }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('NHS number is not valid');
    expect(res.body).toContain('Date of birth must be today or in the past');
    expect(await count('person')).toBe(before);
  });

  it('shows possible matches with their reasons before making a second record, and makes it only when told', async () => {
    const first = await yjsWorker.post('/people', newPerson('Robert', 'Nowak', { nhsNumber: '9434765919' }));
    expect(first.statusCode).toBe(303);
    const robertId = (first.headers.location as string).split('/').pop()!;
    const before = await count('person');
    const again = await coordinator.post('/people', newPerson('Bob', 'Nowak'));
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('Is this one of these people?');
    expect(again.body).toContain('Same last name, and one first name is a short form of the other');
    expect(again.body).toContain('Same date of birth');
    expect(again.body).toContain(`href="/people/${robertId}"`);
    expect(again.body).toContain('Recorded by');
    expect(await count('person')).toBe(before);
    expect(await auditCount(t.db, { action: 'person.match', recordId: robertId })).toBe(1);
    const confirmed = await coordinator.post('/people', { ...newPerson('Bob', 'Nowak'), confirmNew: 'yes' });
    expect(confirmed.statusCode).toBe(303);
    expect(await count('person')).toBe(before + 1);
  });

  it('checks a person added to an incident against the record too', async () => {
    const first = await newResponse(t, council.id, 'Jayden', { family: 'Okoro' });
    const year15 = String(year - 15);
    const add = { role: 'victim', givenName: 'Okoro', familyName: 'Jayden', 'dateOfBirth-day': '1', 'dateOfBirth-month': '1', 'dateOfBirth-year': year15, sex: 'male', ethnicity: 'not_stated' };
    const res = await first.officer.post(`/incidents/${first.incidentId}/people`, add);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Same name, first and last names swapped');
    expect(res.body).toContain(`name="personId" value="${first.personId}"`);
    const before = await count('person');
    expect((await first.officer.post(`/incidents/${first.incidentId}/people`, { ...add, confirmNew: 'yes' })).statusCode).toBe(303);
    expect(await count('person')).toBe(before + 1);
  });

  it('finds people by a misspelt name in either order, and keeps names out of the URL', async () => {
    await yjsWorker.post('/people', { ...newPerson('Tyrese', 'Campbell'), confirmNew: 'yes' });
    const res = await coordinator.post('/people/search', { name: 'Cambell Tyrese' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Tyrese Campbell');
    expect(res.body).toMatch(/Similar name, first and last names swapped/);
    expect((await coordinator.post('/people/search', {})).body).toContain('Enter a name, date of birth, postcode or identifier');
  });
});

describe('the person page', () => {
  it('shows every agency working with the child as a line, opening the detail only for those who hold it', async () => {
    const ur = await newResponse(t, council.id, 'Kwame', { family: 'Asante' });
    // The youth justice service tells the partnership it works with Kwame.
    const flag = await yjsWorker.post(`/people/${ur.personId}/involvements`, { involvementKind: 'Youth justice order or out-of-court disposal', 'since-day': '1', 'since-month': '9', 'since-year': String(year), contactName: 'Dee Harper', contactDetail: '020 7946 0000' });
    expect(flag.statusCode).toBe(303);
    const asCouncil = await coordinator.get(`/people/${ur.personId}`);
    expect(asCouncil.statusCode).toBe(200);
    expect(asCouncil.body).toContain('moj-identity-bar');
    expect(asCouncil.body).toContain('Youth Justice Service');
    expect(asCouncil.body).toContain('Dee Harper');
    expect(asCouncil.body).toContain(`href="/urgent-responses/${ur.id}"`);
    // The youth justice worker sees that the council runs an urgent response, but cannot open it.
    const asYjs = await yjsWorker.get(`/people/${ur.personId}`);
    expect(asYjs.body).toContain('Urgent response');
    expect(asYjs.body).not.toContain(`href="/urgent-responses/${ur.id}"`);
    expect(asYjs.body).not.toContain(`/incidents/${ur.incidentId}`);
    // Each view is audited.
    expect(await auditCount(t.db, { action: 'person.view', recordId: ur.personId })).toBe(2);
  });

  it('answers an unknown person like a missing page', async () => {
    const res = await coordinator.get('/people/00000000-0000-4000-8000-000000000000');
    expect(res.statusCode).toBe(404);
  });

  it('adds checked identifiers, addresses and markers; only the raising agency takes a marker down', async () => {
    const res = await yjsWorker.post('/people', { ...newPerson('Liam', "O'Connor"), confirmNew: 'yes' });
    const id = (res.headers.location as string).split('/').pop()!;
    const identifiers = await count('person_identifier');
    const bad = await yjsWorker.post(`/people/${id}/identifiers`, { scheme: 'pnc', identifier: '2001/0171310X' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a real PNC ID');
    expect(await count('person_identifier')).toBe(identifiers);
    expect((await yjsWorker.post(`/people/${id}/identifiers`, { scheme: 'pnc', identifier: '01/171310W' })).statusCode).toBe(303);
    expect((await yjsWorker.post(`/people/${id}/addresses`, { newAddress: '2 Hoe Street', newPostcode: 'e17 9ab' })).statusCode).toBe(303);
    expect((await yjsWorker.post(`/people/${id}/markers`, { markerKind: 'risk_to_workers', markerDetail: 'Dog at the address' })).statusCode).toBe(303);
    const page = await coordinator.get(`/people/${id}`);
    expect(page.body).toContain('01/0171310W');
    expect(page.body).toContain('E17 9AB');
    expect(page.body).toContain('Risk to workers: do not visit alone: Dog at the address');
    const marker = await t.db.selectFrom('person_marker').select('id').where('person_id', '=', id).executeTakeFirstOrThrow();
    expect((await coordinator.post(`/people/${id}/markers/${marker.id}/remove`, {})).statusCode).toBe(404);
    expect((await submit(yjsWorker, `/people/${id}`, `/people/${id}/markers/${marker.id}/remove`, {})).statusCode).toBe(303);
    // The new postcode finds them.
    expect((await coordinator.post('/people/search', { postcode: 'E17 9AB' })).body).toContain("Liam O&#39;Connor");
  });
});

describe('merging duplicates', () => {
  it('moves everything onto the kept record, and undoing moves exactly that back', async () => {
    const a = await newResponse(t, council.id, 'Daniel', { family: 'Mensah' });
    const dup = await yjsWorker.post('/people', { ...newPerson('Danny', 'Mensah', { 'dateOfBirth-day': '1', 'dateOfBirth-month': '1' }), confirmNew: 'yes' });
    const dupId = (dup.headers.location as string).split('/').pop()!;
    await yjsWorker.post(`/people/${dupId}/markers`, { markerKind: 'interpreter_needed' });
    const page = await coordinator.get(`/people/${a.personId}/merge`);
    expect(page.body).toContain('Danny Mensah');
    const refused = await coordinator.post(`/people/${a.personId}/merge`, { mergedId: dupId });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Say how you know these are the same person');
    const merged = await submit(coordinator, `/people/${a.personId}/merge`, `/people/${a.personId}/merge`, { mergedId: dupId, reason: 'Same school and mother confirmed' });
    expect(merged.statusCode).toBe(303);
    const markers = await t.db.selectFrom('person_marker').select('person_id').where('kind', '=', 'interpreter_needed').execute();
    expect(markers.map((m) => m.person_id)).toContain(a.personId);
    expect((await coordinator.get(`/people/${dupId}`)).headers.location).toBe(`/people/${a.personId}`);
    // The merged record's name still finds the child.
    expect((await coordinator.post('/people/search', { name: 'Danny Mensah' })).body).toContain(`/people/${a.personId}`);
    expect(await auditCount(t.db, { action: 'person.merge', recordId: dupId })).toBe(1);
    const merge = await t.db.selectFrom('person_merge').select('id').where('merged_id', '=', dupId).executeTakeFirstOrThrow();
    expect((await yjsWorker.post(`/people/merges/${merge.id}/undo`, {})).statusCode).toBe(403);
    expect((await submit(coordinator, `/people/${a.personId}`, `/people/merges/${merge.id}/undo`, {})).statusCode).toBe(303);
    const back = await t.db.selectFrom('person_marker').select('person_id').where('kind', '=', 'interpreter_needed').executeTakeFirstOrThrow();
    expect(back.person_id).toBe(dupId);
    expect((await coordinator.get(`/people/${dupId}`)).statusCode).toBe(200);
    expect((await coordinator.post(`/people/merges/${merge.id}/undo`, {})).statusCode).toBe(404);
  });

  it('names every table that holds a person, so a merge leaves nothing behind', async () => {
    const { PERSON_TABLES } = await import('../../src/modules/people/merge.ts');
    const rows = await t.db
      .selectFrom('information_schema.columns' as never)
      .select(['table_name' as never])
      .where('column_name' as never, '=', 'person_id' as never)
      .where('table_schema' as never, '=', 'public' as never)
      .execute();
    const tables = (rows as { table_name: string }[]).map((r) => r.table_name).filter((n) => n !== 'audit_event');
    expect([...tables].sort()).toEqual([...PERSON_TABLES].sort());
  });
});

describe('cohort strands', () => {
  it('records a judgement with a reason and review date, lists it when the review is missed, and ends in one step', async () => {
    const res = await yjsWorker.post('/people', { ...newPerson('Ibrahim', 'Yusuf'), confirmNew: 'yes' });
    const id = (res.headers.location as string).split('/').pop()!;
    const noReason = await yjsWorker.post(`/people/${id}/cohort`, { strand: 'at_risk' });
    expect(noReason.statusCode).toBe(400);
    const review = new Date(Date.now() + 30 * 86_400_000);
    const ok = await submit(yjsWorker, `/people/${id}`, `/people/${id}/cohort`, { strand: 'at_risk', strandReason: 'Two weapon incidents in a month (police)', 'strandReview-day': String(review.getUTCDate()), 'strandReview-month': String(review.getUTCMonth() + 1), 'strandReview-year': String(review.getUTCFullYear()) });
    expect(ok.statusCode).toBe(303);
    expect((await coordinator.get(`/people/${id}`)).body).toContain('At risk, decided');
    expect((await coordinator.get('/cohorts/reviews')).body).not.toContain(`/people/${id}#cohort`);
    await t.db.updateTable('cohort_membership').set({ review_on: '2026-01-01' }).where('person_id', '=', id).execute();
    expect((await coordinator.get('/cohorts/reviews')).body).toContain(`/people/${id}#cohort`);
    expect((await submit(coordinator, `/people/${id}`, `/people/${id}/cohort/end`, { endReason: 'Engaged with mentoring; no incidents for six months' })).statusCode).toBe(303);
    expect((await coordinator.get('/cohorts/reviews')).body).not.toContain(`/people/${id}#cohort`);
  });
});
