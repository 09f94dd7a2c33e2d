// Critical incidents end to end (issue 20): a police user declares a critical
// incident from a stabbing recorded through the API; the contacts are told;
// it is at the top of tomorrow's DRM agenda; the community impact assessment
// is filled, partners consulted, a reassurance action given to the council's
// youth service, a neighbouring borough told; two reviews later the tension
// has fallen and the assessment closes. Only the leading agency changes it;
// a stale form is refused with its words kept; and each section of the
// briefing shows each role only what that role may see.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { recordOrder } from '../../src/modules/orders/queries.ts';
import { boroughsOnGrid, toBritishNationalGrid } from '../../src/analysis/geography.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { auditCount, formTime, makeAgency, makeUser, signedIn, submit, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let police: { id: string };
let council: { id: string };
let other: { id: string };
let officer: Client;
let officerId: string;
let coordinator: Client;
let coordinatorId: string;
let analyst: Client;
let enforcement: Client;
let outsider: Client;
let victim: string;
let suspect: string;
let friend: string;
let incidentId: string;
let criticalId: string;
const today = londonToday();
const born = (age: number) => `${new Date().getFullYear() - age}-03-01`;
const PLACE = { latitude: 51.583, longitude: -0.0199 }; // Walthamstow Central

async function person(given: string, family: string, age = 16) {
  return (await t.db.insertInto('person').values({ agency_id: police.id, given_name: given, family_name: family, date_of_birth: born(age), sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow()).id;
}
const place = async (name: string, kind: string, latitude: number, longitude: number) => {
  const { easting, northing } = toBritishNationalGrid(longitude, latitude);
  await t.db.insertInto('place').values({ name, kind, latitude, longitude, easting, northing, borough_name: 'Waltham Forest' }).execute();
};
const version = async () => String((await t.db.selectFrom('critical_incident').select('version').where('id', '=', criticalId).executeTakeFirstOrThrow()).version);
const indicators = (state: string) => Object.fromEntries(['retaliation', 'rival_groups', 'social_media', 'gatherings', 'previous_incidents', 'anniversaries'].map((k) => [`indicator-${k}`, state]));

beforeAll(async () => {
  t = await testApp();
  police = await makeAgency(t.db, { kind: 'police', receivesIncidents: true });
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  other = await makeAgency(t.db, { kind: 'voluntary' });
  const o = await makeUser(t.db, police.id, ['police']);
  officerId = o.id;
  officer = await signedIn(t, o);
  const c = await makeUser(t.db, council.id, ['coordinator']);
  coordinatorId = c.id;
  coordinator = await signedIn(t, c);
  analyst = await signedIn(t, await makeUser(t.db, police.id, ['analyst']));
  enforcement = await signedIn(t, await makeUser(t.db, council.id, ['enforcement']));
  outsider = await signedIn(t, await makeUser(t.db, other.id, ['caseworker']));
  victim = await person('Ade', 'Victim');
  suspect = await person('Bo', 'Suspect', 17);
  friend = await person('Cy', 'Friend', 15);
  // A rivalry the network knows: the suspect's group against another.
  const group = (name: string) => t.db.insertInto('network_group').values({ name, kind: 'street_gang', agency_id: police.id }).returning('id').executeTakeFirstOrThrow();
  const [ours, theirs] = [await group('Hoe Street Boys'), await group('Lea Side')];
  const link = { agency_id: police.id, valid_from: addDays(today, -100), review_on: addDays(today, 200), reason: 'Seen together and named in intelligence' };
  await t.db.insertInto('association').values({ ...link, kind: 'membership', link_type: 'member', person_id: suspect, group_id: ours.id }).execute();
  await t.db.insertInto('association').values({ ...link, kind: 'group_group', link_type: 'rivalry', group_id: ours.id, other_group_id: theirs.id }).execute();
  await t.db.insertInto('association').values({ ...link, kind: 'person_person', link_type: 'friend', person_id: victim, other_person_id: friend }).execute();
  await place('Kelmscott Near School', 'school', 51.5845, -0.0199); // about 170 m north
  await place('Far Away School', 'school', 51.6035, -0.0352); // Walthamstow Academy, 2.5 km
  await place('Walthamstow Central Mosque', 'faith', 51.5797, -0.0238);
  // A dispersal direction over the whole borough, in force today.
  const wf = boroughsOnGrid().find((b) => b.name === 'Waltham Forest')!;
  await t.db.transaction().execute((trx) =>
    recordOrder(trx, { userId: officerId, agencyId: police.id }, { kindCode: 'dispersal_direction', personId: null, area: { label: 'Walthamstow town centre', zone: { shape: 'borough', code: wf.code, name: wf.name } }, court: 'Inspector', caseReference: null, madeOn: today, inForceFrom: today, until: addDays(today, 1), interim: false, applyingAgencyId: police.id, leadOfficerName: 'Insp Ruth Okafor', leadOfficerContact: '020 7946 0999', courtReviewOn: null }, null),
  );
});
afterAll(() => t.close());

describe('declaring a critical incident', () => {
  it('a police user declares one from a stabbing recorded through the API; the contacts are told', async () => {
    const feed = (await createApiClient(t.db, { agencyId: police.id, name: 'Police incident feed', role: 'police', createdBy: null })).secret;
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/incidents',
      headers: { authorization: `Bearer ${feed}` },
      payload: { occurredAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), notifiedAt: new Date(Date.now() - 2 * 3_600_000).toISOString(), type: 'knife_injury', weapon: 'knife', place: { description: 'Hoe Street, Walthamstow', ...PLACE }, people: [{ personId: victim, role: 'victim' }, { personId: suspect, role: 'suspect' }] },
    });
    expect(res.statusCode).toBe(201);
    incidentId = res.json().id;
    // Two schools at the briefing's 400 m edge: one just inside, one just outside.
    const at = await t.db.selectFrom('incident').select(['easting', 'northing']).where('id', '=', incidentId).executeTakeFirstOrThrow();
    await t.db.insertInto('place').values([
      { name: 'Edge School In', kind: 'school', easting: at.easting! + 399.6, northing: at.northing! },
      { name: 'Edge School Out', kind: 'school', easting: at.easting!, northing: at.northing! - 400.4 },
    ]).execute();
    // Nobody named as a contact yet: every agency's coordinators are told.
    const page = await officer.get(`/incidents/${incidentId}`);
    expect(page.body).toContain('Declare a critical incident');
    const refused = await officer.post(`/incidents/${incidentId}/critical`, { reason: 'other' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('Say why this is a critical incident');
    expect(await t.db.selectFrom('critical_incident').select('id').execute()).toHaveLength(0);

    const plan = await coordinator.post('/meetings', { type: 'drm', ...dateParts('date', addDays(today, 1)), time: '09:30' });
    expect(plan.statusCode).toBe(303);
    const meetingId = (plan.headers.location as string).split('/').pop()!;
    const before = await t.db.selectFrom('meeting_item').select('id').where('meeting_id', '=', meetingId).execute();

    const declared = await officer.post(`/incidents/${incidentId}/critical`, { reason: 'young_person_harmed', reasonDetail: 'A 16-year-old stabbed outside the station' });
    expect(declared.statusCode).toBe(303);
    criticalId = (declared.headers.location as string).split('/').pop()!;
    expect(await auditCount(t.db, { action: 'critical.declare', recordId: criticalId })).toBe(1);
    const told = await t.db.selectFrom('notification').select('recipient_id').where('critical_incident_id', '=', criticalId).execute();
    expect(told.map((n) => n.recipient_id)).toEqual([coordinatorId]);
    expect((await coordinator.get('/notifications')).body).toContain(`/critical-incidents/${criticalId}`);
    // Declaring again leads to the one already declared.
    const again = await officer.post(`/incidents/${incidentId}/critical`, { reason: 'death' });
    expect(again.headers.location).toBe(`/critical-incidents/${criticalId}`);
    expect(await t.db.selectFrom('critical_incident').select('id').execute()).toHaveLength(1);
    // The officer's home page: the first assessment is due, for the agency that leads it only.
    expect((await officer.get('/')).body).toContain('1 community impact assessment your agency leads due for assessment or review within a day');
    expect((await coordinator.get('/')).body).not.toContain('community impact assessment your agency leads');

    // At the top of tomorrow's DRM agenda, above what was built before.
    const items = await t.db.selectFrom('meeting_item').select(['title', 'position', 'critical_incident_id']).where('meeting_id', '=', meetingId).orderBy('position').execute();
    expect(items[0].critical_incident_id).toBe(criticalId);
    expect(items[0].title).toMatch(/^Critical incident CI-\d{4}-\d{4}: Knife injury/);
    expect(items.length).toBe(before.length + 1);
    const agenda = await coordinator.get(`/meetings/${meetingId}`);
    expect(agenda.body.indexOf('Critical incident CI-')).toBeGreaterThan(-1);
  });

  it('an agency that may not see the incident cannot declare it: it answers as missing', async () => {
    const outsiderCoordinator = await signedIn(t, await makeUser(t.db, other.id, ['coordinator']));
    expect((await outsiderCoordinator.get(`/incidents/${incidentId}/critical`)).statusCode).toBe(404);
    expect((await outsiderCoordinator.post(`/incidents/${incidentId}/critical`, { reason: 'death' })).statusCode).toBe(404);
  });
});

describe('the community impact assessment', () => {
  it('refuses an assessment without a level or evidence, field by field, and saves nothing', async () => {
    const res = await officer.post(`/critical-incidents/${criticalId}/assess`, { version: await version(), tensionReason: '', ...indicators('seen') });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('Select the tension level');
    expect(res.body).toContain('Give the evidence for social media activity');
    expect(await t.db.selectFrom('community_impact_assessment').select('id').execute()).toHaveLength(0);
  });

  it('the leading agency assesses it, naming a young person in one indicator', async () => {
    const form = await officer.get(`/critical-incidents/${criticalId}/assess`);
    expect(form.body).toContain('Bo Suspect: Hoe Street Boys (street gang)');
    expect(form.body).toContain('Hoe Street Boys has a recorded rivalry with Lea Side.');
    expect(form.body).toContain('Walthamstow Central Mosque (Place of worship');
    const mosque = (await t.db.selectFrom('place').select('id').where('name', '=', 'Walthamstow Central Mosque').executeTakeFirstOrThrow()).id;
    const res = await submit(officer, `/critical-incidents/${criticalId}/assess`, `/critical-incidents/${criticalId}/assess`, {
      tensionLevel: '4',
      tensionReason: 'Threats of retaliation online naming Lea Side',
      wards: 'Hoe Street, High Street',
      places: mosque,
      ...indicators('not_known'),
      'indicator-retaliation': 'seen',
      'evidence-retaliation': 'Ade’s cousins posted that they will ride out tonight',
      'people-retaliation': victim,
      holdingLine: 'Police are investigating a stabbing in Hoe Street.',
    });
    expect(res.statusCode).toBe(303);
    const page = await officer.get(`/critical-incidents/${criticalId}`);
    expect(page.body).toContain('The community impact assessment has been saved');
    expect(page.body).toContain('4: High');
    expect(page.body).toContain('Ade’s cousins posted that they will ride out tonight');
    expect(page.body).toContain('About: Ade Victim');
    expect(page.body).toContain('Walthamstow Central Mosque');
  });

  it('an indicator naming people is withheld from roles that do not see people; the rest of the assessment is the partnership’s', async () => {
    for (const reader of [analyst, outsider]) {
      const page = await reader.get(`/critical-incidents/${criticalId}`);
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain('Threats of retaliation online naming Lea Side');
      if (reader === analyst) {
        expect(page.body).toContain('This evidence names young people involved');
        expect(page.body).not.toContain('ride out tonight');
        expect(page.body).not.toContain('Ade Victim');
      }
    }
    // A caseworker reads people, so reads it, with its name.
    const outsiderPage = await outsider.get(`/critical-incidents/${criticalId}`);
    expect(outsiderPage.body).toContain('ride out tonight');
  });

  it('records partners consulted, a neighbouring borough told and what was said, and gives the council’s youth service a reassurance action', async () => {
    const page = await officer.get(`/critical-incidents/${criticalId}`);
    expect(page.body).toContain('Neighbouring boroughs told');
    const when = formTime(new Date(Date.now() - 3_600_000), 'happenedAt');
    const consulted = await submit(officer, `/critical-incidents/${criticalId}`, `/critical-incidents/${criticalId}/contacts`, { contactKind: 'consulted', partnerKind: 'faith', party: 'Walthamstow Central Mosque', ...when, byWhom: 'PC Dana Lee', what: 'The imam will speak to the youth group' });
    expect(consulted.statusCode).toBe(303);
    const told = await submit(officer, `/critical-incidents/${criticalId}`, `/critical-incidents/${criticalId}/contacts`, { contactKind: 'borough_told', borough: 'Hackney', ...when, byWhom: 'Insp Ruth Okafor', what: 'Possible travel from Lea Side' });
    expect(told.statusCode).toBe(303);
    const bad = await submit(officer, `/critical-incidents/${criticalId}`, `/critical-incidents/${criticalId}/contacts`, { contactKind: 'borough_told', borough: 'Atlantis', ...when, byWhom: 'Me', what: 'x' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Select the borough told');
    const action = await submit(officer, `/critical-incidents/${criticalId}`, `/critical-incidents/${criticalId}/reassurance`, { reassuranceKind: 'youth_provision', actionDescription: 'Open the youth centre late for two weeks', actionAgency: council.id, actionOwner: 'Youth service manager', ...dateParts('actionDue', addDays(today, 7)) });
    expect(action.statusCode).toBe(303);
    const shown = await officer.get(`/critical-incidents/${criticalId}`);
    expect(shown.body).toContain('The imam will speak to the youth group');
    expect(shown.body).toContain('Possible travel from Lea Side');
    expect(shown.body).toContain('Extra youth provision: Open the youth centre late for two weeks');
    // On the council's actions list, where it is updated.
    const list = await coordinator.get('/actions');
    expect(list.body).toContain('Extra youth provision: Open the youth centre late for two weeks');
    expect(list.body).toContain(`Reassurance for critical incident`);
  });

  it('only the leading agency changes it: any other answers as missing and nothing changes', async () => {
    const v = await version();
    for (const [url, form] of [
      [`/critical-incidents/${criticalId}/assess`, { tensionLevel: '1', tensionReason: 'Calm', ...indicators('not_seen') }],
      [`/critical-incidents/${criticalId}/close`, { closureReason: 'tension_normal' }],
      [`/critical-incidents/${criticalId}/reassurance`, { reassuranceKind: 'patrols', actionDescription: 'Patrols', actionAgency: council.id, actionOwner: 'Sgt', ...dateParts('actionDue', addDays(today, 2)) }],
      [`/critical-incidents/${criticalId}/contacts`, { contactKind: 'said', channel: 'press', where: 'Press', ...formTime(new Date(Date.now() - 60_000), 'happenedAt'), byWhom: 'x', what: 'y' }],
    ] as const) {
      expect((await coordinator.post(url, { ...form, version: v })).statusCode).toBe(404);
    }
    expect((await coordinator.get(`/critical-incidents/${criticalId}/assess`)).statusCode).toBe(404);
    expect(await version()).toBe(v);
    expect((await coordinator.get(`/critical-incidents/${criticalId}`)).body).not.toContain('Review the assessment');
  });

  it('a stale review is refused with who changed it, keeping the words typed', async () => {
    const stale = String(Number(await version()) - 1);
    const res = await officer.post(`/critical-incidents/${criticalId}/assess`, { version: stale, tensionLevel: '3', tensionReason: 'My careful words about the tension', ...indicators('not_seen') });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('changed it on');
    expect(res.body).toContain('My careful words about the tension');
    expect(await t.db.selectFrom('community_impact_assessment').select('id').where('critical_incident_id', '=', criticalId).execute()).toHaveLength(1);
  });

  it('two reviews later the chart and its table show the fall, the earlier versions kept, and it closes with a reason', async () => {
    for (const [level, why] of [
      ['3', 'No travel seen; threats continue'],
      ['2', 'Threats have stopped'],
    ]) {
      const res = await submit(officer, `/critical-incidents/${criticalId}/assess`, `/critical-incidents/${criticalId}/assess`, { tensionLevel: level, tensionReason: why });
      expect(res.statusCode).toBe(303);
    }
    const versions = await t.db.selectFrom('community_impact_assessment').select(['number', 'tension_level', 'tension_reason']).where('critical_incident_id', '=', criticalId).orderBy('number').execute();
    expect(versions.map((v) => [v.number, v.tension_level])).toEqual([
      [0, 4],
      [1, 3],
      [2, 2],
    ]);
    // The review kept what it did not change.
    const latest = await t.db.selectFrom('community_impact_assessment').selectAll().where('critical_incident_id', '=', criticalId).where('number', '=', 2).executeTakeFirstOrThrow();
    expect(latest.wards).toEqual(['Hoe Street', 'High Street']);
    const page = await officer.get(`/critical-incidents/${criticalId}`);
    expect(page.body).toContain('Fell from 4: High to 3: Elevated');
    expect(page.body).toContain('Fell from 3: Elevated to 2: Raised');
    expect(page.body).toContain('aria-label="Tension level at each assessment and review (1 normal to 5 critical). Assessment: 4; Review 1: 3; Review 2: 2"');
    expect(page.body).toContain('Review 3, due');

    const list = await coordinator.get('/critical-incidents');
    expect(list.body).toContain('Hoe Street');
    expect(list.body).toContain('2: Raised');

    const missing = await submit(officer, `/critical-incidents/${criticalId}`, `/critical-incidents/${criticalId}/close`, { closureReason: 'other' });
    expect(missing.statusCode).toBe(400);
    expect(missing.body).toContain('Say why the assessment is closing');
    const closed = await submit(officer, `/critical-incidents/${criticalId}`, `/critical-incidents/${criticalId}/close`, { closureReason: 'tension_normal' });
    expect(closed.statusCode).toBe(303);
    const after = await officer.get(`/critical-incidents/${criticalId}`);
    expect(after.body).toContain('The community impact assessment has been closed');
    expect(after.body).toContain('Tension has returned to normal');
    expect(after.body).not.toContain('Review the assessment');
    // Closed, it changes no more.
    expect((await officer.post(`/critical-incidents/${criticalId}/assess`, { version: await version(), tensionLevel: '1', tensionReason: 'x', ...indicators('not_seen') })).statusCode).toBe(404);
  });
});

describe('the briefing, section by section, for each role', () => {
  const sections = ['1. The people involved', '2. Who else may be at risk', '3. Groups and rivalries', '4. The place’s history', '5. The near-repeat window', '6. Orders in force', '7. Schools nearby'];

  it('the police officer of the recording agency sees every section, the people named, and the read is audited with its purpose', async () => {
    const before = await t.db.selectFrom('audit_event').select('seq').where('action', '=', 'critical.briefing').execute();
    const page = await officer.get(`/critical-incidents/${criticalId}/briefing`);
    expect(page.statusCode).toBe(200);
    for (const s of sections) expect(page.body).toContain(s);
    expect(page.body).toContain('Ade Victim');
    expect(page.body).toContain('Bo Suspect');
    expect(page.body).toContain('Cy Friend'); // two links away
    expect(page.body).toContain('Hoe Street Boys has a recorded rivalry with Lea Side.');
    expect(page.body).toContain('Dispersal direction');
    expect(page.body).toContain('covers the place (Walthamstow town centre)');
    expect(page.body).toContain('Kelmscott Near School');
    expect(page.body).not.toContain('Far Away School');
    expect(page.body).toContain('Edge School In, 400 m away');
    expect(page.body).not.toContain('Edge School Out');
    expect(page.body).toMatch(/Worked out \d{1,2} \w+ \d{4}/);
    const audits = await t.db.selectFrom('audit_event').select(['person_id', 'purpose']).where('action', '=', 'critical.briefing').orderBy('seq').execute();
    const people = audits.slice(before.length).map((a) => a.person_id).filter(Boolean);
    expect(people.sort()).toEqual([victim, suspect, friend].sort());
    expect(audits.at(-1)!.purpose).toBe('critical incident briefing');
  });

  it('an analyst sees people only by pseudonym, no urgent responses or orders, and the places and near repeats', async () => {
    const page = await analyst.get(`/critical-incidents/${criticalId}/briefing`);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('Ade Victim');
    expect(page.body).not.toContain('Bo Suspect');
    expect(page.body).not.toContain('href="/people/');
    expect(page.body).toContain('People in the incident (pseudonyms)');
    expect(page.body).toContain('Your role does not read orders.');
    expect(page.body).not.toContain('Dispersal direction');
    expect(page.body).toContain('within 250 m in the period');
  });

  it('a council enforcement officer sees the orders and schools, but not the people, the network or the place’s history', async () => {
    const page = await enforcement.get(`/critical-incidents/${criticalId}/briefing`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Only agencies the incident is recorded by or shared with see who was involved.');
    expect(page.body).toContain('Your role does not read the network.');
    expect(page.body).toContain('Your role does not read places and times.');
    expect(page.body).not.toContain('Ade Victim');
    expect(page.body).not.toContain('Hoe Street Boys');
    expect(page.body).toContain('Dispersal direction');
    expect(page.body).toContain('Kelmscott Near School');
  });

  it('a caseworker of an agency the incident is not shared with sees no one in it, nor their links', async () => {
    const page = await outsider.get(`/critical-incidents/${criticalId}/briefing`);
    expect(page.statusCode).toBe(200);
    expect(page.body.match(/Only agencies the incident is recorded by or shared with see who was involved\./g)).toHaveLength(3);
    expect(page.body).not.toContain('Ade Victim');
    expect(page.body).not.toContain('Cy Friend');
    expect(page.body).not.toContain('Lea Side');
    expect(page.body).toContain('Kelmscott Near School');
  });

  it('a board member cannot open it at all', async () => {
    const board = await signedIn(t, await makeUser(t.db, council.id, ['board_member']));
    expect((await board.get(`/critical-incidents/${criticalId}/briefing`)).statusCode).toBe(403);
    expect((await board.get(`/critical-incidents/${criticalId}`)).statusCode).toBe(403);
  });
});

describe('critical incident contacts', () => {
  it('an administrator names the contacts; then only they are told, and a user not offered is refused', async () => {
    const admin = await signedIn(t, await makeUser(t.db, council.id, ['administrator']));
    const page = await admin.get('/admin/critical-incident-contacts');
    expect(page.body).toContain('No one is named yet, so every agency’s urgent response coordinators are told.');
    expect((await admin.post('/admin/critical-incident-contacts', { change: 'add', userId: '00000000-0000-4000-8000-000000000000' })).statusCode).toBe(400);
    const added = await admin.post('/admin/critical-incident-contacts', { change: 'add', userId: officerId });
    expect(added.statusCode).toBe(303);
    expect((await admin.get('/admin/critical-incident-contacts')).body).toContain('The critical incident contacts have been updated');
    const second = (await t.db.insertInto('incident').values({ reference: '2026-CI-TEST', agency_id: police.id, source_agency_id: police.id, occurred_at: new Date(Date.now() - 3_600_000), notified_at: new Date(), type_code: 'gun_discharge', weapon: 'firearm', place_description: 'Leyton' }).returning('id').executeTakeFirstOrThrow()).id;
    const declared = await officer.post(`/incidents/${second}/critical`, { reason: 'disorder_risk' });
    expect(declared.statusCode).toBe(303);
    const id = (declared.headers.location as string).split('/').pop()!;
    const told = await t.db.selectFrom('notification').select('recipient_id').where('critical_incident_id', '=', id).execute();
    expect(told.map((n) => n.recipient_id)).toEqual([officerId]);
    expect((await admin.post('/admin/critical-incident-contacts', { change: 'remove', userId: officerId })).statusCode).toBe(303);
    expect(await t.db.selectFrom('critical_incident_contact').select('user_id').execute()).toEqual([]);
  });
});

describe('the board report', () => {
  it('counts critical incidents with small numbers hidden, and hides a mean of fewer than 5', async () => {
    const board = await signedIn(t, await makeUser(t.db, council.id, ['board_member']));
    const page = await board.get(`/board?month=${today.slice(0, 7)}`);
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('8. Critical incidents'));
    expect(section).toMatch(/Declared<\/th><td class="govuk-table__cell govuk-table__cell--numeric">hidden/);
    expect(section).toMatch(/first assessment<\/th><td class="govuk-table__cell govuk-table__cell--numeric">hidden/);
    expect(section).not.toContain('>1<');
  });
});
