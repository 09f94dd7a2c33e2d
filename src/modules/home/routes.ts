// The start page (what needs the user now, then everything their role reaches), the health check and the service's fixed pages.
import type { FastifyInstance } from 'fastify';
import { RETRY_AFTER_SECONDS, databaseReachable } from '../../db/availability.ts';
import { EMBEDDED_DURABILITY } from '../../db/database.ts';
import { declareRoute } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { caseloadCounts } from '../caseloads/queries.ts';
import { groupsFor } from '../../platform/navigation.ts';
import { needsFor } from './today.ts';

export function registerHome(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/',
    access: 'signed-in',
    audit: null,
    handler: async (req, reply) => {
      const actor = req.actor!;
      const today = londonToday();
      const needs = await needsFor(app.db, actor, today);
      return reply.page('home/views/home.njk', {
        needs: { now: needs.filter((n) => n.urgency === 'now'), today: needs.filter((n) => n.urgency === 'today'), soon: needs.filter((n) => n.urgency === 'soon') },
        waiting: needs.length,
        // Counts only: the names are on the caseload page, which is audited.
        caseload: can(actor.roles, 'episode.work') ? await caseloadCounts(app.db, actor, today) : null,
        canManageTeam: can(actor.roles, 'caseload.manage'),
        canRecord: can(actor.roles, 'incident.record'),
        groups: groupsFor(actor.roles).filter((g) => g.text !== 'Today'),
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
      if (!(await databaseReachable(app.db))) return reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS)).send({ status: 'unavailable', database: app.databaseKind, message: 'The database cannot be reached' });
      return reply.send({ status: 'ok', database: app.databaseKind, ...(app.databaseKind === 'pglite' ? { durability: EMBEDDED_DURABILITY } : {}) });
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
