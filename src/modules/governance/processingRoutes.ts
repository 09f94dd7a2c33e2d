// What we hold: the record of processing as a page and as CSV (processing.ts makes it).
import type { FastifyInstance } from 'fastify';
import { declareRoute } from '../../platform/routes.ts';
import { sendCsv, toCsv } from '../../platform/csv.ts';
import { whatWeHold } from './processing.ts';

export function registerProcessing(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/what-we-hold',
    access: 'processing.read',
    audit: null,
    handler: async (_req, reply) => reply.page('governance/views/what-we-hold.njk', { rows: await whatWeHold(app.db) }),
  });

  declareRoute(app, {
    method: 'GET',
    url: '/what-we-hold.csv',
    access: 'processing.read',
    audit: null,
    handler: async (_req, reply) => {
      const rows = await whatWeHold(app.db);
      return sendCsv(reply, 'reachable-what-we-hold.csv', toCsv(['category', 'what_it_holds', 'purpose', 'lawful_basis', 'shared_with', 'kept_for'], rows.map((r) => [r.category, r.holds, r.purpose, r.basis, r.sharedWith, r.keptFor])));
    },
  });
}
