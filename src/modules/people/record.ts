// One person's page: identity and safety markers for everyone who may see
// named people; the involvement flags (who works with the child, and how to
// reach them) for the same; the detail behind each flag only where the
// viewer's agency holds it or it was shared with them.
import { type Kysely, type Transaction } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { visibleTo as responseVisibleTo } from '../urgent-response/queries.ts';
import { involvementFlags, type InvolvementFlag } from './queries.ts';
import { referralVisibleTo } from '../referrals/queries.ts';
import { episodeVisibleTo } from '../episodes/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

/**
 * The whole record in one statement (each list a JSON array beside the
 * person's row), so the page costs one round trip to the database, not a
 * dozen; times in the lists arrive as ISO text, which the page's date
 * filters read as they read a Date.
 */
export async function loadPersonRecord(db: Db, actor: RequestActor, id: string) {
  const found = await db
    .selectFrom('person')
    .selectAll('person')
    .select((eb) => [
      jsonArrayFrom(eb.selectFrom('person_alias').selectAll().whereRef('person_id', '=', 'person.id').orderBy('recorded_at')).as('aliases'),
      jsonArrayFrom(
        eb
          .selectFrom('person_identifier')
          .leftJoin('agency', 'agency.id', 'person_identifier.agency_id')
          .select(['person_identifier.id', 'person_identifier.scheme', 'person_identifier.value', 'agency.name as agency_name'])
          .whereRef('person_identifier.person_id', '=', 'person.id')
          .orderBy('person_identifier.recorded_at'),
      ).as('identifiers'),
      jsonArrayFrom(eb.selectFrom('person_address').selectAll().whereRef('person_id', '=', 'person.id').orderBy('from_date', 'desc').orderBy('recorded_at', 'desc')).as('addresses'),
      jsonArrayFrom(
        eb
          .selectFrom('person_marker')
          .innerJoin('agency', 'agency.id', 'person_marker.agency_id')
          .select(['person_marker.id', 'person_marker.kind', 'person_marker.detail', 'person_marker.recorded_at', 'agency.name as agency_name'])
          .whereRef('person_marker.person_id', '=', 'person.id')
          .where('removed_at', 'is', null)
          .orderBy('person_marker.recorded_at'),
      ).as('markers'),
      jsonArrayFrom(
        eb
          .selectFrom('involvement')
          .innerJoin('incident', 'incident.id', 'involvement.incident_id')
          .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
          .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident_type.label as type_label', 'involvement.role'])
          .whereRef('involvement.person_id', '=', 'person.id')
          .where(incidentVisibleTo(actor.agencyId))
          .orderBy('incident.occurred_at', 'desc')
          .limit(50),
      ).as('incidents'),
      jsonArrayFrom(eb.selectFrom('urgent_response').select(['id', 'reference', 'status', 'opened_at']).whereRef('person_id', '=', 'person.id').where(responseVisibleTo(actor)).orderBy('opened_at', 'desc')).as('responses'),
      jsonArrayFrom(
        eb
          .selectFrom('referral')
          .innerJoin('service', 'service.id', 'referral.service_id')
          .select(['referral.id', 'referral.reference', 'referral.status', 'referral.sent_at', 'service.name as service_name'])
          .whereRef('referral.person_id', '=', 'person.id')
          .where(referralVisibleTo(actor.agencyId))
          .orderBy('referral.sent_at', 'desc'),
      ).as('referrals'),
      jsonArrayFrom(
        eb
          .selectFrom('episode')
          .innerJoin('service', 'service.id', 'episode.service_id')
          .innerJoin('app_user as worker', 'worker.id', 'episode.lead_worker_id')
          .select(['episode.id', 'episode.started_on', 'episode.closed_on', 'episode.outcome', 'service.name as service_name', 'worker.display_name as worker_name'])
          .whereRef('episode.person_id', '=', 'person.id')
          .where(episodeVisibleTo(actor.agencyId))
          .orderBy('episode.started_on', 'desc'),
      ).as('episodes'),
      jsonArrayFrom(
        eb
          .selectFrom('family_member')
          .innerJoin('family', 'family.id', 'family_member.family_id')
          .select(['family.id', 'family.name', 'family_member.relationship'])
          .whereRef('family_member.person_id', '=', 'person.id')
          .orderBy('family.name'),
      ).as('families'),
      jsonObjectFrom(
        eb
          .selectFrom('cohort_membership')
          .innerJoin('app_user', 'app_user.id', 'cohort_membership.decided_by')
          .select(['cohort_membership.id', 'strand', 'reason', 'decided_on', 'review_on', 'app_user.display_name as decided_by_name'])
          .whereRef('cohort_membership.person_id', '=', 'person.id')
          .where('ended_on', 'is', null)
          .limit(1),
      ).as('cohort'),
      jsonArrayFrom(
        eb
          .selectFrom('person_merge')
          .innerJoin('person as merged', 'merged.id', 'person_merge.merged_id')
          .select(['person_merge.id', 'person_merge.merged_at', 'person_merge.reason', 'merged.given_name', 'merged.family_name', 'merged.date_of_birth'])
          .whereRef('person_merge.kept_id', '=', 'person.id')
          .where('person_merge.undone_at', 'is', null)
          .orderBy('person_merge.merged_at'),
      ).as('merges'),
    ])
    .where('person.id', '=', id)
    .where('person.merged_into', 'is', null)
    .executeTakeFirst();
  if (!found) return undefined;
  const { aliases, identifiers, addresses, markers, incidents, responses, referrals, episodes, families, cohort, merges, ...person } = found;
  const lines = await linkFlags(db, actor, await involvementFlags(db, [id]));
  return { person, aliases, identifiers, addresses, markers, flags: lines, incidents, responses, referrals, episodes, families, cohort, merges };
}
const HREF = { urgent_response: '/urgent-responses/', episode: '/episodes/', referral: '/referrals/', involvement: null } as const;

/** Involvement flags with a link to what is behind each, only where the viewer may open it (their agency's, or shared with it). */
export async function linkFlags(db: Db, actor: RequestActor, flags: InvolvementFlag[]) {
  const ids = (type: InvolvementFlag['record']['type']) => flags.filter((f) => f.record.type === type).map((f) => f.record.id);
  const [responses, referrals, episodes] = [ids('urgent_response'), ids('referral'), ids('episode')];
  const open = await Promise.all([
    responses.length ? db.selectFrom('urgent_response').select('id').where('id', 'in', responses).where(responseVisibleTo(actor)).execute() : [],
    referrals.length ? db.selectFrom('referral').select('id').where('id', 'in', referrals).where(referralVisibleTo(actor.agencyId)).execute() : [],
    episodes.length ? db.selectFrom('episode').select('id').where('id', 'in', episodes).where(episodeVisibleTo(actor.agencyId)).execute() : [],
  ]);
  const openable = new Set(open.flat().map((r) => r.id));
  return flags.map((f) => ({ ...f, href: HREF[f.record.type] && openable.has(f.record.id) ? `${HREF[f.record.type]}${f.record.id}` : null }));
}
export type PersonRecord = NonNullable<Awaited<ReturnType<typeof loadPersonRecord>>>;
