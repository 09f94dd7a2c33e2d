// The outcomes page: before and after, per service and per cohort strand,
// counts and medians only; no young person is named or can be picked out.
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { STRANDS } from '../cohorts/rules.ts';
import { SUPPRESS_BELOW } from '../figures/suppression.ts';
import { byGroup, compare, measurePairs } from './outcomes.ts';

export function registerOutcomes(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/outcomes',
    access: 'outcomes.read',
    audit: 'outcomes.view',
    handler: async (req, reply) => {
      const { services, strands } = await transact(req, async (trx, audit) => {
        const [services, strands] = await Promise.all([measurePairs(trx, 'service'), measurePairs(trx, 'strand')]);
        await audit({ recordType: 'outcome_measure', detail: { episodes: services.length } });
        return { services, strands };
      });
      const groups = (pairs: typeof services, label: (g: string) => string) => [...byGroup(pairs)].sort(([a], [b]) => a.localeCompare(b)).map(([g, p]) => ({ name: label(g), ...compare(p) }));
      return reply.page('outcomes/views/outcomes.njk', {
        byService: groups(services, (g) => g),
        byStrand: groups(strands, (g) => (g === 'none' ? 'Not in a strand' : STRANDS[g as keyof typeof STRANDS] ?? g)),
        below: SUPPRESS_BELOW,
      });
    },
  });
}
