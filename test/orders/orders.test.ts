// Orders and sanctions end to end (issue 19): a police user records a KCPO
// with an exclusion zone and a non-association condition; an incident
// recorded through the API inside the zone raises a possible breach with its
// evidence, on the lead officer's list, in the outbox and on the next DRM
// agenda; the officer confirms it. A link between the two named people raises
// another; every other entrance that records an incident, a person in one or
// a link does too; an expired order raises nothing; a victim is never flagged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { buildAgenda } from '../../src/modules/meetings/agenda.ts';
import { londonDayStart, londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { auditCount, incidentForm, makeAgency, makeUser, signedIn, submit, testApp, type Client, type TestApp } from '../support/app.ts';
import { formFields } from '../support/forms.ts';
import { refreshMatchKeys } from '../../src/modules/people/queries.ts';

let t: TestApp;
let police: { id: string };
let council: { id: string };
let officer: Client;
let officerId: string;
let enforcement: Client;
let caseworker: Client;
let coordinatorId: string;
let analyst: Client;
let feed: string;
let caseworkerFeed: string;
let subject: string;
let rival: string;
let bystander: string;
let orderId: string;
const today = londonToday();
const born = (age: number) => `${new Date().getFullYear() - age}-03-01`;

// A box around Walthamstow Central station (the incident form's default place is inside it).
const ZONE = '51.5850, -0.0230\n51.5850, -0.0170\n51.5810, -0.0170\n51.5810, -0.0230';
const INSIDE = { latitude: 51.583, longitude: -0.0199 };
const OUTSIDE = { latitude: 51.5712, longitude: -0.0093 }; // Leyton, about 1.5 km south-east

async function person(given: string, family: string, age = 15) {
  return (await t.db.insertInto('person').values({ agency_id: police.id, given_name: given, family_name: family, date_of_birth: born(age), sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow()).id;
}

const orderForm = (overrides: Record<string, string> = {}) => ({
  kindCode: 'knife_crime_prevention_order',
  court: 'Stratford Magistrates’ Court',
  caseReference: 'KCPO/2026/14',
  ...dateParts('madeOn', addDays(today, -30)),
  ...dateParts('inForceFrom', addDays(today, -30)),
  ...dateParts('until', addDays(today, 335)),
  interim: 'full',
  applyingAgencyId: police.id,
  leadOfficerName: 'PC Dana Lee',
  leadOfficerContact: '020 7946 0000',
  submissionKey: crypto.randomUUID(),
  ...overrides,
});

const apiIncident = (people: unknown[], place = INSIDE, hoursAgo = 2) => ({
  occurredAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
  notifiedAt: new Date(Date.now() - (hoursAgo - 1) * 3_600_000).toISOString(),
  type: 'weapon_possession',
  weapon: 'knife',
  place: { description: 'Hoe Street, Walthamstow', ...place },
  people,
});
const postIncident = (payload: unknown, key = feed) => t.app.inject({ method: 'POST', url: '/api/v1/incidents', headers: { authorization: `Bearer ${key}` }, payload: payload as object });
const breaches = (personId: string) => t.db.selectFrom('possible_breach').selectAll().where('person_id', '=', personId).orderBy('raised_at').execute();

beforeAll(async () => {
  t = await testApp();
  police = await makeAgency(t.db, { kind: 'police', receivesIncidents: true });
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  const officerUser = await makeUser(t.db, police.id, ['police']);
  officerId = officerUser.id;
  officer = await signedIn(t, officerUser);
  enforcement = await signedIn(t, await makeUser(t.db, council.id, ['enforcement']));
  caseworker = await signedIn(t, await makeUser(t.db, council.id, ['caseworker']));
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  coordinatorId = (await makeUser(t.db, police.id, ['coordinator'])).id;
  feed = (await createApiClient(t.db, { agencyId: police.id, name: 'Police incident feed', role: 'police', createdBy: null })).secret;
  caseworkerFeed = (await createApiClient(t.db, { agencyId: council.id, name: 'Case system', role: 'caseworker', createdBy: null })).secret;
  subject = await person('Jay', 'Subject');
  rival = await person('Dee', 'Rival');
  bystander = await person('Sam', 'Bystander');
  await t.db.transaction().execute((trx) => refreshMatchKeys(trx, [subject, rival, bystander]));
});
afterAll(() => t.close());

describe('recording an order', () => {
  it('refuses what the law does not allow, field by field, and saves nothing', async () => {
    const young = await person('Tia', 'Young', 11);
    const tooYoung = await officer.post(`/people/${young}/orders`, orderForm());
    expect(tooYoung.statusCode).toBe(400);
    expect(tooYoung.body).toContain('govuk-error-summary');
    expect(tooYoung.body).toContain('A Knife Crime Prevention Order can only be made against someone aged 12 or over (Offensive Weapons Act 2019, Part 2)');
    const civil = await officer.post(`/people/${subject}/orders`, orderForm({ kindCode: 'civil_injunction', ...dateParts('until', addDays(today, 400)) }));
    expect(civil.statusCode).toBe(400);
    expect(civil.body).toContain('can last no more than 12 months (Anti-social Behaviour, Crime and Policing Act 2014, s. 1(6))');
    const backwards = await officer.post(`/people/${subject}/orders`, orderForm({ ...dateParts('until', addDays(today, -40)) }));
    expect(backwards.body).toContain('The date it ends must be the same as or after the date it is in force from');
    const placeKind = await officer.post(`/people/${subject}/orders`, orderForm({ kindCode: 'section_60' }));
    expect(placeKind.body).toContain('A Section 60 authorisation is made over a place, not against a person');
    expect(await t.db.selectFrom('court_order').select('id').execute()).toHaveLength(0);
  });

  it('a police user records a KCPO with an exclusion zone and a non-association condition; the law’s review is worked out', async () => {
    const form = await officer.get(`/people/${subject}/orders/new`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Offensive Weapons Act 2019, Part 2');
    const res = await officer.post(`/people/${subject}/orders`, orderForm());
    expect(res.statusCode).toBe(303);
    orderId = (res.headers.location as string).split('/').pop()!;
    expect(await auditCount(t.db, { action: 'order.record', recordId: orderId })).toBe(1);
    // The same form sent twice is one order.
    const key = crypto.randomUUID();
    const once = await officer.post(`/people/${bystander}/orders`, orderForm({ submissionKey: key }));
    const twice = await officer.post(`/people/${bystander}/orders`, orderForm({ submissionKey: key }));
    expect(twice.headers.location).toBe(once.headers.location);

    const zone = await officer.post(`/orders/${orderId}/conditions`, { conditionKind: 'exclusion_zone', wording: 'Not to enter the area around Walthamstow Central station shown on the map.', zoneLabel: 'Walthamstow Central', zoneShape: 'polygon', zonePoints: ZONE, zoneTimed: 'always' });
    expect(zone.statusCode).toBe(303);
    const found = await officer.post(`/orders/${orderId}/conditions/search`, { name: 'Dee Rival' });
    expect(found.body).toContain(`name="personIds" type="checkbox" value="${rival}"`);
    const apart = await officer.post(`/orders/${orderId}/conditions`, { conditionKind: 'non_association', wording: 'Not to associate with Dee Rival.', personIds: rival });
    expect(apart.statusCode).toBe(303);
    const words = await officer.post(`/orders/${orderId}/conditions`, { conditionKind: 'social_media', wording: 'Not to post drill videos naming rival groups.' });
    expect(words.statusCode).toBe(303);

    const page = await officer.get(`/orders/${orderId}`);
    expect(page.body).toContain('The condition has been added');
    expect(page.body).toContain('Walthamstow Central: the area drawn (4 points); at all times.');
    expect(page.body).toContain('Not to associate with Dee Rival.');
    expect(page.body).toContain('Reachable cannot check this condition automatically');
    expect(page.body).toContain('Review hearing in the last 4 weeks of the first year');
    expect(page.body).toContain('Offensive Weapons Act 2019, s. 26(3) and (4)');
    const reviews = await t.db.selectFrom('order_review').selectAll().where('order_id', '=', orderId).execute();
    expect(reviews).toHaveLength(1);
    expect(reviews[0].due_by).toBe(addDays(addDays(today, -30), 364));
  });

  it('refuses a condition with a missing part, and a gang injunction’s curfew over 8 hours a day', async () => {
    const bad = await officer.post(`/orders/${orderId}/conditions`, { conditionKind: 'exclusion_zone', wording: 'Zone', zoneLabel: 'Somewhere', zoneShape: 'polygon', zonePoints: '51.58, -0.02\n51.59, -0.02', zoneTimed: 'always' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Draw the zone with at least 3 points of its boundary');
    const gang = await officer.post(`/people/${bystander}/orders`, orderForm({ kindCode: 'gang_injunction', ...dateParts('until', addDays(today, 100)) }));
    const gangId = (gang.headers.location as string).split('/').pop()!;
    const curfew = { conditionKind: 'curfew', wording: 'Curfew', curfewAddress: '1 Hoe Street', curfewLatitude: '51.5852', curfewLongitude: '-0.0171', curfewDays: ['1', '2', '3', '4', '5', '6', '7'], electronicMonitoring: 'no' };
    const long = await officer.post(`/orders/${gangId}/conditions`, { ...curfew, curfewFrom: '21:00', curfewTo: '07:00' });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('A curfew in a Gang injunction can last no more than 8 hours in any day (Policing and Crime Act 2009, s. 35(4)); these hours are 10 hours');
    // Both edges: a minute over 8 hours is refused, 8 hours exactly goes in.
    const minuteOver = await officer.post(`/orders/${gangId}/conditions`, { ...curfew, curfewFrom: '22:59', curfewTo: '07:00' });
    expect(minuteOver.statusCode).toBe(400);
    expect(minuteOver.body).toContain('these hours are 8 hours 1 minute');
    const eight = await officer.post(`/orders/${gangId}/conditions`, { ...curfew, curfewFrom: '23:00', curfewTo: '07:00' });
    expect(eight.statusCode).toBe(303);
    // Another agency's officer finds the order's change routes missing.
    expect((await enforcement.post(`/orders/${gangId}/conditions`, { ...curfew, curfewFrom: '23:00', curfewTo: '07:00' })).statusCode).toBe(404);
  });
});

describe('possible breaches, found by the machine and decided by a person', () => {
  it('an incident recorded through the API inside the zone raises a possible breach with its evidence, on the list, in the outbox and on the DRM agenda', async () => {
    const res = await postIncident(apiIncident([{ personId: subject, role: 'suspect' }]));
    expect(res.statusCode).toBe(201);
    const [raised] = await breaches(subject);
    expect(raised).toBeDefined();
    expect(raised.incident_id).toBe(res.json().id);
    expect(raised.evidence).toMatch(/^Knife Crime Prevention Order: suspect in incident \d{4}-\d{6} at \d\d:\d\d on \d{4}-\d\d-\d\d, inside the exclusion zone \(Walthamstow Central\)$/);
    expect(await auditCount(t.db, { action: 'order.breach-raised', recordId: raised.id })).toBe(1);

    const list = await officer.get('/orders');
    expect(list.body).toContain('Possible breaches waiting for a decision');
    expect(list.body).toContain(raised.evidence);
    // The lead officer and the applying agency's coordinator are told.
    const told = await t.db.selectFrom('notification').select('recipient_id').where('possible_breach_id', '=', raised.id).execute();
    expect(told.map((n) => n.recipient_id).sort()).toEqual([officerId, coordinatorId].sort());
    expect((await officer.get('/')).body).toContain('1 possible breach of orders you lead on, waiting for a decision');
    const outbox = await officer.get('/notifications');
    expect(outbox.body).toContain(`/orders/breaches/${raised.id}`);
    expect(outbox.body).toContain('A possible breach, waiting for a decision');

    const meeting = await t.db
      .insertInto('meeting')
      .values({ agency_id: council.id, type_code: 'drm', starts_at: new Date(Date.now() + 3_600_000) })
      .returning(['id', 'agency_id', 'type_code', 'starts_at'])
      .executeTakeFirstOrThrow();
    const type = await t.db.selectFrom('meeting_type').select(['interval_days', 'agenda_rules']).where('code', '=', 'drm').executeTakeFirstOrThrow();
    expect(type.agenda_rules).toContain('possible_breaches');
    await t.db.transaction().execute((trx) => buildAgenda(trx, { ...meeting, starts_at: new Date(meeting.starts_at), interval_days: type.interval_days }, type.agenda_rules, null));
    const item = await t.db.selectFrom('meeting_item').selectAll().where('meeting_id', '=', meeting.id).where('possible_breach_id', '=', raised.id).executeTakeFirstOrThrow();
    expect(item.title).toBe('Possible breach: Jay Subject (Knife Crime Prevention Order)');
    expect(item.why).toContain('inside the exclusion zone (Walthamstow Central)');
    // Building again lists it once.
    await t.db.transaction().execute((trx) => buildAgenda(trx, { ...meeting, starts_at: new Date(meeting.starts_at), interval_days: type.interval_days }, type.agenda_rules, null));
    expect(await t.db.selectFrom('meeting_item').select('id').where('possible_breach_id', '=', raised.id).execute()).toHaveLength(1);
  });

  it('the officer confirms it with the action taken; a second decision from the page as first read is refused with the words kept', async () => {
    const [raised] = await breaches(subject);
    const page = await officer.get(`/orders/breaches/${raised.id}`);
    expect(page.body).toContain('Waiting for a decision');
    const fields = formFields(page.body, `/orders/breaches/${raised.id}`)!;
    const incomplete = await officer.post(`/orders/breaches/${raised.id}`, { version: fields.version as string, decision: 'confirmed' });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.body).toContain('Select the action taken');
    const done = await officer.post(`/orders/breaches/${raised.id}`, { version: fields.version as string, decision: 'confirmed', action: 'arrest' });
    expect(done.statusCode).toBe(303);
    const after = await officer.get(`/orders/breaches/${raised.id}`);
    expect(after.body).toContain('Your decision on the possible breach has been recorded');
    expect(after.body).toContain('Confirmed: Arrest');
    const stale = await officer.post(`/orders/breaches/${raised.id}`, { version: fields.version as string, decision: 'not_a_breach', reason: 'He was only passing through' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('He was only passing through');
    expect((await t.db.selectFrom('possible_breach').select('decision').where('id', '=', raised.id).executeTakeFirstOrThrow()).decision).toBe('confirmed');
    // Decided, it leaves the waiting list.
    expect((await officer.get('/orders')).body).not.toContain(raised.evidence);
  });

  it('a link recorded between the two named people raises another, whichever way round', async () => {
    const before = (await breaches(subject)).length;
    const res = await officer.post(`/people/${rival}/links`, {
      to: 'person',
      otherId: subject,
      linkType: 'associate',
      reason: 'Seen together at Walthamstow Central on CCTV',
      ...dateParts('validFrom', addDays(today, -2)),
      ...dateParts('reviewOn', addDays(today, 90)),
      sourceEvaluation: '1',
      assessment: 'A',
      handlingCode: 'P',
    });
    expect(res.statusCode).toBe(303);
    const after = await breaches(subject);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.association_id).toBeTruthy();
    expect(after.at(-1)!.evidence).toContain('with Dee Rival');
  });

  it('both named people in one incident raise a non-association breach (and the zone one), once however often it is checked again', async () => {
    const res = await postIncident(apiIncident([{ personId: subject, role: 'suspect' }, { personId: rival, role: 'associate' }]));
    const incidentId = res.json().id;
    const raised = (await breaches(subject)).filter((b) => b.incident_id === incidentId);
    expect(raised.map((b) => b.evidence).join('\n')).toContain('with Dee Rival (associate), whom the order says not to associate with');
    expect(raised).toHaveLength(2);
    // The rival is not the order's subject: nothing is raised against them.
    expect(await breaches(rival)).toHaveLength(0);
  });

  it('a victim is never flagged, even inside the zone with the named person', async () => {
    const res = await postIncident(apiIncident([{ personId: subject, role: 'victim' }, { personId: rival, role: 'suspect' }]));
    expect(res.statusCode).toBe(201);
    expect((await breaches(subject)).filter((b) => b.incident_id === res.json().id)).toHaveLength(0);
  });

  it('an incident outside the zone raises nothing; edited on the page to a place inside it, it raises a possible breach', async () => {
    const recorded = await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id, latitude: String(OUTSIDE.latitude), longitude: String(OUTSIDE.longitude), placeDescription: 'Leyton High Road' }));
    const incidentId = (recorded.headers.location as string).split('/').pop()!;
    const add = await officer.post(`/incidents/${incidentId}/people`, { personId: subject, role: 'suspect' });
    expect(add.statusCode).toBe(303);
    expect((await breaches(subject)).filter((b) => b.incident_id === incidentId)).toHaveLength(0);
    const saved = await submit(officer, `/incidents/${incidentId}/edit`, `/incidents/${incidentId}`, { latitude: String(INSIDE.latitude), longitude: String(INSIDE.longitude), placeDescription: 'Walthamstow Central' });
    expect(saved.statusCode).toBe(303);
    expect((await breaches(subject)).filter((b) => b.incident_id === incidentId)).toHaveLength(1);
  });

  it('a custody notification for the subject arrested inside the zone raises one too', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/custody-notifications',
      headers: { authorization: `Bearer ${feed}` },
      payload: { personId: subject, bookedInAt: new Date(Date.now() - 1_800_000).toISOString(), custodySuite: 'Leyton custody', offence: 'Possession of a bladed article', occurredAt: new Date(Date.now() - 3_600_000).toISOString(), place: { description: 'Walthamstow Central', ...INSIDE } },
    });
    expect(res.statusCode, res.body).toBeLessThan(300);
    const incidentId = res.json().incident.id;
    expect((await breaches(subject)).filter((b) => b.incident_id === incidentId).length).toBeGreaterThanOrEqual(1);
  });

  it('a membership of a group with the named person in it raises one', async () => {
    const group = await t.db.insertInto('network_group').values({ name: 'Hoe Street Boys', kind: 'street_gang', agency_id: police.id }).returning('id').executeTakeFirstOrThrow();
    const member = { to: 'group', linkType: 'member', reason: 'Police intelligence', ...dateParts('validFrom', addDays(today, -5)), ...dateParts('reviewOn', addDays(today, 90)), sourceEvaluation: '1', assessment: 'A', handlingCode: 'P' };
    expect((await officer.post(`/people/${rival}/links`, { ...member, otherId: group.id })).statusCode).toBe(303);
    const before = (await breaches(subject)).length;
    expect((await officer.post(`/people/${subject}/links`, { ...member, otherId: group.id })).statusCode).toBe(303);
    const after = await breaches(subject);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)!.evidence).toContain('recorded as members of the same group (Hoe Street Boys) with Dee Rival');
  });

  it('an ended order raises nothing, and leaves the lists', async () => {
    const other = await person('Lee', 'Ended');
    const rec = await officer.post(`/people/${other}/orders`, orderForm({ ...dateParts('madeOn', addDays(today, -200)), ...dateParts('inForceFrom', addDays(today, -200)), ...dateParts('until', addDays(today, -1)) }));
    const endedId = (rec.headers.location as string).split('/').pop()!;
    await officer.post(`/orders/${endedId}/conditions`, { conditionKind: 'exclusion_zone', wording: 'Zone', zoneLabel: 'Walthamstow Central', zoneShape: 'polygon', zonePoints: ZONE, zoneTimed: 'always' });
    await postIncident(apiIncident([{ personId: other, role: 'suspect' }], INSIDE, 0.5));
    expect(await breaches(other)).toHaveLength(0);
    // Its last day still counts: an incident at noon yesterday, recorded today, raises one.
    const noonYesterday = new Date(londonDayStart(addDays(today, -1)).getTime() + 12 * 3_600_000);
    await postIncident({ ...apiIncident([{ personId: other, role: 'suspect' }]), occurredAt: noonYesterday.toISOString(), notifiedAt: new Date(noonYesterday.getTime() + 600_000).toISOString() });
    expect(await breaches(other)).toHaveLength(1);
    expect((await officer.get('/orders')).body).not.toContain(`/orders/${endedId}"`);
    // Ended early on the page, an order stops raising from that day.
    const page = await officer.get(`/orders/${orderId}`);
    const fields = formFields(page.body, `/orders/${orderId}/end`)!;
    const ended = await officer.post(`/orders/${orderId}/end`, { version: fields.version as string, endReason: 'discharged', endWords: 'Discharged on appeal' });
    expect(ended.statusCode).toBe(303);
    const before = (await breaches(subject)).length;
    await postIncident(apiIncident([{ personId: subject, role: 'suspect' }], INSIDE, 1.5));
    expect(await breaches(subject)).toHaveLength(before);
  });
});

describe('the orders API', () => {
  const order = (overrides: Record<string, unknown> = {}) => ({
    kindCode: 'criminal_behaviour_order',
    personId: bystander,
    court: 'Thames Magistrates’ Court',
    madeOn: addDays(today, -10),
    inForceFrom: addDays(today, -10),
    until: addDays(today, 720),
    interim: false,
    leadOfficer: { name: 'DC Ray Khan', contact: 'ray.khan@met.police.uk' },
    conditions: [
      { kind: 'exclusion_zone', wording: 'Not to enter Waltham Forest', zoneLabel: 'Waltham Forest', zoneShape: 'borough', zoneBorough: 'E09000031', zoneTimed: 'hours', zoneDays: ['5', '6'], zoneFrom: '18:00', zoneTo: '06:00' },
      { kind: 'no_bladed_article', wording: 'Not to carry a bladed article in public' },
    ],
    ...overrides,
  });
  const post = (payload: unknown, key = feed, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/v1/orders', headers: { authorization: `Bearer ${key}`, ...headers }, payload: payload as object });

  it('records an order with its conditions once per Idempotency-Key, with the yearly reviews the law sets for a child', async () => {
    const first = await post(order(), feed, { 'idempotency-key': 'court-feed-1' });
    expect(first.statusCode, first.body).toBe(201);
    const json = first.json();
    expect(json.conditions).toHaveLength(2);
    const second = await post(order(), feed, { 'idempotency-key': 'court-feed-1' });
    expect(second.statusCode).toBe(200);
    expect(second.json().id).toBe(json.id);
    // 15 now: under 18 at the end of the first two years, so two yearly reviews (Sentencing Act 2020, s. 337).
    const reviews = await t.db.selectFrom('order_review').select(['due_by', 'source']).where('order_id', '=', json.id).orderBy('due_by').execute();
    expect(reviews.length).toBeGreaterThanOrEqual(1);
    expect(reviews[0].source).toContain('Sentencing Act 2020, s. 337');
    expect(await auditCount(t.db, { action: 'order.record', recordId: json.id })).toBe(1);
  });

  it('refuses a bad order with field errors and records nothing', async () => {
    const before = (await t.db.selectFrom('court_order').select('id').execute()).length;
    const res = await post(order({ kindCode: 'nonsense', personId: 'x', conditions: [{ kind: 'curfew', wording: 'Curfew' }] }));
    expect(res.statusCode).toBe(400);
    const errors = res.json().errors;
    expect(errors.kindCode).toBe('Select the kind of order');
    expect(errors.personId).toBeDefined();
    expect(errors['conditions[0].curfewAddress']).toBeDefined();
    expect((await t.db.selectFrom('court_order').select('id').execute()).length).toBe(before);
  });

  it('GET a person’s orders: conditions for those who enforce them, existence and contact for a caseworker’s system', async () => {
    const enforcer = await t.app.inject({ method: 'GET', url: `/api/v1/people/${subject}/orders`, headers: { authorization: `Bearer ${feed}` } });
    expect(enforcer.statusCode).toBe(200);
    expect(enforcer.json().orders[0].conditions.length).toBeGreaterThan(0);
    expect(enforcer.json().orders[0].possibleBreaches.length).toBeGreaterThan(0);
    const partner = await t.app.inject({ method: 'GET', url: `/api/v1/people/${subject}/orders`, headers: { authorization: `Bearer ${caseworkerFeed}` } });
    expect(partner.statusCode).toBe(200);
    expect(partner.json().orders[0].conditions).toBeUndefined();
    expect(partner.json().orders[0].possibleBreaches).toBeUndefined();
    expect(partner.json().orders[0].leadOfficer.name).toBe('PC Dana Lee');
    const missing = await t.app.inject({ method: 'GET', url: `/api/v1/people/${crypto.randomUUID()}/orders`, headers: { authorization: `Bearer ${feed}` } });
    expect(missing.statusCode).toBe(404);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/api/v1/orders'].post).toBeDefined();
    expect(doc.paths['/api/v1/people/{id}/orders'].get).toBeDefined();
    expect(doc.components.schemas.NewOrder.required).toContain('kindCode');
  });
});

describe('who sees what', () => {
  it('a caseworker sees that an order exists and whom to contact, never its conditions or breaches; an analyst not at all', async () => {
    const record = await caseworker.get(`/people/${subject}`);
    expect(record.body).toContain('Knife Crime Prevention Order');
    expect(record.body).toContain('PC Dana Lee');
    const page = await caseworker.get(`/orders/${orderId}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('contact PC Dana Lee');
    expect(page.body).not.toContain('Walthamstow Central: the area drawn');
    expect(page.body).not.toContain('Possible breaches');
    const [b] = await breaches(subject);
    expect((await caseworker.get(`/orders/breaches/${b.id}`)).statusCode).toBe(403);
    expect((await analyst.get('/orders')).statusCode).toBe(403);
    expect((await caseworker.get('/orders')).body).not.toContain('Possible breaches waiting');
    // The council enforcement officer sees the detail, but a police order's possible breach is the police's to decide.
    expect((await enforcement.get(`/orders/${orderId}`)).body).toContain('Walthamstow Central: the area drawn');
    const theirs = await enforcement.get(`/orders/breaches/${b.id}`);
    expect(theirs.statusCode).toBe(200);
    expect(theirs.body).not.toContain('Save the decision');
    const refused = await enforcement.post(`/orders/breaches/${b.id}`, { version: '99', decision: 'not_a_breach', reason: 'Not ours' });
    expect(refused.statusCode).toBe(404);
    expect((await t.db.selectFrom('possible_breach').select('reason').where('id', '=', b.id).executeTakeFirstOrThrow()).reason).not.toBe('Not ours');
  });

  it('a place-based power is recorded over an area, with a map to draw it on, and shows on the map to every partner', async () => {
    const form = await officer.get('/orders/new-place');
    expect(form.body).toContain('data-zone-draw');
    const missing = await officer.post('/orders/place', { ...orderForm({ kindCode: 'section_60', ...dateParts('until', today) }), areaLabel: '', zoneShape: 'borough', zoneBorough: 'E09000031' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Enter what the area is called');
    const longer = await officer.post('/orders/place', { ...orderForm({ kindCode: 'closure_order', ...dateParts('until', addDays(today, 200)) }), areaLabel: '12 Hoe Street', zoneShape: 'circle', zonePlaceId: '', zoneRadius: '50' });
    expect(longer.body).toContain('Select the named place the zone is around');
    const ok = await officer.post('/orders/place', { ...orderForm({ kindCode: 'section_60', court: 'Superintendent, North East BCU', ...dateParts('madeOn', today), ...dateParts('inForceFrom', today), ...dateParts('until', addDays(today, 1)) }), areaLabel: 'Walthamstow town centre', zoneShape: 'borough', zoneBorough: 'E09000031' });
    expect(ok.statusCode).toBe(303);
    const partner = await caseworker.get('/orders/map');
    expect(partner.body).toContain('Section 60 authorisation');
    expect(partner.body).toContain('Walthamstow town centre');
  });

  it('the map shows exclusion zones to those who enforce orders, with the table beside it', async () => {
    const zones = await enforcement.get('/orders/map');
    expect(zones.statusCode).toBe(200);
    expect(zones.body).toContain('reachable-map');
    expect(zones.body).toContain('What the map shows');
    expect(zones.body).toContain('Exclusion zone: Criminal Behaviour Order');
    const partner = await caseworker.get('/orders/map');
    expect(partner.statusCode).toBe(200);
    expect(partner.body).not.toContain('Exclusion zone:');
  });

  it('the hot spots page draws orders in force as an optional layer, zones only for those who enforce orders', async () => {
    const plain = await officer.get('/hot-spots');
    expect(plain.body).not.toContain('Orders in force on the map');
    const layered = await officer.get('/hot-spots?orders=yes');
    expect(layered.body).toContain('Orders in force on the map');
    expect(layered.body).toContain('Exclusion zone: Criminal Behaviour Order');
    const analystView = await analyst.get('/hot-spots?orders=yes');
    expect(analystView.body).toContain('Orders in force on the map');
    expect(analystView.body).not.toContain('Exclusion zone:');
  });
});
