// A person's journey in a real browser (Debian's Chromium, headless): sign in
// with a code from an authenticator app, record an incident with two people,
// find it in the list, edit it. axe-core checks every page on the way. Then
// the same forms again with JavaScript switched off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { totpCode } from '../../src/platform/totp.ts';
import { makeAgency, makeUser, TEST_PASSWORD, type TestApp } from '../support/app.ts';
import { CHROMIUM, axe as axeCheck, openBrowser, openFromMenu, signIn as signInAs, type Browser } from '../support/browser.ts';

let browser: Browser;
let t: TestApp;
let base: string;
let context: BrowserContext;
let checked: string[];

// Every journey on a desktop and on a phone (issue 22): each width its own Reachable and browser, one after the other.
const WIDTHS = [1280, 375];

const axe = (page: Page) => axeCheck(browser, page);

async function fillDateTime(page: Page, name: string, date: Date) {
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(date).map((x) => [x.type, x.value]));
  await page.fill(`#${name}-day`, p.day);
  await page.fill(`#${name}-month`, p.month);
  await page.fill(`#${name}-year`, p.year);
  await page.fill(`#${name}-time`, `${p.hour}:${p.minute}`);
}


const signIn = (page: Page, user: { email: string; totpSecret?: string | null }) => signInAs(browser, page, user);

/** Closed episodes of a service with measures at both ends, so one more makes a group big enough to publish. */
async function pastEpisodes(serviceId: string, agencyId: string, workerId: string, count: number) {
  for (let i = 0; i < count; i++) {
    const p = await t.db.insertInto('person').values({ given_name: `Earlier${i}`, family_name: 'Client', date_of_birth: '2010-01-01', sex: 'male', ethnicity: 'not_stated', agency_id: agencyId }).returning('id').executeTakeFirstOrThrow();
    const referral = await t.db
      .insertInto('referral')
      .values({ reference: `RF-PAST-${i}`, person_id: p.id, service_id: serviceId, from_agency_id: agencyId, reason: 'Earlier referral', sharing_basis: 'consent', consent_by: 'young_person', consent_on: '2026-01-05', status: 'ended', end_reason: 'completed', response_due_on: '2026-01-12' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const episode = await t.db.insertInto('episode').values({ person_id: p.id, service_id: serviceId, agency_id: agencyId, referral_id: referral.id, lead_worker_id: workerId, started_on: '2026-01-10', review_on: '2026-03-01', closed_on: '2026-06-01', outcome: 'completed' }).returning('id').executeTakeFirstOrThrow();
    const m = { offences_6m: 2, victimisation_6m: 1, attendance_pct: 70, exclusions: 1, ete_status: 'school', benefit_status: 'none' };
    await t.db.insertInto('outcome_measure').values([{ ...m, episode_id: episode.id, stage: 'start', measured_on: '2026-01-10' }, { ...m, offences_6m: 0, episode_id: episode.id, stage: 'end', measured_on: '2026-06-01' }]).execute();
  }
}

describe.each(WIDTHS)('in a browser %i px wide', (width) => {
  beforeAll(async () => {
    browser = await openBrowser({ width });
    ({ t, base, context, checked } = browser);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('signs in with TOTP, records an incident with two people, works an urgent response, sees the figures and the DRM agenda: no accessibility violations', async () => {
    const police = await makeAgency(t.db, { name: 'Metropolitan Police North East BCU', kind: 'police' });
    await makeAgency(t.db, { name: 'Waltham Forest Council', kind: 'council', receivesIncidents: true });
    const user = await makeUser(t.db, police.id, ['police'], { email: 'dc.reid@example.gov.uk', withTotp: false });
    const page = await context.newPage();
    const external: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !request.url().startsWith('data:')) external.push(request.url());
    });

    await page.goto(`${base}/incidents`);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await axe(page);
    await page.fill('#email', user.email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button:has-text("Continue")');

    // First sign-in: enrol an authenticator app from the written-out key.
    await page.waitForURL('**/sign-in/set-up-code');
    await axe(page);
    const key = (await page.textContent('#totp-key'))!.replace(/\s+/g, '');
    await page.fill('#code', await totpCode(key));
    await page.click('button:has-text("Continue")');
    await page.waitForURL(`${base}/`);
    await axe(page);

    await page.click('a:has-text("Record an incident")');
    await page.waitForURL('**/incidents/new');
    await axe(page);
    // Submitting an empty form shows the error summary, itself accessible.
    await page.selectOption('#type', '');
    await page.click('button:has-text("Record incident")');
    await expect(page.locator('.govuk-error-summary')).toBeTruthy();
    expect(await page.textContent('.govuk-error-summary')).toContain('Select the type of incident');
    await axe(page);

    await page.selectOption('#type', 'knife_injury');
    await fillDateTime(page, 'occurredAt', new Date(Date.now() - 5 * 3_600_000));
    await fillDateTime(page, 'notifiedAt', new Date(Date.now() - 4 * 3_600_000));
    await page.check('input[name="weapon"][value="knife"]');
    await page.fill('#placeDescription', 'Outside Walthamstow Central station');
    await page.fill('#latitude', '51.5830');
    await page.fill('#longitude', '-0.0199');
    // A long unbroken run in the narrative (a pasted link) wraps instead of widening the page.
    await page.fill('#narrative', `Stabbed outside the station. CCTV: https://cctv.example.invalid/${'x'.repeat(3000)}`);
    await page.click('button:has-text("Record incident")');
    await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
    await axe(page);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(await page.evaluate(() => window.innerWidth));
    const incidentUrl = page.url();
    const reference = (await page.textContent('h1'))!.replace('Incident ', '').trim();

    for (const [role, given, family, year] of [
      ['victim', 'Jayden', 'Okoro', '2010'],
      ['suspect', 'Kai', 'Brown', '2008'],
    ]) {
      await page.click('a:has-text("Add a person")');
      await axe(page);
      await page.check(`input[name="role"][value="${role}"] >> nth=-1`);
      await page.fill('#givenName', given);
      await page.fill('#familyName', family);
      await page.fill('#dateOfBirth-day', '14');
      await page.fill('#dateOfBirth-month', '3');
      await page.fill('#dateOfBirth-year', year);
      await page.check('input[name="sex"][value="male"]');
      await page.selectOption('#ethnicity', 'not_stated');
      await page.click('button:has-text("Add person")');
      await page.waitForURL(incidentUrl);
    }
    expect(await page.textContent('main')).toContain('Jayden Okoro');
    expect(await page.textContent('main')).toContain('Kai Brown');
    await axe(page);

    await openFromMenu(page, 'Incidents');
    await page.waitForURL('**/incidents');
    await axe(page);
    await page.selectOption('#type', 'knife_injury');
    await page.click('button:has-text("Apply filters")');
    await page.click(`a:has-text("${reference}")`);
    await page.waitForURL(incidentUrl);

    await page.click('a:has-text("Edit incident")');
    await axe(page);
    await page.fill('#placeDescription', 'Hoe Street, outside Walthamstow Central station');
    await page.click('button:has-text("Save changes")');
    await page.waitForURL(incidentUrl);
    expect(await page.textContent('main')).toContain('Hoe Street, outside Walthamstow Central station');
    expect(await page.textContent('main')).toContain('Incident edited');
    await axe(page);

    await page.click('button:has-text("Sign out")');
    await page.waitForURL('**/signed-out');
    await axe(page);

    // The council's coordinator finds two urgent responses opened, one for each young person, and works one.
    const council = await t.db.selectFrom('agency').select('id').where('name', '=', 'Waltham Forest Council').executeTakeFirstOrThrow();
    const coordinator = await makeUser(t.db, council.id, ['coordinator'], { email: 'chloe.mensah@example.gov.uk' });
    await page.goto(`${base}/sign-in`);
    await page.fill('#email', coordinator.email);
    await page.fill('#password', TEST_PASSWORD);
    await page.click('button:has-text("Continue")');
    await page.fill('#code', await totpCode(coordinator.totpSecret!));
    await page.click('button:has-text("Sign in")');
    await page.waitForURL(`${base}/`);
    await openFromMenu(page, 'Urgent responses');
    await page.waitForURL('**/urgent-responses');
    await axe(page);
    expect(await page.textContent('main')).toContain('Jayden Okoro');
    expect(await page.textContent('main')).toContain('Kai Brown');
    await page.click('a:has-text("Jayden Okoro")');
    await axe(page);
    // The summary leads with the next step; the attempt is recorded on its own part.
    expect(await page.textContent('main')).toContain('Next step:');
    await page.click('.moj-sub-navigation a:has-text("Contact attempts")');
    await page.check('input[name="withWhom"][value="parent_carer"]');
    await page.selectOption('#channel', 'phone');
    await page.check('input[name="outcome"][value="reached"]');
    await page.click('button:has-text("Save attempt")');
    await page.waitForURL(/\/urgent-responses\/[0-9a-f-]{36}\/attempts$/);
    expect(await page.textContent('.govuk-notification-banner')).toContain('The contact attempt has been recorded');
    await axe(page);
    // Consent from the mother, a needs assessment and a plan.
    await page.click('.moj-sub-navigation a:has-text("Consent and sharing")');
    await page.click('summary:has-text("Record consent")');
    await page.check('input[name="consentStatus"][value="given"]');
    await page.check('input[name="consentBy"][value="parent_carer"]');
    await page.click('button:has-text("Save consent")');
    await page.waitForURL(/\/urgent-responses\/[0-9a-f-]{36}\/consent$/);
    expect(await page.textContent('main')).toContain('Information may be shared');
    await axe(page);
    await page.click('.moj-sub-navigation a:has-text("Needs")');
    await page.click('a:has-text("Update the needs assessment")');
    await axe(page);
    await page.check('input[name="education-level"][value="high"]');
    await page.fill('#education-strengths', 'Good relationship with his football coach');
    await page.click('button:has-text("Save needs assessment")');
    await page.waitForURL(/\/urgent-responses\/[0-9a-f-]{36}\/needs$/);
    expect(await page.textContent('main')).toContain('High need');
    await axe(page);
    await page.click('.moj-sub-navigation a:has-text("Plan and referrals")');
    await page.click('summary:has-text("Add an action to the plan")');
    await page.click('button:has-text("Add action")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select the agency that owns the action');
    await axe(page);
    await page.fill('#actionDescription', 'Mentoring session with Spark2Life');
    await page.selectOption('#actionAgency', { label: 'Waltham Forest Council' });
    await page.fill('#actionOwner', 'Chloe Mensah');
    const due = new Date(Date.now() + 3 * 86_400_000);
    await page.fill('#actionDue-day', String(due.getUTCDate()));
    await page.fill('#actionDue-month', String(due.getUTCMonth() + 1));
    await page.fill('#actionDue-year', String(due.getUTCFullYear()));
    await page.click('button:has-text("Add action")');
    await page.waitForURL(/\/plan$/);
    expect(await page.textContent('main')).toContain('Mentoring session with Spark2Life');
    await axe(page);
    await page.click('.moj-sub-navigation a:has-text("History")');
    expect(await page.textContent('main')).toContain('Contact attempt recorded');
    await axe(page);
    await page.click('.moj-sub-navigation a:has-text("Summary")');
    await page.click('a:has-text("Close this urgent response")');
    await axe(page);
    await page.click('button:has-text("Close urgent response")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select why');
    await axe(page);
    await page.check('input[name="reason"][value="supported"]');
    await page.click('button:has-text("Close urgent response")');
    await page.waitForURL(/\/urgent-responses\/[0-9a-f-]{36}$/);
    expect(await page.textContent('main')).toContain('Closed on');

    // The figures page shows it, suppressed as a small number.
    await openFromMenu(page, 'Figures');
    await axe(page);
    expect(await page.innerHTML('main')).toMatch(/>\s*hidden\s*</);
    expect(await page.textContent('main')).toContain('“Hidden” marks a count from 1 to 4');
    // The DRM agenda for the next morning lists the other young person.
    await openFromMenu(page, 'Meetings');
    await axe(page);
    await page.click('button:has-text("Plan meeting and build its agenda")');
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    await axe(page);
    expect(await page.textContent('main')).toContain('Kai Brown');
    // Each item has its own page: notes saved there, and on to the next item.
    await page.click('.reachable-agenda a:has-text("Kai Brown")');
    await axe(page);
    await page.fill('textarea[name^="summary-"]', 'Kai seen by the YOT worker; mother worried about retaliation');
    await page.click('button:has-text("Save notes")');
    await page.waitForURL(/\/items\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.govuk-notification-banner')).toContain('The minutes for the item have been saved');
    await page.click('a:has-text("Back to the agenda")');
    await page.click('a:has-text("Minutes to print")');
    expect(await page.textContent('main')).toContain('mother worried about retaliation');
    await axe(page);
    await openFromMenu(page, 'Actions');
    await axe(page);
    expect(await page.textContent('main')).toContain('Mentoring session with Spark2Life');

    // The person record: found by a misspelt name, its page with who else is involved, a marker refused then added.
    await openFromMenu(page, 'People');
    await axe(page);
    await page.fill('#name', 'Brwn Kai');
    await page.click('main button:has-text("Search")');
    await axe(page);
    await page.click('a:has-text("Open the record of Kai Brown")');
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    await axe(page);
    expect(await page.textContent('main')).toContain('Urgent response');
    await page.click('summary:has-text("Add a safety marker")');
    await page.click('button:has-text("Add marker")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select the kind of marker');
    await axe(page);
    await page.selectOption('#markerKind', 'no_direct_family_contact');
    await page.click('button:has-text("Add marker")');
    await page.waitForURL(/#markers$/);
    expect(await page.textContent('.govuk-warning-text')).toContain('Do not contact the family directly');
    await axe(page);
    // The services directory, filtered to a 15-year-old.
    await openFromMenu(page, 'Services');
    await axe(page);
    await page.fill('#age', '15');
    await page.click('button:has-text("Filter")');
    await axe(page);
    expect(external).toEqual([]);
    // Nothing personal is kept in the browser's storage.
    const storage = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
    expect(storage).toEqual({ local: 0, session: 0 });
    expect(checked.length).toBeGreaterThanOrEqual(20);
    // A whole journey of some twenty pages: about 40 s on a quiet machine, so room for a busy one.
  }, 180_000);

  it('casework: a referral from an urgent response accepted by another agency, an episode with two contacts and outcomes, closed; the outcomes page shows it', async () => {
    const council = await t.db.selectFrom('agency').select('id').where('name', '=', 'Waltham Forest Council').executeTakeFirstOrThrow();
    const nhs = await makeAgency(t.db, { name: 'Barts Health NHS Trust', kind: 'nhs_trust' });
    const navigator = await makeUser(t.db, nhs.id, ['caseworker'], { email: 'priya.shah@example.nhs.uk' });
    const service = await t.db
      .insertInto('service')
      .values({ name: 'A&E navigators', provider_agency_id: nhs.id, domain: 'treat', description: 'Caseworkers in the hospital', min_age: 10, max_age: 25, capacity: 40, planned_weeks: 26, referral_criteria: 'Violence-related injury', contact: 'navigators@example.nhs.uk' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await pastEpisodes(service.id, nhs.id, navigator.id, 4);
    // Fresh users: a TOTP code works once, and the first journey's coordinator may have just used this one.
    const coordinator = await makeUser(t.db, council.id, ['coordinator'], { email: 'helen.clarke@example.gov.uk' });
    const analyst = await makeUser(t.db, council.id, ['analyst'], { email: 'omar.hussain@example.gov.uk' });
    const page = await context.newPage();

    // The coordinator refers Kai from his urgent response; the form first refuses a referral with no basis for sharing.
    await signIn(page, coordinator);
    await openFromMenu(page, 'Urgent responses');
    await page.click('a:has-text("Kai Brown")');
    await page.click('.moj-sub-navigation a:has-text("Plan and referrals")');
    await page.click('a:has-text("Refer Kai to a service")');
    await axe(page);
    await page.selectOption('#serviceId', service.id);
    await page.fill('#reason', 'Stabbed outside the station; agreed to meet a navigator.');
    await page.click('button:has-text("Send referral")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select whether the young person');
    await axe(page);
    await page.check('input[name="sharingBasis"][value="consent"]');
    await page.check('input[name="consentBy"][value="young_person"]');
    const today = new Date();
    await page.fill('#consentOn-day', String(today.getUTCDate()));
    await page.fill('#consentOn-month', String(today.getUTCMonth() + 1));
    await page.fill('#consentOn-year', String(today.getUTCFullYear()));
    await page.click('button:has-text("Send referral")');
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    expect(await page.textContent('main')).toContain('Consent given by young person');
    await axe(page);
    // A family record for Kai, with the family page.
    await page.click('a:has-text("Kai Brown")');
    await page.click('summary:has-text("Start a family record with Kai")');
    await page.fill('#familyName', 'The Brown family');
    await page.selectOption('#relationship', 'young_person');
    await page.click('button:has-text("Start a family record")');
    await page.waitForURL(/\/families\/[0-9a-f-]{36}$/);
    await axe(page);
    expect(await page.textContent('main')).toContain('Referral to A&E navigators');
    await page.click('button:has-text("Sign out")');

    // The navigator at the hospital accepts it and starts the episode.
    await signIn(page, navigator);
    await openFromMenu(page, 'Referrals');
    await axe(page);
    await page.click('td a[href^="/referrals/"]');
    await axe(page);
    await page.check('input[name="decision"][value="accepted"]');
    await page.click('button:has-text("Save decision")');
    await page.waitForURL(/\/referrals\/[0-9a-f-]{36}$/);
    await page.click('button:has-text("Start episode")');
    await page.waitForURL(/\/episodes\/[0-9a-f-]{36}$/);
    await axe(page);
    // Two contacts on the timeline.
    for (const [i, text] of ['Met Kai on the ward with his mum.', 'Phoned Kai: back at school on Monday.'].entries()) {
      await page.click('summary:has-text("Record a contact or note")');
      await page.check('input[name="kind"][value="contact"]');
      await page.check(`input[name="method"][value="${i ? 'phone' : 'face_to_face'}"]`);
      await fillDateTime(page, 'happenedAt', new Date(Date.now() - (3 - i) * 3_600_000));
      await page.fill('#body', text);
      await page.click('button:has-text("Save to the timeline")');
      await page.waitForURL(/#timeline$/);
    }
    expect(await page.textContent('.moj-timeline')).toContain('Phoned Kai');
    await axe(page);
    // Measures at the start and the end, then closure.
    for (const [stage, offences] of [['start', '2'], ['end', '0']]) {
      await page.click('summary:has-text("Record outcome measures")');
      await page.check(`input[name="stage"][value="${stage}"]`);
      await page.fill('#offences6m', offences);
      await page.fill('#victimisation6m', '1');
      await page.fill('#attendancePct', stage === 'start' ? '64' : '88');
      await page.check('input[name="eteStatus"][value="school"]');
      await page.check('input[name="benefitStatus"][value="none"]');
      await page.click('button:has-text("Save measures")');
      await page.waitForURL(/#outcomes$/);
    }
    await page.check('input[name="outcome"][value="completed"]');
    await page.fill('#closureNote', 'Back in school; goals met.');
    await page.click('button:has-text("Close episode")');
    await page.waitForURL(/#summary$/);
    expect(await page.textContent('h1')).toContain('Closed');
    await axe(page);
    await openFromMenu(page, 'Caseload');
    await axe(page);
    await page.click('button:has-text("Sign out")');

    // The outcomes page: five young people now, so the group is published.
    await signIn(page, analyst);
    await openFromMenu(page, 'Outcomes');
    await axe(page);
    const main = await page.textContent('main');
    expect(main).toContain('A&E navigators');
    expect(main).toContain('5 young people with measures at the start and the end');
    await page.close();
  }, 180_000);

  it('works without JavaScript', async () => {
    const council = await makeAgency(t.db, { kind: 'council' });
    const user = await makeUser(t.db, council.id, ['coordinator']);
    const noScript = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-chromium-')), {
      executablePath: CHROMIUM,
      javaScriptEnabled: false,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      const page = await noScript.newPage();
      await page.goto(`${base}/sign-in`);
      await page.fill('#email', user.email);
      await page.fill('#password', TEST_PASSWORD);
      await page.click('button:has-text("Continue")');
      await page.waitForURL('**/sign-in/code');
      await page.fill('#code', await totpCode(user.totpSecret!));
      await page.click('button:has-text("Sign in")');
      await page.waitForURL(`${base}/`);
      await page.goto(`${base}/incidents/new`);
      await page.selectOption('#type', 'weapon_robbery');
      await fillDateTime(page, 'occurredAt', new Date(Date.now() - 3 * 3_600_000));
      await fillDateTime(page, 'notifiedAt', new Date(Date.now() - 2 * 3_600_000));
      await page.check('input[name="weapon"][value="knife"]');
      await page.fill('#placeDescription', 'Lloyd Park');
      await page.click('button:has-text("Record incident")');
      await page.waitForURL(/\/incidents\/[0-9a-f-]{36}$/);
      await page.click('a:has-text("Add a person")');
      await page.fill('#searchName', 'nobody');
      await page.click('main button:has-text("Search")');
      expect(await page.textContent('main')).toContain('0 matches');
    } finally {
      await noScript.close();
    }
  });
});
