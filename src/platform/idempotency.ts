// Idempotency keys on every POST of the API (the IETF HTTPAPI
// Idempotency-Key draft). A partner system that retries sends the same key;
// the module it calls answers the retry with the first record (each keeps its
// own submission key). What this adds, for every API POST at once: the key is
// bound to the request it first succeeded with, and the same key with a
// different request is refused with 422, never answered with a record the
// caller did not ask for. Keys are kept for IDEMPOTENCY_KEEP_HOURS at least.
import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { canonicalJson } from './audit.ts';

/** The draft leaves the window to the server; a partner's retries come within a day. */
export const IDEMPOTENCY_KEEP_HOURS = 24;
const KEY = /^[\x21-\x7e]{1,200}$/;

function keyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  return typeof raw === 'string' && raw ? raw : null;
}

const fingerprint = (req: FastifyRequest) => createHash('sha256').update(canonicalJson(req.body ?? null)).digest('hex');

export function registerIdempotency(app: FastifyInstance): void {
  const applies = (req: FastifyRequest) => req.method === 'POST' && req.routeOptions.config?.api === true && Boolean(req.actor?.apiClientId);

  app.addHook('preHandler', async (req: FastifyRequest, reply: FastifyReply) => {
    const key = keyOf(req);
    if (!key || !applies(req)) return;
    if (!KEY.test(key)) return reply.code(400).send({ error: 'bad_request', message: 'Idempotency-Key must be 1 to 200 visible ASCII characters.' });
    const since = new Date(Date.now() - IDEMPOTENCY_KEEP_HOURS * 3_600_000);
    const seen = await app.db
      .selectFrom('idempotency_key')
      .select(['fingerprint', 'created_at'])
      .where('api_client_id', '=', req.actor!.apiClientId!)
      .where('route', '=', req.routeOptions.url!)
      .where('key', '=', key)
      .executeTakeFirst();
    if (seen && seen.fingerprint !== fingerprint(req) && new Date(seen.created_at) > since) {
      return reply.code(422).send({
        error: 'idempotency_key_reused',
        message: 'This Idempotency-Key was first used with a different request. Send a new key for a new request; a retry must repeat the first request exactly.',
      });
    }
  });

  app.addHook('onSend', async (req, reply, payload) => {
    const key = keyOf(req);
    if (!key || !applies(req) || reply.statusCode >= 300 || !KEY.test(key)) return payload;
    const print = fingerprint(req);
    await app.db
      .insertInto('idempotency_key')
      .values({ api_client_id: req.actor!.apiClientId!, route: req.routeOptions.url!, key, fingerprint: print })
      // A key older than the window is free again: it now names this request.
      .onConflict((oc) => oc.columns(['api_client_id', 'route', 'key']).doUpdateSet({ fingerprint: print, created_at: new Date() }).where('idempotency_key.created_at', '<', new Date(Date.now() - IDEMPOTENCY_KEEP_HOURS * 3_600_000)))
      .execute();
    return payload;
  });
}
