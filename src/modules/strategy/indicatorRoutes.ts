// Indicators: defined once, each with its value for a rolling year, the
// year before, a trend, a target and a RAG; survey values entered by hand
// with their source. Counts for the whole partnership: no person in sight.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, decimal, isUuid, monthField, text, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { lineChart } from '../../platform/charts.ts';
import { addMonths, monthLabel, monthOf } from '../figures/figures.ts';
import { RAGS, RAG_TAGS } from './rules.ts';
import { indicatorReports, type IndicatorReport } from './indicatorQueries.ts';

export const UNITS = { count: 'Count', percent: 'Percentage', score: 'Score' } as const;
export const BETTER = { lower: 'Lower is better', higher: 'Higher is better', neither: 'Neither: a description' } as const;

/** The last whole month: the default end of a rolling year. */
export const lastWholeMonth = (now = new Date()) => addMonths(monthOf(now), -1);

export const shownValue = (v: number | null, unit: string) => (v === null ? 'No value' : unit === 'percent' ? `${v.toFixed(1)}%` : Number.isInteger(v) ? String(v) : v.toFixed(1));

export function trendChart(r: IndicatorReport, small = false): string {
  return lineChart({ title: `${r.name}, rolling years`, points: r.trend.map((t) => ({ label: monthLabel(t.month).replace(/^(\w{3})\w*/, '$1'), value: t.value })), target: r.target, unit: r.unit === 'percent' ? '%' : '', small });
}

/** Every indicator's trend as a small chart of one size, to compare at a glance (the strategy and board pages). */
export const smallMultiples = (reports: IndicatorReport[]) => reports.map((r) => trendChart(r, true));

export const indicatorLabels = { rags: RAGS, ragTags: RAG_TAGS, units: UNITS, better: BETTER, shownValue, monthLabel };

export function registerIndicators(app: FastifyInstance): void {
  const detail = async (req: FastifyRequest, reply: FastifyReply, month: string, extra: Record<string, unknown> = {}) => {
    const id = (req.params as { id: string }).id;
    const [report] = isUuid(id) ? await indicatorReports(app.db, month, id) : [];
    if (!report) return notFound(req, reply);
    const entries = report.computed ? [] : await app.db.selectFrom('indicator_value as v').leftJoin('app_user as u', 'u.id', 'v.recorded_by').select(['v.month', 'v.value', 'v.source', 'v.recorded_at', 'u.display_name']).where('v.indicator_id', '=', id).orderBy('v.month', 'desc').execute();
    return reply.page('strategy/views/indicator.njk', { r: report, month, entries, chart: trendChart(report), ...indicatorLabels, canManage: can(req.actor!.roles, 'strategy.manage'), values: { target: report.target ?? '' }, ...extra });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/indicators',
    access: 'strategy.read',
    audit: null,
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const month = monthField(req.query as Body, 'month', errors, 'The month', lastWholeMonth());
      const reports = month && !errors.any ? await indicatorReports(app.db, month) : [];
      return reply.code(errors.any ? 400 : 200).page('strategy/views/indicators.njk', { reports, charts: smallMultiples(reports), month, errors, values: req.query, ...indicatorLabels, canManage: can(req.actor!.roles, 'strategy.manage') });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/indicators',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const name = text(body, 'name', errors, { label: 'The name', required: true, max: 200, missing: 'Enter the indicator’s name' });
      const unit = choice(body, 'unit', errors, Object.keys(UNITS) as (keyof typeof UNITS)[], 'Select what the indicator counts');
      const better = choice(body, 'better', errors, Object.keys(BETTER) as (keyof typeof BETTER)[], 'Select whether lower or higher is better');
      const source = text(body, 'source', errors, { label: 'The source', required: true, max: 300, missing: 'Enter where the values come from, like “Residents’ survey”' });
      const description = text(body, 'description', errors, { label: 'The definition', required: true, max: 2000, missing: 'Enter how the indicator is defined' });
      if (name && (await app.db.selectFrom('indicator').select('id').where('name', '=', name).executeTakeFirst())) errors.add('name', 'An indicator with this name already exists');
      if (errors.any || !name || !unit || !better || !source || !description) {
        const reports = await indicatorReports(app.db, lastWholeMonth());
        return reply.code(400).page('strategy/views/indicators.njk', { reports, month: lastWholeMonth(), errors, values: body, ...indicatorLabels, canManage: true });
      }
      const id = await transact(req, async (trx, audit) => {
        const { id } = await trx.insertInto('indicator').values({ name, unit, better, source, description, sort: 100 }).returning('id').executeTakeFirstOrThrow();
        await audit({ recordType: 'indicator', recordId: id });
        return id;
      });
      return reply.redirect(`/indicators/${id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/indicators/:id',
    access: 'strategy.read',
    audit: null,
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const month = monthField(req.query as Body, 'month', errors, 'The month', lastWholeMonth());
      return detail(req, reply.code(errors.any ? 400 : 200), month && !errors.any ? month : lastWholeMonth(), { errors });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/indicators/:id/target',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const body = req.body as Body;
      const errors = new FormErrors();
      const target = decimal(body, 'target', errors, { label: 'The target', min: 0, max: 1_000_000 });
      if (errors.any) return detail(req, reply.code(400), lastWholeMonth(), { errors, values: body });
      const found = isUuid(id) && (await app.db.selectFrom('indicator').select('id').where('id', '=', id).executeTakeFirst());
      if (!found) return notFound(req, reply);
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'indicator', id, versionRead(body));
          await trx.updateTable('indicator').set({ target }).where('id', '=', id).execute();
          await audit({ recordType: 'indicator', recordId: id, detail: { target } });
        }),
      );
      if (saved === STALE) {
        errors.add('target', await staleError(app.db, { type: 'indicator', id, actions: ['strategy.change'] }, 'indicator'));
        return detail(req, reply.code(409), lastWholeMonth(), { errors, values: body });
      }
      return reply.redirect(`/indicators/${id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/indicators/:id/values',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const indicator = isUuid(id) ? await app.db.selectFrom('indicator').select(['id', 'measure', 'unit']).where('id', '=', id).executeTakeFirst() : undefined;
      // Computed indicators take no values by hand: the records are the source.
      if (!indicator || indicator.measure) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const month = monthField(body, 'valueMonth', errors, 'The month the value is for', null);
      if (month && month > lastWholeMonth()) errors.add('valueMonth', 'The month must be a whole month that has ended');
      const value = decimal(body, 'value', errors, { label: 'The value', min: 0, max: indicator.unit === 'percent' ? 100 : 1_000_000, required: true });
      const source = text(body, 'valueSource', errors, { label: 'The source', required: true, max: 300, missing: 'Enter where the value comes from, like “Residents’ survey, spring 2026”' });
      if (errors.any || !month || value === null || !source) return detail(req, reply.code(400), lastWholeMonth(), { errors, valueValues: body });
      await transact(req, async (trx, audit) => {
        await trx
          .insertInto('indicator_value')
          .values({ indicator_id: id, month, value, source, recorded_by: req.actor!.userId })
          .onConflict((oc) => oc.columns(['indicator_id', 'month']).doUpdateSet({ value, source, recorded_by: req.actor!.userId, recorded_at: new Date() }))
          .execute();
        await audit({ recordType: 'indicator', recordId: id, detail: { month, value } });
      });
      return reply.redirect(`/indicators/${id}`, 303);
    },
  });
}
