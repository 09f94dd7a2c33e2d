// Principles and alignment (seed 004): which principles each plan's actions
// serve, with the actions behind every cell, and the gaps: principles that
// no action serves. Also the partnership's principles and the plan import.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, optionalChoice, str, text, uploadedFile, type Body } from '../../platform/forms.ts';
import { toCsv, sendCsv } from '../../platform/csv.ts';
import { can } from '../../platform/permissions.ts';
import { PRINCIPLE_KINDS, PRINCIPLE_KIND_CODES, principleLabel } from './rules.ts';
import { PLAN_COLUMNS, readPlan } from './planImport.ts';
import { importPlan, principles } from './queries.ts';

export interface AlignmentCell {
  count: number;
  actions: { id: string; number: string }[];
}

/** Plans × principles: each cell the actions of that plan serving that principle. */
export async function alignment(db: Kysely<DB>) {
  const [plans, ps, links, unaligned] = await Promise.all([
    db.selectFrom('strategy').select(['id', 'name']).orderBy('kind', 'desc').orderBy('name').execute(),
    principles(db),
    db.selectFrom('action_principle as l').innerJoin('strategy_action as a', 'a.id', 'l.action_id').select(['a.strategy_id', 'a.id', 'a.number', 'l.principle_id']).where('a.status', '!=', 'discontinued').orderBy('a.number').execute(),
    db
      .selectFrom('strategy_action as a')
      .select(['a.strategy_id', 'a.id', 'a.number'])
      .where('a.status', '!=', 'discontinued')
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('action_principle as l').select('l.action_id').whereRef('l.action_id', '=', 'a.id'))))
      .orderBy('a.number')
      .execute(),
  ]);
  const cell = (planId: string, principleId: string): AlignmentCell => {
    const actions = links.filter((l) => l.strategy_id === planId && l.principle_id === principleId).map((l) => ({ id: l.id, number: l.number }));
    return { count: actions.length, actions };
  };
  const rows = plans.map((p) => ({ ...p, cells: ps.map((pr) => cell(p.id, pr.id)), unaligned: unaligned.filter((u) => u.strategy_id === p.id) }));
  const columns = ps.map((p, i) => ({ ...p, label: principleLabel(p), total: rows.reduce((n, r) => n + r.cells[i].count, 0) }));
  return { rows, columns, gaps: columns.filter((c) => c.total === 0) };
}

export function registerAlignment(app: FastifyInstance): void {
  const principlesPage = async (req: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('strategy/views/principles.njk', { principles: (await principles(app.db)).map((p) => ({ ...p, label: principleLabel(p) })), kinds: PRINCIPLE_KINDS, canManage: can(req.actor!.roles, 'strategy.manage'), values: {}, ...extra });
  const importPage = async (reply: FastifyReply, extra: Record<string, unknown> = {}) =>
    reply.page('strategy/views/import.njk', { plans: await app.db.selectFrom('strategy').select(['id', 'name']).orderBy('name').execute(), columns: PLAN_COLUMNS, values: {}, ...extra });

  declareRoute(app, { method: 'GET', url: '/strategy/principles', access: 'strategy.read', audit: null, handler: (req, reply) => principlesPage(req, reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/strategy/principles',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const kind = choice(body, 'kind', errors, PRINCIPLE_KIND_CODES, 'Select the kind of principle');
      const raw = str(body, 'number');
      const number = /^\d{1,3}$/.test(raw) && Number(raw) > 0 ? Number(raw) : null;
      if (!number) errors.add('number', 'The number must be a whole number from 1, like 4');
      const statement = text(body, 'statement', errors, { label: 'The principle', required: true, max: 2000, missing: 'Enter what the principle says' });
      if (kind && number && (await app.db.selectFrom('principle').select('id').where('kind', '=', kind).where('number', '=', number).executeTakeFirst())) errors.add('number', `${principleLabel({ kind, number })} already exists`);
      if (errors.any || !kind || !number || !statement) return principlesPage(req, reply.code(400), { errors, values: body });
      await transact(req, async (trx, audit) => {
        const { id } = await trx.insertInto('principle').values({ kind, number, statement }).returning('id').executeTakeFirstOrThrow();
        await audit({ recordType: 'principle', recordId: id });
      });
      return reply.redirect('/strategy/principles', 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/strategy/alignment',
    access: 'strategy.read',
    audit: null,
    handler: async (_req, reply) => reply.page('strategy/views/alignment.njk', await alignment(app.db)),
  });

  declareRoute(app, {
    method: 'GET',
    url: '/strategy/alignment.csv',
    access: 'strategy.read',
    audit: null,
    handler: async (_req, reply) => {
      const a = await alignment(app.db);
      const rows = [
        ...a.rows.map((r) => [r.name, ...r.cells.map((c) => c.count), r.unaligned.length]),
        ['All plans', ...a.columns.map((c) => c.total), a.rows.reduce((n, r) => n + r.unaligned.length, 0)],
      ];
      return sendCsv(reply, 'principle-alignment.csv', toCsv(['plan', ...a.columns.map((c) => c.label), 'actions serving no principle'], rows));
    },
  });

  declareRoute(app, { method: 'GET', url: '/strategy/import', access: 'strategy.manage', audit: null, handler: (_req, reply) => importPage(reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/strategy/import',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const plans = await app.db.selectFrom('strategy').select(['id', 'name']).execute();
      const known = await principles(app.db);
      const planId = optionalChoice(body, 'planId', errors, plans.map((p) => p.id), 'Select a plan from the list');
      const name = text(body, 'name', errors, { label: 'The new plan’s name', max: 200 });
      if (!planId && !name) errors.add('name', 'Enter the new plan’s name, or choose a plan already in Reachable');
      if (planId && name) errors.add('name', 'Either choose a plan already in Reachable or name a new one, not both');
      if (name && plans.some((p) => p.name === name)) errors.add('name', 'A strategy or plan with this name already exists: choose it from the list instead');
      const upload = uploadedFile(body, 'file', errors, 'the action plan file', 'import', (text) => readPlan(text, known));
      const commitments = upload.value ?? [];
      let problems = upload.problems;
      if (planId && !errors.any) {
        const existing = new Set((await app.db.selectFrom('strategy_action').select('number').where('strategy_id', '=', planId).execute()).map((a) => a.number));
        const clashes = commitments.flatMap((c) => c.actions).filter((a) => existing.has(a.number));
        problems = clashes.map((a) => `line ${a.line}: action ${a.number} is already in the plan`);
        if (clashes.length) errors.add('file', 'Some actions are already in the plan: nothing was imported');
      }
      if (errors.any) return importPage(reply.code(400), { errors, problems, values: { planId: planId ?? '', name: name ?? '' } });
      const { id, count } = await transact(req, async (trx, audit) => {
        const id = planId ?? (await trx.insertInto('strategy').values({ name: name!, kind: 'action_plan', created_by: req.actor!.userId }).returning('id').executeTakeFirstOrThrow()).id;
        const count = await importPlan(trx, id, commitments, req.actor!.userId);
        await audit({ recordType: 'strategy', recordId: id, detail: { imported: count } });
        return { id, count };
      });
      return reply.redirect(`/strategy/${id}?imported=${count}`, 303);
    },
  });
}
