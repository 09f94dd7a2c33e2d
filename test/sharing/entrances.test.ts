// One sharing decision, every entrance (issue 18): referrals from the page
// and the API, an action given to another agency from the plan or from a
// meeting, a MASH referral, and an incident shared with a partner (by editing
// it, by adding the young person to one already shared, and through the API),
// each tried against every state of the decision: none, consent given,
// consent refused, a lawful basis waiting for its second person, and one
// confirmed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { decideSharing, type SharingState } from '../../src/modules/sharing/decision.ts';
import { londonToday } from '../../src/platform/time.ts';
import { formTime, incidentForm, makeAgency, makeUser, newResponse, signedIn, submit, type Client, testApp, type TestApp } from '../support/app.ts';

let t: TestApp;
let councilId: string;
let nhsId: string;
let serviceId: string;
let coordinator: Client;
let second: Client;
let apiKey: string;
const today = londonToday();
const [y, m, d] = today.split('-');

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  const nhs = await makeAgency(t.db, { kind: 'nhs_trust' });
  councilId = council.id;
  nhsId = nhs.id;
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  second = await signedIn(t, await makeUser(t.db, council.id, ['panel_chair']));
  apiKey = (await createApiClient(t.db, { agencyId: council.id, name: 'Case system', role: 'coordinator', createdBy: null })).secret;
  serviceId = (
    await t.db.insertInto('service').values({ name: 'Navigators', provider_agency_id: nhs.id, domain: 'treat', description: 'x', min_age: 10, max_age: 25, capacity: 10, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: 26 }).returning('id').executeTakeFirstOrThrow()
  ).id;
});
afterAll(() => t.close());

const when = () => formTime(new Date(Date.now() - 3_600_000), 'sharingAt');
const record = (personId: string, form: Record<string, string>) => coordinator.post(`/people/${personId}/sharing`, { sharingPurpose: 'Support after the stabbing', ...when(), ...form });

/** Puts a new young person's record in a state of the decision; answers their urgent response. */
async function inState(state: SharingState, n: number) {
  const r = await newResponse(t, councilId, `Share${state.replace('_', '')}${n}`, { family: 'Decision' });
  if (state === 'given') expect((await record(r.personId, { sharingKind: 'consent', sharingBy: 'young_person' })).statusCode).toBe(303);
  if (state === 'refused') expect((await record(r.personId, { sharingKind: 'refusal', sharingBy: 'parent_carer' })).statusCode).toBe(303);
  if (state === 'basis_pending' || state === 'basis_confirmed') {
    expect((await record(r.personId, { sharingKind: 'lawful_basis', sharingBasis: 'safeguarding_children', sharingReason: 'Risk of serious harm from the group that attacked him' })).statusCode).toBe(303);
  }
  if (state === 'basis_confirmed') {
    const basis = await t.db.selectFrom('sharing_decision').select(['id', 'version']).where('person_id', '=', r.personId).executeTakeFirstOrThrow();
    // The recorder cannot confirm it; a second person can.
    expect((await coordinator.post(`/people/${r.personId}/sharing/${basis.id}/confirm`, { version: String(basis.version) })).statusCode).toBe(409);
    expect((await second.post(`/people/${r.personId}/sharing/${basis.id}/confirm`, { version: String(basis.version) })).statusCode).toBe(303);
  }
  expect((await decideSharing(t.db, r.personId, nhsId)).state).toBe(state);
  return r;
}

type Entrance = (r: Awaited<ReturnType<typeof inState>>, n: number) => Promise<boolean>;
const consentReferral = { sharingBasis: 'consent', consentBy: 'young_person' };
const basisReferral = { sharingBasis: 'lawful_basis', lawfulBasis: 'safeguarding_children', basisReason: 'Risk of serious harm' };

const ENTRANCES: Record<string, Entrance> = {
  'a referral from the page, saying consent was given': async (r) => {
    const res = await coordinator.post(`/people/${r.personId}/refer`, { serviceId, reason: 'Support', ...consentReferral, 'consentOn-day': d, 'consentOn-month': m, 'consentOn-year': y, urgentResponseId: r.id, submissionKey: crypto.randomUUID() });
    return res.statusCode === 303;
  },
  'a referral from the page, on a lawful basis': async (r) => {
    const res = await coordinator.post(`/people/${r.personId}/refer`, { serviceId, reason: 'Support', ...basisReferral, urgentResponseId: r.id, submissionKey: crypto.randomUUID() });
    return res.statusCode === 303;
  },
  'a referral through the API, saying consent was given': async (r) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${apiKey}` }, payload: { personId: r.personId, serviceId, reason: 'Support', ...consentReferral, consentOn: today } });
    return res.statusCode === 201;
  },
  'a referral through the API, on a lawful basis': async (r) => {
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/referrals', headers: { authorization: `Bearer ${apiKey}` }, payload: { personId: r.personId, serviceId, reason: 'Support', ...basisReferral } });
    return res.statusCode === 201;
  },
  'an action from the plan given to another agency': async (r) => {
    const due = formTime(new Date(Date.now() + 3 * 86_400_000), 'actionDue');
    const res = await coordinator.post(`/urgent-responses/${r.id}/actions`, { actionDescription: 'Navigator to visit', actionAgency: nhsId, actionOwner: 'Sam Navigator', 'actionDue-day': due['actionDue-day'], 'actionDue-month': due['actionDue-month'], 'actionDue-year': due['actionDue-year'] });
    return res.statusCode === 303;
  },
  'an action from a meeting item given to another agency': async (r) => {
    // A meeting item about the young person (the chair adds one), then an action for another agency.
    const meeting = await t.db.insertInto('meeting').values({ type_code: 'drm', agency_id: councilId, starts_at: new Date(Date.now() - Math.floor(Math.random() * 1e9)) }).returning('id').executeTakeFirstOrThrow();
    const item = await t.db.insertInto('meeting_item').values({ meeting_id: meeting.id, position: 1, rule: 'chair', title: 'Young person at risk', why: 'Added by the chair', person_id: r.personId }).returning('id').executeTakeFirstOrThrow();
    const due = formTime(new Date(Date.now() + 3 * 86_400_000), 'actionDue');
    const res = await coordinator.post(`/meetings/${meeting.id}/items/${item.id}/actions`, { actionDescription: 'Navigator to visit', actionAgency: nhsId, actionOwner: 'Sam Navigator', 'actionDue-day': due['actionDue-day'], 'actionDue-month': due['actionDue-month'], 'actionDue-year': due['actionDue-year'] });
    return res.statusCode === 303;
  },
  'a MASH referral': async (r) => {
    const res = await coordinator.post(`/urgent-responses/${r.id}/mash-referral`, { concern: 'Threats from the group', ...formTime(new Date(Date.now() - 60_000), 'referredAt') });
    return res.statusCode === 303;
  },
  'an incident edited to share it with another agency': async (r) => {
    const res = await submit(r.officer, `/incidents/${r.incidentId}/edit`, `/incidents/${r.incidentId}`, { shareWith: [councilId, nhsId] });
    const shared = await t.db.selectFrom('incident_share').select('agency_id').where('incident_id', '=', r.incidentId).where('agency_id', '=', nhsId).executeTakeFirst();
    expect(Boolean(shared)).toBe(res.statusCode === 303);
    return res.statusCode === 303;
  },
  'the young person added to an incident already shared with another agency': async (r) => {
    const recorded = await r.officer.post('/incidents', incidentForm({ sourceAgencyId: r.police.id, shareWith: [councilId, nhsId] }));
    const incidentId = (recorded.headers.location as string).split('/').pop()!;
    const res = await r.officer.post(`/incidents/${incidentId}/people`, { personId: r.personId, role: 'witness' });
    const added = await t.db.selectFrom('involvement').select('id').where('incident_id', '=', incidentId).where('person_id', '=', r.personId).executeTakeFirst();
    expect(Boolean(added)).toBe(res.statusCode === 303);
    return res.statusCode === 303;
  },
  'an incident through the API naming the young person, shared with another agency': async (r) => {
    const key = (await createApiClient(t.db, { agencyId: r.police.id, name: 'Crime system', role: 'police', createdBy: null })).secret;
    const payload = {
      occurredAt: new Date(Date.now() - 7_200_000).toISOString(),
      notifiedAt: new Date(Date.now() - 3_600_000).toISOString(),
      type: 'weapon_robbery',
      weapon: 'knife',
      place: { description: 'Hoe Street, Walthamstow', latitude: 51.5852, longitude: -0.0171 },
      shareWith: [councilId, nhsId],
      people: [{ role: 'witness', personId: r.personId }],
    };
    const res = await t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}` }, payload });
    if (res.statusCode !== 201) expect(res.body, res.body).toMatch(/refused consent|No data sharing agreement in force/);
    return res.statusCode === 201;
  },
};

// What each state allows at each entrance. A consent claim records consent, unless consent was refused.
// Incidents are shared under the partnership's agreement for the Urgent Response protocol: only a refusal stops them.
const ALLOWED: Record<SharingState, Record<string, boolean>> = {
  none: { consent: true, basis: false, other: false, incident: true },
  given: { consent: true, basis: true, other: true, incident: true },
  refused: { consent: false, basis: false, other: false, incident: false },
  basis_pending: { consent: true, basis: false, other: false, incident: true },
  basis_confirmed: { consent: true, basis: true, other: true, incident: true },
};
const sort = (name: string) => (name.includes('incident') ? 'incident' : name.includes('consent was given') ? 'consent' : name.includes('lawful basis') ? 'basis' : 'other');

// The routes these entrances are, found in the route table by what they audit: a new route that shares must join the walk.
const SHARING_AUDITS = ['referral.send', 'urgent-response.plan-action', 'meeting.action', 'urgent-response.mash-referral', 'incident.record', 'incident.edit', 'incident.add-person'];
const ROUTES_WALKED = ['POST /people/:id/refer', 'POST /api/v1/referrals', 'POST /urgent-responses/:id/actions', 'POST /meetings/:id/items/:itemId/actions', 'POST /urgent-responses/:id/mash-referral', 'POST /incidents/:id', 'POST /incidents/:id/people', 'POST /api/v1/incidents'];
// Recording an incident on the page names nobody yet: adding someone to it is the entrance walked above.
const NAMES_NOBODY = ['POST /incidents'];

describe('every entrance that shares, against every state of the decision', () => {
  it('walks every route that shares', () => {
    const sharing = t.app.routeTable.filter((r) => r.method === 'POST' && SHARING_AUDITS.includes(r.audit ?? '')).map((r) => `${r.method} ${r.url}`);
    expect(sharing.sort()).toEqual([...ROUTES_WALKED, ...NAMES_NOBODY].sort());
  });

  it.each(Object.keys(ALLOWED) as SharingState[])('%s', async (state) => {
    const outcomes: Record<string, boolean> = {};
    let n = 0;
    for (const [name, entrance] of Object.entries(ENTRANCES)) {
      const r = await inState(state, n++);
      outcomes[name] = await entrance(r, n);
    }
    expect(outcomes).toEqual(Object.fromEntries(Object.keys(ENTRANCES).map((name) => [name, ALLOWED[state][sort(name)]])));
  });

  it('keeps consent a referral says was given against the young person, and a refusal binds until it is withdrawn', async () => {
    const r = await inState('none', 99);
    expect(await ENTRANCES['a referral through the API, saying consent was given'](r, 0)).toBe(true);
    expect(await t.db.selectFrom('sharing_decision').select(['kind', 'by_whom', 'to_agency_id', 'recorded_by_client']).where('person_id', '=', r.personId).execute()).toEqual([
      { kind: 'consent', by_whom: 'young_person', to_agency_id: nhsId, recorded_by_client: expect.any(String) },
    ]);
    // Refused later: the next entrance is refused, until the refusal is withdrawn.
    await record(r.personId, { sharingKind: 'refusal', sharingBy: 'young_person', ...formTime(new Date(Date.now() - 60_000), 'sharingAt') });
    expect(await ENTRANCES['a MASH referral'](r, 0)).toBe(false);
    const refusal = await t.db.selectFrom('sharing_decision').select(['id', 'version']).where('person_id', '=', r.personId).where('kind', '=', 'refusal').executeTakeFirstOrThrow();
    // A stale version is refused and changes nothing.
    expect((await coordinator.post(`/people/${r.personId}/sharing/${refusal.id}/withdraw`, { version: String(refusal.version + 1) })).statusCode).toBe(409);
    expect((await coordinator.post(`/people/${r.personId}/sharing/${refusal.id}/withdraw`, { version: String(refusal.version) })).statusCode).toBe(303);
    expect((await decideSharing(t.db, r.personId, nhsId)).state).toBe('given');
  });
});

// Every entrance that shares with an agency no data sharing agreement covers (issue 21): with consent given, each is
// refused all the same, and nothing is shared. A MASH referral stays within the coordinating agency, so is not walked.
describe('every entrance that shares, with an agency no agreement covers', () => {
  beforeAll(async () => {
    const outside = await makeAgency(t.db, { name: 'Unagreed Youth Charity', kind: 'voluntary', agreement: false });
    // The entrances above share with `nhsId` and its service: from here on, with this agency and its service.
    nhsId = outside.id;
    serviceId = (
      await t.db.insertInto('service').values({ name: 'Unagreed mentoring', provider_agency_id: outside.id, domain: 'treat', description: 'x', min_age: 10, max_age: 25, capacity: 10, referral_criteria: 'Any', contact: 'x@example.org', planned_weeks: 26 }).returning('id').executeTakeFirstOrThrow()
    ).id;
  });

  it.each(Object.keys(ENTRANCES).filter((name) => name !== 'a MASH referral'))('%s is refused', async (name) => {
    const r = await inState('given', 500 + Object.keys(ENTRANCES).indexOf(name));
    expect(await ENTRANCES[name](r, 0)).toBe(false);
    // No incident naming them is shared with the agency (one that names nobody may be).
    const named = t.db.selectFrom('involvement').select('incident_id').where('person_id', '=', r.personId);
    expect(await t.db.selectFrom('incident_share').select('incident_id').where('agency_id', '=', nhsId).where('incident_id', 'in', named).execute()).toEqual([]);
    expect(await t.db.selectFrom('action').select('id').where('owner_agency_id', '=', nhsId).execute()).toEqual([]);
    expect(await t.db.selectFrom('referral').select('id').where('service_id', '=', serviceId).execute()).toEqual([]);
  });

  it('says which agreement is missing', async () => {
    const r = await inState('given', 600);
    const res = await coordinator.post(`/people/${r.personId}/refer`, { serviceId, reason: 'Support', ...consentReferral, 'consentOn-day': d, 'consentOn-month': m, 'consentOn-year': y, urgentResponseId: r.id, submissionKey: crypto.randomUUID() });
    expect(res.body).toContain('No data sharing agreement in force covers referrals to services between');
    expect(res.body).toContain('Unagreed Youth Charity');
  });
});
