// Context assessments in SQL: the list (those past review first), one
// assessment with its interventions, reviews and the people and incidents in
// it, and the changes, each only by the agency that leads the assessment.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { londonToday } from '../../platform/time.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { live } from '../network/links.ts';
import type { AssessmentInput, InterventionInput, InterventionStatus, ReviewInput } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Each assessment with the name of its context, whichever kind it is. */
function withContext(db: Db) {
  return db
    .selectFrom('context_assessment as ca')
    .leftJoin('network_group', 'network_group.id', 'ca.group_id')
    .leftJoin('place', 'place.id', 'ca.place_id')
    .innerJoin('agency', 'agency.id', 'ca.agency_id')
    .select([
      'ca.id',
      'ca.context_kind',
      'ca.group_id',
      'ca.place_id',
      'ca.agency_id',
      'ca.assessed_on',
      'ca.review_on',
      'ca.closed_at',
      'ca.version',
      'agency.name as agency_name',
      sql<string>`coalesce(network_group.name, place.name)`.as('context_name'),
    ]);
}

export async function assessments(db: Db, { open }: { open: boolean }) {
  return withContext(db)
    .where('ca.closed_at', open ? 'is' : 'is not', null)
    .orderBy('ca.review_on')
    .orderBy('context_name')
    .execute();
}

export async function assessment(db: Db, id: string) {
  return withContext(db)
    .select(['ca.harm_indicators', 'ca.harm_detail', 'ca.protective_factors', 'ca.protective_detail', 'ca.consulted', 'ca.plan', 'ca.closed_reason'])
    .where('ca.id', '=', id)
    .executeTakeFirst();
}
export type Assessment = NonNullable<Awaited<ReturnType<typeof assessment>>>;

export async function createAssessment(trx: Transaction<DB>, actor: RequestActor, input: AssessmentInput): Promise<string> {
  const { id } = await trx
    .insertInto('context_assessment')
    .values({
      context_kind: input.contextKind,
      group_id: input.groupId,
      place_id: input.placeId,
      agency_id: actor.agencyId,
      lead_user_id: actor.userId,
      created_by: actor.userId,
      assessed_on: input.assessedOn,
      harm_indicators: input.harmIndicators,
      harm_detail: input.harmDetail,
      protective_factors: input.protectiveFactors,
      protective_detail: input.protectiveDetail,
      consulted: input.consulted,
      plan: input.plan,
      review_on: input.reviewOn,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export async function details(db: Db, actor: RequestActor, id: string) {
  const [interventions, reviews, people, incidents] = await Promise.all([
    db
      .selectFrom('context_intervention as ci')
      .innerJoin('agency', 'agency.id', 'ci.lead_agency_id')
      .select(['ci.id', 'ci.kind', 'ci.description', 'ci.due_on', 'ci.status', 'agency.name as lead_agency'])
      .where('ci.assessment_id', '=', id)
      .orderBy('ci.created_at')
      .execute(),
    db.selectFrom('context_review').select(['reviewed_on', 'summary', 'next_review_on']).where('assessment_id', '=', id).orderBy('created_at', 'desc').execute(),
    db
      .selectFrom('context_link as cl')
      .innerJoin('person', 'person.id', 'cl.person_id')
      .select(['cl.id', 'cl.reason', 'cl.added_at', 'person.id as person_id', 'person.given_name', 'person.family_name', 'person.date_of_birth'])
      .where('cl.assessment_id', '=', id)
      .where('cl.removed_at', 'is', null)
      .orderBy('person.family_name')
      .execute(),
    // Incidents only as far as the reader's agency may see them: another agency's unshared incident is not there.
    db
      .selectFrom('context_link as cl')
      .innerJoin('incident', 'incident.id', 'cl.incident_id')
      .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
      .select(['cl.id', 'cl.reason', 'incident.id as incident_id', 'incident.reference', 'incident.occurred_at', 'incident_type.label as type_label'])
      .where('cl.assessment_id', '=', id)
      .where('cl.removed_at', 'is', null)
      .where(incidentVisibleTo(actor.agencyId))
      .orderBy('incident.occurred_at', 'desc')
      .execute(),
  ]);
  return { interventions, reviews, people, incidents };
}

/**
 * People the context suggests, for linking in one step: a peer group's
 * current members, or those recorded as living at, frequenting, attending or
 * dealing from the place. Nobody already linked.
 */
export async function suggestedPeople(db: Db, actor: RequestActor, a: Pick<Assessment, 'id' | 'group_id' | 'place_id'>) {
  return db
    .selectFrom('association')
    .innerJoin('person', 'person.id', 'association.person_id')
    .select(['person.id', 'person.given_name', 'person.family_name', 'person.date_of_birth', 'association.link_type'])
    .where(a.group_id ? 'association.group_id' : 'association.place_id', '=', (a.group_id ?? a.place_id)!)
    .where('association.kind', 'in', ['membership', 'person_place'])
    .where(live(actor))
    .where('person.merged_into', 'is', null)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('context_link').select('id').where('assessment_id', '=', a.id).where('removed_at', 'is', null).whereRef('context_link.person_id', '=', 'person.id'))))
    .orderBy('person.family_name')
    .execute();
}

export async function addIntervention(trx: Transaction<DB>, actor: RequestActor, assessmentId: string, input: InterventionInput) {
  await trx
    .insertInto('context_intervention')
    .values({ assessment_id: assessmentId, kind: input.kind, description: input.description, lead_agency_id: input.leadAgencyId, due_on: input.dueOn, created_by: actor.userId })
    .execute();
}

export async function setInterventionStatus(trx: Transaction<DB>, assessmentId: string, id: string, status: InterventionStatus) {
  const changed = await trx.updateTable('context_intervention').set({ status }).where('id', '=', id).where('assessment_id', '=', assessmentId).executeTakeFirst();
  return changed.numUpdatedRows > 0n;
}

/** A review moves the next review date on, or closes the assessment; only from the version the reviewer read. */
export async function recordReview(trx: Transaction<DB>, actor: RequestActor, id: string, version: number, input: ReviewInput): Promise<boolean> {
  const changed = await trx
    .updateTable('context_assessment')
    .set(input.close ? { closed_at: new Date(), closed_reason: input.summary, version: sql`version + 1` } : { review_on: input.nextReviewOn!, version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('closed_at', 'is', null)
    .executeTakeFirst();
  if (changed.numUpdatedRows === 0n) return false;
  await trx.insertInto('context_review').values({ assessment_id: id, reviewed_on: londonToday(), summary: input.summary, next_review_on: input.nextReviewOn, reviewed_by: actor.userId }).execute();
  return true;
}

/** Who and what is linked to an assessment now, for refusing a second link (as the unique indexes would). */
export async function linkedNow(db: Db, assessmentId: string) {
  const rows = await db.selectFrom('context_link').select(['person_id', 'incident_id']).where('assessment_id', '=', assessmentId).where('removed_at', 'is', null).execute();
  return { people: new Set(rows.map((r) => r.person_id)), incidents: new Set(rows.map((r) => r.incident_id)) };
}

export async function linkToContext(trx: Transaction<DB>, actor: RequestActor, assessmentId: string, target: { personId: string } | { incidentId: string }, reason: string) {
  await trx
    .insertInto('context_link')
    .values({ assessment_id: assessmentId, person_id: 'personId' in target ? target.personId : null, incident_id: 'incidentId' in target ? target.incidentId : null, reason, added_by: actor.userId })
    .execute();
}

export async function unlinkFromContext(trx: Transaction<DB>, actor: RequestActor, assessmentId: string, linkId: string, reason: string) {
  const changed = await trx
    .updateTable('context_link')
    .set({ removed_at: new Date(), removed_by: actor.userId, removal_reason: reason })
    .where('id', '=', linkId)
    .where('assessment_id', '=', assessmentId)
    .where('removed_at', 'is', null)
    .returning(['person_id', 'incident_id'])
    .executeTakeFirst();
  return changed;
}

/** The contexts a person is linked to, for their record. */
export async function contextsOf(db: Db, personId: string) {
  return withContext(db)
    .innerJoin('context_link as cl', 'cl.assessment_id', 'ca.id')
    .select(['cl.reason'])
    .where('cl.person_id', '=', personId)
    .where('cl.removed_at', 'is', null)
    .orderBy('ca.assessed_on', 'desc')
    .execute();
}
