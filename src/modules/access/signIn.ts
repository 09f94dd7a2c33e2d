// Signing in: email and password, then a second factor: a code from an
// authenticator app (enrolled on first sign-in) or a passkey (passkeys.ts). Unknown email, wrong password, disabled user:
// one answer, one status, one Argon2 verification's time.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, actorOf } from '../../platform/routes.ts';
import { FormErrors, str, type Body } from '../../platform/forms.ts';
import { hashPassword, passwordProblem, timingDummyHash, verifyPassword } from '../../platform/passwords.ts';
import { groupedSecret, newTotpSecret, totpQrCode } from '../../platform/totp.ts';
import { formatDateTime } from '../../platform/time.ts';
import { registerPasskeySignIn } from './passkeys.ts';
import { acceptCode, enrolCode, factorState, recordFactorFailure, MAX_FACTOR_FAILURES, FAILURE_WINDOW_MINUTES } from './secondFactor.ts';
import { endSession, sha256, startSession } from '../../platform/sessions.ts';
import { recordAudit } from '../../platform/audit.ts';
import { DEMO_TOTP_SECRET, DEMO_PASSWORD, demoAccounts } from '../demo/accounts.ts';

/** Wrong codes allowed in one sign-in before it must start again. */
export const MAX_CODE_ATTEMPTS = 5;

export function registerSignIn(app: FastifyInstance): void {
  const limit = { max: app.config.signInRateLimit, timeWindow: 60_000 };

  const signInPage = async (reply: FastifyReply, data: Record<string, unknown>) =>
    reply.page('access/views/sign-in.njk', {
      ...data,
      oidc: app.config.oidc ? { name: app.config.oidc.name } : null,
      demoAccounts: app.demoDatabase ? await demoAccounts(app.db) : null,
      demoPassword: DEMO_PASSWORD,
      demoKey: groupedSecret(DEMO_TOTP_SECRET),
    });

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in',
    access: 'public',
    audit: null,
    handler: async (req, reply) => {
      if (req.actor) return reply.redirect('/', 303);
      return signInPage(reply, { timedOut: (req.query as Record<string, string>).timeout === '1' });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-in',
    access: 'public',
    audit: 'sign-in.password',
    rateLimit: limit,
    handler: async (req, reply) => {
      const body = req.body as Body;
      const email = str(body, 'email').toLowerCase();
      const password = typeof body.password === 'string' ? body.password : '';
      const errors = new FormErrors();
      if (!email) errors.add('email', 'Enter your email address');
      if (!password) errors.add('password', 'Enter your password');
      if (errors.any) return signInPage(reply.code(400), { errors, email });

      const user = await app.db
        .selectFrom('app_user')
        .innerJoin('agency', 'agency.id', 'app_user.agency_id')
        .select(['app_user.id', 'app_user.agency_id', 'app_user.password_hash', 'app_user.totp_secret', 'app_user.disabled_at', 'agency.disabled_at as agency_disabled_at'])
        .where((eb) => eb(eb.fn('lower', ['app_user.email']), '=', email))
        .executeTakeFirst();
      const passwordOk = await verifyPassword(user?.password_hash ?? (await timingDummyHash()), password);
      const demoKeyOutsideDemo = user?.totp_secret === DEMO_TOTP_SECRET && !app.demoDatabase;
      const ok = Boolean(user && user.password_hash && passwordOk && !user.disabled_at && !user.agency_disabled_at && !demoKeyOutsideDemo);
      await app.db.transaction().execute((trx) =>
        recordAudit(trx, { userId: user?.id ?? null, agencyId: user?.agency_id ?? null, correlationId: req.id }, {
          action: 'sign-in.password',
          recordType: 'user',
          recordId: user?.id ?? null,
          outcome: ok ? 'allowed' : 'denied',
        }),
      );
      if (!ok || !user) {
        errors.add('email', 'Enter a correct email address and password');
        return signInPage(reply.code(401), { errors, email });
      }
      const { lockedUntil } = await factorState(app.db, user.id);
      if (lockedUntil) {
        errors.add('email', lockedWords(lockedUntil));
        return signInPage(reply.code(423), { errors, email });
      }
      await startSession(app.db, app.config, req, reply, user.id, 'password');
      return reply.redirect(user.totp_secret ? '/sign-in/code' : '/sign-in/set-up-code', 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/code',
    access: 'second-factor',
    audit: null,
    handler: async (req, reply) => {
      const state = await factorState(app.db, req.sessionUser!.userId);
      if (!state.enrolled) return reply.redirect('/sign-in/set-up-code', 303);
      if (state.passkeyRequired && state.passkeys > 0) return reply.redirect('/sign-in/passkey', 303);
      return reply.page('access/views/code.njk', { passkeys: state.passkeys > 0 });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-in/code',
    access: 'second-factor',
    audit: 'sign-in.code',
    rateLimit: limit,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
      const state = await factorState(app.db, session.userId);
      if (!state.enrolled) return reply.redirect('/sign-in/set-up-code', 303);
      if (state.passkeyRequired && state.passkeys > 0) return reply.redirect('/sign-in/passkey', 303);
      if (state.lockedUntil) return lockedOut(req, reply, state.lockedUntil);
      const ok = await acceptCode(app.db, session.userId, str(req.body as Body, 'code'));
      return finishSecondFactor(req, reply, ok, 'access/views/code.njk', { passkeys: state.passkeys > 0 });
    },
  });

  // Enrolling an authenticator app: only for a user who has no key yet. An
  // enrolled user is sent to the code page, and is never shown a new key.
  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/set-up-code',
    access: 'second-factor',
    audit: null,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
      if ((await factorState(app.db, session.userId)).enrolled) return reply.redirect('/sign-in/code', 303);
      let secret = session.pendingTotpSecret;
      if (!secret) {
        secret = newTotpSecret();
        await app.db.updateTable('session').set({ pending_totp_secret: secret }).where('token_hash', '=', session.tokenHash).execute();
      }
      return reply.page('access/views/set-up-code.njk', await enrolment(secret, session.email));
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-in/set-up-code',
    access: 'second-factor',
    audit: 'sign-in.enrol-code',
    rateLimit: limit,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
      const state = await factorState(app.db, session.userId);
      if (state.enrolled) return reply.redirect('/sign-in/code', 303);
      if (state.lockedUntil) return lockedOut(req, reply, state.lockedUntil);
      const secret = session.pendingTotpSecret;
      if (!secret) return reply.redirect('/sign-in/set-up-code', 303);
      const ok = await enrolCode(app.db, session.userId, secret, str(req.body as Body, 'code'));
      return finishSecondFactor(req, reply, ok, 'access/views/set-up-code.njk', await enrolment(secret, session.email));
    },
  });

  /** The end of every second factor (code, enrolment, passkey): signed in, or one more wrong attempt counted. */
  async function finishSecondFactor(req: FastifyRequest, reply: FastifyReply, ok: boolean, template: string, data: Record<string, unknown>) {
    const session = req.sessionUser!;
    await app.db.transaction().execute((trx) =>
      recordAudit(trx, { userId: session.userId, agencyId: session.agencyId, correlationId: req.id }, {
        action: req.routeOptions.config.audit!,
        recordType: 'user',
        recordId: session.userId,
        outcome: ok ? 'allowed' : 'denied',
      }),
    );
    if (ok) {
      const state = await factorState(app.db, session.userId);
      // Passkeys required and none yet: the code earns the right to register one, nothing more.
      if (state.passkeyRequired && state.passkeys === 0) {
        await startSession(app.db, app.config, req, reply, session.userId, 'passkey');
        return reply.redirect('/sign-in/passkey/register', 303);
      }
      await startSession(app.db, app.config, req, reply, session.userId, 'active');
      return reply.redirect('/', 303);
    }
    const { lockedUntil } = await recordFactorFailure(app.db, session.userId);
    if (lockedUntil) {
      await app.db.transaction().execute((trx) =>
        recordAudit(trx, { userId: session.userId, agencyId: session.agencyId, correlationId: req.id }, { action: 'sign-in.locked', recordType: 'user', recordId: session.userId, outcome: 'denied', detail: { lockedUntil: lockedUntil.toISOString() } }),
      );
      return lockedOut(req, reply, lockedUntil);
    }
    if (session.failedCodes + 1 >= MAX_CODE_ATTEMPTS) {
      await endSession(app.db, app.config, req, reply);
      const errors = new FormErrors();
      errors.add('email', 'Too many wrong codes: sign in again');
      return signInPage(reply.code(401), { errors });
    }
    await app.db.updateTable('session').set({ failed_codes: session.failedCodes + 1 }).where('token_hash', '=', session.tokenHash).execute();
    const errors = new FormErrors();
    if (data.passkey) errors.add('credential', 'Your passkey was not accepted: try again, or use another passkey');
    else errors.add('code', 'Enter the 6-digit code shown in your authenticator app now');
    return reply.code(401).page(template, { ...data, errors });
  }

  /** A locked account: the sign-in ends, and the page says until when and who can help. */
  async function lockedOut(req: FastifyRequest, reply: FastifyReply, until: Date) {
    await endSession(app.db, app.config, req, reply);
    const errors = new FormErrors();
    errors.add('email', lockedWords(until));
    return signInPage(reply.code(423), { errors });
  }

  registerPasskeySignIn(app, { finish: finishSecondFactor, lockedOut });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-out',
    access: 'public',
    audit: 'sign-out',
    handler: async (req, reply) => {
      if (req.sessionUser) {
        await app.db.transaction().execute((trx) => recordAudit(trx, actorOf(req), { action: 'sign-out', recordType: 'user', recordId: req.sessionUser!.userId }));
      }
      await endSession(app.db, app.config, req, reply);
      return reply.redirect('/signed-out', 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/signed-out',
    access: 'public',
    audit: null,
    handler: async (_req, reply) => reply.page('access/views/signed-out.njk', {}),
  });

  // The one-time link an administrator (or `reachable user create`) gives a new user.
  const setUpUser = (token: string) =>
    app.db
      .selectFrom('app_user')
      .select(['id', 'email', 'agency_id'])
      .where('setup_token_hash', '=', sha256(token))
      .where('setup_expires_at', '>', new Date())
      .where('disabled_at', 'is', null)
      .executeTakeFirst();

  declareRoute(app, {
    method: 'GET',
    url: '/set-up/:token',
    access: 'public',
    audit: null,
    handler: async (req, reply) => {
      const user = await setUpUser((req.params as { token: string }).token);
      if (!user) return reply.code(404).page('access/views/set-up-invalid.njk', {});
      return reply.page('access/views/set-up-password.njk', { email: user.email });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/set-up/:token',
    access: 'public',
    audit: 'user.set-password',
    rateLimit: limit,
    handler: async (req, reply) => {
      const user = await setUpUser((req.params as { token: string }).token);
      if (!user) return reply.code(404).page('access/views/set-up-invalid.njk', {});
      const body = req.body as Body;
      const password = typeof body.password === 'string' ? body.password : '';
      const confirm = typeof body['password-confirm'] === 'string' ? body['password-confirm'] : '';
      const errors = new FormErrors();
      const problem = password ? passwordProblem(password, user.email) : 'Enter a password';
      if (problem) errors.add('password', problem);
      else if (password !== confirm) errors.add('password-confirm', 'Passwords must match');
      if (errors.any) return reply.code(400).page('access/views/set-up-password.njk', { email: user.email, errors });
      const passwordHash = await hashPassword(password);
      await app.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('app_user')
          .set({ password_hash: passwordHash, setup_token_hash: null, setup_expires_at: null, updated_at: new Date() })
          .where('id', '=', user.id)
          .execute();
        await recordAudit(trx, { userId: user.id, agencyId: user.agency_id, correlationId: req.id }, { action: 'user.set-password', recordType: 'user', recordId: user.id });
      });
      return reply.redirect('/sign-in', 303);
    },
  });
}

export function lockedWords(until: Date): string {
  return `This account is locked after ${MAX_FACTOR_FAILURES} wrong codes within ${FAILURE_WINDOW_MINUTES} minutes. Try again after ${formatDateTime(until)}, or ask your administrator to unlock it. Your administrators have been told.`;
}

async function enrolment(secret: string, email: string) {
  return { qrCode: await totpQrCode(secret, email), key: groupedSecret(secret) };
}
