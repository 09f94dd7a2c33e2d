// Passkeys in a real browser (issue 17, part 2): Chromium with a virtual
// authenticator (the DevTools protocol's WebAuthn domain) registers a
// passkey, signs in with it, is required to use it once the partnership turns
// that on, and is refused when the answer was made for another origin.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { totpCode } from '../../src/platform/totp.ts';
import { setSetting } from '../../src/platform/settings.ts';
import { PASSKEYS_REQUIRED } from '../../src/modules/access/secondFactor.ts';
import { makeAgency, makeUser, TEST_PASSWORD } from '../support/app.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';

let b: Browser;
beforeAll(async () => {
  b = await openBrowser({ hostname: 'localhost' });
}, 120_000);
afterAll(async () => {
  await b?.close();
});

async function withAuthenticator(page: Page) {
  const cdp = await b.context.newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

async function passwordStep(page: Page, email: string) {
  await b.context.clearCookies();
  await page.goto(`${b.base}/sign-in`);
  await page.fill('#email', email);
  await page.fill('#password', TEST_PASSWORD);
  await page.click('button:has-text("Continue")');
}

describe('passkeys', () => {
  it('are registered, sign a user in, can be required, and refuse an answer made for another origin', async () => {
    const council = await makeAgency(b.t.db, { kind: 'council' });
    const admin = await makeUser(b.t.db, council.id, ['administrator']);
    const page = await b.context.newPage();
    await withAuthenticator(page);

    // Register a passkey from the account page.
    await signIn(b, page, admin);
    await page.goto(`${b.base}/account/passkeys`);
    await axe(b, page);
    await page.fill('#name', 'Work laptop');
    await page.click('button:has-text("Set up a passkey")');
    await page.waitForURL(`${b.base}/account/passkeys?added=1`);
    expect(await page.textContent('.govuk-notification-banner')).toContain('Your passkey has been added');
    expect(await page.inputValue('input[name="name"][value="Work laptop"]')).toBe('Work laptop');
    await axe(b, page);

    // Sign in with it instead of a code.
    await passwordStep(page, admin.email);
    await page.click('a:has-text("Use a passkey instead")');
    await axe(b, page);
    await page.click('button:has-text("Use my passkey")');
    await page.waitForURL(`${b.base}/`);
    expect((await b.t.db.selectFrom('passkey').select('last_used_at').where('user_id', '=', admin.id).executeTakeFirstOrThrow()).last_used_at).not.toBeNull();

    // The partnership requires passkeys for administrators: the code page sends them to the passkey.
    await page.goto(`${b.base}/admin/users`);
    await page.check('input[name="passkeysRequired"][value="yes"]');
    await page.click('button:has-text("Save sign-in policy")');
    await page.waitForURL(`${b.base}/admin/users?policy=saved`);
    await passwordStep(page, admin.email);
    await page.waitForURL(`${b.base}/sign-in/passkey`);
    expect(await page.content()).not.toContain('Use a code from your authenticator app instead');

    // An answer the browser made for this origin, checked by a server whose origin is another, is refused.
    const real = b.t.app.config.publicUrl;
    b.t.app.config.publicUrl = 'http://localhost:1';
    try {
      await page.click('button:has-text("Use my passkey")');
      await page.waitForLoadState('load');
      const summary = (await page.textContent('.govuk-error-summary')) ?? '';
      expect(summary).toContain('Your passkey was not accepted');
      expect((await page.request.get(`${b.base}/admin/users`, { maxRedirects: 0 })).status()).toBe(303);
    } finally {
      b.t.app.config.publicUrl = real;
    }
    await page.click('button:has-text("Use my passkey")');
    await page.waitForURL(`${b.base}/`);

    // A new IG officer, while passkeys are required: the code earns only the passkey set-up.
    const ig = await makeUser(b.t.db, council.id, ['ig_officer']);
    await passwordStep(page, ig.email);
    await page.fill('#code', await totpCode(ig.totpSecret!));
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${b.base}/sign-in/passkey/register`);
    await axe(b, page);
    await page.fill('#name', 'Security key');
    await page.click('button:has-text("Set up a passkey")');
    await page.waitForURL(`${b.base}/account/passkeys?added=1`);
    expect((await page.request.get(`${b.base}/audit`, { maxRedirects: 0 })).status()).toBe(200);
    await setSetting(b.t.db, PASSKEYS_REQUIRED, false);
  });
});
