import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { totpCode } from '../../src/platform/totp.ts';
import { passwordProblem } from '../../src/platform/passwords.ts';
import { createUser, setupLink } from '../../src/modules/access/accounts.ts';
import { DEMO_TOTP_SECRET } from '../../src/modules/demo/accounts.ts';
import { Client, TEST_PASSWORD, makeAgency, makeUser, signedIn, testApp, type TestApp, submit } from '../support/app.ts';

let t: TestApp;
let agencyId: string;
beforeAll(async () => {
  t = await testApp();
  agencyId = (await makeAgency(t.db)).id;
});
afterAll(() => t.close());

const normalise = (body: string) => body.replace(/nonce="[^"]+"/g, '').replace(/value="[^"]{20,}"/g, '');

async function passwordStep(client: Client, email: string, password = TEST_PASSWORD) {
  return client.post('/sign-in', { email, password });
}

describe('signing in', () => {
  it('enrols an authenticator app on first sign-in, then signs in, with a new session id at each step', async () => {
    const user = await makeUser(t.db, agencyId, ['coordinator'], { withTotp: false });
    const client = new Client(t.app);
    const before = await client.get('/sign-in');
    expect(before.statusCode).toBe(200);
    const res = await passwordStep(client, user.email.toUpperCase());
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/sign-in/set-up-code');
    const afterPassword = client.cookies.get('reachable-session');
    expect(afterPassword).toBeTruthy();

    // Not signed in yet: the second factor is still to come.
    expect((await client.get('/')).headers.location).toBe('/sign-in');

    const page = await client.get('/sign-in/set-up-code');
    expect(page.body).toContain('<img class="reachable-qr" src="data:image/png;base64,');
    const key = /id="totp-key">([A-Z2-7 ]+)</.exec(page.body)![1].replace(/ /g, '');
    const wrong = await client.post('/sign-in/set-up-code', { code: '000000' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toContain('Enter the 6-digit code');

    const done = await client.post('/sign-in/set-up-code', { code: await totpCode(key) });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/');
    expect(client.cookies.get('reachable-session')).not.toBe(afterPassword);
    expect((await client.get('/')).statusCode).toBe(200);
    const stored = await t.db.selectFrom('app_user').select(['totp_secret', 'password_hash']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(stored.totp_secret).toBe(key);
    expect(stored.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('accepts each code once only', async () => {
    const user = await makeUser(t.db, agencyId, ['police']);
    const code = await totpCode(user.totpSecret!);
    const first = new Client(t.app);
    await passwordStep(first, user.email);
    expect((await first.post('/sign-in/code', { code })).headers.location).toBe('/');
    const second = new Client(t.app);
    await passwordStep(second, user.email);
    const replay = await second.post('/sign-in/code', { code });
    expect(replay.statusCode).toBe(401);
    expect((await second.get('/')).headers.location).toBe('/sign-in');
  });

  it('ends the sign-in after five wrong codes', async () => {
    const user = await makeUser(t.db, agencyId, ['police']);
    const client = new Client(t.app);
    await passwordStep(client, user.email);
    for (let i = 0; i < 4; i++) expect((await client.post('/sign-in/code', { code: '123456' })).statusCode).toBe(401);
    const last = await client.post('/sign-in/code', { code: '123456' });
    expect(last.body).toContain('Too many wrong codes');
    expect((await client.get('/sign-in/code')).headers.location).toBe('/sign-in');
  });

  it('answers an unknown email, a wrong password and a disabled user the same way', async () => {
    const user = await makeUser(t.db, agencyId, ['analyst']);
    const disabled = await makeUser(t.db, agencyId, ['analyst']);
    await t.db.updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();
    const answers = await Promise.all([
      passwordStep(new Client(t.app), 'nobody@example.gov.uk', TEST_PASSWORD),
      passwordStep(new Client(t.app), user.email, 'not the password at all'),
      passwordStep(new Client(t.app), disabled.email),
    ]);
    for (const res of answers) {
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('Enter a correct email address and password');
      expect(res.cookies.find((c) => c.name === 'reachable-session')).toBeUndefined();
    }
    expect(normalise(answers[0].body).replace('nobody@example.gov.uk', 'EMAIL')).toBe(normalise(answers[1].body).replace(user.email, 'EMAIL'));
    const denied = await t.db.selectFrom('audit_event').select('outcome').where('action', '=', 'sign-in.password').where('outcome', '=', 'denied').execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('refuses the public demo key outside a demo database', async () => {
    const user = await makeUser(t.db, agencyId, ['coordinator']);
    await t.db.updateTable('app_user').set({ totp_secret: DEMO_TOTP_SECRET }).where('id', '=', user.id).execute();
    expect((await passwordStep(new Client(t.app), user.email)).statusCode).toBe(401);
  });

  it('shows field errors for an empty form and changes nothing', async () => {
    const res = await new Client(t.app).post('/sign-in', { email: '', password: '' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('govuk-error-summary');
    expect(res.body).toContain('href="#email"');
    expect(res.body).toContain('href="#password"');
  });
});

describe('sessions', () => {
  it('end after 30 idle minutes, and after 12 hours whatever happens', async () => {
    const user = await makeUser(t.db, agencyId, ['coordinator']);
    const idle = await signedIn(t, user);
    expect((await idle.get('/')).statusCode).toBe(200);
    await t.db.updateTable('session').set({ last_seen_at: sql`now() - interval '31 minutes'` }).where('user_id', '=', user.id).execute();
    const timedOut = await idle.get('/');
    expect(timedOut.headers.location).toBe('/sign-in?timeout=1');
    expect(await t.db.selectFrom('session').select('token_hash').where('user_id', '=', user.id).execute()).toHaveLength(0);

    const old = await signedIn(t, user);
    await t.db.updateTable('session').set({ created_at: sql`now() - interval '12 hours 1 minute'`, last_seen_at: sql`now()` }).where('user_id', '=', user.id).execute();
    expect((await old.get('/')).headers.location).toBe('/sign-in?timeout=1');
  });

  it('end at once on sign-out', async () => {
    const user = await makeUser(t.db, agencyId, ['coordinator']);
    const client = await signedIn(t, user);
    const token = client.cookies.get('reachable-session')!;
    expect((await client.post('/sign-out', {})).headers.location).toBe('/signed-out');
    const reused = new Client(t.app);
    reused.cookies.set('reachable-session', token);
    expect((await reused.get('/')).headers.location).toBe('/sign-in');
  });

  it('end at once when an administrator disables the user', async () => {
    const admin = await makeUser(t.db, agencyId, ['administrator']);
    const user = await makeUser(t.db, agencyId, ['caseworker']);
    const victim = await signedIn(t, user);
    expect((await victim.get('/')).statusCode).toBe(200);
    const adminClient = await signedIn(t, admin);
    expect((await submit(adminClient, `/admin/users/${user.id}`, `/admin/users/${user.id}/disable`)).statusCode).toBe(303);
    expect((await victim.get('/')).headers.location).toBe('/sign-in');
    expect((await passwordStep(new Client(t.app), user.email)).statusCode).toBe(401);
  });
});

describe('protection', () => {
  it('refuses a form without its CSRF token, and changes nothing', async () => {
    const user = await makeUser(t.db, agencyId, ['administrator']);
    const client = await signedIn(t, user);
    const res = await client.post('/admin/agencies', { name: 'Sneaky agency', kind: 'council' }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(await t.db.selectFrom('agency').select('id').where('name', '=', 'Sneaky agency').execute()).toHaveLength(0);
  });

  it('limits the rate of sign-in attempts', async () => {
    const limited = await testApp({ signInRateLimit: 3 }, t.database);
    const client = new Client(limited.app);
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await client.post('/sign-in', { email: 'x@example.gov.uk', password: 'wrong password here' })).statusCode);
    expect(statuses).toEqual([401, 401, 401, 429]);
    await limited.app.close();
  });

  it('sends a nonce-based CSP without unsafe-inline, no-store on pages, and HSTS only over HTTPS', async () => {
    const page = await new Client(t.app).get('/sign-in');
    const csp = page.headers['content-security-policy'] as string;
    expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f]+'/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.headers['strict-transport-security']).toBeUndefined();
    const nonce = /'nonce-([0-9a-f]+)'/.exec(csp)![1];
    expect(page.body).toContain(`<script nonce="${nonce}">`);
    expect(page.body).not.toMatch(/<script(?![^>]*nonce=)[^>]*>/);
    const secure = await testApp({ https: true }, t.database);
    const res = await secure.app.inject({ method: 'GET', url: '/sign-in' });
    expect(res.headers['strict-transport-security']).toContain('max-age=31536000');
    expect(res.cookies.find((c) => c.name === '__Host-reachable-csrf')?.secure).toBe(true);
    await secure.app.close();
  });

  it('serves only its own assets, with no external address on any page', async () => {
    const client = await signedIn(t, await makeUser(t.db, agencyId, ['coordinator']));
    for (const url of ['/', '/incidents', '/incidents/new', '/sign-in']) {
      const body = (await client.get(url)).body;
      // Nothing a page loads comes from elsewhere: scripts, styles, images, fonts, forms.
      expect(body).not.toMatch(/(src|action)="(https?:)?\/\//);
      expect(body).not.toMatch(/<link[^>]+href="(https?:)?\/\//);
      expect(body).not.toMatch(/url\((https?:)?\/\//);
    }
    expect((await client.get('/assets/govuk-frontend.min.css')).statusCode).toBe(200);
    expect((await client.get('/assets/fonts/bold-b542beb274-v2.woff2')).statusCode).toBe(200);
    expect((await client.get('/assets/../package.json')).statusCode).toBe(404);
  });
});

describe('set-up links and passwords', () => {
  it('lets a new user choose a password once, under the NCSC rules', async () => {
    const created = await createUser(t.db, { agencyId, email: `new-${Date.now()}@example.gov.uk`, displayName: 'New User', roles: ['caseworker'] });
    const path = new URL(setupLink('http://localhost', created.setupToken)).pathname;
    const client = new Client(t.app);
    expect((await client.get(path)).statusCode).toBe(200);
    const common = await client.post(path, { password: 'password1234', 'password-confirm': 'password1234' });
    expect(common.statusCode).toBe(400);
    expect(common.body).toContain('too common');
    const mismatch = await client.post(path, { password: 'violet tractor moonbeam', 'password-confirm': 'violet tractor moonbeem' });
    expect(mismatch.body).toContain('Passwords must match');
    expect((await client.post(path, { password: 'violet tractor moonbeam', 'password-confirm': 'violet tractor moonbeam' })).headers.location).toBe('/sign-in');
    expect((await client.get(path)).statusCode).toBe(404);
    const row = await t.db.selectFrom('app_user').select(['password_hash', 'setup_token_hash']).where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(row.setup_token_hash).toBeNull();
  });

  it('follows the NCSC: length, a blocklist, no composition rules', () => {
    expect(passwordProblem('short pass', 'a@b.uk')).toMatch(/12 characters/);
    expect(passwordProblem('123456789012', 'a@b.uk')).toMatch(/too common/);
    expect(passwordProblem('aaaaaaaaaaaaaa', 'a@b.uk')).toMatch(/repeated|common/);
    expect(passwordProblem('jane.doe2026 rocks', 'jane.doe2026@council.gov.uk')).toMatch(/email/);
    expect(passwordProblem('lamp otter harbour', 'a@b.uk')).toBeNull();
    expect(passwordProblem('x'.repeat(257), 'a@b.uk')).toMatch(/256/);
  });
});
