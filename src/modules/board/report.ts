// The board report (issue 7, item 6): everything a partnership board looks
// at in one place, for the twelve months ending with a chosen month:
// action plan progress and exceptions, indicators with trends, the urgent
// response figures, disproportionality, rapid reviews open and closed, and
// Reachable watching its own lists.
// Aggregates only: no person is named or can be picked out.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { londonToday } from '../../platform/time.ts';
import { addMonths, computeFigures, monthStart, monthsBetween } from '../figures/figures.ts';
import { responseFacts } from '../figures/queries.ts';
import { indicatorReports } from '../strategy/indicatorQueries.ts';
import { byNumber } from '../strategy/queries.ts';
import { trackFor } from '../disproportionality/routes.ts';
import { populationRows, type Subject } from '../disproportionality/queries.ts';
import { stopSearchFigures } from '../disproportionality/stopSearch.ts';
import { listReviews } from '../reviews/queries.ts';
import { ordersByMonth } from '../orders/figures.ts';
import { boardSection as criticalSection } from '../critical-incidents/figures.ts';

/** Reachable's own lists, by ethnicity, on every report (issue 7, item 7: so the partnership sees any drift into a Gangs Matrix). */
export const OWN_LISTS: Subject[] = ['urgent_responses', 'cohort', 'referrals', 'group_members', 'network_links', 'order_subjects'];

export async function boardReport(db: Kysely<DB>, month: string, now = new Date()) {
  const from = addMonths(month, -11);
  const today = londonToday(now);
  const period = { from: monthStart(from), to: monthStart(addMonths(month, 1)) };
  const [rag, exceptions, indicators, responses, reviews] = await Promise.all([
    db
      .selectFrom('strategy_action')
      .select(['rag', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('status', '!=', 'discontinued')
      .groupBy(['rag', 'status'])
      .execute(),
    db
      .selectFrom('strategy_action as a')
      .innerJoin('strategy as s', 's.id', 'a.strategy_id')
      .select(['a.id', 'a.number', 'a.statement', 'a.lead_partners', 'a.due_on', 'a.rag', 'a.rag_reason', 'a.status', 's.name as plan'])
      .where('a.status', 'not in', ['complete', 'discontinued'])
      .where((eb) => eb.or([eb('a.rag', '=', 'red'), eb('a.due_on', '<', today)]))
      .orderBy('s.name')
      .orderBy(byNumber('a.number'))
      .execute(),
    indicatorReports(db, month),
    responseFacts(db, period.from, period.to),
    listReviews(db, { period }, 'opened', 'asc'),
  ]);
  const count = (f: (r: (typeof rag)[number]) => boolean) => rag.filter(f).reduce((n, r) => n + Number(r.n), 0);
  const progress = {
    red: count((r) => r.rag === 'red' && r.status !== 'complete'),
    amber: count((r) => r.rag === 'amber' && r.status !== 'complete'),
    green: count((r) => r.rag === 'green' && r.status !== 'complete'),
    unrated: count((r) => !r.rag && r.status !== 'complete'),
    complete: count((r) => r.status === 'complete'),
  };
  const figures = computeFigures(responses, monthsBetween(from, month), now);
  const base = { from, to: month, ages: [10, 24] as [number, number], reference: 'white', by: 'ethnicity' as const };
  const residents = await populationRows(db);
  const disproportionality = await trackFor(db, { ...base, subject: 'knife_victims' }, residents);
  const ownLists = await Promise.all(OWN_LISTS.map(async (subject) => ({ subject, ...(await trackFor(db, { ...base, subject }, residents)) })));
  // Stop and search by self-defined ethnicity (the Home Office's own measure), every power, the same ages.
  const stopSearch = await stopSearchFigures(db, { source: 'self', legislation: 'all', from: period.from, to: period.to, ages: base.ages }, residents);
  const orders = await ordersByMonth(db, monthsBetween(from, month));
  const critical = await criticalSection(db, period.from, period.to);
  return { month, from, progress, exceptions, indicators, figures, disproportionality, stopSearch, ownLists, reviews: reviews.rows, orders, critical };
}

export type BoardReport = Awaited<ReturnType<typeof boardReport>>;
