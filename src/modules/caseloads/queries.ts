// Caseloads: a worker's open episodes with what is due on each, referrals
// waiting for their agency's answer, reviews due, and actions their agency
// owes; and a team manager's view of everyone's.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NO_USER, type RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { addDays } from '../../platform/workingDays.ts';
import { episodeQuery } from '../episodes/queries.ts';
import { lengthWarning } from '../episodes/rules.ts';
import { incomingReferrals } from '../referrals/queries.ts';
import { openActions } from '../actions/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Reviews within this many days show as due. */
export const REVIEW_SOON_DAYS = 7;

function openEpisodes(db: Db, agencyId: string, leadWorkerId?: string) {
  let q = episodeQuery(db).where('episode.agency_id', '=', agencyId).where('episode.closed_on', 'is', null);
  if (leadWorkerId) q = q.where('episode.lead_worker_id', '=', leadWorkerId);
  return q.orderBy('episode.review_on').limit(1000).execute();
}

const withDue = (today: string) => <T extends { review_on: string; started_on: string; planned_end_on: string | null }>(e: T) => ({
  ...e,
  // Due in the coming days, not already overdue: the two are listed apart.
  reviewDue: e.review_on >= today && e.review_on <= addDays(today, REVIEW_SOON_DAYS),
  reviewOverdue: e.review_on < today,
  length: lengthWarning(e.started_on, e.planned_end_on, today, false),
});

export async function caseloadOf(db: Db, actor: RequestActor, today: string) {
  const [episodes, referrals, actions, strands] = await Promise.all([
    openEpisodes(db, actor.agencyId, actor.userId ?? undefined),
    can(actor.roles, 'referral.receive') ? incomingReferrals(db, actor.agencyId) : [],
    can(actor.roles, 'action.read') ? openActions(db, actor, { ownerAgencyId: actor.agencyId, today }) : [],
    db
      .selectFrom('cohort_membership')
      .innerJoin('person', 'person.id', 'cohort_membership.person_id')
      .select(['person.id as person_id', 'person.given_name', 'person.family_name', 'cohort_membership.strand', 'cohort_membership.review_on'])
      .where('cohort_membership.decided_by', '=', actor.userId ?? NO_USER)
      .where('cohort_membership.ended_on', 'is', null)
      .where('cohort_membership.review_on', '<=', addDays(today, REVIEW_SOON_DAYS))
      .orderBy('cohort_membership.review_on')
      .execute(),
  ]);
  const mine = episodes.map(withDue(today));
  return {
    episodes: mine,
    referrals,
    actions: actions.slice(0, 50),
    // Overdue and due in the coming week, apart: an overdue review is not "due in the next week".
    reviews: { episodes: mine.filter((e) => e.reviewDue), strands: strands.filter((s) => s.review_on >= today) },
    overdueReviews: { episodes: mine.filter((e) => e.reviewOverdue), strands: strands.filter((s) => s.review_on < today) },
  };
}

/** Counts only, for the home page: no names. */
export async function caseloadCounts(db: Db, actor: RequestActor, today: string) {
  const c = await caseloadOf(db, actor, today);
  return {
    episodes: c.episodes.length,
    referrals: c.referrals.filter((r) => r.status !== 'accepted').length,
    reviews: c.reviews.episodes.length + c.reviews.strands.length,
    overdueReviews: c.overdueReviews.episodes.length + c.overdueReviews.strands.length,
    actions: c.actions.length,
  };
}

export async function teamCaseloads(db: Db, agencyId: string, today: string) {
  const [episodes, workers] = await Promise.all([
    openEpisodes(db, agencyId),
    db.selectFrom('app_user').select(['id', 'display_name']).where('agency_id', '=', agencyId).where('disabled_at', 'is', null).where(sql<boolean>`roles && ARRAY['caseworker', 'coordinator']::text[]`).orderBy('display_name').execute(),
  ]);
  const due = episodes.map(withDue(today));
  return workers.map((w) => {
    const theirs = due.filter((e) => e.lead_worker_id === w.id);
    return { ...w, episodes: theirs, overdue: theirs.filter((e) => e.reviewOverdue).length, nearingEnd: theirs.filter((e) => e.length).length };
  });
}
