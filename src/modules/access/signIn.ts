// Signing in: email and password, then a code from an authenticator app
// (enrolled on first sign-in). Unknown email, wrong password, disabled user:
// one answer, one status, one Argon2 verification's time.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, actorOf } from '../../platform/routes.ts';
import { FormErrors, str, type Body } from '../../platform/forms.ts';
import { hashPassword, passwordProblem, timingDummyHash, verifyPassword } from '../../platform/passwords.ts';
import { checkTotp, groupedSecret, newTotpSecret, totpQrCode } from '../../platform/totp.ts';
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
      await startSession(app.db, app.config, req, reply, user.id, 'password');
      return reply.redirect(user.totp_secret ? '/sign-in/code' : '/sign-in/set-up-code', 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/code',
    access: 'second-factor',
    audit: null,
    handler: async (_req, reply) => reply.page('access/views/code.njk', {}),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sign-in/code',
    access: 'second-factor',
    audit: 'sign-in.code',
    rateLimit: limit,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
      const user = await app.db.selectFrom('app_user').select(['totp_secret', 'totp_last_step']).where('id', '=', session.userId).executeTakeFirstOrThrow();
      if (!user.totp_secret) return reply.redirect('/sign-in/set-up-code', 303);
      const step = await checkTotp(user.totp_secret, str(req.body as Body, 'code'), user.totp_last_step);
      // Claim the step atomically: two requests racing with one code cannot both win.
      const claimed =
        step !== null &&
        (await app.db
          .updateTable('app_user')
          .set({ totp_last_step: step, last_signed_in_at: new Date() })
          .where('id', '=', session.userId)
          .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
          .executeTakeFirst()).numUpdatedRows > 0n;
      return finishSecondFactor(req, reply, claimed, 'access/views/code.njk', {});
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/set-up-code',
    access: 'second-factor',
    audit: null,
    handler: async (req, reply) => {
      const session = req.sessionUser!;
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
      const secret = session.pendingTotpSecret;
      if (!secret) return reply.redirect('/sign-in/set-up-code', 303);
      const step = await checkTotp(secret, str(req.body as Body, 'code'), null);
      if (step !== null) {
        await app.db
          .updateTable('app_user')
          .set({ totp_secret: secret, totp_last_step: step, last_signed_in_at: new Date(), updated_at: new Date() })
          .where('id', '=', session.userId)
          .where('totp_secret', 'is', null)
          .execute();
      }
      return finishSecondFactor(req, reply, step !== null, 'access/views/set-up-code.njk', await enrolment(secret, session.email));
    },
  });

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
      await startSession(app.db, app.config, req, reply, session.userId, 'active');
      return reply.redirect('/', 303);
    }
    if (session.failedCodes + 1 >= MAX_CODE_ATTEMPTS) {
      await endSession(app.db, app.config, req, reply);
      const errors = new FormErrors();
      errors.add('email', 'Too many wrong codes: sign in again');
      return signInPage(reply.code(401), { errors });
    }
    await app.db.updateTable('session').set({ failed_codes: session.failedCodes + 1 }).where('token_hash', '=', session.tokenHash).execute();
    const errors = new FormErrors();
    errors.add('code', 'Enter the 6-digit code shown in your authenticator app now');
    return reply.code(401).page(template, { ...data, errors });
  }

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

async function enrolment(secret: string, email: string) {
  return { qrCode: await totpQrCode(secret, email), key: groupedSecret(secret) };
}
