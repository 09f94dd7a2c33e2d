// The second factor cannot be skipped, guessed or swapped (issue 17, part 1).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, newTotpSecret } from '../../src/platform/totp.ts';
import { setSetting } from '../../src/platform/settings.ts';
import { MAX_FACTOR_FAILURES, LOCKOUT_MINUTES, PASSKEYS_REQUIRED } from '../../src/modules/access/secondFactor.ts';
import { MAX_CODE_ATTEMPTS } from '../../src/modules/access/signIn.ts';
import { Client, makeAgency, makeUser, signedIn, testApp, TEST_PASSWORD, type TestApp, submit } from '../support/app.ts';

let t: TestApp;
let agencyId: string;
beforeAll(async () => {
  t = await testApp();
  agencyId = (await makeAgency(t.db)).id;
});
afterAll(() => t.close());

const passwordStep = (client: Client, email: string) => client.post('/sign-in', { email, password: TEST_PASSWORD });
const storedKey = async (id: string) => (await t.db.selectFrom('app_user').select('totp_secret').where('id', '=', id).executeTakeFirstOrThrow()).totp_secret;
const fullySignedIn = async (client: Client) => (await client.get('/')).statusCode === 200;

/** Wrong codes from fresh sign-ins (as from other addresses and sessions), `count` in all. */
async function wrongCodes(email: string, count: number) {
  let last;
  for (let done = 0; done < count; ) {
    const client = new Client(t.app);
    const start = await passwordStep(client, email);
    if (start.statusCode !== 303) return start;
    for (let i = 0; i < MAX_CODE_ATTEMPTS - 1 && done < count; i++, done++) last = await client.post('/sign-in/code', { code: '000000' });
  }
  return last!;
}

describe('an enrolled user', () => {
  it('is never shown a new key, and a code for a key of the attacker’s choosing signs nobody in (the reproduction)', async () => {
    for (const roles of [['administrator'], ['police']] as const) {
      const user = await makeUser(t.db, agencyId, [...roles]);
      const client = new Client(t.app);
      expect((await passwordStep(client, user.email)).headers.location).toBe('/sign-in/code');
      const setUp = await client.get('/sign-in/set-up-code');
      expect(setUp.statusCode).toBe(303);
      expect(setUp.headers.location).toBe('/sign-in/code');
      expect(setUp.body).not.toContain('totp-key');
      // Even with a key planted on the session, posting its code enrols nothing and signs nobody in.
      const planted = newTotpSecret();
      await t.db.updateTable('session').set({ pending_totp_secret: planted }).where('user_id', '=', user.id).execute();
      const post = await client.post('/sign-in/set-up-code', { code: await totpCode(planted) });
      expect(post.headers.location).toBe('/sign-in/code');
      expect(await fullySignedIn(client)).toBe(false);
      expect((await client.get('/admin/users')).statusCode).toBe(303);
      expect(await storedKey(user.id)).toBe(user.totpSecret);
      expect(await t.db.selectFrom('audit_event').select('seq').where('action', '=', 'sign-in.enrol-code').where('user_id', '=', user.id).where('outcome', '=', 'allowed').execute()).toHaveLength(0);
    }
  });

  it('signs in with a code for the stored key', async () => {
    const user = await makeUser(t.db, agencyId, ['administrator']);
    const client = new Client(t.app);
    await passwordStep(client, user.email);
    expect((await client.post('/sign-in/code', { code: await totpCode(user.totpSecret!) })).headers.location).toBe('/');
    expect((await client.get('/admin/users')).statusCode).toBe(200);
  });
});

describe('wrong codes are counted per account, across sessions and addresses', () => {
  it(`allows ${MAX_FACTOR_FAILURES - 1} wrong codes in an hour and still signs in with the right one`, async () => {
    const user = await makeUser(t.db, agencyId, ['coordinator']);
    const last = await wrongCodes(user.email, MAX_FACTOR_FAILURES - 1);
    expect(last.statusCode).toBe(401);
    const client = new Client(t.app);
    expect((await passwordStep(client, user.email)).headers.location).toBe('/sign-in/code');
    expect((await client.post('/sign-in/code', { code: await totpCode(user.totpSecret!) })).headers.location).toBe('/');
  });

  it(`locks the account at the ${MAX_FACTOR_FAILURES}th, refuses even the right code, tells the user and the administrators, and opens after the cool-down`, async () => {
    const user = await makeUser(t.db, agencyId, ['coordinator']);
    const last = await wrongCodes(user.email, MAX_FACTOR_FAILURES);
    expect(last.statusCode).toBe(423);
    expect(last.body).toContain('This account is locked');
    expect(last.body).toContain('Your administrators have been told');
    expect(await t.db.selectFrom('audit_event').select('seq').where('action', '=', 'sign-in.locked').where('record_id', '=', user.id).execute()).toHaveLength(1);

    // The right password now says the account is locked, and starts no sign-in.
    const client = new Client(t.app);
    const locked = await passwordStep(client, user.email);
    expect(locked.statusCode).toBe(423);
    expect(client.cookies.get('reachable-session')).toBeUndefined();

    // Administrators see it on the users page.
    const admin = await signedIn(t, await makeUser(t.db, agencyId, ['administrator']));
    const users = await admin.get('/admin/users');
    expect(users.body).toContain('locked after too many wrong codes');
    expect(users.body).toContain(`/admin/users/${user.id}`);

    // One minute before the end of the cool-down it is still locked; one minute after, it is not.
    await t.db.updateTable('app_user').set({ locked_until: new Date(Date.now() + 60_000) }).where('id', '=', user.id).execute();
    expect((await passwordStep(new Client(t.app), user.email)).statusCode).toBe(423);
    await t.db.updateTable('app_user').set({ locked_until: new Date(Date.now() - 60_000) }).where('id', '=', user.id).execute();
    const after = new Client(t.app);
    expect((await passwordStep(after, user.email)).headers.location).toBe('/sign-in/code');
    expect((await after.post('/sign-in/code', { code: await totpCode(user.totpSecret!) })).headers.location).toBe('/');
  });

  it(`locks for ${LOCKOUT_MINUTES} minutes, unless an administrator unlocks it`, async () => {
    const user = await makeUser(t.db, agencyId, ['caseworker']);
    await wrongCodes(user.email, MAX_FACTOR_FAILURES);
    const row = await t.db.selectFrom('app_user').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
    const minutes = (new Date(row.locked_until!).getTime() - Date.now()) / 60_000;
    expect(minutes).toBeGreaterThan(LOCKOUT_MINUTES - 1);
    expect(minutes).toBeLessThanOrEqual(LOCKOUT_MINUTES);
    const admin = await signedIn(t, await makeUser(t.db, agencyId, ['administrator']));
    const unlocked = await submit(admin, `/admin/users/${user.id}`, `/admin/users/${user.id}/unlock`);
    expect(unlocked.headers.location).toBe(`/admin/users/${user.id}?unlocked=1`);
    expect((await admin.get(unlocked.headers.location as string)).body).toContain('The account is unlocked');
    expect((await passwordStep(new Client(t.app), user.email)).headers.location).toBe('/sign-in/code');
  });
});

describe('passkeys required for administrators and IG officers', () => {
  it('makes a code earn only the right to register a passkey, and leaves other roles alone', async () => {
    const policyAdmin = await signedIn(t, await makeUser(t.db, agencyId, ['administrator']));
    const saved = await policyAdmin.post('/admin/sign-in-policy', { passkeysRequired: 'yes' });
    expect(saved.headers.location).toBe('/admin/users?policy=saved');
    try {
      const ig = await makeUser(t.db, agencyId, ['ig_officer']);
      const client = new Client(t.app);
      await passwordStep(client, ig.email);
      const code = await client.post('/sign-in/code', { code: await totpCode(ig.totpSecret!) });
      expect(code.headers.location).toBe('/sign-in/passkey/register');
      expect(await fullySignedIn(client)).toBe(false);
      expect((await client.get('/audit')).statusCode).toBe(303);
      const register = await client.get('/sign-in/passkey/register');
      expect(register.statusCode).toBe(200);
      expect(register.body).toContain('Set up a passkey');
      // A made-up answer registers nothing and signs nobody in.
      const bogus = await client.post('/sign-in/passkey/register', { name: 'Laptop', credential: JSON.stringify({ id: 'abc', rawId: 'abc', type: 'public-key', response: {} }) });
      expect(bogus.statusCode).toBe(400);
      expect(bogus.body).toContain('could not be checked');
      expect(await fullySignedIn(client)).toBe(false);

      const caseworker = await makeUser(t.db, agencyId, ['caseworker']);
      const other = new Client(t.app);
      await passwordStep(other, caseworker.email);
      expect((await other.post('/sign-in/code', { code: await totpCode(caseworker.totpSecret!) })).headers.location).toBe('/');
    } finally {
      await setSetting(t.db, PASSKEYS_REQUIRED, false);
    }
  });

  it('refuses the code once the user has a passkey, and keeps their last passkey while one is required', async () => {
    const admin = await makeUser(t.db, agencyId, ['administrator']);
    const key = await t.db.insertInto('passkey').values({ user_id: admin.id, credential_id: `cred-${admin.id}`, public_key: 'AA', name: 'Security key' }).returning('id').executeTakeFirstOrThrow();
    await setSetting(t.db, PASSKEYS_REQUIRED, true);
    try {
      const client = new Client(t.app);
      await passwordStep(client, admin.email);
      expect((await client.get('/sign-in/code')).headers.location).toBe('/sign-in/passkey');
      const code = await client.post('/sign-in/code', { code: await totpCode(admin.totpSecret!) });
      expect(code.headers.location).toBe('/sign-in/passkey');
      expect(await fullySignedIn(client)).toBe(false);
      const page = await client.get('/sign-in/passkey');
      expect(page.statusCode).toBe(200);
      expect(page.body).not.toContain('Use a code from your authenticator app instead');
      const wrong = await client.post('/sign-in/passkey', { credential: JSON.stringify({ id: `cred-${admin.id}`, rawId: 'x', type: 'public-key', response: {} }) });
      expect(wrong.statusCode).toBe(401);
      expect(await fullySignedIn(client)).toBe(false);

      const own = await signedIn(t, admin);
      const removeLast = await own.post(`/account/passkeys/${key.id}/remove`, {});
      expect(removeLast.statusCode).toBe(400);
      expect(removeLast.body).toContain('cannot remove your only passkey');
    } finally {
      await setSetting(t.db, PASSKEYS_REQUIRED, false);
    }
  });
});

describe('a user’s own passkeys', () => {
  it('are renamed and removed by their owner only, each change confirmed and audited', async () => {
    const owner = await makeUser(t.db, agencyId, ['caseworker']);
    const key = await t.db.insertInto('passkey').values({ user_id: owner.id, credential_id: `cred-${owner.id}`, public_key: 'AA', name: 'Phone' }).returning('id').executeTakeFirstOrThrow();
    const stranger = await signedIn(t, await makeUser(t.db, agencyId, ['caseworker']));
    expect((await stranger.post(`/account/passkeys/${key.id}/rename`, { name: 'Mine now' })).statusCode).toBe(404);
    expect((await stranger.post(`/account/passkeys/${key.id}/remove`, {})).statusCode).toBe(404);

    const client = await signedIn(t, owner);
    const page = await client.get('/account/passkeys');
    expect(page.body).toContain('value="Phone"');
    const blank = await client.post(`/account/passkeys/${key.id}/rename`, { name: '' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('Enter a name for this passkey');
    const renamed = await submit(client, '/account/passkeys', `/account/passkeys/${key.id}/rename`, { name: 'Work phone' });
    expect((await client.get(renamed.headers.location as string)).body).toContain('Your passkey has been renamed');
    const removed = await submit(client, '/account/passkeys', `/account/passkeys/${key.id}/remove`);
    expect((await client.get(removed.headers.location as string)).body).toContain('Your passkey has been removed');
    expect(await t.db.selectFrom('passkey').select('id').where('user_id', '=', owner.id).execute()).toHaveLength(0);
    expect(await t.db.selectFrom('audit_event').select('action').where('record_id', '=', key.id).orderBy('seq').execute()).toEqual([{ action: 'passkey.rename' }, { action: 'passkey.remove' }]);
  });

  it('are removed with the rest of the sign-in when an administrator resets it', async () => {
    const user = await makeUser(t.db, agencyId, ['caseworker']);
    await t.db.insertInto('passkey').values({ user_id: user.id, credential_id: `cred-${user.id}`, public_key: 'AA', name: 'Key' }).execute();
    const admin = await signedIn(t, await makeUser(t.db, agencyId, ['administrator']));
    expect((await submit(admin, `/admin/users/${user.id}`, `/admin/users/${user.id}/reset`)).statusCode).toBe(200);
    expect(await t.db.selectFrom('passkey').select('id').where('user_id', '=', user.id).execute()).toHaveLength(0);
  });
});
