import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp, submit } from '../support/app.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { dateParts } from '../../src/platform/forms.ts';
import { subjectPeople } from '../../src/modules/disproportionality/queries.ts';

let t: TestApp;
let council: { id: string };
let coordinator: Client;
let caseworker: Client;
let analyst: Client;
let officer: Client;
let police: { id: string };
let incidentId: string;
let incidentRef: string;
const ids: Record<string, string> = {};

const today = londonToday();
const facts = (overrides: Record<string, string> = {}) => ({ reason: 'Seen together at the station by the youth worker', ...dateParts('validFrom', addDays(today, -30)), ...dateParts('reviewOn', addDays(today, 90)), ...overrides });

async function person(given: string, family: string, yearsOld = 16) {
  const { id } = await t.db
    .insertInto('person')
    .values({ agency_id: council.id, given_name: given, family_name: family, date_of_birth: `${new Date().getFullYear() - yearsOld}-01-01`, sex: 'male', ethnicity: 'not_stated' })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

beforeAll(async () => {
  t = await testApp();
  council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  caseworker = await signedIn(t, await makeUser(t.db, council.id, ['caseworker']));
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  // The victim, from a knife injury the police shared with the council.
  const r = await newResponse(t, council.id, 'Victor', { family: 'Victim' });
  incidentId = r.incidentId;
  police = r.police;
  officer = r.officer;
  ids.victim = r.personId;
  incidentRef = (await t.db.selectFrom('incident').select('reference').where('id', '=', incidentId).executeTakeFirstOrThrow()).reference;
  ids.suspect = await person('Sam', 'Suspect', 17);
  await t.db.insertInto('involvement').values({ incident_id: incidentId, person_id: ids.suspect, role: 'suspect' }).execute();
  ids.friend = await person('Fran', 'Friend', 15);
  ids.second = await person('Gus', 'Second', 19);
  ids.hidden = await person('Hal', 'Hidden', 18);
  await t.db.insertInto('meeting').values({ type_code: 'drm', agency_id: council.id, starts_at: new Date(Date.now() + 20 * 3_600_000) }).execute();
});
afterAll(() => t.close());

describe('associations', () => {
  it('refuses a link without a reason, or reviewed more than a year away, and saves nothing', async () => {
    const noReason = await coordinator.post(`/people/${ids.suspect}/links`, { to: 'person', otherId: ids.friend, linkType: 'friend', ...facts({ reason: '' }) });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('govuk-error-summary');
    expect(noReason.body).toContain('Enter the reason for recording this link');
    const late = await coordinator.post(`/people/${ids.suspect}/links`, { to: 'person', otherId: ids.friend, linkType: 'friend', ...facts(dateParts('reviewOn', addDays(today, 400))) });
    expect(late.statusCode).toBe(400);
    expect(late.body).toContain('The review date must be within a year');
    const graded = await coordinator.post(`/people/${ids.suspect}/links`, { to: 'person', otherId: ids.friend, linkType: 'friend', ...facts(), sourceEvaluation: '1', assessment: 'A', handlingCode: 'P' });
    expect(graded.body).toContain('Only the police record graded intelligence');
    expect(await t.db.selectFrom('association').select('id').execute()).toHaveLength(0);
  });

  it('records links with their facts, and shows them on the record', async () => {
    expect((await coordinator.post(`/people/${ids.suspect}/links`, { to: 'person', otherId: ids.friend, linkType: 'friend', ...facts() })).statusCode).toBe(303);
    expect((await coordinator.post(`/people/${ids.friend}/links`, { to: 'person', otherId: ids.second, linkType: 'co_offender', ...facts() })).statusCode).toBe(303);
    const row = await t.db.selectFrom('association').selectAll().where('person_id', '=', ids.suspect).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ kind: 'person_person', link_type: 'friend', other_person_id: ids.friend, agency_id: council.id, review_on: addDays(today, 90) });
    const page = await coordinator.get(`/people/${ids.friend}/links`);
    expect(page.body).toContain('Friend: Sam Suspect');
    expect(page.body).toContain('Co-offender: Gus Second');
  });
});

describe('who else may be at risk', () => {
  it('lists second-degree contacts with the path in words; a victim is never a suspect’s “associate”', async () => {
    const page = await coordinator.get(`/incidents/${incidentId}/who-else?depth=2`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Fran Friend');
    expect(page.body).toContain('Sam Suspect: friend');
    expect(page.body).toContain(`linked through Fran Friend: co-offender; Fran Friend and Sam Suspect: friend`);
    const fromVictim = await coordinator.get(`/people/${ids.victim}/who-else?depth=1`);
    expect(fromVictim.body).toContain(`Victor Victim: victim and suspect in incident ${incidentRef}`);
    expect(fromVictim.body).not.toMatch(/Victor Victim: associate/);
    expect(fromVictim.body).not.toContain('Fran Friend');
    // Audited: each person on the list, in the same transaction as the read.
    expect(await t.db.selectFrom('audit_event').select('person_id').where('action', '=', 'network.who-else').where('person_id', '=', ids.second).execute()).not.toHaveLength(0);
  });

  it('filters by link type', async () => {
    const onlyIncidents = await coordinator.get(`/incidents/${incidentId}/who-else?depth=2&types=incident`);
    expect(onlyIncidents.body).not.toContain('Fran Friend');
  });

  it('adds someone from the list to the next DRM agenda in one step', async () => {
    const back = `/incidents/${incidentId}/who-else`;
    const added = await coordinator.post('/who-else/agenda', { personId: ids.second, incidentId, why: 'linked through Fran Friend: co-offender', back });
    expect(added.statusCode).toBe(303);
    expect(added.headers.location).toBe(`${back}?added=1`);
    const item = await t.db.selectFrom('meeting_item').selectAll().where('person_id', '=', ids.second).executeTakeFirstOrThrow();
    expect(item).toMatchObject({ rule: 'who_else', incident_id: incidentId });
    expect(item.why).toContain('linked through Fran Friend');
  });
});

describe('groups and expiry', () => {
  let groupId: string;

  it('records a group, refuses a membership without a reason, and lists members', async () => {
    const bad = await coordinator.post('/groups', { name: '', kind: 'street_gang' });
    expect(bad.statusCode).toBe(400);
    const made = await coordinator.post('/groups', { name: 'Hoe Street Boys', kind: 'street_gang', aliases: 'HSB\nThe Street', area: 'Walthamstow' });
    groupId = made.headers.location!.split('/').pop()!;
    const noReason = await coordinator.post(`/people/${ids.friend}/links`, { to: 'group', otherId: groupId, linkType: 'member', ...facts({ reason: '' }) });
    expect(noReason.statusCode).toBe(400);
    expect((await coordinator.post(`/people/${ids.friend}/links`, { to: 'group', otherId: groupId, linkType: 'member', ...facts() })).statusCode).toBe(303);
    expect((await coordinator.post(`/people/${ids.second}/links`, { to: 'group', otherId: groupId, linkType: 'member', ...facts() })).statusCode).toBe(303);
    const page = await coordinator.get(`/groups/${groupId}`);
    expect(page.body).toContain('HSB, The Street');
    expect(page.body).toContain('Member: Fran Friend');
    expect(page.body).toContain('Member: Gus Second');
    // Reachable watches its own lists: group members are counted by the disproportionality tracker and the board.
    const counted = await subjectPeople(t.db, 'group_members', new Date(Date.now() - 365 * 86_400_000), new Date(Date.now() + 86_400_000));
    expect(counted).toHaveLength(2);
    const linked = await subjectPeople(t.db, 'network_links', new Date(Date.now() - 365 * 86_400_000), new Date(Date.now() + 86_400_000));
    expect(linked).toHaveLength(3);
  });

  it('an ended membership leaves pictures and lists but stays in the history; one taken off is in no export', async () => {
    await t.db.updateTable('association').set({ valid_to: addDays(today, -1), valid_from: addDays(today, -30) }).where('person_id', '=', ids.second).where('kind', '=', 'membership').execute();
    const page = await coordinator.get(`/groups/${groupId}`);
    expect(page.body).not.toContain('Member: Gus Second</td>');
    expect(page.body).toMatch(/history[\s\S]*Member: Gus Second/);

    const membership = await t.db.selectFrom('association').select('id').where('person_id', '=', ids.friend).where('kind', '=', 'membership').executeTakeFirstOrThrow();
    const noReason = await coordinator.post(`/links/${membership.id}/remove`, { reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Enter why the link is being taken off');
    expect((await submit(coordinator, `/links/${membership.id}/remove`, `/links/${membership.id}/remove`, { reason: 'Left the group: confirmed by the youth worker' })).statusCode).toBe(303);
    const exported = await coordinator.get(`/network/group/${groupId}/export/i2.csv`);
    expect(exported.statusCode).toBe(200);
    expect(exported.body).not.toContain('Fran Friend');
    const people = await coordinator.get(`/network/person/${ids.suspect}/export/people.csv?types=group`);
    expect(people.body).not.toContain('Gus Second');
    const history = await coordinator.get(`/people/${ids.friend}/links`);
    expect(history.body).toContain('Left the group: confirmed by the youth worker');
  });

  it('lists links past their review date for the agency that recorded them; “still true” moves the date on', async () => {
    const link = await t.db.selectFrom('association').select('id').where('person_id', '=', ids.suspect).executeTakeFirstOrThrow();
    await t.db.updateTable('association').set({ review_on: addDays(today, -1) }).where('id', '=', link.id).execute();
    const list = await coordinator.get('/links/review');
    expect(list.body).toContain('Sam Suspect and Fran Friend');
    expect((await submit(coordinator, '/links/review', `/links/${link.id}/review`, { decision: 'keep', from: 'review' })).statusCode).toBe(303);
    expect((await t.db.selectFrom('association').select('review_on').where('id', '=', link.id).executeTakeFirstOrThrow()).review_on > today).toBe(true);
    // Another agency's link answers as missing.
    const other = await signedIn(t, await makeUser(t.db, police.id, ['police']));
    expect((await other.post(`/links/${link.id}/remove`, { reason: 'x' })).statusCode).toBe(404);
  });
});

describe('sharing rules', () => {
  it('a handling-code C link is absent for a caseworker; P shows only that a link exists', async () => {
    const c = await officer.post(`/people/${ids.suspect}/links`, { to: 'person', otherId: ids.hidden, linkType: 'exploitation', ...facts({ reason: 'Source reports Sam runs Hal' }), sourceEvaluation: '2', assessment: 'B', handlingCode: 'C', handlingConditions: 'Not to be shared outside the MASH' });
    expect(c.statusCode).toBe(303);
    const p = await officer.post(`/people/${ids.suspect}/links`, { to: 'person', otherId: ids.victim, linkType: 'conflict', ...facts({ reason: 'Dispute over a debt, says a source' }), sourceEvaluation: '1', assessment: 'C', handlingCode: 'P' });
    expect(p.statusCode).toBe(303);
    const seen = await caseworker.get(`/people/${ids.suspect}/links`);
    expect(seen.body).not.toContain('Hal Hidden');
    expect(seen.body).not.toContain('Sam runs Hal');
    expect(seen.body).toContain('Victor Victim: a link from police intelligence (detail withheld)');
    expect(seen.body).not.toContain('Dispute over a debt');
    const whoElse = await caseworker.get(`/people/${ids.suspect}/who-else?depth=1`);
    expect(whoElse.body).not.toContain('Hal Hidden');
    const police = await officer.get(`/people/${ids.suspect}/links`);
    expect(police.body).toContain('Exploits Hal Hidden');
    expect(police.body).toContain('Not to be shared outside the MASH');
  });

  it('draws an incident’s network with each person’s part and each pair in the incident once, keyed without record ids', async () => {
    const page = await coordinator.get(`/network/incident/${incidentId}?depth=1&types=incident`);
    expect(page.statusCode).toBe(200);
    const json = page.body.match(/<script type="application\/json" id="network-data">(.*?)<\/script>/s)![1];
    expect(json).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/);
    const data = JSON.parse(json) as { nodes: { key: string; label: string; role: string; centre: boolean }[]; links: { a: string; b: string; type: string }[] };
    const node = (label: string) => data.nodes.find((n) => n.label === label)!;
    expect(node('Victor Victim')).toMatchObject({ role: 'victim', centre: true });
    expect(node('Sam Suspect')).toMatchObject({ role: 'suspect', centre: true });
    const pair = new Set([node('Victor Victim').key, node('Sam Suspect').key]);
    expect(data.links.filter((l) => l.type === 'incident' && pair.has(l.a) && pair.has(l.b))).toHaveLength(1);
    expect(page.body).toContain('Victim in this incident');
  });

  it('an analyst sees pseudonyms everywhere, the CSV included, and the measures', async () => {
    const page = await analyst.get(`/network/person/${ids.suspect}?depth=2`);
    expect(page.statusCode).toBe(200);
    for (const name of ['Sam Suspect', 'Fran Friend', 'Victor Victim']) expect(page.body).not.toContain(name);
    const pseudonyms = page.body.match(/Person [0-9A-F]{6}/g) ?? [];
    expect(new Set(pseudonyms).size).toBeGreaterThanOrEqual(3);
    const csv = await analyst.get(`/network/person/${ids.suspect}/export/i2.csv?depth=2`);
    expect(csv.body).not.toContain('Suspect');
    expect(csv.body).not.toContain(ids.suspect);
    expect(csv.body).toContain(pseudonyms[0]);
    const graphml = await analyst.get(`/network/person/${ids.suspect}/export/graphml?depth=2`);
    expect(graphml.body).toContain('<graphml');
    expect(graphml.body).not.toContain('Suspect');
    expect(page.body).toContain('What the measures mean');
  });
});

describe('a long network, paged', () => {
  it('lists its parts in a contents list and pages people and links separately, each page keeping the other', async () => {
    // A hub with 60 friends: 61 people, 60 links.
    const hub = await person('Hub', 'Paged', 17);
    const today = new Date().toISOString().slice(0, 10);
    const later = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
    for (let i = 0; i < 60; i++) {
      const friend = await person(`Friend${i}`, 'Paged', 16);
      await t.db.insertInto('association').values({ kind: 'person_person', link_type: 'friend', person_id: hub, other_person_id: friend, agency_id: council.id, valid_from: today, reason: 'Seen together', review_on: later }).execute();
    }
    const first = await coordinator.get(`/network/person/${hub}?types=friend`);
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('<a class="govuk-link" href="#people">People (61)</a>');
    expect(first.body).toContain('<a class="govuk-link" href="#links">Links (60)</a>');
    expect(first.body).toContain('People, 1 to 50 of 61');
    expect(first.body).toContain('Links, 1 to 50 of 60');
    const rowsOf = (html: string, caption: string) => html.split(caption)[1].split('</table>')[0].split('<tr class="govuk-table__row">').length - 2;
    expect(rowsOf(first.body, 'People, 1 to 50')).toBe(50);
    // The second page of links, with people still on their second page.
    const second = await coordinator.get(`/network/person/${hub}?types=friend&peoplePage=2&linksPage=2`);
    expect(second.body).toContain('People, 51 to 61 of 61');
    expect(second.body).toContain('Links, 51 to 60 of 60');
    expect(rowsOf(second.body, 'Links, 51 to 60')).toBe(10);
    expect(second.body).toMatch(/href="\/network\/person\/[0-9a-f-]{36}\?depth=\d+&amp;months=\d+&amp;types=friend&amp;peoplePage=2&amp;linksPage=1#links"/);
  });
});

describe('merging records', () => {
  it('moves both ends of links onto the kept record, undoes exactly that, and refuses to merge two linked records', async () => {
    const { mergePeople, undoMerge } = await import('../../src/modules/people/merge.ts');
    const duplicate = await person('Frances', 'Friend', 15);
    const { id: linkId } = await t.db
      .insertInto('association')
      .values({ kind: 'person_person', link_type: 'family', person_id: ids.victim, other_person_id: duplicate, agency_id: council.id, valid_from: addDays(today, -10), reason: 'Cousins', review_on: addDays(today, 30) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const merged = await t.db.transaction().execute((trx) => mergePeople(trx, ids.friend, duplicate, 'Same child', null));
    expect('mergeId' in merged).toBe(true);
    expect((await t.db.selectFrom('association').select('other_person_id').where('id', '=', linkId).executeTakeFirstOrThrow()).other_person_id).toBe(ids.friend);
    await t.db.transaction().execute((trx) => undoMerge(trx, (merged as { mergeId: string }).mergeId, null));
    expect((await t.db.selectFrom('association').select('other_person_id').where('id', '=', linkId).executeTakeFirstOrThrow()).other_person_id).toBe(duplicate);
    // Suspect and friend are linked: merging them would link a person to themselves.
    const refused = await t.db.transaction().execute((trx) => mergePeople(trx, ids.suspect, ids.friend, 'Same child', null));
    expect('problems' in refused && refused.problems.join(' ')).toContain('linked to each other in the network');
  });
});
