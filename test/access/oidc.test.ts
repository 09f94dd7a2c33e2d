// Single sign-on against a small OpenID Connect provider run by the test
// itself (discovery, JWKS, token endpoint; ID tokens signed RS256 with jose).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { Client, makeAgency, makeUser, testApp, type TestApp } from '../support/app.ts';

let provider: http.Server;
let issuer: string;
let t: TestApp;
const codes = new Map<string, { email: string; nonce: string }>();
let privateKey: CryptoKey;

beforeAll(async () => {
  const keys = await generateKeyPair('RS256', { extractable: true });
  privateKey = keys.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(keys.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
  provider = http.createServer(async (req, res) => {
    const url = new URL(req.url!, issuer);
    const json = (body: unknown) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json({
        issuer,
        authorization_endpoint: `${issuer}/authorize`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['RS256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json({ keys: [jwk] });
    if (url.pathname === '/token' && req.method === 'POST') {
      let body = '';
      for await (const chunk of req) body += chunk;
      const grant = codes.get(new URLSearchParams(body).get('code') ?? '');
      if (!grant) {
        res.statusCode = 400;
        return json({ error: 'invalid_grant' });
      }
      const idToken = await new SignJWT({ email: grant.email, nonce: grant.nonce })
        .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
        .setIssuer(issuer)
        .setAudience('reachable-test')
        .setSubject(grant.email)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey);
      return json({ access_token: 'at', token_type: 'Bearer', expires_in: 300, id_token: idToken });
    }
    res.statusCode = 404;
    res.end();
  });
  await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(provider.address() as { port: number }).port}`;
  t = await testApp({ oidc: { issuer, clientId: 'reachable-test', clientSecret: 'secret', name: 'Test Entra ID' }, publicUrl: 'http://reachable.test' });
});

afterAll(async () => {
  await t.close();
  provider.close();
});

/** Follows the sign-in through the provider as a browser would, the user having signed in there as `email`. */
async function signInAs(email: string, tamper?: (params: URLSearchParams) => void) {
  const client = new Client(t.app);
  const start = await client.get('/sign-in/sso');
  expect(start.statusCode).toBe(303);
  const authorize = new URL(start.headers.location as string);
  expect(authorize.origin + authorize.pathname).toBe(`${issuer}/authorize`);
  expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
  expect(authorize.searchParams.get('redirect_uri')).toBe('http://reachable.test/sign-in/sso/callback');
  const code = `code-${Math.random()}`;
  codes.set(code, { email, nonce: authorize.searchParams.get('nonce')! });
  const back = new URLSearchParams({ code, state: authorize.searchParams.get('state')! });
  tamper?.(back);
  const callback = await client.get(`/sign-in/sso/callback?${back}`);
  return { client, callback };
}

describe('single sign-on with OpenID Connect', () => {
  it('offers it on the sign-in page', async () => {
    expect((await new Client(t.app).get('/sign-in')).body).toContain('sign in with Test Entra ID');
  });

  it('signs in a known, enabled user straight to an active session', async () => {
    const agency = await makeAgency(t.db);
    const user = await makeUser(t.db, agency.id, ['coordinator'], { email: 'sso.user@example.gov.uk', withTotp: false });
    const { client, callback } = await signInAs('SSO.User@example.gov.uk');
    expect(callback.statusCode).toBe(303);
    expect(callback.headers.location).toBe('/');
    expect((await client.get('/')).statusCode).toBe(200);
    const session = await t.db.selectFrom('session').select(['via', 'stage']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
    expect(session).toEqual({ via: 'oidc', stage: 'active' });
  });

  it('refuses someone the provider knows but Reachable does not, and a disabled user', async () => {
    expect((await signInAs('stranger@example.gov.uk')).callback.statusCode).toBe(401);
    const agency = await makeAgency(t.db);
    const user = await makeUser(t.db, agency.id, ['coordinator'], { email: 'left.the.council@example.gov.uk' });
    await t.db.updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
    expect((await signInAs('left.the.council@example.gov.uk')).callback.statusCode).toBe(401);
  });

  it('refuses a callback whose state does not match', async () => {
    const agency = await makeAgency(t.db);
    await makeUser(t.db, agency.id, ['coordinator'], { email: 'state.check@example.gov.uk' });
    const { client, callback } = await signInAs('state.check@example.gov.uk', (p) => p.set('state', 'forged'));
    expect(callback.statusCode).toBe(401);
    expect((await client.get('/')).headers.location).toBe('/sign-in');
  });
});
