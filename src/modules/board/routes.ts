// The board report page (prints cleanly) and its CSV.
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { FormErrors, monthField, type Body } from '../../platform/forms.ts';
import { exportHref, toCsv, sendCsv, type Csv } from '../../platform/csv.ts';
import { barChart } from '../../platform/charts.ts';
import { MEASURES } from '../figures/figures.ts';
import { SUPPRESS_BELOW } from '../figures/suppression.ts';
import { SUBJECTS } from '../disproportionality/queries.ts';
import { indicatorLabels, lastWholeMonth, shownValue, smallMultiples } from '../strategy/indicatorRoutes.ts';
import { ACTION_STATUSES } from '../strategy/rules.ts';
import { boardReport, type BoardReport } from './report.ts';

export function registerBoard(app: FastifyInstance): void {
  const load = async (query: Body, errors: FormErrors, req: Parameters<typeof transact>[0], csv: boolean) => {
    const month = monthField(query, 'month', errors, 'The month', lastWholeMonth());
    if (!month || errors.any) return null;
    // Counts built from people's records: the view is recorded, without any person in it.
    return transact(req, async (trx, audit) => {
      const report = await boardReport(trx, month);
      await audit({ recordType: 'board_report', detail: { month, export: csv } });
      return report;
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/board',
    access: 'board.read',
    audit: 'board.view',
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const report = await load(req.query as Body, errors, req, false);
      const charts = report && {
        progress: barChart({ title: 'Actions by RAG rating', bars: [
          { label: 'Red', value: report.progress.red, tone: 'red' },
          { label: 'Amber', value: report.progress.amber, tone: 'amber' },
          { label: 'Green', value: report.progress.green, tone: 'green' },
          { label: 'Not rated', value: report.progress.unrated },
          { label: 'Complete', value: report.progress.complete },
        ] }),
        indicators: smallMultiples(report.indicators),
      };
      return reply.code(errors.any ? 400 : 200).page('board/views/board.njk', { errors, values: req.query, r: report, charts, measures: MEASURES, subjects: SUBJECTS, statuses: ACTION_STATUSES, below: SUPPRESS_BELOW, ...indicatorLabels, canReadReviews: can(req.actor!.roles, 'review.read'), exportHref: exportHref(req, '/board/export.csv') });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/board/export.csv',
    access: 'board.read',
    audit: 'board.export',
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const report = await load(req.query as Body, errors, req, true);
      if (!report) return reply.code(400).type('text/plain').send(Object.values(errors.toJSON()).join('\n'));
      return sendCsv(reply, `board-report-${report.month}.csv`, boardCsv(report));
    },
  });
}

/** Every figure on the page as section, row, measure, value. */
export function boardCsv(r: BoardReport): Csv {
  const rows: (string | number | null)[][] = [];
  for (const [k, v] of Object.entries(r.progress)) rows.push(['action plan progress', 'all plans', k, v]);
  for (const a of r.exceptions) rows.push(['exceptions', `${a.plan} ${a.number}`, a.rag ?? a.status, a.rag_reason ?? (a.due_on ? `due ${a.due_on}` : '')]);
  for (const i of r.indicators) {
    rows.push(['indicators', i.name, `year ending ${r.month}`, i.value === null ? '' : shownValue(i.value, i.unit)]);
    rows.push(['indicators', i.name, 'year before', i.previous === null ? '' : shownValue(i.previous, i.unit)]);
    rows.push(['indicators', i.name, 'target', i.target === null ? '' : shownValue(i.target, i.unit)]);
    rows.push(['indicators', i.name, 'rag', i.rag ?? '']);
  }
  for (const m of [...r.figures.byMonth.rows, r.figures.byMonth.total]) {
    rows.push(['urgent responses', m.label, 'opened', m.opened]);
    MEASURES.forEach((x, i) => rows.push(['urgent responses', m.label, x.label, m.measures[i].percent ?? m.measures[i].met]));
  }
  const tracker = (section: string, t: BoardReport['disproportionality']['tracker']) => {
    for (const g of t.rows) rows.push([section, g.label, 'people', g.events], [section, g.label, 'rri', g.rri ?? ''], [section, g.label, 'ci', g.ciLow === null ? '' : `${g.ciLow} to ${g.ciHigh}`]);
    rows.push([section, 'Total', 'people', t.total]);
  };
  tracker('disproportionality: knife-injury victims', r.disproportionality.tracker);
  tracker('disproportionality: stop and search (self-defined ethnicity)', r.stopSearch.tracker);
  for (const v of r.reviews) {
    const row = `${v.reference} (${v.type_label})`;
    rows.push(['rapid reviews', row, 'opened', londonToday(v.opened_at)], ['rapid reviews', row, 'closed', v.closed_at ? londonToday(v.closed_at) : 'open']);
    rows.push(['rapid reviews', row, 'findings', v.findings], ['rapid reviews', row, 'recommendations', v.recommendations], ['rapid reviews', row, 'recommendations complete', v.complete]);
  }
  for (const l of r.ownLists) tracker(`Reachable's own lists: ${SUBJECTS[l.subject].label}`, l.tracker);
  for (const m of [...r.orders.rows, r.orders.total]) r.orders.measures.forEach((measure, i) => rows.push(['orders', m.label, measure, m.values[i]]));
  const c = r.critical;
  rows.push(['critical incidents', 'Declared', 'count', c.declared], ['critical incidents', 'Closed', 'count', c.closed], ['critical incidents', 'Still open', 'count', c.open]);
  rows.push(['critical incidents', 'Incident to first assessment', 'mean hours', c.hoursToAssessment ?? ''], ['critical incidents', 'Incident to first review', 'mean hours', c.hoursToReview ?? '']);
  return toCsv(['section', 'row', 'measure', 'value'], rows);
}
