// The figures page and its CSV: counts only, small numbers suppressed, for
// the whole partnership (no person can be picked out, so no record is read
// in a way that needs an audit event per person; exports are still audited).
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, str, type Body } from '../../platform/forms.ts';
import { londonParts } from '../../platform/time.ts';
import { exportHref, toCsv, sendCsv, type Csv } from '../../platform/csv.ts';
import { responseFacts } from './queries.ts';
import { lineChart } from '../../platform/charts.ts';
import { SUPPRESS_BELOW } from './suppression.ts';
import { MEASURES, computeFigures, monthLabel, monthStart, monthsBetween, nextMonth, type FigureRow, type Figures } from './figures.ts';

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
const MAX_MONTHS = 60;

function readPeriod(query: Body, errors: FormErrors, now = new Date()) {
  const p = londonParts(now);
  const thisMonth = `${p.year}-${String(p.month).padStart(2, '0')}`;
  const yearAgo = p.month === 12 ? `${p.year}-01` : `${p.year - 1}-${String(p.month + 1).padStart(2, '0')}`;
  const from = str(query, 'from') || yearAgo;
  const to = str(query, 'to') || thisMonth;
  if (!MONTH.test(from)) errors.add('from', 'From must be a month, like 2026-01');
  if (!MONTH.test(to)) errors.add('to', 'To must be a month, like 2026-12');
  if (!errors.any && from > to) errors.add('from', 'From must be the same month as To or before it');
  const months = errors.any ? [] : monthsBetween(from, to);
  if (months.length > MAX_MONTHS) errors.add('from', `Choose a period of ${MAX_MONTHS} months or fewer`);
  return { from, to, months };
}

/**
 * Each clock's share met in time, month by month, against the protocol's aim
 * of every young person (100%): a chart for each, drawn from the by-month
 * table beside it, so a hidden cell is a gap, never a guess.
 */
function trendCharts(figures: Figures) {
  return MEASURES.map((m, i) => ({
    label: m.label,
    svg: lineChart({
      title: `${m.label}: the share of young people, by month`,
      points: figures.byMonth.rows.map((r) => ({ label: r.label, value: r.measures[i].percent === null ? null : Number.parseFloat(r.measures[i].percent) })),
      target: 100,
      unit: '%',
    }),
  }));
}

export function registerFigures(app: FastifyInstance): void {
  const load = async (months: string[]) => computeFigures(await responseFacts(app.db, monthStart(months[0]), monthStart(nextMonth(months[months.length - 1]))), months, new Date());
  const monthOptions = () => {
    const p = londonParts(new Date());
    return monthsBetween(`${p.year - 4}-01`, `${p.year}-${String(p.month).padStart(2, '0')}`).reverse().map((m) => ({ value: m, text: monthLabel(m) }));
  };

  declareRoute(app, {
    method: 'GET',
    url: '/figures',
    access: 'figures.read',
    audit: null,
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const period = readPeriod(req.query as Body, errors);
      const figures = errors.any ? null : await load(period.months);
      return reply.code(errors.any ? 400 : 200).page('figures/views/figures.njk', { figures, charts: figures ? trendCharts(figures) : [], measures: MEASURES, errors, values: period, months: monthOptions(), threshold: SUPPRESS_BELOW, exportHref: exportHref(req, '/figures/export.csv') });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/figures/export.csv',
    access: 'figures.read',
    audit: 'figures.export',
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const period = readPeriod(req.query as Body, errors);
      if (errors.any) return reply.code(400).type('text/plain').send(Object.values(errors.toJSON()).join('\n'));
      const figures = await load(period.months);
      await transact(req, async (_trx, audit) => audit({ recordType: 'figures', detail: { from: period.from, to: period.to } }));
      return sendCsv(reply, `urgent-response-figures-${period.from}-to-${period.to}.csv`, figuresCsv(figures));
    },
  });
}

/** The same tables as the page, suppressed the same way. */
export function figuresCsv(f: Figures): Csv {
  const header = ['table', 'row', 'opened', ...MEASURES.flatMap((m) => [`${m.kind}_met`, `${m.kind}_decided`, `${m.kind}_percent`]), 'median_hours_to_first_attempt', 'median_hours_to_contact'];
  const line = (table: string, r: FigureRow) => [table, r.label, r.opened, ...r.measures.flatMap((m) => [m.met, m.decided, m.percent ?? '']), r.medianHoursToAttempt, r.medianHoursToContact];
  const rows = [
    ...[...f.byMonth.rows, f.byMonth.total].map((r) => line('by month', r)),
    ...[...f.bySource.rows, f.bySource.total].map((r) => line('by source', r)),
    ...[...f.closures.rows, { label: 'Total', count: f.closures.total }].map((r) => ['closure reasons', r.label, r.count]),
  ];
  return toCsv(header, rows);
}
