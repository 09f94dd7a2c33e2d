import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { monthOf } from '../../src/modules/figures/figures.ts';
import { incidentForm, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let council: { id: string };
let coordinator: Client;
let analyst: Client;
let caseworker: Client;
let outsider: Client;
let planId: string;
let incidentId: string;
let personId: string;
let hiddenReference: string;
let reviewId: string;

const idFrom = (location: unknown) => String(location).split('/').pop()!.split('#')[0];
const due = { 'dueOn-day': '31', 'dueOn-month': '3', 'dueOn-year': String(new Date().getFullYear() + 1) };

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  const yjs = await makeAgency(t.db, { kind: 'youth_justice' });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  caseworker = await signedIn(t, await makeUser(t.db, council.id, ['caseworker']));
  outsider = await signedIn(t, await makeUser(t.db, yjs.id, ['coordinator']));
  const r = await newResponse(t, council.id, 'Reviewed', { family: 'Child' });
  incidentId = r.incidentId;
  personId = r.personId;
  await t.db.insertInto('contact_attempt').values({ urgent_response_id: r.id, attempted_at: new Date(Date.now() - 20 * 3_600_000), with_whom: 'young_person', channel: 'phone', outcome: 'no_answer' }).execute();
  // An earlier incident the police kept to themselves: the council's reviewer must not see it.
  const hidden = await r.officer.post('/incidents', incidentForm({ sourceAgencyId: r.police.id, type: 'weapon_robbery', submissionKey: crypto.randomUUID() }, new Date(Date.now() - 40 * 86_400_000)));
  if (hidden.statusCode !== 303) throw new Error(hidden.body.match(/govuk-error-message[^<]*<[^>]*>[^<]*<\/span>([^<]*)/g)?.join(' ') ?? String(hidden.statusCode));
  const hiddenId = idFrom(hidden.headers.location);
  await t.db.insertInto('involvement').values({ incident_id: hiddenId, person_id: personId, role: 'suspect' }).execute();
  hiddenReference = (await t.db.selectFrom('incident').select('reference').where('id', '=', hiddenId).executeTakeFirstOrThrow()).reference;
  planId = (await t.db.insertInto('strategy').values({ name: 'Knife Crime Action Plan', kind: 'action_plan' }).returning('id').executeTakeFirstOrThrow()).id;
  await t.db.insertInto('strategy_action').values({ strategy_id: planId, number: '1.1', statement: 'Weapons sweeps' }).execute();
});
afterAll(() => t.close());

describe('rapid reviews', () => {
  it('starts from the incident page, refuses a review without a scope, and opens one with a reference', async () => {
    const incident = await coordinator.get(`/incidents/${incidentId}`);
    expect(incident.body).toContain(`/reviews/new?incident=${incidentId}`);
    expect((await coordinator.get(`/reviews/new?incident=${incidentId}`)).statusCode).toBe(200);

    const empty = await coordinator.post('/reviews', { incidentId, scope: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('govuk-error-summary');
    expect(empty.body).toContain('Enter the scope of the review');
    expect(await t.db.selectFrom('rapid_review').select('id').execute()).toHaveLength(0);

    const opened = await coordinator.post('/reviews', { incidentId, scope: 'How agencies worked with the young people in the two years before; school transition.' });
    expect(opened.statusCode).toBe(303);
    reviewId = idFrom(opened.headers.location);
    const row = await t.db.selectFrom('rapid_review').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    expect(row.reference).toMatch(/^RR-\d{4}-\d{3,}$/);
    expect(row.agency_id).toBe(council.id);
    // One review per incident: starting again leads to the one there is.
    expect((await coordinator.get(`/reviews/new?incident=${incidentId}`)).headers.location).toBe(`/reviews/${reviewId}`);
    expect((await coordinator.get(`/incidents/${incidentId}`)).body).toContain(`Rapid review ${row.reference}`);
  });

  it('an agency that cannot see the incident cannot start a review on it, and sees no timeline of its people', async () => {
    expect((await outsider.get(`/reviews/new?incident=${incidentId}`)).statusCode).toBe(404);
    expect((await outsider.post('/reviews', { incidentId, scope: 'x' })).statusCode).toBe(404);
    const page = await outsider.get(`/reviews/${reviewId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('its timeline is not shown to you');
    expect(page.body).not.toContain('Reviewed Child');
  });

  it('shows the reviewer a timeline of what their agency may see, and records each person viewed', async () => {
    const page = await coordinator.get(`/reviews/${reviewId}`);
    expect(page.statusCode).toBe(200);
    const reference = (await t.db.selectFrom('incident').select('reference').where('id', '=', incidentId).executeTakeFirstOrThrow()).reference;
    expect(page.body).toContain('What happened across agencies');
    expect(page.body).toContain(`Victim in incident ${reference}`);
    expect(page.body).toContain('The reviewed incident');
    const response = await t.db.selectFrom('urgent_response').select('reference').where('person_id', '=', personId).executeTakeFirstOrThrow();
    expect(page.body).toContain(`Urgent response ${response.reference} opened`);
    expect(page.body).toContain('Contact attempt with young person by phone: no answer');
    expect(page.body).not.toContain(hiddenReference);
    const audit = await t.db.selectFrom('audit_event').select(['person_id', 'record_id']).where('action', '=', 'review.view').execute();
    expect(audit).toContainEqual({ person_id: personId, record_id: reviewId });
  });

  it('those who read reviews without conducting them see the learning but no person', async () => {
    const page = await analyst.get(`/reviews/${reviewId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('What happened across agencies');
    expect(page.body).not.toContain('Reviewed Child');
    expect(page.body).not.toContain('Add a finding');
    expect((await caseworker.get('/reviews')).statusCode).toBe(403);
  });

  it('records findings, and recommendations that become tracked actions; a clash of numbers changes nothing', async () => {
    const noFinding = await coordinator.post(`/reviews/${reviewId}/findings`, { finding: ' ' });
    expect(noFinding.statusCode).toBe(400);
    expect(noFinding.body).toContain('Enter the finding');
    expect((await coordinator.post(`/reviews/${reviewId}/findings`, { finding: 'The move from primary to secondary school (transition) was not shared with the youth service.' })).statusCode).toBe(303);

    const base = { recommendation: 'Share school transition lists with the youth service each July.', strategyId: planId, leadPartners: 'Schools / Youth Service', ...due };
    const before = await t.db.selectFrom('strategy_action').select('id').execute();
    const noPlan = await coordinator.post(`/reviews/${reviewId}/recommendations`, { ...base, strategyId: '', number: '6.1' });
    expect(noPlan.statusCode).toBe(400);
    expect(noPlan.body).toContain('Select the plan that will track this recommendation');
    const clash = await coordinator.post(`/reviews/${reviewId}/recommendations`, { ...base, number: '1.1' });
    expect(clash.statusCode).toBe(400);
    expect(clash.body).toContain('That plan already has an action 1.1');
    expect(await t.db.selectFrom('strategy_action').select('id').execute()).toHaveLength(before.length);
    expect(await t.db.selectFrom('review_entry').select('id').where('kind', '=', 'recommendation').execute()).toHaveLength(0);

    const added = await coordinator.post(`/reviews/${reviewId}/recommendations`, { ...base, number: '6.1' });
    expect(added.statusCode).toBe(303);
    const action = await t.db.selectFrom('strategy_action').selectAll().where('strategy_id', '=', planId).where('number', '=', '6.1').executeTakeFirstOrThrow();
    expect(action.statement).toBe(base.recommendation);
    expect(action.lead_partners).toEqual(['Schools', 'Youth Service']);
    expect(action.due_on).toBe(`${due['dueOn-year']}-03-31`);
    const actionPage = await coordinator.get(`/strategy/actions/${action.id}`);
    expect(actionPage.body).toContain('From rapid review');
    expect(actionPage.body).toContain(`/reviews/${reviewId}`);
    const review = await coordinator.get(`/reviews/${reviewId}`);
    expect(review.body).toContain('Knife Crime Action Plan 6.1');
  });

  it('finds learning by words sent in a form, never in the address, and treats % as a character', async () => {
    const found = await analyst.post('/reviews/search', { words: 'transition youth' });
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('was not shared with the youth service');
    expect(found.body).toContain('Share school transition lists');
    const none = await analyst.post('/reviews/search', { words: '%%' });
    expect(none.body).toContain('No finding or recommendation matches');
    const empty = await analyst.post('/reviews/search', { words: '' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Enter words to search');
  });

  it('closes only from the version read, then refuses new learning; the board report lists it', async () => {
    const row = await t.db.selectFrom('rapid_review').select('version').where('id', '=', reviewId).executeTakeFirstOrThrow();
    const stale = await coordinator.post(`/reviews/${reviewId}/close`, { version: String(row.version - 1) });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('The review changed while you were reading it');
    expect((await coordinator.post(`/reviews/${reviewId}/close`, { version: String(row.version) })).statusCode).toBe(303);
    const closed = await t.db.selectFrom('rapid_review').selectAll().where('id', '=', reviewId).executeTakeFirstOrThrow();
    expect(closed.status).toBe('closed');
    expect(closed.closed_at).not.toBeNull();
    const late = await coordinator.post(`/reviews/${reviewId}/findings`, { finding: 'Too late' });
    expect(late.statusCode).toBe(409);
    expect(await t.db.selectFrom('review_entry').select('id').where('statement', '=', 'Too late').execute()).toHaveLength(0);

    // The report's twelve months end with this month, so a review opened today is in them.
    const month = monthOf(new Date());
    const board = await analyst.get(`/board?month=${month}`);
    expect(board.body).toContain('Rapid reviews open, and closed in the twelve months');
    expect(board.body).toContain(closed.reference);
    expect(board.body).not.toContain('Reviewed Child');
    expect(board.body).toContain('Group members (Reachable’s lists)');
    expect(board.body).toContain('People in recorded links (Reachable’s network)');
    const csv = await analyst.get(`/board/export.csv?month=${month}`);
    expect(csv.body).toContain(`rapid reviews,${closed.reference} (Knife injury),recommendations,1`);
  });

  it('refuses to close a review with no findings', async () => {
    const other = await newResponse(t, council.id, 'Second', { family: 'Child' });
    const opened = await coordinator.post('/reviews', { incidentId: other.incidentId, scope: 'A second review' });
    const id = idFrom(opened.headers.location);
    const refused = await coordinator.post(`/reviews/${id}/close`, { version: '1' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Record at least one finding before closing the review');
  });
});
