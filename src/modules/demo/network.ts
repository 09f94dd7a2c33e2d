// The demo partnership's networks and contexts: the borough's named places,
// two rival street groups and a peer group, memberships and links drawn from
// young people who were suspects together in incidents (so the derived links
// agree with the typed ones), police intelligence graded P and C, a few links
// past their review date, and a context assessment of a park. Invented, and
// marked as demo data like the rest.
import { sql, type Insertable, type Kysely } from 'kysely';
import type { AssociationTable, DB } from '../../db/schema.ts';
import { toBritishNationalGrid } from '../../analysis/geography.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { WALTHAM_FOREST_PLACES } from './places.ts';
import { pick, type Random } from './random.ts';

const PLACE_KIND = { 'town centre': 'shops', school: 'school', station: 'station', park: 'park' } as const;

const GROUPS = [
  { name: 'E17 Crew', kind: 'street_gang', area: 'Walthamstow', aliases: ['E17', 'Stow Crew'], description: 'Young men, mostly 15 to 19, around the town square and the station.' },
  { name: 'Leyton Blocks', kind: 'street_gang', area: 'Leyton', aliases: ['LB'], description: 'Estate-based group off the High Road; rivalry with E17 Crew since 2025.' },
  { name: 'Lloyd Park lot', kind: 'peer_group', area: 'Lloyd Park', aliases: [], description: 'Year 10 and 11 pupils who meet in the park after school.' },
] as const;

type Link = Insertable<AssociationTable>;

export async function seedNetwork(db: Kysely<DB>, random: Random, now: Date): Promise<void> {
  const today = londonToday(now);
  const agency = async (kind: string) => (await db.selectFrom('agency').select('id').where('kind', '=', kind).orderBy('name').executeTakeFirst())?.id;
  const user = async (agencyId: string | undefined, role: string) =>
    agencyId ? (await db.selectFrom('app_user').select('id').where('agency_id', '=', agencyId).where(sql<boolean>`${role} = ANY(roles)`).orderBy('email').executeTakeFirst())?.id ?? null : null;
  const council = await agency('council');
  const police = await agency('police');
  if (!council || !police) return;
  const coordinator = await user(council, 'coordinator');
  const officer = await user(police, 'police');

  const placeIds = new Map<string, string>();
  for (const p of WALTHAM_FOREST_PLACES) {
    const { easting, northing } = toBritishNationalGrid(p.longitude, p.latitude);
    const row = await db
      .insertInto('place')
      .values({ name: p.name, kind: PLACE_KIND[p.kind], latitude: p.latitude, longitude: p.longitude, easting, northing, borough_name: 'Waltham Forest', created_by: coordinator })
      .returning('id')
      .executeTakeFirstOrThrow();
    placeIds.set(p.name, row.id);
  }
  const groupIds: string[] = [];
  for (const g of GROUPS) {
    const { id } = await db.insertInto('network_group').values({ name: g.name, kind: g.kind, area: g.area, description: g.description, agency_id: g.kind === 'peer_group' ? council : police, recorded_by: g.kind === 'peer_group' ? coordinator : officer }).returning('id').executeTakeFirstOrThrow();
    for (const alias of g.aliases) await db.insertInto('group_alias').values({ group_id: id, alias }).execute();
    groupIds.push(id);
  }

  // Young people who were suspects together in the last year: the core of each street group.
  const pairs = await db
    .selectFrom('involvement as a')
    .innerJoin('involvement as b', (j) => j.onRef('a.incident_id', '=', 'b.incident_id').onRef('a.person_id', '<', 'b.person_id'))
    .innerJoin('incident', 'incident.id', 'a.incident_id')
    .select(['a.person_id as a', 'b.person_id as b', 'incident.occurred_at'])
    .where('a.role', '=', 'suspect')
    .where('b.role', '=', 'suspect')
    .where('incident.occurred_at', '>', new Date(now.getTime() - 365 * 86_400_000))
    .orderBy('incident.occurred_at', 'desc')
    .limit(40)
    .execute();
  const people = [...new Set(pairs.flatMap((p) => [p.a, p.b]))];
  if (people.length < 12) return;
  const births = new Map((await db.selectFrom('person').select(['id', 'date_of_birth']).where('id', 'in', people).execute()).map((p) => [p.id, ageAt(p.date_of_birth, today)]));
  const e17 = people.slice(0, 8);
  const leyton = people.slice(8, 14);
  const park = people.slice(14, 20);

  const from = (days: number) => addDays(today, -days);
  const links: Link[] = [];
  type Ends = Pick<Link, 'kind' | 'link_type'> & Partial<Link>;
  const councilLink = (l: Ends, reason: string, days = 120, review = 60) => links.push({ agency_id: council, recorded_by: coordinator, valid_from: from(days), reason, review_on: addDays(today, review), ...l });
  const intelligence = (l: Ends, reason: string, grading: { e: number; a: string; h: 'P' | 'C'; conditions?: string }, review = 120) =>
    links.push({
      agency_id: police,
      recorded_by: officer,
      valid_from: from(200),
      reason,
      review_on: addDays(today, review),
      source_evaluation: grading.e,
      intelligence_assessment: grading.a,
      handling_code: grading.h,
      handling_conditions: grading.conditions ?? null,
      ...l,
    });

  const member = (personId: string, groupId: string, i: number) =>
    i % 2
      ? intelligence({ kind: 'membership', link_type: 'member', person_id: personId, group_id: groupId }, 'Stopped with known members on three occasions; named in music videos posted by the group.', { e: 2, a: 'B', h: 'P' })
      : councilLink({ kind: 'membership', link_type: 'member', person_id: personId, group_id: groupId }, 'Told his youth worker he "rolls with" the group; seen with members most evenings.');
  e17.forEach((p, i) => member(p, groupIds[0], i));
  leyton.forEach((p, i) => member(p, groupIds[1], i));
  park.forEach((p) => councilLink({ kind: 'membership', link_type: 'member', person_id: p, group_id: groupIds[2] }, 'Meets the group in Lloyd Park after school (school DSL and detached youth workers).', 60));

  // Friendships within each group, a family link, a conflict across the rivalry.
  for (let i = 1; i < e17.length; i += 2) councilLink({ kind: 'person_person', link_type: 'friend', person_id: e17[i - 1], other_person_id: e17[i] }, 'Close friends since primary school (family worker).');
  councilLink({ kind: 'person_person', link_type: 'family', person_id: leyton[0], other_person_id: leyton[1] }, 'Cousins; live in the same block (housing record).', 400);
  councilLink({ kind: 'person_person', link_type: 'conflict', person_id: e17[0], other_person_id: leyton[0] }, 'Threats exchanged on social media after the March fight (school report).', 90);
  councilLink({ kind: 'person_person', link_type: 'associate', person_id: park[0], other_person_id: e17[2] }, 'Seen with him at the station after school on several days (BTP).', 30);
  // Exploitation: an older member and a younger child, from police intelligence held under conditions.
  const older = [...e17].sort((x, y) => (births.get(y) ?? 0) - (births.get(x) ?? 0));
  intelligence({ kind: 'person_person', link_type: 'exploitation', person_id: older[0], other_person_id: pick(random, park) }, 'Believed to be using the younger child to hold and carry drugs.', { e: 2, a: 'C', h: 'C', conditions: 'Not to be disclosed to the young people or their families without the authority of the DI, Exploitation Team.' });
  intelligence({ kind: 'person_place', link_type: 'deals_from', person_id: older[0], place_id: placeIds.get('Blackhorse Road station')! }, 'Seen exchanging packages at the station entrance.', { e: 2, a: 'B', h: 'C', conditions: 'Police and the DRM chair only.' });

  // Places: where the groups and their members are.
  links.push({ kind: 'group_group', link_type: 'rivalry', group_id: groupIds[0], other_group_id: groupIds[1], agency_id: police, recorded_by: officer, valid_from: from(400), reason: 'Tit-for-tat violence since 2025; three linked incidents.', review_on: addDays(today, 90) });
  links.push({ kind: 'group_place', link_type: 'area_claimed', group_id: groupIds[0], place_id: placeIds.get('Walthamstow town square')!, agency_id: police, recorded_by: officer, valid_from: from(300), reason: 'Graffiti and posted videos claim the square.', review_on: addDays(today, 90) });
  links.push({ kind: 'group_place', link_type: 'frequents', group_id: groupIds[1], place_id: placeIds.get('High Road Leyton')!, agency_id: police, recorded_by: officer, valid_from: from(300), reason: 'Regularly gather outside the shops (PCSO patrol notes).', review_on: addDays(today, 90) });
  links.push({ kind: 'group_place', link_type: 'frequents', group_id: groupIds[2], place_id: placeIds.get('Lloyd Park')!, agency_id: council, recorded_by: coordinator, valid_from: from(200), reason: 'Meet by the skate park after school (park keepers).', review_on: addDays(today, 60) });
  for (const p of park.slice(0, 3)) councilLink({ kind: 'person_place', link_type: 'attends_school', person_id: p, place_id: placeIds.get('Walthamstow Academy')! }, 'On the school roll (school census).', 300, 200);
  // Two links nobody has reviewed in time: the review list has something to show.
  councilLink({ kind: 'person_place', link_type: 'frequents', person_id: park[1], place_id: placeIds.get('Lloyd Park')! }, 'Seen in the park most evenings.', 250, -10);
  councilLink({ kind: 'person_person', link_type: 'friend', person_id: leyton[2], other_person_id: leyton[3] }, 'Always together at the youth club.', 300, -3);
  await db.insertInto('association').values(links).execute();

  await seedParkAssessment(db, { council, coordinator, placeId: placeIds.get('Lloyd Park')!, people: park, today });
}

/** A context assessment of Lloyd Park: harms, strengths, the plan, interventions aimed at the park, and the young people who meet there. */
async function seedParkAssessment(db: Kysely<DB>, a: { council: string; coordinator: string | null; placeId: string; people: string[]; today: string }) {
  const { id } = await db
    .insertInto('context_assessment')
    .values({
      context_kind: 'location',
      place_id: a.placeId,
      agency_id: a.council,
      lead_user_id: a.coordinator,
      created_by: a.coordinator,
      assessed_on: addDays(a.today, -45),
      harm_indicators: ['violence', 'criminal_exploitation', 'unsafe_space'],
      harm_detail: 'Older young people approach Year 10 and 11 pupils by the skate park after school and ask them to hold things. Two fights in the autumn. The path by the river is unlit after 4pm in winter.',
      protective_factors: ['trusted_adults', 'youth_provision', 'community'],
      protective_detail: 'The park café staff know the young people; the Friends of Lloyd Park run a volunteer rota; the youth centre is five minutes away.',
      consulted: 'Eight young people at the skate park and the youth centre; Walthamstow Academy DSL; park keepers; the café; Friends of Lloyd Park; Safer Neighbourhood Team.',
      plan: 'Make the park a safe place after school: detached youth workers 15:00 to 18:00 on school days, lighting on the river path, bystander training for café staff and volunteers, and disruption of the adults approaching pupils.',
      review_on: addDays(a.today, 45),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('context_intervention')
    .values([
      { assessment_id: id, kind: 'detached_youth_work', description: 'Two detached youth workers by the skate park, 15:00 to 18:00 on school days.', lead_agency_id: a.council, due_on: addDays(a.today, -30), status: 'in_place', created_by: a.coordinator },
      { assessment_id: id, kind: 'lighting', description: 'Lighting along the river path to the Forest Road gate.', lead_agency_id: a.council, due_on: addDays(a.today, 60), status: 'planned', created_by: a.coordinator },
      { assessment_id: id, kind: 'guardianship', description: 'Bystander training for café staff and Friends of Lloyd Park volunteers.', lead_agency_id: a.council, due_on: addDays(a.today, 20), status: 'planned', created_by: a.coordinator },
    ])
    .execute();
  await db
    .insertInto('context_link')
    .values(a.people.slice(0, 4).map((person_id) => ({ assessment_id: id, person_id, reason: 'Meets the group by the skate park after school.', added_by: a.coordinator })))
    .execute();
}
