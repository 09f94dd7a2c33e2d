// Rapid reviews in SQL: opening one on an incident, its findings and
// recommendations (each recommendation a tracked action), closing it, and
// searching the learning across every review.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { addAction } from '../strategy/queries.ts';
import type { RecommendationInput, ReviewStatus } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The incident a review may be opened on: one the reviewer's agency may see, with the review it already has. */
export async function reviewableIncident(db: Db, actor: RequestActor, incidentId: string) {
  return db
    .selectFrom('incident')
    .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
    .leftJoin('rapid_review', 'rapid_review.incident_id', 'incident.id')
    .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident_type.label as type_label', 'rapid_review.id as review_id', 'rapid_review.reference as review_reference'])
    .where('incident.id', '=', incidentId)
    .where(incidentVisibleTo(actor.agencyId))
    .executeTakeFirst();
}

export async function openReview(trx: Transaction<DB>, actor: RequestActor, incidentId: string, scope: string) {
  return trx
    .insertInto('rapid_review')
    .values({
      reference: sql<string>`'RR-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' || lpad(nextval('rapid_review_reference_seq')::text, 3, '0')`,
      incident_id: incidentId,
      agency_id: actor.agencyId,
      scope,
      opened_by: actor.userId,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}

/** A review with its incident (named only where the reader's agency may see it) and its learning. */
export async function loadReview(db: Db, actor: RequestActor, id: string) {
  const review = await db
    .selectFrom('rapid_review as r')
    .innerJoin('incident', 'incident.id', 'r.incident_id')
    .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
    .innerJoin('agency', 'agency.id', 'r.agency_id')
    .leftJoin('app_user as opener', 'opener.id', 'r.opened_by')
    .leftJoin('app_user as closer', 'closer.id', 'r.closed_by')
    .selectAll('r')
    .select(['incident.occurred_at', 'incident.borough_name', 'incident_type.label as type_label', 'agency.name as agency_name', 'opener.display_name as opened_by_name', 'closer.display_name as closed_by_name'])
    .where('r.id', '=', id)
    .executeTakeFirst();
  if (!review) return undefined;
  const [incident, entries] = await Promise.all([
    db.selectFrom('incident').select(['id', 'reference']).where('id', '=', review.incident_id).where(incidentVisibleTo(actor.agencyId)).executeTakeFirst(),
    entriesOf(db, [id]),
  ]);
  return { review, incident: incident ?? null, entries };
}

export type LoadedReview = NonNullable<Awaited<ReturnType<typeof loadReview>>>;

/** Findings and recommendations, each recommendation with the action that tracks it and how that action is going. */
function entriesOf(db: Db, reviewIds: string[]) {
  return db
    .selectFrom('review_entry as e')
    .innerJoin('rapid_review as r', 'r.id', 'e.review_id')
    .leftJoin('strategy_action as a', 'a.id', 'e.action_id')
    .leftJoin('strategy as s', 's.id', 'a.strategy_id')
    .leftJoin('app_user as u', 'u.id', 'e.recorded_by')
    .select(['e.id', 'e.kind', 'e.statement', 'e.recorded_at', 'u.display_name as recorded_by_name', 'r.id as review_id', 'r.reference as review_reference', 'r.status as review_status', 'a.id as action_id', 'a.number as action_number', 'a.status as action_status', 'a.rag', 'a.due_on', 's.name as plan'])
    .where('e.review_id', 'in', reviewIds.length ? reviewIds : ['00000000-0000-0000-0000-000000000000'])
    .orderBy('e.recorded_at')
    .execute();
}

export async function addFinding(trx: Transaction<DB>, reviewId: string, statement: string, userId: string | null) {
  return trx.insertInto('review_entry').values({ review_id: reviewId, kind: 'finding', statement, recorded_by: userId }).returning('id').executeTakeFirstOrThrow();
}

/** The recommendation and the action that tracks it, together or not at all. */
export async function addRecommendation(trx: Transaction<DB>, reviewId: string, input: RecommendationInput, userId: string | null) {
  const actionId = await addAction(trx, input.strategyId, { number: input.number, statement: input.statement, leadPartners: input.leadPartners, startsOn: null, dueOn: input.dueOn, commitmentId: null, principleIds: [] }, userId);
  const { id } = await trx.insertInto('review_entry').values({ review_id: reviewId, kind: 'recommendation', statement: input.statement, action_id: actionId, recorded_by: userId }).returning('id').executeTakeFirstOrThrow();
  return { id, actionId };
}

/** Closed only from the version the reviewer read: a finding added meanwhile is not closed over unseen. */
export async function closeReview(trx: Transaction<DB>, id: string, version: number, userId: string | null) {
  const done = await trx
    .updateTable('rapid_review')
    .set({ status: 'closed', closed_by: userId, closed_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

/** Every entry moves the review's version on, so closing sees what was added since the reviewer's page was drawn; false once closed. */
export async function touchReview(trx: Transaction<DB>, id: string) {
  const done = await trx.updateTable('rapid_review').set({ version: sql`version + 1` }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
  return Number(done.numUpdatedRows) === 1;
}

export const REVIEW_SORTS = ['opened', 'reference', 'status'] as const;
const SORT_COLUMNS = { opened: 'r.opened_at', reference: 'r.reference', status: 'r.status' } as const;

/** Reviews for the list and the board: no person in them, only what kind of incident, when, and what was learned. */
export interface ReviewFilters {
  status?: ReviewStatus;
  /** The board's period: reviews open at its end, and those closed within it. */
  period?: { from: Date; to: Date };
}

export async function listReviews(db: Db, f: ReviewFilters, sort: (typeof REVIEW_SORTS)[number] = 'opened', order: 'asc' | 'desc' = 'desc', limit = 1000, offset = 0) {
  let base = db.selectFrom('rapid_review as r');
  if (f.status) base = base.where('r.status', '=', f.status);
  if (f.period) {
    const { from, to } = f.period;
    base = base.where('r.opened_at', '<', to).where((eb) => eb.or([eb('r.closed_at', 'is', null), eb('r.closed_at', '>=', from)]));
  }
  const count = (kind: 'finding' | 'recommendation', done = false) =>
    sql<string>`(select count(*) from review_entry e ${done ? sql`join strategy_action a on a.id = e.action_id and a.status = 'complete'` : sql``} where e.review_id = r.id and e.kind = ${kind})`;
  const [rows, total] = await Promise.all([
    base
      .innerJoin('incident', 'incident.id', 'r.incident_id')
      .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
      .innerJoin('agency', 'agency.id', 'r.agency_id')
      .select(['r.id', 'r.reference', 'r.status', 'r.opened_at', 'r.closed_at', 'incident.occurred_at', 'incident_type.label as type_label', 'agency.name as agency_name'])
      .select([count('finding').as('findings'), count('recommendation').as('recommendations'), count('recommendation', true).as('complete')])
      .orderBy(SORT_COLUMNS[sort], order)
      .orderBy('r.reference', order)
      .limit(limit)
      .offset(offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, findings: Number(r.findings), recommendations: Number(r.recommendations), complete: Number(r.complete) })), total: Number(total.n) };
}

/** Learning across every review: entries whose words, or whose review's scope, hold every search word. */
export async function searchLearning(db: Db, words: string[], limit = 100) {
  if (!words.length) return [];
  const hits = await db
    .selectFrom('review_entry as e')
    .innerJoin('rapid_review as r', 'r.id', 'e.review_id')
    .select('e.id')
    .where((eb) => eb.and(words.map((w) => eb.or([eb('e.statement', 'ilike', `%${w}%`), eb('r.scope', 'ilike', `%${w}%`)]))))
    .orderBy('r.opened_at', 'desc')
    .limit(limit)
    .execute();
  if (!hits.length) return [];
  const ids = new Set(hits.map((h) => h.id));
  const reviews = await db.selectFrom('review_entry').select('review_id').distinct().where('id', 'in', [...ids]).execute();
  return (await entriesOf(db, reviews.map((r) => r.review_id))).filter((e) => ids.has(e.id));
}

/** The plans a recommendation may go into: action plans first ('action_plan' sorts before 'strategy'), then by name. */
export function plans(db: Db) {
  return db.selectFrom('strategy').select(['id', 'name', 'kind']).orderBy('kind').orderBy('name').execute();
}
