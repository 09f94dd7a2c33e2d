// Contextual safeguarding (issue 5, item 5): an assessment of a peer group, a
// school or a location, with harms, strengths, who was consulted, the plan,
// interventions aimed at the context, reviews, and the people and incidents in
// it. Read across the partnership; changed only by the agency leading it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentForm, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp, submit } from '../support/app.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { dateParts } from '../../src/platform/forms.ts';

let t: TestApp;
let council: { id: string };
let caseworker: Client;
let officer: Client;
let analyst: Client;
let victim: string;
let member: string;
let incidentRef: string;
let hiddenRef: string;
let placeId: string;
let groupId: string;
let assessmentId: string;
const today = londonToday();

const assessmentForm = (overrides: Record<string, string | string[]> = {}) => ({
  contextKind: 'location',
  placeId,
  ...dateParts('assessedOn', today),
  harmIndicators: ['violence', 'criminal_exploitation'],
  harmDetail: 'Older men approach pupils at the bus stops after school and offer them work.',
  protectiveFactors: ['trusted_adults'],
  protectiveDetail: 'The café owner knows the young people by name.',
  consulted: 'Six young people at the youth club, the school DSL, the café owner, BTP.',
  plan: 'Detached youth workers at the bus stops 15:00 to 17:00; better lighting in the alley.',
  ...dateParts('reviewOn', addDays(today, 90)),
  ...overrides,
});

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  caseworker = await signedIn(t, await makeUser(t.db, council.id, ['caseworker']));
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  const r = await newResponse(t, council.id, 'Cora', { family: 'Context' });
  victim = r.personId;
  officer = r.officer;
  incidentRef = (await t.db.selectFrom('incident').select('reference').where('id', '=', r.incidentId).executeTakeFirstOrThrow()).reference;
  // A police incident shared with nobody: the council cannot link it, or learn that it exists.
  const hidden = await officer.post('/incidents', incidentForm({ sourceAgencyId: r.police.id }));
  hiddenRef = (await t.db.selectFrom('incident').select('reference').where('id', '=', (hidden.headers.location as string).split('/').pop()!).executeTakeFirstOrThrow()).reference;
  placeId = (await t.db.insertInto('place').values({ name: 'Bakers Arms bus stops', kind: 'street' }).returning('id').executeTakeFirstOrThrow()).id;
  groupId = (await t.db.insertInto('network_group').values({ name: 'Lea Bridge Lot', kind: 'peer_group', agency_id: council.id }).returning('id').executeTakeFirstOrThrow()).id;
  member = (
    await t.db
      .insertInto('person')
      .values({ agency_id: council.id, given_name: 'Milo', family_name: 'Member', date_of_birth: `${new Date().getFullYear() - 14}-03-01`, sex: 'male', ethnicity: 'not_stated' })
      .returning('id')
      .executeTakeFirstOrThrow()
  ).id;
  await t.db
    .insertInto('association')
    .values({ kind: 'person_place', link_type: 'frequents', person_id: member, place_id: placeId, agency_id: council.id, valid_from: addDays(today, -40), reason: 'Seen there most days', review_on: addDays(today, 100) })
    .execute();
});
afterAll(() => t.close());

describe('context assessments', () => {
  it('refuses an assessment without its harms, who was consulted or a plan, or reviewed more than a year away, and saves nothing', async () => {
    const bad = await caseworker.post('/contexts', assessmentForm({ harmDetail: '', consulted: '', plan: '', ...dateParts('reviewOn', addDays(today, 400)) }));
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('govuk-error-summary');
    expect(bad.body).toContain('Enter what harm happens in this context');
    expect(bad.body).toContain('Enter who was consulted');
    expect(bad.body).toContain('Enter the plan');
    expect(bad.body).toContain('The review date must be within a year');
    const noGroup = await caseworker.post('/contexts', assessmentForm({ contextKind: 'peer_group', placeId: '' }));
    expect(noGroup.body).toContain('Select the peer group');
    expect(await t.db.selectFrom('context_assessment').select('id').execute()).toHaveLength(0);
  });

  it('records an assessment of a location and shows it, on the list and on its page', async () => {
    const made = await caseworker.post('/contexts', assessmentForm());
    expect(made.statusCode).toBe(303);
    assessmentId = made.headers.location!.split('/').pop()!;
    const row = await t.db.selectFrom('context_assessment').selectAll().where('id', '=', assessmentId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ context_kind: 'location', place_id: placeId, group_id: null, agency_id: council.id, harm_indicators: ['violence', 'criminal_exploitation'], review_on: addDays(today, 90) });
    const list = await caseworker.get('/contexts');
    expect(list.body).toContain('Bakers Arms bus stops');
    const page = await caseworker.get(`/contexts/${assessmentId}`);
    expect(page.body).toContain('Criminal exploitation (including county lines)');
    expect(page.body).toContain('Detached youth workers at the bus stops');
    expect(page.body).toContain('the café owner, BTP');
    // The people recorded at the place are offered for linking in one step.
    expect(page.body).toContain('Milo Member');
  });

  it('adds interventions aimed at the context and moves them on', async () => {
    const bad = await caseworker.post(`/contexts/${assessmentId}/interventions`, { kind: 'lighting', description: '', leadAgencyId: council.id });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter what will be done');
    expect((await caseworker.post(`/contexts/${assessmentId}/interventions`, { kind: 'detached_youth_work', description: 'Two youth workers at the stops on school days', leadAgencyId: council.id, ...dateParts('dueOn', addDays(today, 14)) })).statusCode).toBe(303);
    const { id } = await t.db.selectFrom('context_intervention').select('id').executeTakeFirstOrThrow();
    expect((await submit(caseworker, `/contexts/${assessmentId}`, `/contexts/${assessmentId}/interventions/status`, { interventionId: id, status: 'in_place' })).statusCode).toBe(303);
    const page = await caseworker.get(`/contexts/${assessmentId}`);
    expect(page.body).toContain('Two youth workers at the stops on school days');
    expect(page.body).toContain('In place');
  });

  it('links people with a reason (each view of them audited) and incidents the agency may see; another agency’s unshared incident answers as missing', async () => {
    const noReason = await caseworker.post(`/contexts/${assessmentId}/people`, { personIds: [member] });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why they belong to this context');
    expect((await caseworker.post(`/contexts/${assessmentId}/people`, { personIds: [member, victim], reason: 'Both wait at the stops after school' })).statusCode).toBe(303);
    const found = await caseworker.post(`/contexts/${assessmentId}/people/search`, { name: 'Cora Context' });
    expect(found.statusCode).toBe(200);

    const hidden = await caseworker.post(`/contexts/${assessmentId}/incidents`, { reference: hiddenRef, incidentReason: 'At the stops' });
    expect(hidden.statusCode).toBe(400);
    expect(hidden.body).toContain('There is no incident with that reference that you can see');
    expect((await caseworker.post(`/contexts/${assessmentId}/incidents`, { reference: incidentRef, incidentReason: 'Stabbing at the stops' })).statusCode).toBe(303);

    const before = await t.db.selectFrom('audit_event').select('seq').where('action', '=', 'context.view').where('person_id', '=', member).execute();
    const page = await caseworker.get(`/contexts/${assessmentId}`);
    expect(page.body).toContain('Milo Member');
    expect(page.body).toContain('Cora Context');
    expect(page.body).toContain(incidentRef);
    const after = await t.db.selectFrom('audit_event').select('seq').where('action', '=', 'context.view').where('person_id', '=', member).execute();
    expect(after.length).toBe(before.length + 1);
    // The young person's own record lists the contexts they are part of.
    expect((await caseworker.get(`/people/${member}/links`)).body).toContain('Both wait at the stops after school');
  });

  it('takes someone off with a reason: off the page, kept as history', async () => {
    const link = await t.db.selectFrom('context_link').select('id').where('person_id', '=', victim).executeTakeFirstOrThrow();
    const noReason = await caseworker.post(`/contexts/${assessmentId}/links/remove`, { linkId: link.id });
    expect(noReason.statusCode).toBe(400);
    expect((await submit(caseworker, `/contexts/${assessmentId}`, `/contexts/${assessmentId}/links/remove`, { linkId: link.id, removalReason: 'Moved out of the borough' })).statusCode).toBe(303);
    const page = await caseworker.get(`/contexts/${assessmentId}`);
    expect(page.body).not.toContain('Cora Context</td>');
    expect(await t.db.selectFrom('context_link').select(['removed_at', 'removal_reason']).where('id', '=', link.id).executeTakeFirstOrThrow()).toMatchObject({ removal_reason: 'Moved out of the borough' });
  });

  it('is read by the police but changed only by the agency leading it; analysts do not read it', async () => {
    const page = await officer.get(`/contexts/${assessmentId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Add the intervention');
    const change = await officer.post(`/contexts/${assessmentId}/interventions`, { kind: 'patrols', description: 'Patrols', leadAgencyId: council.id });
    expect(change.statusCode).toBe(403);
    const other = await makeAgency(t.db, { kind: 'council' });
    const otherCaseworker = await signedIn(t, await makeUser(t.db, other.id, ['caseworker']));
    const otherChange = await otherCaseworker.post(`/contexts/${assessmentId}/interventions`, { kind: 'patrols', description: 'Patrols', leadAgencyId: other.id });
    expect(otherChange.statusCode).toBe(404);
    expect((await analyst.get(`/contexts/${assessmentId}`)).statusCode).toBe(403);
  });

  it('reviews from the version read: the next date moves on; a stale review changes nothing; closing ends changes', async () => {
    const { version } = await t.db.selectFrom('context_assessment').select('version').where('id', '=', assessmentId).executeTakeFirstOrThrow();
    const noOutcome = await caseworker.post(`/contexts/${assessmentId}/review`, { version: String(version), summary: 'Fewer approaches reported' });
    expect(noOutcome.statusCode).toBe(400);
    const next = addDays(today, 60);
    expect((await caseworker.post(`/contexts/${assessmentId}/review`, { version: String(version), summary: 'Fewer approaches reported', outcome: 'continue', ...dateParts('nextReviewOn', next) })).statusCode).toBe(303);
    expect((await t.db.selectFrom('context_assessment').select('review_on').where('id', '=', assessmentId).executeTakeFirstOrThrow()).review_on).toBe(next);
    const stale = await caseworker.post(`/contexts/${assessmentId}/review`, { version: String(version), summary: 'Another view', outcome: 'close' });
    expect(stale.statusCode).toBe(409);
    expect(await t.db.selectFrom('context_review').select('id').execute()).toHaveLength(1);
    expect((await caseworker.post(`/contexts/${assessmentId}/review`, { version: String(version + 1), summary: 'Lighting fixed; no incidents in two months', outcome: 'close' })).statusCode).toBe(303);
    const closed = await caseworker.post(`/contexts/${assessmentId}/interventions`, { kind: 'cctv', description: 'Camera', leadAgencyId: council.id });
    expect(closed.statusCode).toBe(409);
    expect((await caseworker.get('/contexts')).body).toContain('Closed assessments');
  });
});
