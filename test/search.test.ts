// The search box in the header (issue 22): a reference opens its record when
// the user may see it, and answers the same as a missing one when not; a name
// goes through the identity matcher, by POST, audited.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditCount, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from './support/app.ts';

let t: TestApp;
let councilId: string;
let coordinator: Client;
let otherCoordinator: Client;
let board: Client;
let response: Awaited<ReturnType<typeof newResponse>>;

beforeAll(async () => {
  t = await testApp();
  councilId = (await makeAgency(t.db, { kind: 'council', receivesIncidents: true })).id;
  const other = await makeAgency(t.db, { kind: 'council' });
  coordinator = await signedIn(t, await makeUser(t.db, councilId, ['coordinator']));
  otherCoordinator = await signedIn(t, await makeUser(t.db, other.id, ['coordinator']));
  board = await signedIn(t, await makeUser(t.db, councilId, ['board_member']));
  response = await newResponse(t, councilId, 'Searchable', { family: 'Okonkwo' });
});
afterAll(() => t.close());

const search = (client: Client, q: string) => client.post('/search', { q });

describe('the header search', () => {
  it('is on every signed-in page, posting so that what is searched stays out of the address', async () => {
    const page = await coordinator.get('/incidents');
    expect(page.body).toMatch(/<form method="post" action="\/search"[^>]*role="search"/);
    expect(page.body).toContain('<label class="govuk-label govuk-body-s govuk-!-margin-bottom-0" for="header-search">Find a name or reference</label>');
  });

  it('opens an urgent response and an incident by reference, in any case and with spaces around it', async () => {
    const ur = await t.db.selectFrom('urgent_response').select('reference').where('id', '=', response.id).executeTakeFirstOrThrow();
    const found = await search(coordinator, `  ${ur.reference.toLowerCase()} `);
    expect(found.statusCode).toBe(303);
    expect(found.headers.location).toBe(`/urgent-responses/${response.id}`);
    const incident = await t.db.selectFrom('incident').select('reference').where('id', '=', response.incidentId).executeTakeFirstOrThrow();
    expect((await search(coordinator, incident.reference)).headers.location).toBe(`/incidents/${response.incidentId}`);
    expect(await auditCount(t.db, { action: 'search.reference' })).toBeGreaterThanOrEqual(2);
  });

  it('answers another agency’s reference exactly as one that does not exist', async () => {
    const ur = await t.db.selectFrom('urgent_response').select('reference').where('id', '=', response.id).executeTakeFirstOrThrow();
    const theirs = await search(otherCoordinator, ur.reference);
    const missing = await search(otherCoordinator, 'UR-999999');
    expect(theirs.statusCode).toBe(404);
    expect(missing.statusCode).toBe(404);
    const words = (html: string) => html.match(/<p class="govuk-body">There is no record[\s\S]*?<\/p>/)![0].replace(/UR-\d+/, 'REF');
    expect(words(theirs.body)).toBe(words(missing.body));
  });

  it('finds a person by a name spelt another way, through the identity matcher, audited', async () => {
    const before = await auditCount(t.db, { action: 'person.search' });
    const found = await search(coordinator, 'Searchable Okonkwo');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain(`/people/${response.personId}`);
    expect(await auditCount(t.db, { action: 'person.search' })).toBeGreaterThan(before);
  });

  it('tells a role that cannot look people up to use a reference, and asks for words when there are none', async () => {
    const named = await search(board, 'Searchable Okonkwo');
    expect(named.statusCode).toBe(200);
    expect(named.body).toContain('is not a reference');
    expect(named.body).not.toContain(`/people/${response.personId}`);
    const empty = await search(coordinator, '');
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter a name, or a reference like UR-000123');
  });
});
