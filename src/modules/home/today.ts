// "What needs me now" (issue 22): the home page lists the work waiting for
// the signed-in user, most urgent first, each line a link to it. What a user
// sees follows their permissions, not a fixed list per role, so a coordinator
// who also chairs sees both. Counts only: names stay on the audited pages the
// lines link to.
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NO_USER, type RequestActor } from '../../platform/routes.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { formatDateTime } from '../../platform/time.ts';
import { awaitingMash, clockCounts } from '../urgent-response/queries.ts';
import { caseloadCounts } from '../caseloads/queries.ts';
import { openActions } from '../actions/queries.ts';
import { isOverdue } from '../actions/rules.ts';
import { lockedAccounts } from '../access/secondFactor.ts';
import { dueForReview } from '../network/queries.ts';
import { indicatorReports } from '../strategy/indicatorQueries.ts';
import { lastWholeMonth } from '../strategy/indicatorRoutes.ts';
import { openCritical } from '../critical-incidents/queries.ts';
import { nextStep } from '../critical-incidents/rules.ts';
import { interviewsDue } from '../exploitation/queries.ts';

/** How soon it needs doing: a breach before today's work before this week's. */
export type Urgency = 'now' | 'today' | 'soon';

export interface Need {
  urgency: Urgency;
  text: string;
  href: string;
}

interface Source {
  permission: Permission;
  needs: (db: Kysely<DB>, actor: RequestActor, today: string, now: Date) => Promise<(Need | null)[]>;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const when = (n: number, need: Need): Need | null => (n > 0 ? need : null);

const SOURCES: Source[] = [
  {
    // Return home interviews the user's agency offers: breached, then due within the day (exploitation/rules.ts, 72 hours).
    permission: 'missing.record',
    needs: async (db, actor, _today, now) => {
      const due = await interviewsDue(db, actor.agencyId, now);
      const breached = due.filter((e) => e.clock.state === 'breached').length;
      const soon = due.filter((e) => e.clock.state !== 'breached' && e.clock.dueAt.getTime() - now.getTime() < 86_400_000).length;
      return [
        when(breached, { urgency: 'now', text: `${plural(breached, 'return home interview')} not offered within 72 hours of the child’s return`, href: '/missing-episodes' }),
        when(soon, { urgency: 'today', text: `${plural(soon, 'return home interview')} to offer within a day`, href: '/missing-episodes' }),
      ];
    },
  },
  {
    // Critical incidents the user's agency leads: an assessment or review due within the day, or overdue (critical-incidents/rules.ts).
    permission: 'critical.assess',
    needs: async (db, actor, _today, now) => {
      const open = (await openCritical(db)).filter((c) => c.agency_id === actor.agencyId);
      const steps = open.map((c) => nextStep(c.declared_at, c.assessments, now));
      const overdue = steps.filter((s) => s.overdue).length;
      const soon = steps.filter((s) => !s.overdue && s.dueAt.getTime() - now.getTime() < 86_400_000).length;
      return [
        when(overdue, { urgency: 'now', text: `${plural(overdue, 'community impact assessment')} your agency leads overdue for assessment or review`, href: '/critical-incidents' }),
        when(soon, { urgency: 'today', text: `${plural(soon, 'community impact assessment')} your agency leads due for assessment or review within a day`, href: '/critical-incidents' }),
      ];
    },
  },
  {
    // Possible breaches of orders: those whose lead officer is the user, then every one waiting (police and enforcement decide them).
    permission: 'order.decide',
    needs: async (db, actor) => {
      const waiting = await db
        .selectFrom('possible_breach')
        .innerJoin('court_order', 'court_order.id', 'possible_breach.order_id')
        .select((eb) => [eb.fn.countAll<string>().as('all'), eb.fn.countAll<string>().filterWhere('court_order.lead_officer_id', '=', actor.userId ?? NO_USER).as('mine')])
        .where('possible_breach.decision', 'is', null)
        // Only those the user's agency decides (orders/queries.ts decidesFor).
        .where((eb) => eb.or([eb('court_order.applying_agency_id', '=', actor.agencyId), eb('court_order.agency_id', '=', actor.agencyId)]))
        .executeTakeFirstOrThrow();
      const mine = Number(waiting.mine);
      const others = Number(waiting.all) - mine;
      return [
        when(mine, { urgency: 'now', text: `${plural(mine, 'possible breach', 'possible breaches')} of orders you lead on, waiting for a decision`, href: '/orders#breaches' }),
        when(others, { urgency: 'today', text: `${plural(others, 'other possible breach', 'other possible breaches')} of your agency’s orders waiting for a decision`, href: '/orders#breaches' }),
      ];
    },
  },
  {
    // Coordinators and chairs see their agency's responses; a caseworker their own (urgent-response/queries.ts visibleTo).
    permission: 'urgent_response.read',
    needs: async (db, actor, _today, now) => {
      const counts = await clockCounts(db, actor, {}, now);
      const unassigned = can(actor.roles, 'urgent_response.manage') ? counts.unassigned : 0;
      return [
        when(counts.breached, { urgency: 'now', text: `${plural(counts.breached, 'urgent response')} with a clock breached`, href: '/urgent-responses?state=breached' }),
        when(counts.due_soon, { urgency: 'now', text: `${plural(counts.due_soon, 'urgent response')} with a clock due in the next 4 hours`, href: '/urgent-responses?state=due_soon' }),
        when(unassigned, { urgency: 'today', text: `${plural(unassigned, 'urgent response')} with nobody assigned`, href: '/urgent-responses?owner=none' }),
      ];
    },
  },
  {
    permission: 'episode.work',
    needs: async (db, actor, today) => {
      const c = await caseloadCounts(db, actor, today);
      return [
        when(c.overdueReviews, { urgency: 'today', text: `${plural(c.overdueReviews, 'review')} overdue`, href: '/caseload#overdue-reviews' }),
        when(c.referrals, { urgency: 'today', text: `${plural(c.referrals, 'referral')} waiting for your agency’s answer`, href: '/caseload#referrals' }),
        when(c.reviews, { urgency: 'soon', text: `${plural(c.reviews, 'review')} due in the next week`, href: '/caseload#reviews' }),
      ];
    },
  },
  {
    permission: 'action.read',
    needs: async (db, actor, today) => {
      const overdue = (await openActions(db, actor, { overdue: true, today })).filter((a) => isOverdue(a, today));
      const byAgency = new Map<string, number>();
      for (const a of overdue) byAgency.set(a.owner_agency_name, (byAgency.get(a.owner_agency_name) ?? 0) + 1);
      const agencies = [...byAgency].map(([name, n]) => `${name} ${n}`).join(', ');
      return [when(overdue.length, { urgency: 'today', text: `${plural(overdue.length, 'action')} overdue${can(actor.roles, 'meeting.run') && agencies ? ` (${agencies})` : ''}`, href: '/actions?overdue=yes' })];
    },
  },
  {
    permission: 'meeting.run',
    needs: async (db, actor, _today, now) => {
      const next = await db
        .selectFrom('meeting')
        .innerJoin('meeting_type', 'meeting_type.code', 'meeting.type_code')
        .select(['meeting.id', 'meeting.starts_at', 'meeting_type.name', (eb) => eb.selectFrom('meeting_item').select(eb.fn.countAll<number>().as('n')).whereRef('meeting_item.meeting_id', '=', 'meeting.id').as('items')])
        .where('meeting.agency_id', '=', actor.agencyId)
        .where('meeting.status', '=', 'planned')
        .where('meeting.starts_at', '>', new Date(now.getTime() - 12 * 3_600_000))
        .orderBy('meeting.starts_at')
        .executeTakeFirst();
      return [next ? { urgency: 'today', text: `Next ${next.name}: ${formatDateTime(next.starts_at)}, ${plural(Number(next.items ?? 0), 'item')} on the agenda`, href: `/meetings/${next.id}` } : null];
    },
  },
  {
    // Police tell MASH within the golden hour of a child's booking-in (clocks.ts); their home shows the ones still waiting.
    permission: 'custody.notify',
    needs: async (db, actor) => {
      const { n } = await db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).where(awaitingMash(actor.agencyId)).executeTakeFirstOrThrow();
      return [when(Number(n), { urgency: 'now', text: `${plural(Number(n), 'custody booking-in')} your agency reported with MASH not yet told`, href: '/incidents?custody=awaiting-mash' })];
    },
  },
  {
    permission: 'cohort.decide',
    needs: async (db, actor, today) => {
      const { n } = await db
        .selectFrom('cohort_membership')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('agency_id', '=', actor.agencyId)
        .where('ended_on', 'is', null)
        .where('review_on', '<', today)
        .executeTakeFirstOrThrow();
      return [when(Number(n), { urgency: 'soon', text: `${plural(Number(n), 'strand decision')} past its review date`, href: '/cohorts/reviews' })];
    },
  },
  {
    permission: 'network.record',
    needs: async (db, actor) => {
      const [, count] = await dueForReview(db, actor, 1, 0);
      const n = Number(count.n);
      return [when(n, { urgency: 'soon', text: `${plural(n, 'network link')} your agency recorded past its review date`, href: '/links/review' })];
    },
  },
  {
    permission: 'places.manage',
    needs: async (db) => {
      const { n } = await db.selectFrom('ae_attendance').select(sql<number>`count(DISTINCT location_text)`.as('n')).where('match_status', '=', 'unmatched').executeTakeFirstOrThrow();
      return [when(Number(n), { urgency: 'soon', text: `${plural(Number(n), 'A&E place')} to match to a named place`, href: '/imports/unmatched' })];
    },
  },
  {
    permission: 'board.read',
    needs: async (db) => {
      const month = lastWholeMonth();
      const off = (await indicatorReports(db, month)).filter((r) => r.rag === 'red');
      return [when(off.length, { urgency: 'soon', text: `${plural(off.length, 'indicator')} off target (red) in ${month}`, href: '/indicators' })];
    },
  },
  {
    permission: 'audit.read',
    needs: async (db, _actor, _today, now) => {
      const { n } = await db
        .selectFrom('audit_event')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('outcome', '=', 'denied')
        .where('at', '>', new Date(now.getTime() - 7 * 86_400_000))
        .executeTakeFirstOrThrow();
      return [when(Number(n), { urgency: 'soon', text: `${plural(Number(n), 'refused attempt')} to reach a page or record in the last 7 days`, href: '/audit?outcome=denied' })];
    },
  },
  {
    permission: 'admin.users',
    needs: async (db, _actor, _today, now) => {
      const locked = (await lockedAccounts(db, now)).length;
      return [when(locked, { urgency: 'now', text: `${plural(locked, 'account')} locked after too many wrong codes`, href: '/admin/users' })];
    },
  },
];

const ORDER: Record<Urgency, number> = { now: 0, today: 1, soon: 2 };

/** Everything waiting for this user, most urgent first. */
export async function needsFor(db: Kysely<DB>, actor: RequestActor, today: string, now = new Date()): Promise<Need[]> {
  const found = await Promise.all(SOURCES.filter((s) => can(actor.roles, s.permission)).map((s) => s.needs(db, actor, today, now)));
  return found
    .flat()
    .filter((n): n is Need => n !== null)
    .sort((a, b) => ORDER[a.urgency] - ORDER[b.urgency]);
}
