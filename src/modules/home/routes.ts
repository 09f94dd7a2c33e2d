// The start page, health check and the service's fixed pages.
import type { FastifyInstance } from 'fastify';
import { declareRoute } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { caseloadCounts } from '../caseloads/queries.ts';

export function registerHome(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/',
    access: 'signed-in',
    audit: null,
    handler: async (req, reply) => {
      const roles = req.actor!.roles;
      return reply.page('home/views/home.njk', {
        // Counts only: the names are on the caseload page, which is audited.
        caseload: can(roles, 'episode.work') ? await caseloadCounts(app.db, req.actor!, londonToday()) : null,
        canManageTeam: can(roles, 'caseload.manage'),
        canRecord: can(roles, 'incident.record'),
        canReadIncidents: can(roles, 'incident.read'),
        canAudit: can(roles, 'audit.read'),
        canAdmin: can(roles, 'admin.users'),
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/health',
    access: 'public',
    audit: null,
    sessionless: true,
    handler: async (_req, reply) => {
      await app.db.selectFrom('setting').select('key').limit(1).execute();
      return reply.send({ status: 'ok', database: app.databaseKind });
    },
  });

  for (const page of ['accessibility', 'privacy']) {
    declareRoute(app, {
      method: 'GET',
      url: `/${page}`,
      access: 'public',
      audit: null,
      handler: async (_req, reply) => reply.page(`home/views/${page}.njk`, {}),
    });
  }
}
