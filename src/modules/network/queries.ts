// Associations, groups and places in SQL: recording a link with its facts,
// taking one off (the row stays, as history), reviewing it, and the lists.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { londonToday } from '../../platform/time.ts';
import { cleared, detailWithheld, live } from './links.ts';
import { gradingWords, type GroupInput, type LinkFacts } from './rules.ts';
import { checkLink } from '../orders/checks.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface NewLink {
  kind: 'person_person' | 'membership' | 'person_place' | 'group_place' | 'group_group';
  linkType: string;
  personId?: string;
  otherPersonId?: string;
  groupId?: string;
  otherGroupId?: string;
  placeId?: string;
}

export async function recordLink(trx: Transaction<DB>, actor: RequestActor, link: NewLink, facts: LinkFacts): Promise<string> {
  const { id } = await trx
    .insertInto('association')
    .values({
      kind: link.kind,
      link_type: link.linkType,
      person_id: link.personId ?? null,
      other_person_id: link.otherPersonId ?? null,
      group_id: link.groupId ?? null,
      other_group_id: link.otherGroupId ?? null,
      place_id: link.placeId ?? null,
      agency_id: actor.agencyId,
      recorded_by: actor.userId,
      valid_from: facts.validFrom,
      valid_to: facts.validTo,
      reason: facts.reason,
      review_on: facts.reviewOn,
      source_evaluation: facts.grading?.sourceEvaluation ?? null,
      intelligence_assessment: facts.grading?.assessment ?? null,
      handling_code: facts.grading?.handlingCode ?? null,
      handling_conditions: facts.grading?.conditions ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A link between two people or into a group may be a possible breach of an order's non-association.
  await checkLink(trx, actor, id);
  return id;
}

/** A link the reader's agency recorded and may change: others' links answer as missing. */
export function ownLink(db: Db, actor: RequestActor, id: string) {
  return db.selectFrom('association').selectAll().where('id', '=', id).where('agency_id', '=', actor.agencyId).where('removed_at', 'is', null).executeTakeFirst();
}

/** Takes a link off (the row stays as history); the caller has claimed its version. */
export async function removeLink(trx: Transaction<DB>, actor: RequestActor, id: string, reason: string) {
  await trx.updateTable('association').set({ removed_at: new Date(), removed_by: actor.userId, removal_reason: reason }).where('id', '=', id).where('removed_at', 'is', null).execute();
}

export async function reviewLink(trx: Transaction<DB>, id: string, reviewOn: string) {
  await trx.updateTable('association').set({ review_on: reviewOn, reviewed_at: new Date() }).where('id', '=', id).execute();
}

/**
 * Everything linked to one person or group, with who recorded it, for its
 * page: live links first, then its history (ended or removed). Withheld
 * detail is blanked here, not in the view.
 */
export async function linksOf(db: Db, actor: RequestActor, of: { personId?: string; groupId?: string }) {
  const rows = await withEnds(db)
    .innerJoin('agency', 'agency.id', 'association.agency_id')
    .leftJoin('app_user as recorder', 'recorder.id', 'association.recorded_by')
    .select(['agency.name as agency_name', 'recorder.display_name as recorded_by_name', sql<boolean>`${live(actor)}`.as('is_live')])
    .where((eb) =>
      of.personId
        ? eb.or([eb('association.person_id', '=', of.personId), eb('association.other_person_id', '=', of.personId)])
        : eb.or([eb('association.group_id', '=', of.groupId!), eb('association.other_group_id', '=', of.groupId!)]),
    )
    // C-coded intelligence is absent for anyone not cleared for it, in the history too.
    .where(cleared(actor))
    .orderBy('association.valid_from', 'desc')
    .execute();
  return rows.map((r) => {
    const withheld = detailWithheld(actor, r.handling_code);
    return {
      ...r,
      withheld,
      reason: withheld ? null : r.reason,
      link_type: withheld ? 'withheld' : r.link_type,
      source_evaluation: withheld ? null : r.source_evaluation,
      intelligence_assessment: withheld ? null : r.intelligence_assessment,
      handling_conditions: withheld ? null : r.handling_conditions,
      grading_words: withheld || !r.handling_code ? null : gradingWords(r),
      mine: r.agency_id === actor.agencyId,
    };
  });
}

export type LinkRow = Awaited<ReturnType<typeof linksOf>>[number];

/** Every column of a link, with the names at each of its ends: the people, groups and place it joins. */
function withEnds(db: Db) {
  return db
    .selectFrom('association')
    .leftJoin('person as p1', 'p1.id', 'association.person_id')
    .leftJoin('person as p2', 'p2.id', 'association.other_person_id')
    .leftJoin('network_group as g1', 'g1.id', 'association.group_id')
    .leftJoin('network_group as g2', 'g2.id', 'association.other_group_id')
    .leftJoin('place', 'place.id', 'association.place_id')
    .selectAll('association')
    .select(['p1.given_name as p1_given', 'p1.family_name as p1_family', 'p2.given_name as p2_given', 'p2.family_name as p2_family', 'g1.name as group_name', 'g2.name as other_group_name', 'place.name as place_name']);
}

/** Links the reader's agency recorded that are past their review date: the review list. */
export function dueForReview(db: Db, actor: RequestActor, limit: number, offset: number) {
  const today = londonToday();
  const due = sql<boolean>`association.agency_id = ${actor.agencyId} AND association.review_on <= ${today} AND ${live(actor, 'association', today)}`;
  return Promise.all([
    withEnds(db).where(due).orderBy('association.review_on').limit(limit).offset(offset).execute(),
    db.selectFrom('association').where(due).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
}

export async function createGroup(trx: Transaction<DB>, actor: RequestActor, input: GroupInput): Promise<string> {
  const { id } = await trx
    .insertInto('network_group')
    .values({ name: input.name, kind: input.kind, area: input.area, description: input.description, agency_id: actor.agencyId, recorded_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.aliases.length) await trx.insertInto('group_alias').values(input.aliases.map((alias) => ({ group_id: id, alias }))).execute();
  return id;
}

export function groups(db: Db) {
  return db
    .selectFrom('network_group as g')
    .select(['g.id', 'g.name', 'g.kind', 'g.area'])
    .select((eb) => eb.selectFrom('group_alias').select(sql<string>`string_agg(alias, ', ' ORDER BY alias)`.as('a')).whereRef('group_alias.group_id', '=', 'g.id').as('aliases'))
    .orderBy('g.name')
    .execute();
}

export function places(db: Db) {
  return db.selectFrom('place').select(['id', 'name', 'kind', 'borough_name']).orderBy('name').execute();
}
