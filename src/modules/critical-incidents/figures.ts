// Critical incidents in figures: tension by ward over the weeks (for the
// list), and the board report's section (declared, closed, and how long from
// the incident to the first assessment and to the first review). The board's
// counts hide small numbers as every published table does.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { shown, suppressGroup, SUPPRESS_BELOW, HIDDEN } from '../figures/suppression.ts';
import { wardAssessments } from './queries.ts';

/** The Monday (London) of the week a day falls in. */
export function weekOf(day: string): string {
  const weekday = (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
  return addDays(day, -weekday);
}

/**
 * Tension by ward, week by week: the highest level any assessment of a
 * critical incident in that ward recorded that week; a week with no
 * assessment shows nothing rather than a guess.
 */
export function tensionByWard(rows: { wards: string[]; tension_level: number; recorded_at: Date }[], weeks: string[]) {
  const wards = new Map<string, (number | null)[]>();
  for (const r of rows) {
    const w = weeks.indexOf(weekOf(londonToday(r.recorded_at)));
    if (w < 0) continue;
    for (const ward of r.wards) {
      if (!wards.has(ward)) wards.set(ward, weeks.map(() => null));
      const levels = wards.get(ward)!;
      levels[w] = Math.max(levels[w] ?? 0, r.tension_level);
    }
  }
  return [...wards.entries()].sort((a, b) => a[0].localeCompare(b[0])).map(([ward, levels]) => ({ ward, levels }));
}

/** The last `n` weeks, oldest first, each named by its Monday. */
export function lastWeeks(n: number, today = londonToday()): string[] {
  const monday = weekOf(today);
  return Array.from({ length: n }, (_, i) => addDays(monday, -7 * (n - 1 - i)));
}

export async function wardTension(db: Kysely<DB>, n = 8, today = londonToday()) {
  const weeks = lastWeeks(n, today);
  const rows = await wardAssessments(db, new Date(`${weeks[0]}T00:00:00Z`));
  return { weeks, wards: tensionByWard(rows, weeks) };
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/**
 * The board's section for a period: declared, closed, still open (counts
 * hidden where small, and one more so none can be worked out from the
 * total), and the mean hours from the incident to the first assessment and
 * to the first review, hidden when fewer than 5 incidents make the mean.
 */
export async function boardSection(db: Kysely<DB>, from: Date, to: Date) {
  const rows = await db
    .selectFrom('critical_incident as ci')
    .innerJoin('incident', 'incident.id', 'ci.incident_id')
    .select([
      'ci.closed_at',
      'incident.occurred_at',
      sql<Date | null>`(SELECT recorded_at FROM community_impact_assessment a WHERE a.critical_incident_id = ci.id AND a.number = 0)`.as('assessed_at'),
      sql<Date | null>`(SELECT recorded_at FROM community_impact_assessment a WHERE a.critical_incident_id = ci.id AND a.number = 1)`.as('reviewed_at'),
    ])
    .where('ci.declared_at', '>=', from)
    .where('ci.declared_at', '<', to)
    .execute();
  const declared = rows.length;
  const closed = rows.filter((r) => r.closed_at).length;
  const open = declared - closed;
  const hidden = suppressGroup([closed, open], declared);
  const hours = (at: Date | null, r: { occurred_at: Date }) => (at ? (new Date(at).getTime() - new Date(r.occurred_at).getTime()) / 3_600_000 : null);
  const toAssessment = rows.map((r) => hours(r.assessed_at, r)).filter((h): h is number => h !== null);
  const toReview = rows.map((r) => hours(r.reviewed_at, r)).filter((h): h is number => h !== null);
  const average = (xs: number[]) => (xs.length >= SUPPRESS_BELOW ? Math.round(mean(xs)! * 10) / 10 : xs.length ? HIDDEN : null);
  return {
    declared: shown(declared, hidden.total),
    closed: shown(closed, hidden.cells[0]),
    open: shown(open, hidden.cells[1]),
    hoursToAssessment: average(toAssessment),
    hoursToReview: average(toReview),
  };
}
