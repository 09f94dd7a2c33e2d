// Assembles Reachable: security plugins, the request context (who is
// asking), the access hook, the page frame and every domain module.
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyError, type FastifyInstance, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import multipart from '@fastify/multipart';
import helmet from '@fastify/helmet';
import csrf from '@fastify/csrf-protection';
import rateLimit from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Config } from './config.ts';
import type { DB } from './db/schema.ts';
import type { DatabaseKind } from './db/database.ts';
import { authorize, requireDeclarations } from './platform/routes.ts';
import { confirmChanges } from './platform/confirmations.ts';
import { wentThroughWriter } from './platform/csv.ts';
import { registerIdempotency } from './platform/idempotency.ts';
import { cookieName, loadSession, sha256 } from './platform/sessions.ts';
import { createViewEnvironment, registerViews } from './platform/views.ts';
import { registerAssets } from './platform/assets.ts';
import { RETRY_AFTER_SECONDS, isDatabaseUnavailable } from './db/availability.ts';
import { getSetting, isDemoDatabase } from './platform/settings.ts';
import { registerModules } from './modules/index.ts';
import { notFound } from './platform/errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
    config: Config;
    databaseKind: DatabaseKind;
    demoDatabase: boolean;
  }
}

/** The largest file a page accepts: a month of a large force's police.uk street crimes is about 20 MB. */
export const UPLOAD_LIMIT = 64 * 1024 * 1024;

export interface AppOptions {
  config: Config;
  db: Kysely<DB>;
  databaseKind: DatabaseKind;
  logger?: boolean;
}

// URL paths that carry a one-time secret: logged without it.
const SECRET_PATHS = /^(\/set-up\/)[^/?]+/;

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const { config } = options;
  const app = Fastify({
    trustProxy: config.trustProxy,
    genReqId: () => randomUUID(),
    logger:
      options.logger === false
        ? false
        : {
            level: config.logLevel,
            // Method, path and status only: no headers (cookies, credentials), no bodies, no query strings (an API search carries a name), no secrets in paths.
            serializers: {
              req: (req) => ({ method: req.method, url: req.url.split('?')[0].replace(SECRET_PATHS, '$1[redacted]') }),
              res: (res) => ({ statusCode: res.statusCode }),
            },
          },
    bodyLimit: 256 * 1024,
  });
  app.decorate('db', options.db);
  app.decorate('config', config);
  app.decorate('databaseKind', options.databaseKind);
  app.decorate('demoDatabase', await isDemoDatabase(options.db));
  app.decorateRequest('actor', null);
  app.decorateRequest('sessionUser', null);
  app.decorateRequest('sessionExpired', false);

  requireDeclarations(app);

  await app.register(cookie, { secret: await cookieSecret(options.db) });
  await app.register(formbody);
  // Files people import (action plans, population tables) arrive as form fields holding a Buffer; the CSRF token is a field like any other.
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: UPLOAD_LIMIT, files: 1, fields: 50 } });
  await app.register(helmet, {
    enableCSPNonces: true,
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', ...(config.mapTiles ? [config.mapTiles.origin] : [])],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        ...(config.https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    strictTransportSecurity: config.https ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    // frame-ancestors 'none' says it; X-Frame-Options is the older, weaker twin that can contradict it.
    frameguard: false,
  });
  await app.register(csrf, {
    sessionPlugin: '@fastify/cookie',
    cookieKey: config.https ? '__Host-reachable-csrf' : 'reachable-csrf',
    cookieOpts: { path: '/', sameSite: 'strict', httpOnly: true, secure: config.https },
  });
  await app.register(rateLimit, { global: false });

  // Who is asking: an API client by its credential, or a signed-in user by their session.
  app.addHook('onRequest', async (req) => {
    const routeConfig = req.routeOptions.config;
    if (!routeConfig || routeConfig.sessionless) return;
    if (routeConfig.api) {
      req.actor = await apiClientActor(app, req);
      return;
    }
    const found = await loadSession(app.db, config, req.cookies[cookieName(config)]);
    if (found.user) {
      req.sessionUser = found.user;
      if (found.user.stage === 'active') {
        req.actor = {
          kind: 'user',
          userId: found.user.userId,
          apiClientId: null,
          agencyId: found.user.agencyId,
          agencyName: found.user.agencyName,
          roles: found.user.roles,
          displayName: found.user.displayName,
        };
      }
    } else {
      req.sessionExpired = found.expired;
    }
  });

  // Every form post carries the CSRF token; API clients use bearer credentials instead of cookies.
  app.addHook('preHandler', (req, reply, done) => {
    const routeConfig = req.routeOptions.config;
    if (req.method === 'POST' && routeConfig?.access !== undefined && !routeConfig.api) return app.csrfProtection(req, reply, done);
    done();
  });
  app.addHook('preHandler', authorize);
  confirmChanges(app);
  registerIdempotency(app);

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-correlation-id', req.id);
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    // Every spreadsheet leaving Reachable has had its formulas neutralised by the one writer.
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/csv') && !wentThroughWriter(reply)) {
      throw new Error(`${req.routeOptions.url} sent CSV without platform/csv.ts's sendCsv`);
    }
    // Pages and API answers may hold personal data: never cached (assets set their own header).
    if (!reply.getHeader('cache-control')) reply.header('cache-control', 'no-store');
  });

  registerViews(app, createViewEnvironment());
  registerAssets(app);
  registerModules(app);

  app.setNotFoundHandler((req, reply) => notFound(req, reply));
  app.setErrorHandler((error: FastifyError, req, reply) => {
    // The database went away (a restart, a failover): say so, and that nothing was saved; the pool reconnects when it is back.
    if (isDatabaseUnavailable(error)) {
      req.log.warn({ code: error.code, correlationId: req.id }, 'database unavailable');
      reply.code(503).header('retry-after', String(RETRY_AFTER_SECONDS));
      if (req.routeOptions.config?.api || req.url.startsWith('/api/')) return reply.send({ error: 'unavailable', message: 'Reachable cannot reach its database just now. Nothing was saved: try again in a minute.', correlationId: req.id });
      return reply.page('errors/unavailable.njk', {});
    }
    const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 600 ? error.statusCode : 500;
    if (status >= 500) req.log.error({ err: error, correlationId: req.id }, 'request failed');
    else req.log.info({ code: error.code, correlationId: req.id }, 'request refused');
    const api = req.routeOptions.config?.api || req.url.startsWith('/api/');
    if (api) {
      const message = status >= 500 ? 'Something went wrong.' : error.validation ? error.message : 'The request could not be processed.';
      return reply.code(status).send({ error: status >= 500 ? 'internal' : 'bad_request', message, correlationId: req.id });
    }
    reply.code(status);
    if (error.code === 'FST_CSRF_INVALID_TOKEN' || error.code === 'FST_CSRF_MISSING_SECRET') {
      return reply.page('errors/form-expired.njk', {});
    }
    if (status === 429) return reply.page('errors/too-many.njk', {});
    if (status === 404) return notFound(req, reply);
    return reply.page(status >= 500 ? 'errors/500.njk' : 'errors/400.njk', {});
  });

  return app;
}

/** Browser features Reachable never uses are off for every page; passkeys (WebAuthn) only for Reachable itself. */
export const PERMISSIONS_POLICY = [
  'accelerometer=()', 'ambient-light-sensor=()', 'autoplay=()', 'bluetooth=()', 'camera=()', 'display-capture=()', 'encrypted-media=()', 'geolocation=()',
  'gyroscope=()', 'hid=()', 'idle-detection=()', 'magnetometer=()', 'microphone=()', 'midi=()', 'payment=()', 'picture-in-picture=()',
  'publickey-credentials-create=(self)', 'publickey-credentials-get=(self)', 'screen-wake-lock=()', 'serial=()', 'usb=()', 'xr-spatial-tracking=()',
].join(', ');

async function apiClientActor(app: FastifyInstance, req: FastifyRequest) {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+([A-Za-z0-9_-]{20,200})$/.exec(header);
  if (!match) return null;
  const client = await app.db
    .selectFrom('api_client')
    .innerJoin('agency', 'agency.id', 'api_client.agency_id')
    .select(['api_client.id', 'api_client.name', 'api_client.role', 'agency.id as agency_id', 'agency.name as agency_name'])
    .where('api_client.secret_hash', '=', sha256(match[1]))
    .where('api_client.revoked_at', 'is', null)
    .where('agency.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!client) return null;
  return {
    kind: 'api' as const,
    userId: null,
    apiClientId: client.id,
    agencyId: client.agency_id,
    agencyName: client.agency_name,
    roles: [client.role],
    displayName: client.name,
  };
}

/** The key that signs cookies (the single sign-on flow's), made by a migration. */
async function cookieSecret(db: Kysely<DB>): Promise<string> {
  const key = await getSetting<string>(db, 'cookie_key');
  if (!key) throw new Error('The cookie_key setting is missing: run `reachable db migrate`');
  return key;
}
