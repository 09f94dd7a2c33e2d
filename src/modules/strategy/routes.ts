// Strategies and action plans: the list with their RAG counts, a new
// strategy with its domains, a strategy's page (domains, commitments,
// numbered actions, success measures and their indicators) and adding to it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choices, isUuid, optionalChoice, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { ACTION_STATUSES, DEFAULT_DOMAINS, RAGS, RAG_TAGS, STRATEGY_KINDS, principleLabel, readAction, readStrategy } from './rules.ts';
import { addAction, createStrategy, loadStrategy, numberTaken, principles, strategies } from './queries.ts';

type Tree = NonNullable<Awaited<ReturnType<typeof loadStrategy>>>;

interface Added {
  recordType: string;
  id: string;
  detail?: Record<string, unknown>;
  redirect: string;
}

export const labels = { statuses: ACTION_STATUSES, rags: RAGS, ragTags: RAG_TAGS, kinds: STRATEGY_KINDS, principleLabel };

export function registerStrategies(app: FastifyInstance): void {
  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? loadStrategy(app.db, id) : undefined;
  };
  const page = async (req: FastifyRequest, reply: FastifyReply, tree: Tree, extra: Record<string, unknown> = {}) =>
    reply.page('strategy/views/strategy.njk', {
      ...tree,
      ...labels,
      principles: await principles(app.db),
      indicators: await app.db.selectFrom('indicator').select(['id', 'name']).orderBy('sort').execute(),
      canManage: can(req.actor!.roles, 'strategy.manage'),
      values: {},
      ...extra,
    });

  declareRoute(app, {
    method: 'GET',
    url: '/strategy',
    access: 'strategy.read',
    audit: null,
    handler: async (req, reply) => reply.page('strategy/views/list.njk', { strategies: await strategies(app.db), ...labels, canManage: can(req.actor!.roles, 'strategy.manage') }),
  });

  declareRoute(app, {
    method: 'GET',
    url: '/strategy/new',
    access: 'strategy.manage',
    audit: null,
    handler: async (_req, reply) => reply.page('strategy/views/new.njk', { values: { kind: 'strategy', domains: DEFAULT_DOMAINS.join('\n') }, kinds: STRATEGY_KINDS }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/strategy',
    access: 'strategy.manage',
    audit: 'strategy.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readStrategy(body, errors);
      if (input && (await app.db.selectFrom('strategy').select('id').where('name', '=', input.name).executeTakeFirst())) errors.add('name', 'A strategy or plan with this name already exists');
      if (!input || errors.any) return reply.code(400).page('strategy/views/new.njk', { values: body, errors, kinds: STRATEGY_KINDS });
      const id = await transact(req, async (trx, audit) => {
        const id = await createStrategy(trx, input, req.actor!.userId);
        await audit({ recordType: 'strategy', recordId: id, detail: { created: true } });
        return id;
      });
      return reply.redirect(`/strategy/${id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/strategy/:id',
    access: 'strategy.read',
    audit: null,
    handler: async (req, reply) => {
      const tree = await load(req);
      const imported = str(req.query as Body, 'imported');
      return tree ? page(req, reply, tree, { imported: /^\d+$/.test(imported) ? imported : null }) : notFound(req, reply);
    },
  });

  /**
   * A form on a strategy's page that adds to it: read and checked, or the
   * page again with its errors and nothing saved; then saved and audited in
   * one transaction.
   */
  function addTo<T>(url: string, read: (body: Body, errors: FormErrors, tree: Tree) => Promise<T | null> | T | null, save: (trx: Transaction<DB>, tree: Tree, value: T, userId: string | null) => Promise<Added>) {
    declareRoute(app, {
      method: 'POST',
      url,
      access: 'strategy.manage',
      audit: 'strategy.change',
      handler: async (req, reply) => {
        const tree = await load(req);
        if (!tree) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        const value = await read(body, errors, tree);
        if (value === null || errors.any) return page(req, reply.code(400), tree, { errors, values: body });
        const added = await transact(req, async (trx, audit) => {
          const added = await save(trx, tree, value, req.actor!.userId);
          await audit({ recordType: added.recordType, recordId: added.id, detail: added.detail });
          return added;
        });
        return reply.redirect(added.redirect, 303);
      },
    });
  }

  addTo(
    '/strategy/:id/commitments',
    (body, errors, tree) => {
      const domainId = optionalChoice(body, 'domainId', errors, tree.domains.map((d) => d.id), 'Select a domain from the list');
      if (tree.domains.length && !domainId) errors.add('domainId', 'Select the domain this commitment belongs to');
      const statement = text(body, 'commitment', errors, { label: 'The commitment', required: true, max: 2000, missing: 'Enter the commitment: what “we will achieve this by”' });
      return statement ? { domainId, statement } : null;
    },
    async (trx, tree, c) => {
      const { id } = await trx.insertInto('commitment').values({ strategy_id: tree.strategy.id, domain_id: c.domainId, statement: c.statement, sort: tree.commitments.length }).returning('id').executeTakeFirstOrThrow();
      return { recordType: 'commitment', id, redirect: `/strategy/${tree.strategy.id}` };
    },
  );

  addTo(
    '/strategy/:id/actions',
    async (body, errors, tree) => {
      const input = readAction(body, errors, { commitments: tree.commitments.map((c) => c.id), principles: (await principles(app.db)).map((p) => p.id) });
      if (input && (await numberTaken(app.db, tree.strategy.id, input.number))) errors.add('number', `Action ${input.number} is already in this plan: give the new action its own number`);
      return input;
    },
    async (trx, tree, input, userId) => {
      const id = await addAction(trx, tree.strategy.id, input, userId);
      return { recordType: 'strategy_action', id, detail: { number: input.number }, redirect: `/strategy/actions/${id}` };
    },
  );

  addTo(
    '/strategy/:id/measures',
    async (body, errors, tree) => {
      const domainId = optionalChoice(body, 'measureDomainId', errors, tree.domains.map((d) => d.id), 'Select a domain from the list');
      const statement = text(body, 'measure', errors, { label: 'The success measure', required: true, max: 2000, missing: 'Enter how residents will know we have been successful' });
      const indicatorIds = choices(body, 'indicators', errors, (await app.db.selectFrom('indicator').select('id').execute()).map((i) => i.id), 'Select indicators from the list');
      if (!indicatorIds.length) errors.add('indicators', 'Select at least one indicator that shows whether this is happening');
      return statement ? { domainId, statement, indicatorIds } : null;
    },
    async (trx, tree, m) => {
      const { id } = await trx.insertInto('success_measure').values({ strategy_id: tree.strategy.id, domain_id: m.domainId, statement: m.statement }).returning('id').executeTakeFirstOrThrow();
      await trx.insertInto('success_measure_indicator').values(m.indicatorIds.map((indicator_id) => ({ success_measure_id: id, indicator_id }))).execute();
      return { recordType: 'success_measure', id, redirect: `/strategy/${tree.strategy.id}#measures` };
    },
  );
}
