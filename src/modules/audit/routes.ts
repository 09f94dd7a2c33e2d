// The audit log for information governance officers: who did what to which
// record, when and why; filtered, paginated and exported as CSV. Looking at
// the log, and exporting it, are themselves audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateInput, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { listParams, pagination } from '../../platform/lists.ts';
import { londonToUtc } from '../../platform/time.ts';
import { exportHref, toCsv, sendCsv } from '../../platform/csv.ts';
import { PURPOSES } from '../../platform/purposes.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { dateParts } from '../../platform/forms.ts';
import { changeThresholds, readThresholds, reviewAudit, reviewThresholds } from '../governance/auditReview.ts';
import { can } from '../../platform/permissions.ts';
import { versionRead } from '../../platform/versions.ts';
import { saveChange } from '../../platform/changes.ts';

interface AuditFilters {
  userId?: string;
  personId?: string;
  recordType?: string;
  recordId?: string;
  /** Only what was refused: someone reaching for a page or record their role or agency does not allow. */
  outcome?: 'denied';
  from?: Date;
  to?: Date;
}

function readFilters(query: Body, errors: FormErrors): { filters: AuditFilters; echo: Record<string, string | undefined> } {
  const filters: AuditFilters = {};
  const userId = str(query, 'userId');
  if (userId) isUuid(userId) ? (filters.userId = userId) : errors.add('userId', 'Select a user from the list');
  const personId = str(query, 'personId');
  if (personId) isUuid(personId) ? (filters.personId = personId) : errors.add('personId', 'Person ID must be a record ID, like 3f2b…');
  filters.recordType = text(query, 'recordType', errors, { label: 'Record type', max: 40 }) ?? undefined;
  filters.recordId = text(query, 'recordId', errors, { label: 'Record ID', max: 100 }) ?? undefined;
  if (str(query, 'outcome') === 'denied') filters.outcome = 'denied';
  const from = dateInput(query, 'from', errors, { label: 'Start date', minYear: 2000 });
  const to = dateInput(query, 'to', errors, { label: 'End date', minYear: 2000 });
  if (from) filters.from = startOfDay(from);
  if (to) filters.to = new Date(startOfDay(to).getTime() + 86_400_000);
  const echo: Record<string, string | undefined> = {};
  for (const key of ['userId', 'personId', 'recordType', 'recordId', 'outcome', 'from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year']) echo[key] = str(query, key) || undefined;
  return { filters, echo };
}

function startOfDay(iso: string): Date {
  const [year, month, day] = iso.split('-').map(Number);
  return londonToUtc({ year, month, day, hour: 0, minute: 0 }) ?? new Date(`${iso}T00:00:00Z`);
}

function filtered<O>(query: SelectQueryBuilder<DB, 'audit_event', O>, f: AuditFilters) {
  let q = query;
  if (f.userId) q = q.where('audit_event.user_id', '=', f.userId);
  if (f.personId) q = q.where('audit_event.person_id', '=', f.personId);
  if (f.recordType) q = q.where('audit_event.record_type', '=', f.recordType);
  if (f.recordId) q = q.where('audit_event.record_id', '=', f.recordId);
  if (f.outcome) q = q.where('audit_event.outcome', '=', f.outcome);
  if (f.from) q = q.where('audit_event.at', '>=', f.from);
  if (f.to) q = q.where('audit_event.at', '<', f.to);
  return q;
}

function events(db: Kysely<DB>, f: AuditFilters) {
  return filtered(
    db
      .selectFrom('audit_event')
      .leftJoin('app_user', 'app_user.id', 'audit_event.user_id')
      .leftJoin('agency', 'agency.id', 'audit_event.agency_id')
      .leftJoin('api_client', 'api_client.id', 'audit_event.api_client_id')
      .select([
        'audit_event.seq',
        'audit_event.at',
        'audit_event.action',
        'audit_event.record_type',
        'audit_event.record_id',
        'audit_event.person_id',
        'audit_event.purpose',
        'audit_event.outcome',
        'audit_event.correlation_id',
        'app_user.display_name as user_name',
        'app_user.email as user_email',
        'api_client.name as client_name',
        'agency.name as agency_name',
      ]),
    f,
  ).orderBy('audit_event.seq', 'desc');
}

/** The audit page's filters for one user on one London day: the rows behind a review finding. */
function rowsBehind(userId: string, day: string): string {
  const [y, m, d] = day.split('-');
  const q = new URLSearchParams({ userId, 'from-day': d, 'from-month': m, 'from-year': y, 'to-day': d, 'to-month': m, 'to-year': y });
  return `/audit?${q}`;
}

export function registerAudit(app: FastifyInstance): void {
  /** The review page: the period's form, its findings when asked for, and the thresholds in force with their form for the officer. */
  const reviewPage = async (req: FastifyRequest, reply: FastifyReply, data: { values: Body; errors?: FormErrors; findings?: unknown; from?: string; to?: string; thresholdValues?: Body }) => {
    const thresholds = await reviewThresholds(app.db);
    const thresholdValues = data.thresholdValues ?? { peoplePerHour: String(thresholds.peoplePerHour), dayStartsHour: String(thresholds.dayStartsHour), dayEndsHour: String(thresholds.dayEndsHour), policy: thresholds.policy };
    return reply.page('audit/views/review.njk', { ...data, thresholds, thresholdValues, canChange: can(req.actor!.roles, 'audit.thresholds') });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/audit/review',
    access: 'audit.read',
    audit: 'audit.review',
    handler: async (req, reply) => {
      const query = req.query as Body;
      const errors = new FormErrors();
      const today = londonToday();
      const from = dateInput(query, 'from', errors, { label: 'Start date', minYear: 2000 }) ?? addDays(today, -6);
      const to = dateInput(query, 'to', errors, { label: 'End date', minYear: 2000 }) ?? today;
      if (to < from) errors.add('to', 'The end date must be the same as or after the start date');
      const values = { ...dateParts('from', from), ...dateParts('to', to) };
      if (errors.any) return reviewPage(req, reply.code(400), { errors, values: { ...values, ...query } });
      const findings = await transact(req, async (trx, audit) => {
        const found = await reviewAudit(trx, startOfDay(from), new Date(startOfDay(to).getTime() + 86_400_000));
        await audit({ recordType: 'audit_event', detail: { from, to, findings: Object.fromEntries(Object.entries(found).map(([k, v]) => [k, v.length])) } });
        return found;
      });
      const withLinks = Object.fromEntries(Object.entries(findings).map(([k, rows]) => [k, rows.map((r) => ({ ...r, href: rowsBehind(r.user_id, r.day) }))]));
      return reviewPage(req, reply, { values, findings: withLinks, from, to });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/audit/review/thresholds',
    access: 'audit.thresholds',
    audit: 'audit.thresholds',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const values = { ...dateParts('from', addDays(londonToday(), -6)), ...dateParts('to', londonToday()) };
      const input = readThresholds(body, errors);
      if (!input) return reviewPage(req, reply.code(400), { errors, values, thresholdValues: body });
      const { id } = await reviewThresholds(app.db);
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          await changeThresholds(trx, { userId: req.actor!.userId! }, id, versionRead(body), input);
          await audit({ recordType: 'audit_review_threshold', recordId: id, detail: { peoplePerHour: input.peoplePerHour, dayStartsHour: input.dayStartsHour, dayEndsHour: input.dayEndsHour } });
        },
        record: { type: 'audit_review_threshold', id, actions: ['audit.thresholds'] },
        what: 'policy',
        field: 'peoplePerHour',
        errors,
        again: (code) => reviewPage(req, reply.code(code), { errors, values, thresholdValues: body }),
        then: '/audit/review#thresholds',
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/audit',
    access: 'audit.read',
    audit: 'audit.search',
    handler: async (req, reply) => {
      const query = req.query as Body;
      const errors = new FormErrors();
      const { filters, echo } = readFilters(query, errors);
      const params = listParams(query, ['seq'] as const, 'seq', 'desc');
      const users = await app.db.selectFrom('app_user').select(['id', 'display_name', 'email']).orderBy('display_name').execute();
      if (errors.any) return reply.code(400).page('audit/views/audit.njk', { errors, values: echo, users, rows: [], pagination: pagination('/audit', echo, params, 0) });
      const { rows, total } = await transact(req, async (trx, audit) => {
        const rows = await events(trx as unknown as Kysely<DB>, filters).limit(params.limit).offset(params.offset).execute();
        const counted = await filtered(trx.selectFrom('audit_event').select((eb) => eb.fn.countAll<number>().as('n')), filters).executeTakeFirstOrThrow();
        await audit({ recordType: 'audit_event', detail: filterDetail(filters) });
        return { rows, total: Number(counted.n) };
      });
      return reply.page('audit/views/audit.njk', { purposes: PURPOSES, values: echo, users, rows, pagination: pagination('/audit', echo, params, total), exportHref: exportHref(req, '/audit/export.csv') });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/audit/export.csv',
    access: 'audit.read',
    audit: 'audit.export',
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const { filters } = readFilters(req.query as Body, errors);
      if (errors.any) return reply.redirect('/audit', 303);
      const rows = await transact(req, async (trx, audit) => {
        const rows = await events(trx as unknown as Kysely<DB>, filters).limit(100_000).execute();
        await audit({ recordType: 'audit_event', detail: { ...filterDetail(filters), rows: rows.length } });
        return rows;
      });
      const csv = toCsv(
        ['seq', 'at', 'user', 'user_email', 'api_client', 'agency', 'action', 'record_type', 'record_id', 'person_id', 'purpose', 'outcome', 'correlation_id'],
        rows.map((r) => [r.seq, new Date(r.at).toISOString(), r.user_name, r.user_email, r.client_name, r.agency_name, r.action, r.record_type, r.record_id, r.person_id, r.purpose, r.outcome, r.correlation_id]),
      );
      return sendCsv(reply, 'reachable-audit.csv', csv);
    },
  });
}

function filterDetail(f: AuditFilters): Record<string, unknown> {
  return { filters: { ...f, from: f.from?.toISOString(), to: f.to?.toISOString() } };
}
