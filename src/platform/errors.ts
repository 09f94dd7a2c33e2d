// The one "not found" answer, for missing records and for other agencies'
// unshared ones alike: same status, same body, so neither can be told apart.
import type { FastifyReply, FastifyRequest } from 'fastify';

export function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.code(404);
  if (req.routeOptions.config?.api || req.url.startsWith('/api/')) {
    return reply.send({ error: 'not_found', message: 'No such record.' });
  }
  return reply.page('errors/404.njk', {});
}
