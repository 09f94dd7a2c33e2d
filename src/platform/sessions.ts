// Server-side sessions in the database. The browser holds a random token;
// the table holds only its SHA-256. Signing out, disabling a user or resetting
// their sign-in deletes the rows, which ends those sessions at once.
import { createHash, randomBytes } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Config } from '../config.ts';

export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export function cookieName(config: Config): string {
  // The __Host- prefix pins the cookie to this host and path, over HTTPS only.
  return config.https ? '__Host-reachable-session' : 'reachable-session';
}

export type SessionStage = 'password' | 'passkey' | 'active';

export interface SessionUser {
  tokenHash: string;
  /** password: the second factor is still to come; passkey: it was given, and a passkey must be registered; active: signed in. */
  stage: SessionStage;
  userId: string;
  agencyId: string;
  agencyName: string;
  email: string;
  displayName: string;
  roles: string[];
  pendingTotpSecret: string | null;
  /** The WebAuthn challenge this session was last given. */
  pendingChallenge: string | null;
  failedCodes: number;
  /** The audit action of the change this session's last form made, to confirm on the next page (confirmations.ts). */
  confirmation: string | null;
}

export type SessionLookup = { user: SessionUser } | { user: null; expired: boolean };

/** Finds the live session for a cookie token, ending it if it has idled or aged out. */
export async function loadSession(db: Kysely<DB>, config: Config, token: string | undefined, now = new Date()): Promise<SessionLookup> {
  if (!token) return { user: null, expired: false };
  const tokenHash = sha256(token);
  const row = await db
    .selectFrom('session')
    .innerJoin('app_user', 'app_user.id', 'session.user_id')
    .innerJoin('agency', 'agency.id', 'app_user.agency_id')
    .select([
      'session.token_hash',
      'session.stage',
      'session.created_at',
      'session.last_seen_at',
      'session.pending_totp_secret',
      'session.pending_challenge',
      'session.failed_codes',
      'session.confirmation',
      'app_user.id as user_id',
      'app_user.email',
      'app_user.display_name',
      'app_user.roles',
      'app_user.disabled_at',
      'agency.id as agency_id',
      'agency.name as agency_name',
      'agency.disabled_at as agency_disabled_at',
    ])
    .where('session.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return { user: null, expired: false };
  const idleLimit = row.stage === 'active' ? config.sessionIdleMinutes : Math.min(config.sessionIdleMinutes, 10);
  const idle = now.getTime() - new Date(row.last_seen_at).getTime() > idleLimit * 60_000;
  const aged = now.getTime() - new Date(row.created_at).getTime() > config.sessionAbsoluteHours * 3_600_000;
  if (idle || aged || row.disabled_at || row.agency_disabled_at) {
    await db.deleteFrom('session').where('token_hash', '=', tokenHash).execute();
    return { user: null, expired: idle || aged };
  }
  // Touch at most once a minute: enough for a 30-minute idle limit, and spares a write per request.
  if (now.getTime() - new Date(row.last_seen_at).getTime() > 60_000) {
    await db.updateTable('session').set({ last_seen_at: now }).where('token_hash', '=', tokenHash).execute();
  }
  return {
    user: {
      tokenHash,
      stage: row.stage,
      userId: row.user_id,
      agencyId: row.agency_id,
      agencyName: row.agency_name,
      email: row.email,
      displayName: row.display_name,
      roles: row.roles,
      pendingTotpSecret: row.pending_totp_secret,
      pendingChallenge: row.pending_challenge,
      failedCodes: row.failed_codes,
      confirmation: row.confirmation,
    },
  };
}

/**
 * Starts a session at a stage, replacing whatever session the browser had:
 * a new token at each step of signing in, so a token seen before sign-in is
 * worthless after it (session fixation).
 */
export async function startSession(
  db: Kysely<DB>,
  config: Config,
  req: FastifyRequest,
  reply: FastifyReply,
  userId: string,
  stage: SessionStage,
  via = 'password',
): Promise<void> {
  await endSession(db, config, req, reply);
  const token = newToken();
  await db.insertInto('session').values({ token_hash: sha256(token), user_id: userId, stage, via }).execute();
  reply.setCookie(cookieName(config), token, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.https,
  });
}

export async function endSession(db: Kysely<DB>, config: Config, req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const token = req.cookies[cookieName(config)];
  if (token) await db.deleteFrom('session').where('token_hash', '=', sha256(token)).execute();
  reply.clearCookie(cookieName(config), { path: '/' });
}
