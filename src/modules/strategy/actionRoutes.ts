// One action of a plan: its principles, milestones and the updates that
// carry its status and RAG rating over time, with who and when.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateInput, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';
import { STALE, changedSince, claimVersion, orStale, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { readProgress } from './rules.ts';
import { loadAction, recordProgress } from './queries.ts';
import { labels } from './routes.ts';

export function registerStrategyActions(app: FastifyInstance): void {
  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? loadAction(app.db, id) : undefined;
  };
  const page = (req: FastifyRequest, reply: FastifyReply, loaded: NonNullable<Awaited<ReturnType<typeof loadAction>>>, extra: Record<string, unknown> = {}) =>
    reply.page('strategy/views/action.njk', {
      ...loaded,
      ...labels,
      today: londonToday(),
      canManage: can(req.actor!.roles, 'strategy.manage'),
      values: { status: loaded.action.status, rag: loaded.action.rag ?? '', ragReason: loaded.action.rag_reason ?? '', version: String(loaded.action.version) },
      ...extra,
    });

  declareRoute(app, {
    method: 'GET',
    url: '/strategy/actions/:id',
    access: 'strategy.read',
    audit: null,
    handler: async (req, reply) => {
      const loaded = await load(req);
      return loaded ? page(req, reply, loaded) : notFound(req, reply);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/strategy/actions/:id/progress',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const loaded = await load(req);
      if (!loaded) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readProgress(body, errors);
      if (!input) return page(req, reply.code(400), loaded, { errors, values: body });
      const saved = await transact(req, async (trx, audit) => {
        const saved = await recordProgress(trx, loaded.action.id, Number(str(body, 'version')), input, req.actor!.userId);
        if (saved) await audit({ recordType: 'strategy_action', recordId: loaded.action.id, detail: { status: input.status, rag: input.rag } });
        return saved;
      });
      if (!saved) {
        errors.add('status', 'Someone else updated this action while you were writing: read their update below, then record yours again');
        const fresh = (await load(req))!;
        return page(req, reply.code(409), fresh, { errors, values: { ...body, version: String(fresh.action.version) } });
      }
      return reply.redirect(`/strategy/actions/${loaded.action.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/strategy/actions/:id/milestones',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const loaded = await load(req);
      if (!loaded) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const statement = text(body, 'milestone', errors, { label: 'The milestone', required: true, max: 1000, missing: 'Enter the milestone' });
      const dueOn = dateInput(body, 'milestoneDue', errors, { label: 'Milestone date', required: true });
      if (errors.any || !statement || !dueOn) return page(req, reply.code(400), loaded, { errors, milestoneValues: body });
      await transact(req, async (trx, audit) => {
        const { id } = await trx.insertInto('action_milestone').values({ action_id: loaded.action.id, statement, due_on: dueOn }).returning('id').executeTakeFirstOrThrow();
        await audit({ recordType: 'action_milestone', recordId: id });
      });
      return reply.redirect(`/strategy/actions/${loaded.action.id}#milestones`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/strategy/actions/:id/milestones/:milestoneId/done',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const loaded = await load(req);
      const milestoneId = (req.params as { milestoneId: string }).milestoneId;
      const milestone = loaded?.milestones.find((m) => m.id === milestoneId);
      if (!loaded || !milestone) return notFound(req, reply);
      const done = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'strategy_action', loaded.action.id, versionRead(req.body as Body));
          await trx.updateTable('action_milestone').set({ done_on: londonToday() }).where('id', '=', milestone.id).where('done_on', 'is', null).execute();
          await audit({ recordType: 'action_milestone', recordId: milestone.id, detail: { done: true } });
        }),
      );
      if (done === STALE) {
        return reply.code(409).page('errors/stale.njk', { problem: await changedSince(app.db, { type: 'strategy_action', id: loaded.action.id, actions: ['strategy.change'] }), back: `/strategy/actions/${loaded.action.id}#milestones` });
      }
      return reply.redirect(`/strategy/actions/${loaded.action.id}#milestones`, 303);
    },
  });
}
