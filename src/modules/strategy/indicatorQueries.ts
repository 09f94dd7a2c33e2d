// Indicator values: computed by rule from Reachable's records for rolling
// years, or the values entered by hand; with the year before, a trend of
// twelve rolling years, the target and the RAG.
import type { ExpressionBuilder, Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { addMonths, monthStart } from '../figures/figures.ts';
import { responseFacts } from '../figures/queries.ts';
import { MEASURES, changePercent, ragFor, rollingYear, type Better, type Facts, type Victimisation } from './indicators.ts';

/** Seed 000's knife injuries: the incident type, or a knife in these. */
const KNIFE_INJURY_TYPES = ['homicide', 'wounding_gbh', 'ae_violence_injury'];

/** Whether incident `i` is a knife injury: the one rule the indicators and the tracker count by. */
export function isKnifeInjury(eb: ExpressionBuilder<DB & { i: DB['incident'] }, 'i'>) {
  return eb.or([eb('i.type_code', '=', 'knife_injury'), eb.and([eb('i.weapon', '=', 'knife'), eb('i.type_code', 'in', KNIFE_INJURY_TYPES)])]);
}

export async function victimisations(db: Kysely<DB>, from: Date, to: Date): Promise<Victimisation[]> {
  const rows = await db
    .selectFrom('involvement as v')
    .innerJoin('incident as i', 'i.id', 'v.incident_id')
    .innerJoin('person as p', 'p.id', 'v.person_id')
    // A merged record counts as the child it was merged into.
    .leftJoin('person as kept', 'kept.id', 'p.merged_into')
    .select((eb) => [
      eb.fn.coalesce('kept.id', 'p.id').as('person_id'),
      eb.fn.coalesce('kept.date_of_birth', 'p.date_of_birth').as('date_of_birth'),
      eb.fn.coalesce('kept.sex', 'p.sex').as('sex'),
      'i.id as incident_id',
      'i.occurred_at',
      isKnifeInjury(eb).as('knife'),
      'i.domestic_abuse',
    ])
    .where('v.role', '=', 'victim')
    .where('i.occurred_at', '>=', from)
    .where('i.occurred_at', '<', to)
    .execute();
  return rows.map((r) => ({ personId: r.person_id, incidentId: r.incident_id, occurredAt: new Date(r.occurred_at), dateOfBirth: r.date_of_birth, sex: r.sex, knife: Boolean(r.knife), domesticAbuse: r.domestic_abuse }));
}

/** The facts every computed indicator needs for `month`, its year before and a trend of twelve rolling years. */
export async function indicatorFacts(db: Kysely<DB>, month: string, now = new Date()): Promise<Facts> {
  // The year before begins 23 months back; repeat victimisation looks a further 12 months behind that.
  const to = monthStart(addMonths(month, 1));
  const [victims, responses] = await Promise.all([victimisations(db, monthStart(addMonths(month, -35)), to), responseFacts(db, monthStart(addMonths(month, -23)), to)]);
  return { victimisations: victims, responses, now };
}

export const TREND_MONTHS = 12;

export interface IndicatorReport {
  id: string;
  /** The version a change to its target carries. */
  version: number;
  name: string;
  unit: string;
  better: Better;
  target: number | null;
  source: string;
  description: string;
  computed: boolean;
  /** The month the value is for (a survey's may be earlier than the month asked for). */
  asOf: string | null;
  value: number | null;
  previous: number | null;
  change: number | null;
  rag: 'red' | 'amber' | 'green' | null;
  trend: { month: string; value: number | null }[];
}

export async function indicatorReports(db: Kysely<DB>, month: string, only?: string): Promise<IndicatorReport[]> {
  let q = db.selectFrom('indicator').selectAll().orderBy('sort').orderBy('name');
  if (only) q = q.where('id', '=', only);
  const indicators = await q.execute();
  const facts = indicators.some((i) => i.measure) ? await indicatorFacts(db, month) : null;
  const entered = await db.selectFrom('indicator_value').select(['indicator_id', 'month', 'value']).where('month', '<=', month).orderBy('month').execute();
  return indicators.map((i) => {
    const target = i.target === null ? null : Number(i.target);
    const rule = i.measure ? MEASURES[i.measure] : undefined;
    let asOf: string | null = month;
    let value: number | null;
    let previous: number | null;
    let trend: { month: string; value: number | null }[];
    if (rule && facts) {
      const at = (m: string) => rule(facts, rollingYear(m));
      value = at(month);
      previous = at(addMonths(month, -12));
      trend = Array.from({ length: TREND_MONTHS }, (_, k) => addMonths(month, k - TREND_MONTHS + 1)).map((m) => ({ month: m, value: at(m) }));
    } else {
      const values = entered.filter((v) => v.indicator_id === i.id).map((v) => ({ month: v.month, value: Number(v.value) }));
      const latest = values.at(-1);
      asOf = latest?.month ?? null;
      value = latest?.value ?? null;
      const before = latest ? values.filter((v) => v.month <= addMonths(latest.month, -12)).at(-1) : undefined;
      previous = before?.value ?? null;
      trend = values.slice(-TREND_MONTHS);
    }
    return { id: i.id, version: i.version, name: i.name, unit: i.unit, better: i.better, target, source: i.source, description: i.description, computed: Boolean(rule), asOf, value, previous, change: changePercent(value, previous), rag: ragFor(value, target, i.better), trend };
  });
}
