// The one "not found" answer, for missing records and for other agencies'
// unshared ones alike: same status, same body, so neither can be told apart;
// and the API's one answer to bad input.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { FormErrors } from './forms.ts';

export function notFound(req: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.code(404);
  if (req.routeOptions.config?.api || req.url.startsWith('/api/')) {
    return reply.send({ error: 'not_found', message: 'No such record.' });
  }
  return reply.page('errors/404.njk', {});
}

/** 400 for an API call: nothing was done, and `errors` names each field. */
export function invalid(reply: FastifyReply, message: string, errors: FormErrors | Record<string, string>): FastifyReply {
  return reply.code(400).send({ error: 'validation', message, errors: errors instanceof FormErrors ? errors.toJSON() : errors });
}
