// Passkeys (WebAuthn) as the second factor: phishing-resistant, because the
// browser signs the challenge only for Reachable's own origin. The ceremony's
// options are embedded in the page and the authenticator's answer comes back
// in an ordinary form post (with its CSRF token), so nothing is fetched or
// kept in the browser. Verification is @simplewebauthn/server's.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticatorTransport,
} from '@simplewebauthn/server';
import type { DB } from '../../db/schema.ts';
import type { Config } from '../../config.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, str, type Body } from '../../platform/forms.ts';
import { startSession, type SessionUser } from '../../platform/sessions.ts';
import { recordAudit } from '../../platform/audit.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { factorState } from './secondFactor.ts';

type Db = Kysely<DB> | Transaction<DB>;
export interface SecondFactorEnd {
  finish(req: FastifyRequest, reply: FastifyReply, ok: boolean, template: string, data: Record<string, unknown>): Promise<unknown>;
  lockedOut(req: FastifyRequest, reply: FastifyReply, until: Date): Promise<unknown>;
}

const NAME_MAX = 60;

/** Reachable's origin and relying-party id, from PUBLIC_URL: a passkey made for another origin never verifies. */
export function relyingParty(config: Config) {
  const url = new URL(config.publicUrl);
  return { origin: url.origin, rpID: url.hostname, rpName: 'Reachable' };
}

export function listPasskeys(db: Db, userId: string) {
  return db.selectFrom('passkey').select(['id', 'name', 'created_at', 'last_used_at', 'version']).where('user_id', '=', userId).orderBy('created_at').execute();
}

async function registrationOptions(db: Db, config: Config, user: { userId: string; email: string; displayName: string }) {
  const existing = await db.selectFrom('passkey').select(['credential_id', 'transports']).where('user_id', '=', user.userId).execute();
  const rp = relyingParty(config);
  return generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: user.email,
    userDisplayName: user.displayName,
    userID: new TextEncoder().encode(user.userId),
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credential_id, transports: c.transports as AuthenticatorTransport[] })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: 'preferred' },
  });
}

/**
 * Checks a new passkey against the challenge the session was given and keeps
 * it, with its audit event in the same transaction (a refused one is audited
 * as denied); answers field errors, or the new passkey's id.
 */
async function registerPasskey(db: Kysely<DB>, config: Config, session: SessionUser, correlationId: string, body: Body): Promise<{ errors: FormErrors; id?: string }> {
  const errors = new FormErrors();
  const name = passkeyName(body, 'name', errors);
  const response = parseJson(body.credential);
  const challenge = session.pendingChallenge || null;
  if (!response || !challenge) errors.add('credential', 'Your passkey was not set up: select “Set up a passkey” and follow your browser’s steps');
  const rp = relyingParty(config);
  const verified = errors.any ? null : await verifyRegistrationResponse({ response: response as never, expectedChallenge: challenge!, expectedOrigin: rp.origin, expectedRPID: rp.rpID }).catch(() => null);
  if (!errors.any && (!verified?.verified || !verified.registrationInfo)) errors.add('credential', 'Your passkey could not be checked: try again');
  const id = await db.transaction().execute(async (trx) => {
    const credential = errors.any ? null : verified!.registrationInfo!.credential;
    const row = credential
      ? await trx
          .insertInto('passkey')
          .values({
            user_id: session.userId,
            credential_id: credential.id,
            public_key: Buffer.from(credential.publicKey).toString('base64url'),
            sign_count: String(credential.counter),
            transports: credential.transports ?? [],
            name: name!,
          })
          .onConflict((oc) => oc.column('credential_id').doNothing())
          .returning('id')
          .executeTakeFirst()
      : undefined;
    if (credential && !row) errors.add('credential', 'This passkey is already registered');
    await recordAudit(trx, { userId: session.userId, agencyId: session.agencyId, correlationId }, { action: 'passkey.register', recordType: 'passkey', recordId: row?.id ?? null, outcome: row ? 'allowed' : 'denied' });
    return row?.id;
  });
  return { errors, id };
}

async function authenticationOptions(db: Db, config: Config, userId: string) {
  const keys = await db.selectFrom('passkey').select(['credential_id', 'transports']).where('user_id', '=', userId).execute();
  return generateAuthenticationOptions({
    rpID: relyingParty(config).rpID,
    allowCredentials: keys.map((k) => ({ id: k.credential_id, transports: k.transports as AuthenticatorTransport[] })),
    userVerification: 'preferred',
  });
}

/** True when the answer was signed by one of this user's passkeys for this session's challenge and this origin. */
async function acceptPasskey(db: Db, config: Config, userId: string, challenge: string | null, body: Body): Promise<boolean> {
  const response = parseJson(body.credential) as { id?: unknown } | null;
  if (!response || typeof response.id !== 'string' || !challenge) return false;
  const key = await db.selectFrom('passkey').selectAll().where('user_id', '=', userId).where('credential_id', '=', response.id).executeTakeFirst();
  if (!key) return false;
  const rp = relyingParty(config);
  const verified = await verifyAuthenticationResponse({
    response: response as never,
    expectedChallenge: challenge,
    expectedOrigin: rp.origin,
    expectedRPID: rp.rpID,
    credential: { id: key.credential_id, publicKey: Buffer.from(key.public_key, 'base64url'), counter: Number(key.sign_count), transports: key.transports as AuthenticatorTransport[] },
  }).catch(() => null);
  if (!verified?.verified) return false;
  // A counter that does not move forward (when the authenticator keeps one) is a cloned key: refused by the library above.
  await db.updateTable('passkey').set({ sign_count: String(verified.authenticationInfo.newCounter), last_used_at: new Date() }).where('id', '=', key.id).execute();
  await db.updateTable('app_user').set({ last_signed_in_at: new Date() }).where('id', '=', userId).execute();
  return true;
}

/** A passkey's name, so its owner can tell their passkeys apart. */
function passkeyName(body: Body, field: string, errors: FormErrors): string | null {
  const name = str(body, 'name');
  if (!name) errors.add(field, 'Enter a name for this passkey, like the device it is on');
  else if (name.length > NAME_MAX) errors.add(field, `Name must be ${NAME_MAX} characters or fewer`);
  return errors.any ? null : name;
}

function parseJson(value: unknown): unknown {
  if (typeof value !== 'string' || value.length > 20_000) return null;
  try {
    const parsed = JSON.parse(value);
    return parsed && typeof parsed === 'object' ? parsed : null;
  } catch {
    return null;
  }
}

async function giveChallenge(db: Db, tokenHash: string, challenge: string) {
  await db.updateTable('session').set({ pending_challenge: challenge }).where('token_hash', '=', tokenHash).execute();
}

/** The sign-in routes: a passkey as the second factor, and the first passkey when the partnership requires one. */
export function registerPasskeySignIn(app: FastifyInstance, end: SecondFactorEnd): void {
  const limit = { max: app.config.signInRateLimit, timeWindow: 60_000 };

  const signInWithPasskey = async (req: FastifyRequest, reply: FastifyReply, errors?: FormErrors) => {
    const session = req.sessionUser!;
    const state = await factorState(app.db, session.userId);
    if (state.passkeys === 0) return reply.redirect('/sign-in/code', 303);
    const options = await authenticationOptions(app.db, app.config, session.userId);
    await giveChallenge(app.db, session.tokenHash, options.challenge);
    return reply.page('access/views/passkey-sign-in.njk', { options, codeAllowed: !state.passkeyRequired && state.enrolled, errors });
  };

  declareRoute(app, { method: 'GET', url: '/sign-in/passkey', access: 'second-factor', audit: null, handler: (req, reply) => signInWithPasskey(req, reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-in/passkey',
    access: 'second-factor',
    audit: 'sign-in.passkey',
    rateLimit: limit,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
      const state = await factorState(app.db, session.userId);
      if (state.lockedUntil) return end.lockedOut(req, reply, state.lockedUntil);
      // The challenge is used once, whatever the answer.
      await giveChallenge(app.db, session.tokenHash, '');
      const ok = await acceptPasskey(app.db, app.config, session.userId, session.pendingChallenge || null, req.body as Body);
      if (ok) return end.finish(req, reply, true, '', {});
      const options = await authenticationOptions(app.db, app.config, session.userId);
      await giveChallenge(app.db, session.tokenHash, options.challenge);
      return end.finish(req, reply, false, 'access/views/passkey-sign-in.njk', { options, codeAllowed: !state.passkeyRequired && state.enrolled, passkey: true });
    },
  });

  // The first passkey, when the partnership requires one: the second factor was given, nothing else is open yet.
  const registerPage = async (req: FastifyRequest, reply: FastifyReply, action: string, template: string, data: Record<string, unknown> = {}) => {
    const session = req.sessionUser!;
    const options = await registrationOptions(app.db, app.config, session);
    await giveChallenge(app.db, session.tokenHash, options.challenge);
    return reply.page(template, { options, action, ...data });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/passkey/register',
    access: 'passkey-enrolment',
    audit: null,
    handler: (req, reply) => registerPage(req, reply, '/sign-in/passkey/register', 'access/views/passkey-required.njk'),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-in/passkey/register',
    access: 'passkey-enrolment',
    audit: 'passkey.register',
    rateLimit: limit,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
      const body = req.body as Body;
      const result = await registerPasskey(app.db, app.config, session, req.id, body);
      if (result.errors.any) return registerPage(req, reply.code(400), '/sign-in/passkey/register', 'access/views/passkey-required.njk', { errors: result.errors, name: str(body, 'name') });
      await startSession(app.db, app.config, req, reply, session.userId, 'active');
      return reply.redirect('/account/passkeys?added=1', 303);
    },
  });
}

/** A signed-in user's own passkeys: add, rename, remove. */
export function registerPasskeyAccount(app: FastifyInstance): void {
  const accountPage = async (req: FastifyRequest, reply: FastifyReply, data: Record<string, unknown> = {}) => {
    const session = req.sessionUser!;
    const options = await registrationOptions(app.db, app.config, session);
    await giveChallenge(app.db, session.tokenHash, options.challenge);
    const state = await factorState(app.db, session.userId);
    const query = req.query as Record<string, string>;
    return reply.page('access/views/passkeys.njk', {
      options,
      passkeys: await listPasskeys(app.db, session.userId),
      required: state.passkeyRequired,
      done: { added: 'Your passkey has been added', renamed: 'Your passkey has been renamed', removed: 'Your passkey has been removed' }[Object.keys(query).find((k) => ['added', 'renamed', 'removed'].includes(k)) ?? ''],
      ...data,
    });
  };

  declareRoute(app, { method: 'GET', url: '/account/passkeys', access: 'signed-in', audit: null, handler: (req, reply) => accountPage(req, reply) });

  declareRoute(app, {
    method: 'POST',
    url: '/account/passkeys',
    access: 'signed-in',
    audit: 'passkey.register',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const result = await registerPasskey(app.db, app.config, req.sessionUser!, req.id, body);
      if (result.errors.any) return accountPage(req, reply.code(400), { errors: result.errors, name: str(body, 'name') });
      return reply.redirect('/account/passkeys?added=1', 303);
    },
  });

  /** A change from a page open in another tab or window since the passkey changed: the page again, fresh. */
  const refuseStalePasskey = async (req: FastifyRequest, reply: FastifyReply, id: string, field: string, typed?: string) => {
    const errors = new FormErrors();
    errors.add(field, await staleError(app.db, { type: 'passkey', id, actions: ['passkey.rename'] }, 'passkey'));
    return accountPage(req, reply.code(409), { errors, typed: typed === undefined ? undefined : { id, name: typed } });
  };

  const own = (req: FastifyRequest) =>
    app.db.selectFrom('passkey').select(['id', 'name']).where('id', '=', (req.params as { id: string }).id).where('user_id', '=', req.sessionUser!.userId).executeTakeFirst();

  declareRoute(app, {
    method: 'POST',
    url: '/account/passkeys/:id/rename',
    access: 'signed-in',
    audit: 'passkey.rename',
    handler: async (req, reply) => {
      const key = isUuid(req) ? await own(req) : undefined;
      if (!key) return notFound(req, reply);
      const errors = new FormErrors();
      const name = passkeyName(req.body as Body, `name-${key.id}`, errors);
      if (!name) return accountPage(req, reply.code(400), { errors });
      const renamed = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'passkey', key.id, versionRead(req.body as Body));
          await trx.updateTable('passkey').set({ name }).where('id', '=', key.id).execute();
          await audit({ recordType: 'passkey', recordId: key.id });
        }),
      );
      if (renamed === STALE) return refuseStalePasskey(req, reply, key.id, `name-${key.id}`, name);
      return reply.redirect('/account/passkeys?renamed=1', 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/account/passkeys/:id/remove',
    access: 'signed-in',
    audit: 'passkey.remove',
    handler: async (req, reply) => {
      const key = isUuid(req) ? await own(req) : undefined;
      if (!key) return notFound(req, reply);
      const state = await factorState(app.db, req.sessionUser!.userId);
      if (state.passkeyRequired && state.passkeys <= 1) {
        const errors = new FormErrors();
        errors.add(`remove-${key.id}`, 'You cannot remove your only passkey: your partnership requires one for your role. Add another first');
        return accountPage(req, reply.code(400), { errors });
      }
      const removed = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'passkey', key.id, versionRead(req.body as Body));
          await trx.deleteFrom('passkey').where('id', '=', key.id).execute();
          await audit({ recordType: 'passkey', recordId: key.id });
        }),
      );
      if (removed === STALE) return refuseStalePasskey(req, reply, key.id, `remove-${key.id}`);
      return reply.redirect('/account/passkeys?removed=1', 303);
    },
  });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const isUuid = (req: FastifyRequest) => UUID.test((req.params as { id: string }).id);
