// Demo critical incident (issue 20): a young person stabbed in Walthamstow
// four days ago, declared critical by the police, its community impact
// assessed and reviewed once (tension falling from elevated to raised), with
// partners consulted, Hackney told, and a reassurance action for the
// council. Made through the same operations the pages call.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { toBritishNationalGrid } from '../../analysis/geography.ts';
import { addContact, declareCritical, giveReassurance, saveAssessment } from '../critical-incidents/queries.ts';
import { addDays } from '../../platform/workingDays.ts';
import { londonToday } from '../../platform/time.ts';

const HOUR = 3_600_000;
/** Faith and community venues near Walthamstow town centre (approximate points), for the places an assessment names. */
const VENUES = [
  { name: 'Walthamstow Central Mosque', kind: 'faith', latitude: 51.5797, longitude: -0.0238 },
  { name: 'St Mary’s Church, Walthamstow Village', kind: 'faith', latitude: 51.5859, longitude: -0.0141 },
  { name: 'Walthamstow Library and community rooms', kind: 'community', latitude: 51.5839, longitude: -0.0221 },
];

export async function seedCritical(db: Kysely<DB>, now: Date): Promise<void> {
  const police = await db.selectFrom('agency').select('id').where('kind', '=', 'police').orderBy('name').executeTakeFirst();
  const council = await db.selectFrom('agency').select('id').where('kind', '=', 'council').orderBy('name').executeTakeFirst();
  if (!police || !council) return;
  const user = (agencyId: string, role: string) => db.selectFrom('app_user').select(['id', 'display_name']).where('agency_id', '=', agencyId).where(sql<boolean>`${role} = ANY(roles)`).orderBy('email').executeTakeFirst();
  const officer = await user(police.id, 'police');
  const coordinator = await user(council.id, 'coordinator');
  if (!officer || !coordinator) return;
  for (const v of VENUES) {
    const { easting, northing } = toBritishNationalGrid(v.longitude, v.latitude);
    await db.insertInto('place').values({ ...v, easting, northing, borough_name: 'Waltham Forest', created_by: coordinator.id }).onConflict((oc) => oc.doNothing()).execute();
  }
  await db.insertInto('critical_incident_contact').values([{ user_id: officer.id }, { user_id: coordinator.id }]).onConflict((oc) => oc.doNothing()).execute();

  // The most recent stabbing of a young person near Walthamstow town centre, at least four days old, that the police recorded.
  const centre = toBritishNationalGrid(-0.0205, 51.5832);
  const stabbing = await db
    .selectFrom('incident')
    .select(['id', 'occurred_at'])
    .where('type_code', '=', 'knife_injury')
    .where('agency_id', '=', police.id)
    .where('occurred_at', '<', new Date(now.getTime() - 4 * 24 * HOUR))
    .where(sql<boolean>`sqrt(power(easting - ${centre.easting}, 2) + power(northing - ${centre.northing}, 2)) < 1500`)
    .orderBy('occurred_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (!stabbing) return;
  const at = (hours: number) => new Date(new Date(stabbing.occurred_at).getTime() + hours * HOUR);
  const by = { userId: officer.id, agencyId: police.id };
  await db.transaction().execute(async (trx) => {
    const declared = await declareCritical(trx, by, stabbing.id, { reason: 'young_person_harmed', reasonDetail: 'A 16-year-old stabbed in the town centre after school; talk online of a response from Leyton.' });
    if (!('id' in declared) || 'refused' in declared) return;
    const id = declared.id;
    await trx.updateTable('critical_incident').set({ declared_at: at(2) }).where('id', '=', id).execute();
    await trx.updateTable('notification').set({ created_at: at(2) }).where('critical_incident_id', '=', id).execute();
    const places = await trx.selectFrom('place').select('id').where('name', 'in', ['Walthamstow Central station', 'Walthamstow town square', 'Walthamstow Central Mosque', 'Walthamstow Library and community rooms']).execute();
    const indicators = (retaliation: 'seen' | 'not_seen', social: string) => [
      { kind: 'retaliation', state: retaliation, evidence: retaliation === 'seen' ? 'Police intelligence of a planned response by associates of the victim.' : null, people: [] },
      { kind: 'rival_groups', state: 'seen', evidence: 'E17 Crew and Leyton Blocks have a recorded rivalry.', people: [] },
      { kind: 'social_media', state: 'seen', evidence: social, people: [] },
      { kind: 'gatherings', state: 'not_seen', evidence: null, people: [] },
      { kind: 'previous_incidents', state: 'seen', evidence: 'Two knife incidents within 250 m in the last month.', people: [] },
      { kind: 'anniversaries', state: 'not_known', evidence: null, people: [] },
    ] as const;
    const base = {
      wards: ['Hoe Street', 'High Street'],
      communities: 'Pupils of the nearby secondary schools; traders in the town square; the mosque’s youth group.',
      placeIds: places.map((p) => p.id),
      risks: 'Retaliation against young people from Leyton travelling through the town centre after school.',
      holdingLine: 'Police are investigating a serious assault in Walthamstow town centre. There will be more officers in the area.',
      spokesperson: 'Borough Commander, with the council’s Cabinet Member for Community Safety',
    };
    let version = 1;
    await saveAssessment(trx, by, id, version++, { ...base, tensionLevel: 3, tensionReason: 'Videos and threats online naming Leyton; no specific plan known.', indicators: indicators('seen', 'Drill videos and threats online within hours of the stabbing.').map((i) => ({ ...i, people: [] })) });
    await addContact(trx, by, id, version++, { kind: 'consulted', party: 'Walthamstow Central Mosque', partyKind: 'faith', happenedAt: at(8), byWhom: 'PC Dana Lee', what: 'Imam will speak to the youth group on Friday; parents worried about the walk home.' });
    await addContact(trx, by, id, version++, { kind: 'consulted', party: 'Kelmscott School', partyKind: 'school', happenedAt: at(18), byWhom: 'Waltham Forest youth service', what: 'Head teacher sending a message to parents; staff at the gate after school this week.' });
    await addContact(trx, by, id, version++, { kind: 'borough_told', party: 'Hackney', partyKind: 'borough', happenedAt: at(20), byWhom: 'Inspector Ruth Okafor', what: 'Told Hackney’s gangs unit of possible travel from Leyton; they will share any intelligence.' });
    await addContact(trx, by, id, version++, { kind: 'said', party: 'Waltham Forest Council’s social media', partyKind: 'social_media', happenedAt: at(22), byWhom: 'Council communications team', what: 'The holding line, and where young people can get support.' });
    await giveReassurance(trx, by, id, version++, 'youth_provision', { description: 'Open the youth centre until 21:00 for two weeks, with detached youth workers in the town square.', ownerAgencyId: council.id, ownerName: 'Youth service manager', dueOn: addDays(londonToday(now), 7) });
    await saveAssessment(trx, by, id, version++, { ...base, tensionLevel: 2, tensionReason: 'Online threats have stopped; no sign of travel from Leyton.', indicators: indicators('not_seen', 'Threats online stopped after two days.').map((i) => ({ ...i, people: [] })) });
    await trx.updateTable('community_impact_assessment').set({ recorded_at: at(20) }).where('critical_incident_id', '=', id).where('number', '=', 0).execute();
    await trx.updateTable('community_impact_assessment').set({ recorded_at: at(26) }).where('critical_incident_id', '=', id).where('number', '=', 1).execute();
  });
}
