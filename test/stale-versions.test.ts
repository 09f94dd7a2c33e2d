// Two people never silently overwrite each other (issue 18), walked over the
// route table: every POST that changes or ends an existing record is opened
// on the page a user would use, someone else changes the record, and the save
// from the page as it was read is refused (409) with nothing changed; read
// again, the same save goes in. Every other POST on an existing record is
// listed with why it cannot overwrite anything, so a new route is one or the
// other before the suite passes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { DEMO_EMAIL_DOMAIN } from '../src/modules/demo/accounts.ts';
import { createApiClient } from '../src/modules/access/accounts.ts';
import { mergePeople } from '../src/modules/people/merge.ts';
import { refreshMatchKeys } from '../src/modules/people/queries.ts';
import { assignableWorkers, openForIncidents } from '../src/modules/urgent-response/queries.ts';
import { buildAgenda } from '../src/modules/meetings/agenda.ts';
import { recordOrder } from '../src/modules/orders/queries.ts';
import { recordMissing, recordNrm } from '../src/modules/exploitation/queries.ts';
import { makeProduct } from '../src/modules/products/operations.ts';
import type { Versioned } from '../src/platform/versions.ts';
import { dateParts } from '../src/platform/forms.ts';
import { londonToday } from '../src/platform/time.ts';
import { addDays } from '../src/platform/workingDays.ts';
import { formFields } from './support/forms.ts';
import { formTime, makeAgency, makeUser, signedIn, testApp, type Client, type TestApp } from './support/app.ts';

let t: TestApp;
beforeAll(async () => {
  t = await testApp();
  await seedDemo(t.db, { scale: 'borough', seed: 11, people: 150, incidents: 300 });
  await enoughOpenResponses(10);
}, 120_000);

/**
 * How many urgent responses the demo leaves open depends on the hour it runs (its incidents are placed
 * back from now): the walk opens its own through the domain, from a knife injury two hours ago, then
 * builds the planned DRM meeting's agenda again so it has items to edit.
 */
async function enoughOpenResponses(count: number) {
  const police = await agencyId('Metropolitan Police');
  const council = await agencyId('Waltham Forest Council');
  const at = new Date(Date.now() - 2 * 3_600_000);
  await t.db.transaction().execute(async (trx) => {
    for (let i = 0; i < count; i++) {
      const person = await trx.insertInto('person').values({ given_name: `Walk${i}`, family_name: 'Opened', date_of_birth: '2010-05-06', sex: 'male', ethnicity: 'not_stated', agency_id: police }).returning('id').executeTakeFirstOrThrow();
      const incident = await trx
        .insertInto('incident')
        .values({ reference: `INC-WALK-${i}`, agency_id: police, source_agency_id: police, occurred_at: at, notified_at: at, type_code: 'knife_injury', weapon: 'knife', place_description: 'Hoe Street', borough_name: 'Waltham Forest' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx.insertInto('involvement').values({ incident_id: incident.id, person_id: person.id, role: 'victim' }).execute();
      await openForIncidents(trx, [incident.id], { userId: null });
    }
    const meeting = await trx.selectFrom('meeting').innerJoin('meeting_type', 'meeting_type.code', 'meeting.type_code').select(['meeting.id', 'meeting.agency_id', 'meeting.type_code', 'meeting.starts_at', 'meeting_type.interval_days', 'meeting_type.agenda_rules']).where('meeting.status', '=', 'planned').where('meeting.type_code', '=', 'drm').executeTakeFirstOrThrow();
    await buildAgenda(trx, { ...meeting, starts_at: new Date(meeting.starts_at) }, meeting.agenda_rules, null);
  });
  const open = await t.db.selectFrom('urgent_response').select('id').where('status', '=', 'open').where('agency_id', '=', council).execute();
  expect(open.length).toBeGreaterThanOrEqual(count);
}
afterAll(() => t.close());

/** POSTs on an existing record that add to it (or only read), and why none can overwrite what someone else saved. */
const NOT_EDITS: Record<string, string> = {
  'POST /meeting-types/:code': 'a meeting type is keyed by its code, not an id: its form carries the version it read, and the stale save is tried in test/meetings/types.test.ts',
  'POST /meetings/:id/items/:itemId/plan-review': 'adds a new review of the plan; earlier reviews are kept as they were',
  'POST /people/:id/meeting-referral': 'adds a referral to a panel',
  'POST /contexts/:id/meeting-referral': 'adds a referral of the context to a panel',
  'POST /people/:id/missing-episodes': 'adds a missing episode',
  'POST /people/:id/nrm-referrals': 'adds an NRM referral',
  'POST /people/:id/education': 'adds a record of time out of school',
  'POST /set-up/:token': 'a one-time set-up link: used once, then gone',
  'POST /incidents/:id/people/search': 'a search: changes nothing',
  'POST /incidents/:id/people': 'adds a person to the incident',
  'POST /incidents/:id/urgent-responses': 'opens an urgent response: one per young person, refused when one is open',
  'POST /urgent-responses/:id/attempts': 'adds a contact attempt',
  'POST /urgent-responses/:id/actions': 'adds an action to the plan',
  'POST /urgent-responses/:id/consent': 'adds a dated consent decision; the latest decides',
  'POST /urgent-responses/:id/lawful-basis': 'adds a lawful basis for a second person to confirm',
  'POST /urgent-responses/:id/mash-referral': 'adds a MASH referral',
  'POST /urgent-responses/:id/meeting-referral': 'adds a referral to a meeting (one per meeting type)',
  'POST /people/:id/aliases': 'adds a name',
  'POST /people/:id/identifiers': 'adds an identifier',
  'POST /people/:id/addresses': 'adds an address (the last one ends the day it starts)',
  'POST /people/:id/markers': 'adds a safety marker',
  'POST /people/:id/involvements': 'adds an agency involvement',
  'POST /people/:id/links': 'adds a network link',
  'POST /people/:id/links/search': 'a search: changes nothing',
  'POST /people/:id/families': 'starts a new family',
  'POST /people/:id/refer': 'sends a new referral',
  'POST /people/:id/sharing': 'adds a sharing decision (a lawful basis waits for a second person)',
  'POST /families/:id/members/search': 'a search: changes nothing',
  'POST /families/:id/members': 'adds a member (refused if already one)',
  'POST /episodes/:id/notes': 'adds a note',
  'POST /episodes/:id/notes/search': 'a search: changes nothing',
  'POST /episodes/:id/goals': 'adds a goal',
  'POST /episodes/:id/outcomes': 'adds measures (refused if that stage is recorded)',
  'POST /meetings/:id/agenda': 'adds the items its rules find (none twice)',
  'POST /meetings/:id/items': 'adds an item',
  'POST /meetings/:id/items/:itemId/actions': 'adds an action',
  'POST /contexts/:id/interventions': 'adds an intervention',
  'POST /contexts/:id/people': 'links people (none twice)',
  'POST /contexts/:id/people/search': 'a search: changes nothing',
  'POST /contexts/:id/incidents': 'links incidents (none twice)',
  'POST /groups/:id/links': 'adds a network link',
  'POST /indicators/:id/values': 'adds a month’s value (refused if that month has one)',
  'POST /reviews/:id/findings': 'adds a finding',
  'POST /reviews/:id/recommendations': 'adds a recommendation',
  'POST /strategy/:id/actions': 'adds an action',
  'POST /strategy/:id/commitments': 'adds a commitment',
  'POST /strategy/:id/measures': 'adds a success measure',
  'POST /strategy/actions/:id/milestones': 'adds a milestone',
  'POST /people/:id/orders': 'records a new order (once per form)',
  'POST /orders/:id/conditions': 'adds a condition',
  'POST /orders/:id/conditions/search': 'a search: changes nothing',
  'POST /sharing-agreements/:id/document': 'an upload (multipart): it claims the agreement’s version, and a stale upload is refused with nothing kept (test/governance/agreements.test.ts)',
  'POST /retention/:kind/approve': 'approves what is due that day (none twice); removal asks again whether each record is still due and not held',
  'POST /incidents/:id/critical': 'declares a critical incident (once per incident: a second declaration leads to the first)',
};

interface Edit {
  as: Client;
  /** The page a user changes it from. */
  page: string;
  /** Its form's action. */
  action: string;
  /** What the user enters, over what the form already holds. */
  fill?: Record<string, string | string[]>;
  /** The record whose version the form carries: "someone else" changes it. */
  record: { table: Versioned; id: string };
}

// Demo people, agencies and users, and records made for the walk.
const clients = new Map<string, Client>();
async function demo(local: string) {
  return t.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', '=', `${local}@${DEMO_EMAIL_DOMAIN}`).executeTakeFirstOrThrow();
}
async function as(local: string): Promise<Client> {
  if (!clients.has(local)) clients.set(local, await signedIn(t, await demo(local)));
  return clients.get(local)!;
}
const agencyId = async (name: string) => (await t.db.selectFrom('agency').select('id').where('name', 'like', `${name}%`).executeTakeFirstOrThrow()).id;
/** A demo user of this agency with one of these roles, as a signed-in client. */
async function someoneIn(agency: string, roles: string[]) {
  const users = await t.db.selectFrom('app_user').select(['id', 'email', 'roles']).where('agency_id', '=', agency).where('email', 'like', `%@${DEMO_EMAIL_DOMAIN}`).execute();
  const user = users.find((u) => u.roles.some((r) => roles.includes(r)));
  if (!user) throw new Error(`No demo user with ${roles.join(' or ')} in agency ${agency}`);
  return as(user.email.split('@')[0]);
}
const used = new Set<string>();
/** A record not yet used by another edit in this walk, so each starts from the demo's state. */
function fresh<T extends { id: string }>(rows: T[], what: string): T {
  const row = rows.find((r) => !used.has(r.id));
  if (!row) throw new Error(`No unused ${what} in the demo`);
  used.add(row.id);
  return row;
}
const day = (offsetDays: number, name: string) => formTime(new Date(Date.now() + offsetDays * 86_400_000), name);
async function newPerson(given: string) {
  const { id } = await t.db.insertInto('person').values({ given_name: given, family_name: 'Walker', date_of_birth: '2010-03-04', sex: 'female', ethnicity: 'not_stated', agency_id: await agencyId('Waltham Forest Council') }).returning('id').executeTakeFirstOrThrow();
  await t.db.transaction().execute((trx) => refreshMatchKeys(trx, [id]));
  return id;
}
/** A missing episode the council holds, reported 30 hours ago, back (or not) 10 hours ago. */
async function missingEpisode(returned: boolean) {
  const council = await agencyId('Waltham Forest Council');
  const person = await newPerson('Missing');
  const at = (h: number) => new Date(Date.now() - h * 3_600_000);
  const e = await t.db.transaction().execute((trx) => recordMissing(trx, { agencyId: council, userId: null }, { personId: person, holdingAgencyId: council, reportedBy: 'parent_carer', policeReference: null, missingFrom: at(30), reportedAt: at(29), returnedAt: returned ? at(10) : null, foundWhere: null }));
  return e.id;
}
async function openResponse() {
  const council = await agencyId('Waltham Forest Council');
  const rows = await t.db.selectFrom('urgent_response').select(['id', 'person_id']).where('status', '=', 'open').where('agency_id', '=', council).orderBy('reference').execute();
  return fresh(rows, 'open urgent response');
}
/** An open episode of an agency with a team manager (a demo coordinator), who works and reassigns it. */
async function openEpisode() {
  const managed = [await demo('nhs-manager'), await demo('coordinator')];
  const rows = await t.db.selectFrom('episode').select(['id', 'lead_worker_id', 'agency_id']).where('closed_on', 'is', null).where('agency_id', 'in', managed.map((m) => m.agency_id)).orderBy('started_on').execute();
  const episode = fresh(rows, 'open episode');
  return { ...episode, as: await someoneIn(episode.agency_id, ['coordinator']) };
}
async function plannedMeeting() {
  return t.db.selectFrom('meeting').select('id').where('status', '=', 'planned').where('type_code', '=', 'drm').executeTakeFirstOrThrow();
}
async function contextAssessment() {
  const a = await t.db.selectFrom('context_assessment').select(['id', 'agency_id']).where('closed_at', 'is', null).executeTakeFirstOrThrow();
  return { ...a, as: await someoneIn(a.agency_id, ['coordinator', 'caseworker']) };
}
async function ownLink() {
  const rows = await t.db.selectFrom('association').select(['id', 'agency_id']).where('removed_at', 'is', null).orderBy('id').execute();
  const link = fresh(rows, 'link');
  return { ...link, as: await someoneIn(link.agency_id, ['coordinator', 'caseworker', 'police']) };
}
async function referral(status: string) {
  const rows = await t.db
    .selectFrom('referral')
    .innerJoin('service', 'service.id', 'referral.service_id')
    .select(['referral.id', 'referral.from_agency_id', 'service.provider_agency_id'])
    .where('referral.status', '=', status)
    .orderBy('referral.reference')
    .execute();
  return fresh(rows, `${status} referral`);
}
async function spareUser() {
  return makeUser(t.db, await agencyId('Waltham Forest Council'), ['caseworker']);
}

/** A KCPO against a 14-year-old, recorded by the demo police officer through the domain, with a zone and one possible breach. */
async function policeOrder() {
  const officer = await demo('police');
  const personId = await newPerson(`Ord${randomUUID().slice(0, 4)}`);
  await t.db.updateTable('person').set({ date_of_birth: `${new Date().getFullYear() - 14}-01-01` }).where('id', '=', personId).execute();
  const today = new Date().toISOString().slice(0, 10);
  // Signed in first: the embedded database has one connection, held by the transaction below.
  const client = await as('police');
  return t.db.transaction().execute(async (trx) => {
    const recorded = await recordOrder(trx, { userId: officer.id, agencyId: officer.agency_id }, { kindCode: 'knife_crime_prevention_order', personId, area: null, court: 'Stratford', caseReference: null, madeOn: today, inForceFrom: today, until: null, interim: false, applyingAgencyId: officer.agency_id, leadOfficerName: 'DC Sam Reid', leadOfficerContact: '020 7946 0000', courtReviewOn: null }, null);
    if (!('id' in recorded)) throw new Error('order refused');
    const condition = await trx.insertInto('order_condition').values({ order_id: recorded.id, kind: 'no_bladed_article', wording: 'No knives' }).returning('id').executeTakeFirstOrThrow();
    const incident = await trx.selectFrom('incident').select('id').limit(1).executeTakeFirstOrThrow();
    const breach = await trx.insertInto('possible_breach').values({ order_id: recorded.id, condition_id: condition.id, person_id: personId, incident_id: incident.id, evidence: 'A knife was recorded' }).returning('id').executeTakeFirstOrThrow();
    return { orderId: recorded.id, breachId: breach.id, as: client };
  });
}

/** The demo critical incident, as someone of its leading agency who may change its assessment. */
async function criticalIncident() {
  const ci = await t.db.selectFrom('critical_incident').select(['id', 'agency_id']).where('closed_at', 'is', null).executeTakeFirstOrThrow();
  return { ...ci, as: await someoneIn(ci.agency_id, ['police', 'coordinator', 'panel_chair']) };
}

/** A draft problem profile of one quick section, made by the demo analyst. */
async function draftProduct() {
  const analyst = await demo('analyst');
  const made = await t.db.transaction().execute((trx) => makeProduct(trx, { userId: analyst.id, agencyId: analyst.agency_id }, { kind: 'problem_profile', month: londonToday().slice(0, 7), boroughs: ['Waltham Forest'], audience: 'restricted', agencyIds: [] }));
  if (!('id' in made)) throw new Error('The draft was refused');
  await t.db.updateTable('product').set({ sections: JSON.stringify([{ id: 'critical', kind: 'critical_incidents' }]) }).where('id', '=', made.id).execute();
  return made.id;
}

const EDITS: [string, () => Promise<Edit>][] = [
  [
    'POST /missing-episodes/:id/return',
    async () => {
      const e = await missingEpisode(false);
      return { as: await as('coordinator'), page: `/missing-episodes/${e}`, action: `/missing-episodes/${e}/return`, fill: { ...day(0, 'returnedAt'), foundWhere: 'Southend' }, record: { table: 'missing_episode', id: e } };
    },
  ],
  [
    'POST /missing-episodes/:id/interview',
    async () => {
      const e = await missingEpisode(true);
      return { as: await as('coordinator'), page: `/missing-episodes/${e}`, action: `/missing-episodes/${e}/interview`, fill: { ...day(0, 'offeredAt'), outcome: 'done', interviewBy: 'Barnardo’s worker', indicators: 'county_lines' }, record: { table: 'missing_episode', id: e } };
    },
  ],
  [
    'POST /nrm-referrals/:id/decision',
    async () => {
      const council = await agencyId('Waltham Forest Council');
      const person = await newPerson('Nrm');
      const r = await t.db.transaction().execute((trx) => recordNrm(trx, { agencyId: council, userId: null }, { personId: person, kind: 'referral', firstResponder: 'Sam, children’s services', referredOn: londonToday(), exploitation: ['criminal'] }));
      return { as: await as('coordinator'), page: `/nrm-referrals/${r.id}`, action: `/nrm-referrals/${r.id}/decision`, fill: { decision: 'positive', ...dateParts('decidedOn', londonToday()) }, record: { table: 'nrm_referral', id: r.id } };
    },
  ],
  [
    'POST /critical-incidents/:id/assess',
    async () => {
      const ci = await criticalIncident();
      return { as: ci.as, page: `/critical-incidents/${ci.id}/assess`, action: `/critical-incidents/${ci.id}/assess`, fill: { tensionLevel: '1', tensionReason: 'Calm again' }, record: { table: 'critical_incident', id: ci.id } };
    },
  ],
  [
    'POST /critical-incidents/:id/contacts',
    async () => {
      const ci = await criticalIncident();
      return { as: ci.as, page: `/critical-incidents/${ci.id}`, action: `/critical-incidents/${ci.id}/contacts`, fill: { contactKind: 'borough_told', borough: 'Redbridge', ...day(0, 'happenedAt'), byWhom: 'Insp Ruth Okafor', what: 'Told of the assessment' }, record: { table: 'critical_incident', id: ci.id } };
    },
  ],
  [
    'POST /critical-incidents/:id/reassurance',
    async () => {
      const ci = await criticalIncident();
      return { as: ci.as, page: `/critical-incidents/${ci.id}`, action: `/critical-incidents/${ci.id}/reassurance`, fill: { reassuranceKind: 'patrols', actionDescription: 'Visible patrols after school', actionAgency: ci.agency_id, actionOwner: 'Sgt Lee', ...dateParts('actionDue', addDays(londonToday(), 3)) }, record: { table: 'critical_incident', id: ci.id } };
    },
  ],
  // Last of the four: once closed, the assessment changes no more.
  [
    'POST /critical-incidents/:id/close',
    async () => {
      const ci = await criticalIncident();
      return { as: ci.as, page: `/critical-incidents/${ci.id}`, action: `/critical-incidents/${ci.id}/close`, fill: { closureReason: 'tension_normal' }, record: { table: 'critical_incident', id: ci.id } };
    },
  ],
  [
    'POST /orders/:id/end',
    async () => {
      const o = await policeOrder();
      return { as: o.as, page: `/orders/${o.orderId}`, action: `/orders/${o.orderId}/end`, fill: { endReason: 'discharged', endWords: 'Discharged on appeal' }, record: { table: 'court_order', id: o.orderId } };
    },
  ],
  [
    'POST /orders/:id/reviews',
    async () => {
      const o = await policeOrder();
      const review = await t.db.selectFrom('order_review').select('id').where('order_id', '=', o.orderId).executeTakeFirstOrThrow();
      return { as: o.as, page: `/orders/${o.orderId}`, action: `/orders/${o.orderId}/reviews`, fill: { reviewId: review.id, outcome: 'Continued as made' }, record: { table: 'court_order', id: o.orderId } };
    },
  ],
  [
    'POST /orders/breaches/:id',
    async () => {
      const o = await policeOrder();
      return { as: o.as, page: `/orders/breaches/${o.breachId}`, action: `/orders/breaches/${o.breachId}`, fill: { decision: 'not_a_breach', reason: 'He was the victim' }, record: { table: 'possible_breach', id: o.breachId } };
    },
  ],
  [
    'POST /actions/:id/status',
    async () => {
      const ur = await openResponse();
      const coordinator = await as('coordinator');
      const council = await agencyId('Waltham Forest Council');
      const due = day(3, 'actionDue');
      await coordinator.post(`/urgent-responses/${ur.id}/actions`, { actionDescription: 'Home visit', actionAgency: council, actionOwner: 'Jo', ...due });
      const action = await t.db.selectFrom('action').select('id').where('urgent_response_id', '=', ur.id).executeTakeFirstOrThrow();
      return { as: coordinator, page: `/urgent-responses/${ur.id}/plan`, action: `/actions/${action.id}/status`, fill: { status: 'in_progress' }, record: { table: 'action', id: action.id } };
    },
  ],
  [
    'POST /admin/agencies/:id',
    async () => {
      const agency = await makeAgency(t.db, { kind: 'voluntary' });
      return { as: await as('admin'), page: `/admin/agencies/${agency.id}`, action: `/admin/agencies/${agency.id}`, fill: { name: `${agency.name} (renamed)` }, record: { table: 'agency', id: agency.id } };
    },
  ],
  [
    'POST /admin/api-clients/:id/revoke',
    async () => {
      const client = await createApiClient(t.db, { agencyId: await agencyId('Metropolitan Police'), name: `Custody feed ${randomUUID().slice(0, 6)}`, role: 'police', createdBy: null });
      return { as: await as('admin'), page: '/admin/api-clients', action: `/admin/api-clients/${client.id}/revoke`, record: { table: 'api_client', id: client.id } };
    },
  ],
  [
    'POST /admin/users/:id',
    async () => {
      const user = await spareUser();
      return { as: await as('admin'), page: `/admin/users/${user.id}`, action: `/admin/users/${user.id}`, fill: { displayName: 'Jo Renamed' }, record: { table: 'app_user', id: user.id } };
    },
  ],
  ...(['disable', 'enable', 'reset', 'unlock'] as const).map((step): [string, () => Promise<Edit>] => [
    `POST /admin/users/:id/${step}`,
    async () => {
      const user = await spareUser();
      if (step === 'enable') await t.db.updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
      if (step === 'unlock') await t.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 3_600_000) }).where('id', '=', user.id).execute();
      return { as: await as('admin'), page: `/admin/users/${user.id}`, action: `/admin/users/${user.id}/${step}`, record: { table: 'app_user', id: user.id } };
    },
  ]),
  ...(['rename', 'remove'] as const).map((step): [string, () => Promise<Edit>] => [
    `POST /account/passkeys/:id/${step}`,
    async () => {
      const user = await spareUser();
      const key = await t.db.insertInto('passkey').values({ user_id: user.id, credential_id: randomUUID(), public_key: 'pk', name: 'Work laptop' }).returning('id').executeTakeFirstOrThrow();
      return { as: await signedIn(t, user), page: '/account/passkeys', action: `/account/passkeys/${key.id}/${step}`, fill: step === 'rename' ? { name: 'Home laptop' } : undefined, record: { table: 'passkey', id: key.id } };
    },
  ]),
  [
    'POST /contexts/:id/interventions/status',
    async () => {
      const a = await contextAssessment();
      const intervention = await t.db.selectFrom('context_intervention').select('id').where('assessment_id', '=', a.id).executeTakeFirstOrThrow();
      return { as: a.as, page: `/contexts/${a.id}`, action: `/contexts/${a.id}/interventions/status`, fill: { interventionId: intervention.id, status: 'stopped' }, record: { table: 'context_assessment', id: a.id } };
    },
  ],
  [
    'POST /contexts/:id/links/remove',
    async () => {
      const a = await contextAssessment();
      const link = await t.db.selectFrom('context_link').select('id').where('assessment_id', '=', a.id).where('removed_at', 'is', null).executeTakeFirstOrThrow();
      return { as: a.as, page: `/contexts/${a.id}`, action: `/contexts/${a.id}/links/remove`, fill: { linkId: link.id, removalReason: 'Moved out of the area' }, record: { table: 'context_assessment', id: a.id } };
    },
  ],
  [
    'POST /contexts/:id/review',
    async () => {
      const a = await contextAssessment();
      return { as: a.as, page: `/contexts/${a.id}`, action: `/contexts/${a.id}/review`, fill: { summary: 'Quieter since the patrols', outcome: 'continue', ...day(30, 'nextReviewOn') }, record: { table: 'context_assessment', id: a.id } };
    },
  ],
  [
    'POST /episodes/:id/goals/:itemId',
    async () => {
      const nhs = await agencyId('Barts Health');
      const goal = await t.db
        .selectFrom('episode_goal')
        .innerJoin('episode', 'episode.id', 'episode_goal.episode_id')
        .select(['episode_goal.id', 'episode.id as episodeId'])
        .where('episode.closed_on', 'is', null)
        .where('episode.agency_id', '=', nhs)
        .orderBy('episode.started_on', 'desc')
        .executeTakeFirstOrThrow();
      used.add(goal.episodeId);
      return { as: await as('nhs-manager'), page: `/episodes/${goal.episodeId}`, action: `/episodes/${goal.episodeId}/goals/${goal.id}`, fill: { goalStatus: 'in_progress', progressNote: 'Attending twice a week' }, record: { table: 'episode', id: goal.episodeId } };
    },
  ],
  [
    'POST /episodes/:id/review',
    async () => {
      const e = await openEpisode();
      return { as: e.as, page: `/episodes/${e.id}`, action: `/episodes/${e.id}/review`, fill: day(20, 'reviewOn'), record: { table: 'episode', id: e.id } };
    },
  ],
  [
    'POST /episodes/:id/close',
    async () => {
      const e = await openEpisode();
      return { as: e.as, page: `/episodes/${e.id}`, action: `/episodes/${e.id}/close`, fill: { outcome: 'completed', ...day(0, 'closedOn'), closureNote: 'Goals met; back in college' }, record: { table: 'episode', id: e.id } };
    },
  ],
  [
    'POST /episodes/:id/reassign',
    async () => {
      const e = await openEpisode();
      const other = await t.db.selectFrom('app_user').select('id').where('agency_id', '=', e.agency_id).where('id', '!=', e.lead_worker_id).where(sql<boolean>`('caseworker' = ANY(roles) OR 'coordinator' = ANY(roles))`).executeTakeFirstOrThrow();
      return { as: e.as, page: `/episodes/${e.id}`, action: `/episodes/${e.id}/reassign`, fill: { leadWorkerId: other.id }, record: { table: 'episode', id: e.id } };
    },
  ],
  [
    'POST /families/:id/champion',
    async () => {
      const family = fresh(await t.db.selectFrom('family').select('id').orderBy('name').execute(), 'family');
      const worker = (await demo('caseworker')).id;
      return { as: await as('coordinator'), page: `/families/${family.id}`, action: `/families/${family.id}/champion`, fill: { championId: worker }, record: { table: 'family', id: family.id } };
    },
  ],
  [
    'POST /families/:id/members/:itemId/remove',
    async () => {
      const family = fresh(await t.db.selectFrom('family').select('id').orderBy('name').execute(), 'family');
      const member = await t.db.selectFrom('family_member').select('id').where('family_id', '=', family.id).executeTakeFirstOrThrow();
      return { as: await as('coordinator'), page: `/families/${family.id}`, action: `/families/${family.id}/members/${member.id}/remove`, record: { table: 'family', id: family.id } };
    },
  ],
  [
    'POST /incidents/:id',
    async () => {
      const police = await agencyId('Metropolitan Police');
      const incident = fresh(await t.db.selectFrom('incident').select('id').where('agency_id', '=', police).orderBy('occurred_at', 'desc').execute(), 'police incident');
      return { as: await as('police'), page: `/incidents/${incident.id}/edit`, action: `/incidents/${incident.id}`, fill: { placeDescription: 'Hoe Street, by the bus stop' }, record: { table: 'incident', id: incident.id } };
    },
  ],
  [
    'POST /incidents/:id/people/:involvementId/remove',
    async () => {
      const police = await agencyId('Metropolitan Police');
      const rows = await t.db.selectFrom('involvement').innerJoin('incident', 'incident.id', 'involvement.incident_id').select(['incident.id', 'involvement.id as involvementId']).where('incident.agency_id', '=', police).orderBy('incident.occurred_at').execute();
      const row = fresh(rows, 'police incident with people');
      return { as: await as('police'), page: `/incidents/${row.id}`, action: `/incidents/${row.id}/people/${row.involvementId}/remove`, record: { table: 'incident', id: row.id } };
    },
  ],
  [
    'POST /indicators/:id/target',
    async () => {
      const indicator = await t.db.selectFrom('indicator').select('id').orderBy('sort').executeTakeFirstOrThrow();
      return { as: await as('analyst'), page: `/indicators/${indicator.id}`, action: `/indicators/${indicator.id}/target`, fill: { target: '12' }, record: { table: 'indicator', id: indicator.id } };
    },
  ],
  [
    'POST /links/:id/remove',
    async () => {
      const link = await ownLink();
      return { as: link.as, page: `/links/${link.id}/remove`, action: `/links/${link.id}/remove`, fill: { reason: 'No longer true: they fell out in the summer' }, record: { table: 'association', id: link.id } };
    },
  ],
  [
    'POST /links/:id/review',
    async () => {
      const link = await ownLink();
      await t.db.updateTable('association').set({ review_on: '2026-01-01' }).where('id', '=', link.id).execute();
      return { as: link.as, page: '/links/review', action: `/links/${link.id}/review`, record: { table: 'association', id: link.id } };
    },
  ],
  [
    'POST /meetings/:id/items/:itemId/move',
    async () => {
      const meeting = await plannedMeeting();
      const item = await t.db.selectFrom('meeting_item').select('id').where('meeting_id', '=', meeting.id).orderBy('position', 'desc').executeTakeFirstOrThrow();
      return { as: await as('coordinator'), page: `/meetings/${meeting.id}`, action: `/meetings/${meeting.id}/items/${item.id}/move`, record: { table: 'meeting', id: meeting.id } };
    },
  ],
  [
    'POST /meetings/:id/items/:itemId',
    async () => {
      const meeting = await plannedMeeting();
      const item = await t.db.selectFrom('meeting_item').select('id').where('meeting_id', '=', meeting.id).orderBy('position').executeTakeFirstOrThrow();
      return { as: await as('coordinator'), page: `/meetings/${meeting.id}/items/${item.id}`, action: `/meetings/${meeting.id}/items/${item.id}`, fill: { [`summary-${item.id}`]: 'Seen by the YOT worker on Monday' }, record: { table: 'meeting_item', id: item.id } };
    },
  ],
  [
    'POST /meetings/:id/attendance',
    async () => {
      const meeting = await plannedMeeting();
      const council = await agencyId('Waltham Forest Council');
      return { as: await as('coordinator'), page: `/meetings/${meeting.id}`, action: `/meetings/${meeting.id}/attendance`, fill: { [`attendance-${council}`]: 'present' }, record: { table: 'meeting', id: meeting.id } };
    },
  ],
  [
    'POST /meetings/:id/held',
    async () => {
      const meeting = await plannedMeeting();
      // Held on its day: the planned meeting is moved to an hour ago.
      await t.db.updateTable('meeting').set({ starts_at: new Date(Date.now() - 3_600_000) }).where('id', '=', meeting.id).execute();
      return { as: await as('coordinator'), page: `/meetings/${meeting.id}`, action: `/meetings/${meeting.id}/held`, record: { table: 'meeting', id: meeting.id } };
    },
  ],
  [
    'POST /people/:id/markers/:itemId/remove',
    async () => {
      const person = await newPerson('Marnie');
      const coordinator = await as('coordinator');
      await coordinator.post(`/people/${person}/markers`, { markerKind: 'no_home_visits' });
      const marker = await t.db.selectFrom('person_marker').select('id').where('person_id', '=', person).executeTakeFirstOrThrow();
      return { as: coordinator, page: `/people/${person}`, action: `/people/${person}/markers/${marker.id}/remove`, record: { table: 'person', id: person } };
    },
  ],
  [
    'POST /people/:id/involvements/:itemId/end',
    async () => {
      const person = await newPerson('Ines');
      const coordinator = await as('coordinator');
      await coordinator.post(`/people/${person}/involvements`, { involvementKind: 'Child in need plan', ...day(-40, 'since'), contactName: 'Jo Social Worker' });
      const flag = await t.db.selectFrom('person_involvement').select('id').where('person_id', '=', person).executeTakeFirstOrThrow();
      return { as: coordinator, page: `/people/${person}`, action: `/people/${person}/involvements/${flag.id}/end`, record: { table: 'person', id: person } };
    },
  ],
  [
    'POST /people/:id/cohort',
    async () => {
      const person = await newPerson('Cora');
      return { as: await as('coordinator'), page: `/people/${person}`, action: `/people/${person}/cohort`, fill: { strand: 'at_risk', strandReason: 'Two knife incidents this month (police)', ...day(60, 'strandReview') }, record: { table: 'person', id: person } };
    },
  ],
  [
    'POST /people/:id/cohort/end',
    async () => {
      const rows = await t.db.selectFrom('cohort_membership').select('person_id as id').where('ended_on', 'is', null).orderBy('decided_on').execute();
      const member = fresh(rows, 'cohort member');
      return { as: await as('coordinator'), page: `/people/${member.id}`, action: `/people/${member.id}/cohort/end`, fill: { endReason: 'Moved out of the borough' }, record: { table: 'person', id: member.id } };
    },
  ],
  [
    'POST /people/:id/merge',
    async () => {
      const kept = await newPerson('Mariam');
      const merged = await newPerson('Maryam');
      return { as: await as('coordinator'), page: `/people/${kept}/merge`, action: `/people/${kept}/merge`, fill: { mergedId: merged, reason: 'Same school, same date of birth, same mother' }, record: { table: 'person', id: kept } };
    },
  ],
  [
    'POST /people/merges/:id/undo',
    async () => {
      const kept = await newPerson('Una');
      const merged = await newPerson('Oona');
      const result = await t.db.transaction().execute((trx) => mergePeople(trx, kept, merged, 'Thought to be the same girl', null));
      if (!('mergeId' in result)) throw new Error(result.problems.join(' '));
      return { as: await as('coordinator'), page: `/people/${kept}`, action: `/people/merges/${result.mergeId}/undo`, record: { table: 'person', id: kept } };
    },
  ],
  [
    'POST /people/:id/sharing/:itemId/confirm',
    async () => {
      const person = await newPerson('Shay');
      await (await as('coordinator')).post(`/people/${person}/sharing`, { sharingKind: 'lawful_basis', toAgencyId: await agencyId('Spark2Life'), sharingBasis: 'safeguarding_children', sharingReason: 'Stabbed twice this year; family not reachable', sharingPurpose: 'Referral to Spark2Life mentoring', ...formTime(new Date(Date.now() - 3_600_000), 'sharingAt') });
      const decision = await t.db.selectFrom('sharing_decision').select('id').where('person_id', '=', person).executeTakeFirstOrThrow();
      return { as: await as('chair'), page: `/people/${person}`, action: `/people/${person}/sharing/${decision.id}/confirm`, record: { table: 'sharing_decision', id: decision.id } };
    },
  ],
  [
    'POST /people/:id/sharing/:itemId/withdraw',
    async () => {
      const person = await newPerson('Wren');
      const coordinator = await as('coordinator');
      await coordinator.post(`/people/${person}/sharing`, { sharingKind: 'consent', toAgencyId: await agencyId('Spark2Life'), sharingBy: 'young_person', sharingPurpose: 'Referral to Spark2Life mentoring', ...formTime(new Date(Date.now() - 3_600_000), 'sharingAt') });
      const decision = await t.db.selectFrom('sharing_decision').select('id').where('person_id', '=', person).executeTakeFirstOrThrow();
      return { as: coordinator, page: `/people/${person}`, action: `/people/${person}/sharing/${decision.id}/withdraw`, record: { table: 'sharing_decision', id: decision.id } };
    },
  ],
  [
    'POST /referrals/:id/decision',
    async () => {
      const r = await referral('sent');
      return { as: await someoneIn(r.provider_agency_id, ['coordinator', 'caseworker']), page: `/referrals/${r.id}`, action: `/referrals/${r.id}/decision`, fill: { decision: 'waiting_list', consentConfirmed: 'yes' }, record: { table: 'referral', id: r.id } };
    },
  ],
  [
    'POST /referrals/:id/start',
    async () => {
      const r = await referral('sent');
      const client = await someoneIn(r.provider_agency_id, ['coordinator', 'caseworker']);
      const { version } = await t.db.selectFrom('referral').select('version').where('id', '=', r.id).executeTakeFirstOrThrow();
      expect((await client.post(`/referrals/${r.id}/decision`, { decision: 'accepted', consentConfirmed: 'yes', version: String(version) })).statusCode).toBe(303);
      const worker = await t.db.selectFrom('app_user').select('id').where('agency_id', '=', r.provider_agency_id).where(sql<boolean>`('caseworker' = ANY(roles) OR 'coordinator' = ANY(roles))`).executeTakeFirstOrThrow();
      return { as: client, page: `/referrals/${r.id}`, action: `/referrals/${r.id}/start`, fill: { leadWorkerId: worker.id, ...day(0, 'startedOn'), ...day(42, 'reviewOn') }, record: { table: 'referral', id: r.id } };
    },
  ],
  [
    'POST /referrals/:id/withdraw',
    async () => {
      const r = await referral('sent');
      return { as: await someoneIn(r.from_agency_id, ['coordinator', 'caseworker', 'police']), page: `/referrals/${r.id}`, action: `/referrals/${r.id}/withdraw`, fill: { withdrawReason: 'Family moved to Essex' }, record: { table: 'referral', id: r.id } };
    },
  ],
  [
    'POST /reviews/:id/close',
    async () => {
      const review = await t.db.selectFrom('rapid_review').select('id').executeTakeFirstOrThrow();
      await t.db.updateTable('rapid_review').set({ status: 'open', closed_at: null, closed_by: null }).where('id', '=', review.id).execute();
      return { as: await as('chair'), page: `/reviews/${review.id}`, action: `/reviews/${review.id}/close`, record: { table: 'rapid_review', id: review.id } };
    },
  ],
  [
    'POST /services/:id',
    async () => {
      const service = await t.db.selectFrom('service').select('id').orderBy('name').executeTakeFirstOrThrow();
      return { as: await as('admin'), page: `/services/${service.id}/edit`, action: `/services/${service.id}`, fill: { contact: 'referrals@example.org.uk' }, record: { table: 'service', id: service.id } };
    },
  ],
  [
    'POST /strategy/actions/:id/progress',
    async () => {
      const action = fresh(await t.db.selectFrom('strategy_action').select('id').orderBy('number').execute(), 'strategy action');
      return { as: await as('analyst'), page: `/strategy/actions/${action.id}`, action: `/strategy/actions/${action.id}/progress`, fill: { status: 'in_progress', note: 'Two schools signed up in November' }, record: { table: 'strategy_action', id: action.id } };
    },
  ],
  [
    'POST /strategy/actions/:id/milestones/:milestoneId/done',
    async () => {
      const action = fresh(await t.db.selectFrom('strategy_action').select('id').orderBy('number').execute(), 'strategy action');
      const analyst = await as('analyst');
      await analyst.post(`/strategy/actions/${action.id}/milestones`, { milestone: 'Launch in schools', ...day(30, 'milestoneDue') });
      const milestone = await t.db.selectFrom('action_milestone').select('id').where('action_id', '=', action.id).executeTakeFirstOrThrow();
      return { as: analyst, page: `/strategy/actions/${action.id}`, action: `/strategy/actions/${action.id}/milestones/${milestone.id}/done`, record: { table: 'strategy_action', id: action.id } };
    },
  ],
  [
    'POST /urgent-responses/:id/close',
    async () => {
      const ur = await openResponse();
      return { as: await as('coordinator'), page: `/urgent-responses/${ur.id}/close`, action: `/urgent-responses/${ur.id}/close`, fill: { reason: 'declined', note: 'Mother declined on his behalf' }, record: { table: 'urgent_response', id: ur.id } };
    },
  ],
  [
    'POST /urgent-responses/:id/custody',
    async () => {
      const ur = await openResponse();
      return { as: await as('coordinator'), page: `/urgent-responses/${ur.id}`, action: `/urgent-responses/${ur.id}/custody`, fill: { ...formTime(new Date(Date.now() - 3_600_000), 'bookedAt'), custodySuite: 'Leyton' }, record: { table: 'urgent_response', id: ur.id } };
    },
  ],
  [
    'POST /urgent-responses/:id/needs',
    async () => {
      const ur = await openResponse();
      return { as: await as('coordinator'), page: `/urgent-responses/${ur.id}/needs/edit`, action: `/urgent-responses/${ur.id}/needs`, fill: { 'housing-level': 'medium', 'housing-notes': 'Temporary accommodation since May' }, record: { table: 'urgent_response', id: ur.id } };
    },
  ],
  [
    'POST /urgent-responses/:id/owner',
    async () => {
      const ur = await openResponse();
      const [worker] = await assignableWorkers(t.db);
      return { as: await as('coordinator'), page: `/urgent-responses/${ur.id}`, action: `/urgent-responses/${ur.id}/owner`, fill: { ownerId: worker.id }, record: { table: 'urgent_response', id: ur.id } };
    },
  ],
  [
    'POST /urgent-responses/:id/lawful-basis/:basisId/approve',
    async () => {
      const ur = await openResponse();
      await (await as('coordinator')).post(`/urgent-responses/${ur.id}/lawful-basis`, { basis: 'safeguarding_children', basisReason: 'Stabbed twice this year; family not reachable' });
      const basis = await t.db.selectFrom('lawful_basis').select('id').where('urgent_response_id', '=', ur.id).executeTakeFirstOrThrow();
      return { as: await as('chair'), page: `/urgent-responses/${ur.id}/consent`, action: `/urgent-responses/${ur.id}/lawful-basis/${basis.id}/approve`, record: { table: 'urgent_response', id: ur.id } };
    },
  ],
  [
    'POST /sharing-agreements/:id',
    async () => {
      const a = await t.db.selectFrom('sharing_agreement').select('id').where('title', 'like', 'Waltham Forest%').executeTakeFirstOrThrow();
      return { as: await as('ig'), page: `/sharing-agreements/${a.id}`, action: `/sharing-agreements/${a.id}`, fill: { signatories: 'Director of Children’s Services (re-signed)' }, record: { table: 'sharing_agreement', id: a.id } };
    },
  ],
  [
    'POST /audit/review/thresholds',
    async () => {
      const row = await t.db.selectFrom('audit_review_threshold').select('id').executeTakeFirstOrThrow();
      return { as: await as('ig'), page: '/audit/review', action: '/audit/review/thresholds', fill: { policy: 'Agreed with the data protection officer in December' }, record: { table: 'audit_review_threshold', id: row.id } };
    },
  ],
  [
    'POST /retention/:kind/rule',
    async () => {
      const rule = await t.db.selectFrom('retention_rule').select('id').where('kind', '=', 'episode').executeTakeFirstOrThrow();
      return { as: await as('ig'), page: '/retention/episode', action: '/retention/episode/rule', fill: { policy: 'Reviewed with the data protection officer in December' }, record: { table: 'retention_rule', id: rule.id } };
    },
  ],
  [
    'POST /legal-holds/:id/lift',
    async () => {
      const officer = await t.db.selectFrom('app_user').select('id').where('email', 'like', 'ig@%').executeTakeFirstOrThrow();
      const hold = await t.db.insertInto('legal_hold').values({ kind: 'referral', matter: 'Complaint 2026/31', reason: 'A complaint about a declined referral', placed_by: officer.id }).returning('id').executeTakeFirstOrThrow();
      return { as: await as('ig'), page: '/legal-holds', action: `/legal-holds/${hold.id}/lift`, fill: { liftReason: 'Complaint closed' }, record: { table: 'legal_hold', id: hold.id } };
    },
  ],
  [
    'POST /emergency-access/:id/review',
    async () => {
      const worker = await t.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', 'like', 'caseworker@%').executeTakeFirstOrThrow();
      const ur = await t.db.selectFrom('urgent_response').select(['id', 'reference']).limit(1).executeTakeFirstOrThrow();
      const use = await t.db
        .insertInto('break_glass')
        .values({ user_id: worker.id, agency_id: worker.agency_id, record_type: 'urgent_response', record_id: ur.id, reference: ur.reference, reason: 'missing', words: 'Missing overnight', expires_at: new Date(Date.now() + 3_600_000) })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { as: await as('ig'), page: `/emergency-access/${use.id}`, action: `/emergency-access/${use.id}/review`, fill: { decision: 'appropriate', note: 'Found safe the same night' }, record: { table: 'break_glass', id: use.id } };
    },
  ],
  ...(['person', 'extend', 'redactions', 'complete'] as const).map((step): [string, () => Promise<Edit>] => [
    `POST /subject-access/:id/${step}`,
    async () => {
      const officer = await t.db.selectFrom('app_user').select('id').where('email', 'like', 'ig@%').executeTakeFirstOrThrow();
      const person = await t.db.selectFrom('person').select(['id', 'given_name', 'family_name']).orderBy('id').limit(1).executeTakeFirstOrThrow();
      const request = await t.db
        .insertInto('subject_access_request')
        .values({ reference: `SAR-T${randomUUID().slice(0, 8)}`, requester_name: 'Their mother', requester_relationship: 'parent_carer', subject_given_name: person.given_name, subject_family_name: person.family_name, received_on: londonToday(), due_on: londonToday(), person_id: step === 'person' ? null : person.id, recorded_by: officer.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      const fill: Record<string, string> = { person: { personId: person.id }, extend: { extendedReason: 'Records held by six agencies' }, redactions: {}, complete: dateParts('sentOn', londonToday()) }[step];
      return { as: await as('ig'), page: `/subject-access/${request.id}`, action: `/subject-access/${request.id}/${step}`, fill, record: { table: 'subject_access_request', id: request.id } };
    },
  ]),
  [
    'POST /rights-requests/:id/decision',
    async () => {
      const officer = await t.db.selectFrom('app_user').select('id').where('email', 'like', 'ig@%').executeTakeFirstOrThrow();
      const r = await t.db
        .insertInto('rights_request')
        .values({ reference: `DR-T${randomUUID().slice(0, 8)}`, kind: 'rectification', requester_name: 'Jay Example', about: 'Jay Example', asked: 'Correct my address', received_on: londonToday(), due_on: londonToday(), recorded_by: officer.id })
        .returning('id')
        .executeTakeFirstOrThrow();
      return { as: await as('ig'), page: `/rights-requests/${r.id}`, action: `/rights-requests/${r.id}/decision`, fill: { decision: 'agreed', reason: 'The address was out of date', changed: 'Address corrected', ...dateParts('decidedOn', londonToday()) }, record: { table: 'rights_request', id: r.id } };
    },
  ],
  [
    'POST /products/:id/sections',
    async () => {
      const id = await draftProduct();
      return { as: await as('analyst'), page: `/products/${id}`, action: `/products/${id}/sections`, fill: { change: 'assess', title: 'Analyst’s view', text: 'Rivalry near the station', sourceEvaluation: '2', intelligenceAssessment: 'B', handlingCode: 'P' }, record: { table: 'product', id } };
    },
  ],
  // Last: the product it generates has one quick section, made before any other test reads the tables.
  [
    'POST /products/:id/generate',
    async () => {
      const id = await draftProduct();
      return { as: await as('analyst'), page: `/products/${id}`, action: `/products/${id}/generate`, record: { table: 'product', id } };
    },
  ],
];

/** Every table's rows, hashed: sessions and the audit trail aside (a refusal page is itself an audited read). */
async function fingerprint(): Promise<Record<string, string>> {
  const tables = (await sql<{ t: string }>`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('session', 'audit_event') ORDER BY 1`.execute(t.db)).rows;
  const out: Record<string, string> = {};
  for (const { t: table } of tables) {
    out[table] = (await sql<{ h: string | null }>`SELECT md5(string_agg(x::text, '|' ORDER BY x::text)) AS h FROM ${sql.table(table)} x`.execute(t.db)).rows[0].h ?? '';
  }
  return out;
}

const routePattern = (route: string) => new RegExp(`^${route.split(' ')[1].replace(/:[A-Za-z]+/g, '[^/]+')}$`);
const withoutToken = ({ _csrf, ...fields }: Record<string, string | string[]>) => fields;

describe('the route table', () => {
  it('lists every POST on an existing record as an edit (tried below) or says why it cannot overwrite anything', () => {
    const onRecords = t.app.routeTable.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && r.url.includes(':')).map((r) => `${r.method} ${r.url}`);
    const edits = new Set(EDITS.map(([route]) => route));
    expect(onRecords.filter((r) => !edits.has(r) && !(r in NOT_EDITS))).toEqual([]);
    // Each entry is a real route (a record with one row, like the audit review thresholds, has no id in its URL).
    const routes = t.app.routeTable.map((r) => `${r.method} ${r.url}`);
    expect([...edits, ...Object.keys(NOT_EDITS)].filter((r) => !routes.includes(r))).toEqual([]);
  });
});

describe('a save from a page someone else has changed since', () => {
  it.each(EDITS)('%s is refused with nothing changed, and goes in read again', async (route, fixture) => {
    const edit = await fixture();
    expect(edit.action).toMatch(routePattern(route));
    const read = await edit.as.get(edit.page);
    expect(read.statusCode).toBe(200);
    const form = formFields(read.body, edit.action);
    expect(form, `a form posting to ${edit.action} on ${edit.page}`).toBeDefined();
    expect(form!.version, 'the form carries the version it read').toMatch(/^\d+$/);

    // Someone else changes the record.
    await sql`UPDATE ${sql.table(edit.record.table)} SET version = version + 1 WHERE id = ${edit.record.id}`.execute(t.db);
    const before = await fingerprint();
    const stale = await edit.as.post(edit.action, { ...withoutToken(form!), ...edit.fill });
    expect(stale.statusCode, stale.body.match(/govuk-error-summary__list[\s\S]{0,600}/)?.[0] ?? stale.body.slice(0, 500)).toBe(409);
    expect(await fingerprint()).toEqual(before);

    // Read again, the same change goes in.
    const again = formFields((await edit.as.get(edit.page)).body, edit.action);
    expect(again?.version).not.toBe(form!.version);
    const saved = await edit.as.post(edit.action, { ...withoutToken(again!), ...edit.fill });
    expect(saved.statusCode, saved.body.match(/govuk-error-summary__list[\s\S]{0,600}/)?.[0] ?? saved.body.slice(0, 500)).toBeLessThan(400);
    expect(await fingerprint()).not.toEqual(before);
    // And it confirms itself on the page it leads to.
    if (saved.statusCode === 303) expect((await edit.as.get(saved.headers.location as string)).body).toContain('govuk-notification-banner--success');
  });
});
