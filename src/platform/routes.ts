// Every route is declared with who may use it (access) and the audit action
// its personal-data work is recorded under, in one object. The app refuses
// to register a route without both, and one hook enforces access for all.
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteHandlerMethod } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { can, type Access } from './permissions.ts';
import { recordAudit, type Actor, type AuditEntry } from './audit.ts';
import type { SessionUser } from './sessions.ts';
import { purposeOf } from './purposes.ts';

export interface RequestActor {
  kind: 'user' | 'api';
  userId: string | null;
  apiClientId: string | null;
  agencyId: string;
  agencyName: string;
  roles: string[];
  displayName: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** The audit action for this route's reads and writes of personal data; null when it touches none. */
    audit?: string | null;
    /** A JSON API route: authenticated by an API client credential, not a session or CSRF token. */
    api?: boolean;
    /** Serves no page and needs no session (assets, health). */
    sessionless?: boolean;
  }
  interface FastifyRequest {
    actor: RequestActor | null;
    sessionUser: SessionUser | null;
    sessionExpired: boolean;
  }
}

export interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  access: Access;
  audit: string | null;
  api?: boolean;
  sessionless?: boolean;
  rateLimit?: { max: number; timeWindow: number };
  bodyLimit?: number;
  handler: RouteHandlerMethod;
}

export function declareRoute(app: FastifyInstance, spec: RouteSpec): void {
  app.route({
    method: spec.method,
    url: spec.url,
    bodyLimit: spec.bodyLimit,
    config: {
      access: spec.access,
      audit: spec.audit,
      api: spec.api ?? false,
      sessionless: spec.sessionless ?? false,
      ...(spec.rateLimit ? { rateLimit: spec.rateLimit } : {}),
    },
    handler: spec.handler,
  });
}

export interface RouteEntry {
  method: string;
  url: string;
  access: Access;
  audit: string | null;
  api: boolean;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route as Fastify registered it, with what it declared: what the access tests walk. */
    routeTable: RouteEntry[];
  }
}

/** Installed before any route: a route without access and audit declared is a start-up error. */
export function requireDeclarations(app: FastifyInstance): void {
  app.decorate('routeTable', []);
  app.addHook('onRoute', (options) => {
    const config = (options.config ?? {}) as { access?: Access; audit?: string | null; api?: boolean };
    if (config.access === undefined || config.audit === undefined) {
      throw new Error(`Route ${options.method} ${options.url} must be declared with declareRoute (access and audit)`);
    }
    for (const method of [options.method].flat()) {
      app.routeTable.push({ method, url: options.url, access: config.access, audit: config.audit, api: Boolean(config.api) });
    }
  });
}

/** Stands in for an API client's missing user id in "is it mine?" checks: matches no row. */
export const NO_USER = '00000000-0000-0000-0000-000000000000';

export function actorOf(req: FastifyRequest): Actor {
  return {
    userId: req.actor?.userId ?? req.sessionUser?.userId ?? null,
    agencyId: req.actor?.agencyId ?? req.sessionUser?.agencyId ?? null,
    apiClientId: req.actor?.apiClientId ?? null,
    correlationId: req.id,
  };
}

export type Auditor = (entry?: Partial<AuditEntry>) => Promise<void>;

/** Runs work in one transaction with an auditor that writes into the same transaction. */
export async function transact<T>(req: FastifyRequest, work: (trx: Transaction<DB>, audit: Auditor) => Promise<T>): Promise<T> {
  const declared = req.routeOptions.config.audit;
  return req.server.db.transaction().execute((trx) =>
    work(trx, (entry = {}) => {
      const action = entry.action ?? declared;
      if (!action) throw new Error(`Route ${req.routeOptions.url} declares no audit action`);
      // Why: what the work set (emergency access), else the purpose of the part of the service the route is in.
      return recordAudit(trx, actorOf(req), { ...entry, action, purpose: entry.purpose ?? purposeOf(req.routeOptions.url) });
    }),
  );
}

/** The access check for every route: a missing sign-in and a missing permission are told apart. */
export async function authorize(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const { access, api } = req.routeOptions.config;
  if (access === undefined || access === 'public') return;
  if (access === 'second-factor') {
    if (req.sessionUser?.stage !== 'password') return void reply.redirect('/sign-in', 303);
    return;
  }
  if (access === 'passkey-enrolment') {
    if (req.sessionUser?.stage !== 'passkey') return void reply.redirect('/sign-in', 303);
    return;
  }
  if (!req.actor) {
    if (api) return void reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorised', message: 'A valid API client credential is required.' });
    return void reply.redirect(req.sessionExpired ? '/sign-in?timeout=1' : '/sign-in', 303);
  }
  if (access === 'signed-in' || can(req.actor.roles, access)) return;
  await req.server.db.transaction().execute((trx) =>
    recordAudit(trx, actorOf(req), { action: req.routeOptions.config.audit ?? 'access.route', purpose: purposeOf(req.routeOptions.url), outcome: 'denied', detail: { route: req.routeOptions.url } }),
  );
  if (api) return void reply.code(403).send({ error: 'forbidden', message: 'This credential’s role may not do this.' });
  reply.code(403);
  return void reply.page('errors/403.njk', {});
}
