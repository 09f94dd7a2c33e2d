// Rectification, erasure, restriction and objection requests: the list with
// each clock, recording one, and deciding it. rights.ts decides.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { londonToday } from '../../platform/time.ts';
import { versionRead } from '../../platform/versions.ts';
import { saveChange } from '../../platform/changes.ts';
import { RIGHTS, RIGHTS_DECISIONS, decideRightsRequest, readRightsDecision, readRightsRequest, recordRightsRequest } from './rights.ts';

export function registerRights(app: FastifyInstance): void {
  const find = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? app.db.selectFrom('rights_request').leftJoin('app_user', 'app_user.id', 'rights_request.decided_by').selectAll('rights_request').select('app_user.display_name as decided_by_name').where('rights_request.id', '=', id).executeTakeFirst() : Promise.resolve(undefined);
  };
  const newPage = (reply: FastifyReply, values: Body, errors?: FormErrors) => reply.page('governance/views/rights-new.njk', { values, errors, rights: RIGHTS });
  const showPage = async (req: FastifyRequest, reply: FastifyReply, r: NonNullable<Awaited<ReturnType<typeof find>>>, extra: { errors?: FormErrors; values?: Body } = {}) => {
    await transact(req, (_trx, audit) => audit({ action: 'rights.view', recordType: 'rights_request', recordId: r.id }));
    return reply.page('governance/views/rights.njk', { r, rights: RIGHTS, decisions: RIGHTS_DECISIONS, today: londonToday(), values: extra.values ?? {}, errors: extra.errors });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/rights-requests',
    access: 'sar.manage',
    audit: null,
    handler: async (_req, reply) => {
      const rows = await app.db.selectFrom('rights_request').select(['id', 'reference', 'kind', 'received_on', 'due_on', 'decision', 'decided_on']).orderBy('decided_on', (ob) => ob.nullsFirst()).orderBy('due_on').limit(500).execute();
      return reply.page('governance/views/rights-list.njk', { rows, rights: RIGHTS, decisions: RIGHTS_DECISIONS, today: londonToday() });
    },
  });

  declareRoute(app, { method: 'GET', url: '/rights-requests/new', access: 'sar.manage', audit: null, handler: (_req, reply) => newPage(reply, {}) });

  declareRoute(app, {
    method: 'POST',
    url: '/rights-requests',
    access: 'sar.manage',
    audit: 'rights.record',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readRightsRequest(body, errors);
      if (!input) return newPage(reply.code(400), body, errors);
      const id = await transact(req, async (trx, audit) => {
        const id = await recordRightsRequest(trx, { userId: req.actor!.userId! }, input);
        await audit({ recordType: 'rights_request', recordId: id, detail: { kind: input.kind } });
        return id;
      });
      return reply.redirect(`/rights-requests/${id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/rights-requests/:id',
    access: 'sar.manage',
    audit: 'rights.view',
    handler: async (req, reply) => {
      const r = await find(req);
      return r ? showPage(req, reply, r) : notFound(req, reply);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/rights-requests/:id/decision',
    access: 'sar.manage',
    audit: 'rights.decide',
    handler: async (req, reply) => {
      const r = await find(req);
      if (!r) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const d = readRightsDecision(body, errors);
      if (!d) return showPage(req, reply.code(400), r, { errors, values: body });
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          const out = await decideRightsRequest(trx, { userId: req.actor!.userId! }, r.id, versionRead(body), d);
          if (out === 'decided') await audit({ recordType: 'rights_request', recordId: r.id, detail: { decision: d.decision } });
          return out;
        },
        record: { type: 'rights_request', id: r.id, actions: ['rights.decide'] },
        what: 'request',
        field: 'decision',
        errors,
        again: async (code, stale) => showPage(req, reply.code(code), stale ? (await find(req))! : r, { errors, values: body }),
        then: `/rights-requests/${r.id}`,
      });
    },
  });
}
