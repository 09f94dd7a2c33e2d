// A caseworker's caseload, and their manager's view of the team's.
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { londonToday } from '../../platform/time.ts';
import { REFERRAL_STATUSES } from '../referrals/rules.ts';
import { STRANDS } from '../cohorts/rules.ts';
import { caseloadOf, teamCaseloads } from './queries.ts';

export function registerCaseloads(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/caseload',
    access: 'episode.work',
    audit: 'caseload.view',
    handler: async (req, reply) => {
      const today = londonToday();
      const caseload = await transact(req, async (trx, audit) => {
        const caseload = await caseloadOf(trx, req.actor!, today);
        await audit({ recordType: 'episode', detail: { episodes: caseload.episodes.length, referrals: caseload.referrals.length } });
        return caseload;
      });
      return reply.page('caseloads/views/caseload.njk', { ...caseload, today, statuses: REFERRAL_STATUSES, strands: STRANDS });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/caseload/team',
    access: 'caseload.manage',
    audit: 'caseload.team',
    handler: async (req, reply) => {
      const today = londonToday();
      const team = await transact(req, async (trx, audit) => {
        const team = await teamCaseloads(trx, req.actor!.agencyId, today);
        await audit({ recordType: 'episode', detail: { workers: team.length, episodes: team.reduce((n, w) => n + w.episodes.length, 0) } });
        return team;
      });
      return reply.page('caseloads/views/team.njk', { team, today });
    },
  });
}
