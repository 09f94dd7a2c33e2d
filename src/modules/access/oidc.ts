// Optional single sign-on with OpenID Connect (for example Microsoft Entra
// ID), configured by OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET. The
// identity provider checks the password and the second factor; Reachable
// still decides who may sign in (an enabled user with that email) and what
// they may do (their roles).
import type { FastifyInstance } from 'fastify';
import * as oidc from 'openid-client';
import { declareRoute } from '../../platform/routes.ts';
import { startSession } from '../../platform/sessions.ts';
import { recordAudit } from '../../platform/audit.ts';

const FLOW_COOKIE = 'reachable-oidc';

export function registerOidc(app: FastifyInstance): void {
  const settings = app.config.oidc;
  if (!settings) return;
  const redirectUri = `${app.config.publicUrl}/sign-in/sso/callback`;
  let discovered: Promise<oidc.Configuration> | undefined;
  const configuration = () => {
    discovered ??= oidc
      .discovery(new URL(settings.issuer), settings.clientId, settings.clientSecret, undefined, new URL(settings.issuer).protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : undefined)
      .catch((error) => {
        discovered = undefined; // try again next time
        throw error;
      });
    return discovered;
  };

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/sso',
    access: 'public',
    audit: null,
    handler: async (_req, reply) => {
      const config = await configuration();
      const verifier = oidc.randomPKCECodeVerifier();
      const state = oidc.randomState();
      const nonce = oidc.randomNonce();
      const url = oidc.buildAuthorizationUrl(config, {
        redirect_uri: redirectUri,
        scope: 'openid email profile',
        code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
        code_challenge_method: 'S256',
        state,
        nonce,
      });
      // Signed, short-lived and HttpOnly: the flow's secrets never reach scripts or storage.
      reply.setCookie(FLOW_COOKIE, JSON.stringify({ verifier, state, nonce }), { path: '/sign-in/sso', httpOnly: true, sameSite: 'lax', secure: app.config.https, signed: true, maxAge: 600 });
      return reply.redirect(url.href, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/sign-in/sso/callback',
    access: 'public',
    audit: 'sign-in.sso',
    rateLimit: { max: app.config.signInRateLimit, timeWindow: 60_000 },
    handler: async (req, reply) => {
      const raw = req.cookies[FLOW_COOKIE];
      const unsigned = raw ? req.unsignCookie(raw) : { valid: false, value: null };
      reply.clearCookie(FLOW_COOKIE, { path: '/sign-in/sso' });
      if (!unsigned.valid || !unsigned.value) return reply.redirect('/sign-in', 303);
      const flow = JSON.parse(unsigned.value) as { verifier: string; state: string; nonce: string };
      let email: string | undefined;
      try {
        const tokens = await oidc.authorizationCodeGrant(await configuration(), new URL(req.url, app.config.publicUrl), {
          pkceCodeVerifier: flow.verifier,
          expectedState: flow.state,
          expectedNonce: flow.nonce,
        });
        const claims = tokens.claims();
        email = typeof claims?.email === 'string' ? claims.email.toLowerCase() : undefined;
      } catch (error) {
        req.log.warn({ err: error, correlationId: req.id }, 'single sign-on refused');
      }
      const user = email
        ? await app.db
            .selectFrom('app_user')
            .innerJoin('agency', 'agency.id', 'app_user.agency_id')
            .select(['app_user.id', 'app_user.agency_id'])
            .where((eb) => eb(eb.fn('lower', ['app_user.email']), '=', email!))
            .where('app_user.disabled_at', 'is', null)
            .where('agency.disabled_at', 'is', null)
            .executeTakeFirst()
        : undefined;
      await app.db.transaction().execute((trx) =>
        recordAudit(trx, { userId: user?.id ?? null, agencyId: user?.agency_id ?? null, correlationId: req.id }, { action: 'sign-in.sso', recordType: 'user', recordId: user?.id ?? null, outcome: user ? 'allowed' : 'denied' }),
      );
      if (!user) return reply.code(401).page('access/views/sso-refused.njk', {});
      await startSession(app.db, app.config, req, reply, user.id, 'active', 'oidc');
      return reply.redirect('/', 303);
    },
  });
}
