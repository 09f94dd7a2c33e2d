// Outcomes before and after (seed 000: "impact measured before and after"):
// for episodes with measures at both the start and the end, the median of
// each measure before and after, and the median of each young person's own
// change (paired, so a few large changes do not stand for everyone); counts
// of those in education, training or employment and claiming benefits.
// Groups of fewer than five young people are withheld, and counts within a
// group are suppressed so none can be worked out from the total.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { median } from '../../platform/statistics.ts';
import { HIDDEN, SUPPRESS_BELOW, suppressGroup } from '../figures/suppression.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface MeasurePair {
  group: string;
  before: { offences_6m: number; victimisation_6m: number; attendance_pct: number | null; exclusions: number | null; ete_status: string; benefit_status: string };
  after: MeasurePair['before'];
}

const NUMERIC = [
  { key: 'offences_6m', label: 'Offences in the previous six months', better: 'lower' },
  { key: 'victimisation_6m', label: 'Times a victim in the previous six months', better: 'lower' },
  { key: 'attendance_pct', label: 'School attendance (%)', better: 'higher' },
  { key: 'exclusions', label: 'Exclusions', better: 'lower' },
] as const;

const IN_ETE = new Set(['school', 'college', 'employment']);
const COUNTED = [
  { label: 'In education, training or employment', test: (m: MeasurePair['before']) => IN_ETE.has(m.ete_status) },
  { label: 'Claiming benefits', test: (m: MeasurePair['before']) => m.benefit_status === 'claiming' },
] as const;

export interface Comparison {
  n: number;
  withheld: boolean;
  measures: { label: string; better: string; n: number; before: number | null; after: number | null; change: number | null }[];
  counts: { label: string; before: number | string; after: number | string }[];
}

/** Compares one group's pairs of measures. Only measures recorded at both ends count for that measure. */
export function compare(pairs: MeasurePair[], below = SUPPRESS_BELOW): Comparison {
  const n = pairs.length;
  if (n < below) return { n, withheld: true, measures: [], counts: [] };
  const measures = NUMERIC.map(({ key, label, better }) => {
    const both = pairs.filter((p) => p.before[key] !== null && p.after[key] !== null);
    const enough = both.length >= below;
    return {
      label,
      better,
      n: both.length,
      before: enough ? median(both.map((p) => Number(p.before[key]))) : null,
      after: enough ? median(both.map((p) => Number(p.after[key]))) : null,
      change: enough ? median(both.map((p) => Number(p.after[key]) - Number(p.before[key]))) : null,
    };
  });
  const counts = COUNTED.map(({ label, test }) => {
    const side = (which: 'before' | 'after') => {
      const yes = pairs.filter((p) => test(p[which])).length;
      const hidden = suppressGroup([yes, n - yes], n, [], below).cells[0];
      return hidden ? HIDDEN : yes;
    };
    return { label, before: side('before'), after: side('after') };
  });
  return { n, withheld: false, measures, counts };
}

/** Pairs of start and end measures, grouped by service, or by the cohort strand the young person was in when the episode started. */
export async function measurePairs(db: Db, by: 'service' | 'strand'): Promise<MeasurePair[]> {
  const group =
    by === 'service'
      ? sql<string>`service.name`
      : sql<string>`COALESCE((SELECT c.strand FROM cohort_membership c WHERE c.person_id = episode.person_id AND c.decided_on <= episode.started_on AND (c.ended_on IS NULL OR c.ended_on > episode.started_on) ORDER BY c.decided_on DESC LIMIT 1), 'none')`;
  // Exclusions are counted from the education records where the young person has any (issue 23): suspensions and
  // permanent exclusions that began in the six months to the measure's date; the number typed in otherwise.
  const exclusions = (m: 's' | 'e') =>
    sql<number | null>`CASE WHEN EXISTS (SELECT 1 FROM education_event x WHERE x.person_id = episode.person_id)
      THEN (SELECT count(*)::int FROM education_event x WHERE x.person_id = episode.person_id AND x.kind IN ('suspension', 'permanent_exclusion')
            AND x.started_on > ${sql.ref(`${m}.measured_on`)} - interval '6 months' AND x.started_on <= ${sql.ref(`${m}.measured_on`)})
      ELSE ${sql.ref(`${m}.exclusions`)} END`;
  const rows = await db
    .selectFrom('episode')
    .innerJoin('service', 'service.id', 'episode.service_id')
    .innerJoin('outcome_measure as s', (j) => j.onRef('s.episode_id', '=', 'episode.id').on('s.stage', '=', 'start'))
    .innerJoin('outcome_measure as e', (j) => j.onRef('e.episode_id', '=', 'episode.id').on('e.stage', '=', 'end'))
    .select([
      group.as('group'),
      's.offences_6m as s_off', 's.victimisation_6m as s_vic', 's.attendance_pct as s_att', exclusions('s').as('s_exc'), 's.ete_status as s_ete', 's.benefit_status as s_ben',
      'e.offences_6m as e_off', 'e.victimisation_6m as e_vic', 'e.attendance_pct as e_att', exclusions('e').as('e_exc'), 'e.ete_status as e_ete', 'e.benefit_status as e_ben',
    ])
    .execute();
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    group: r.group,
    before: { offences_6m: r.s_off, victimisation_6m: r.s_vic, attendance_pct: num(r.s_att), exclusions: r.s_exc, ete_status: r.s_ete, benefit_status: r.s_ben },
    after: { offences_6m: r.e_off, victimisation_6m: r.e_vic, attendance_pct: num(r.e_att), exclusions: r.e_exc, ete_status: r.e_ete, benefit_status: r.e_ben },
  }));
}

export function byGroup(pairs: MeasurePair[]): Map<string, MeasurePair[]> {
  const out = new Map<string, MeasurePair[]>();
  for (const p of pairs) out.set(p.group, [...(out.get(p.group) ?? []), p]);
  return out;
}
