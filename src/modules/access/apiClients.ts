// API clients: one credential per partner system, issued to an agency with
// one role, shown once and stored as its hash.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, isUuid, text, type Body } from '../../platform/forms.ts';
import { ROLES, ROLE_LABELS } from '../../platform/permissions.ts';
import { STALE, changedSince, claimVersion, orStale, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { createApiClient } from './accounts.ts';

export function registerApiClientAdmin(app: FastifyInstance): void {
  const agencies = () => app.db.selectFrom('agency').select(['id', 'name']).where('disabled_at', 'is', null).orderBy('name').execute();
  const formPage = async (reply: FastifyReply, data: Record<string, unknown>) =>
    reply.page('access/views/api-client-form.njk', { ...data, agencies: await agencies(), roles: ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] })) });

  declareRoute(app, {
    method: 'GET',
    url: '/admin/api-clients',
    access: 'admin.api_clients',
    audit: null,
    handler: async (_req, reply) => {
      const clients = await app.db
        .selectFrom('api_client')
        .innerJoin('agency', 'agency.id', 'api_client.agency_id')
        .select(['api_client.id', 'api_client.name', 'api_client.role', 'api_client.created_at', 'api_client.last_used_at', 'api_client.revoked_at', 'api_client.version', 'agency.name as agency'])
        .orderBy('agency.name')
        .orderBy('api_client.name')
        .execute();
      return reply.page('access/views/api-clients.njk', { clients });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/admin/api-clients/new',
    access: 'admin.api_clients',
    audit: null,
    handler: async (_req, reply) => formPage(reply, { values: {} }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/api-clients',
    access: 'admin.api_clients',
    audit: 'api-client.create',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const name = text(body, 'name', errors, { label: 'Name', required: true, max: 120, missing: 'Enter a name for the partner system' });
      const agencyId = choice(body, 'agencyId', errors, (await agencies()).map((a) => a.id), 'Select the agency the system belongs to');
      const role = choice(body, 'role', errors, ROLES, 'Select the role the system acts with');
      if (errors.any || !name || !agencyId || !role) return formPage(reply.code(400), { errors, values: body });
      const created = await transact(req, async (trx, audit) => {
        const client = await createApiClient(trx, { agencyId, name, role, createdBy: req.actor!.userId });
        await audit({ recordType: 'api_client', recordId: client.id });
        return client;
      });
      return reply.page('access/views/api-client-created.njk', { name, secret: created.secret });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/api-clients/:id/revoke',
    access: 'admin.api_clients',
    audit: 'api-client.revoke',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!isUuid(id)) return notFound(req, reply);
      const revoked = await orStale(
        transact(req, async (trx, audit) => {
        await claimVersion(trx, 'api_client', id, versionRead(req.body as Body));
        const result = await trx.updateTable('api_client').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
        if (result.numUpdatedRows > 0n) await audit({ recordType: 'api_client', recordId: id });
        return result.numUpdatedRows > 0n;
        }),
      );
      if (revoked === STALE) return reply.code(409).page('errors/stale.njk', { problem: await changedSince(app.db, { type: 'api_client', id, actions: ['api-client.revoke'] }), back: '/admin/api-clients' });
      if (!revoked) return notFound(req, reply);
      return reply.redirect('/admin/api-clients', 303);
    },
  });
}
