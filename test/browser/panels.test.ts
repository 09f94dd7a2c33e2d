// Panels and the exploitation picture in a real browser (issue 23): an
// administrator makes an extra-familial risk panel from the library of
// rules (a refusal first); a caseworker records a child's missing episode,
// its return and an NRM referral, and an exclusion; the chair plans the
// panel, whose agenda lists them, refers a child from their record and
// rates a risk plan. Stop and search by ethnicity. axe-core clean on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { makeAgency, makeUser } from '../support/app.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';

let b: Browser;

beforeAll(async () => {
  b = await openBrowser();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

const fillDate = async (page: import('playwright-core').Page, name: string, iso: string, time?: string) => {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${name}-day`, String(Number(d)));
  await page.fill(`#${name}-month`, String(Number(m)));
  await page.fill(`#${name}-year`, y);
  if (time) await page.fill(`#${name}-time`, time);
};

describe('panels and exploitation journey', () => {
  it('makes a panel, records a missing episode, an NRM referral and an exclusion, and the panel’s agenda lists them', async () => {
    const council = await makeAgency(b.t.db, { name: 'Browser Council', kind: 'council', receivesIncidents: true });
    const admin = await makeUser(b.t.db, council.id, ['administrator']);
    const worker = await makeUser(b.t.db, council.id, ['coordinator', 'panel_chair']);
    const child = (await b.t.db.insertInto('person').values({ agency_id: council.id, given_name: 'Kai', family_name: 'Missing', date_of_birth: `${new Date().getFullYear() - 15}-04-05`, sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow()).id;
    const today = londonToday();
    const yesterday = addDays(today, -1);

    const page = await b.context.newPage();
    await signIn(b, page, admin);
    const main = () => page.textContent('main');
    await page.goto(`${b.base}/meeting-types`);
    expect(await main()).toContain('Extra-Familial Risk Panel');
    await axe(b, page);
    await page.click('a:has-text("Make a meeting type")');
    await axe(b, page);
    await page.click('button:has-text("Save the meeting type")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the meeting’s name');
    await axe(b, page);
    await page.fill('#name', 'Browser EFRP');
    await page.fill('#description', 'Children at risk of harm outside the family');
    await page.check('input[name="rules"][value="referred"]');
    await page.check('input[name="rules"][value="missing_without_interview"]');
    await page.fill('#missing_without_interview-episodes', '1');
    await page.check('input[name="rules"][value="nrm_waiting"]');
    await page.check('input[name="rules"][value="education"]');
    await page.click('button:has-text("Save the meeting type")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The meeting type has been made');
    expect(await main()).toContain('Browser EFRP');
    await page.context().clearCookies();

    await signIn(b, page, worker);
    await page.goto(`${b.base}/people/${child}`);
    await axe(b, page);
    await page.click('a:has-text("Record a missing episode")');
    await axe(b, page);
    await page.check('input[name="reportedBy"][value="parent_carer"]');
    await fillDate(page, 'missingFrom', yesterday, '01:00');
    await fillDate(page, 'reportedAt', yesterday, '00:30');
    await page.click('button:has-text("Record the missing episode")');
    expect(await page.textContent('.govuk-error-summary')).toContain('When it was reported must be after the child was last seen');
    await axe(b, page);
    await fillDate(page, 'reportedAt', yesterday, '02:00');
    await page.click('button:has-text("Record the missing episode")');
    await page.waitForURL(/\/missing-episodes\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The missing episode has been recorded');
    await axe(b, page);
    await fillDate(page, 'returnedAt', yesterday, '20:00');
    await page.fill('#foundWhere', 'Southend');
    await page.click('button:has-text("Record the return")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('the return home interview is due within 72 hours');
    expect(await main()).toContain('Due');
    await axe(b, page);
    await page.goto(`${b.base}/missing-episodes`);
    expect(await main()).toContain('Kai Missing');
    await axe(b, page);

    await page.goto(`${b.base}/people/${child}`);
    await page.click('a:has-text("Record an NRM referral")');
    await page.fill('#firstResponder', 'Sam Okoro, children’s services');
    await fillDate(page, 'referredOn', today);
    await page.check('input[name="exploitation"][value="criminal"]');
    await page.click('button:has-text("Record the referral")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The NRM referral has been recorded');
    expect(await main()).toContain('Record the reasonable grounds decision');
    await axe(b, page);
    await page.goto(`${b.base}/nrm-referrals`);
    expect(await main()).toContain('Kai Missing');
    await axe(b, page);

    await page.goto(`${b.base}/people/${child}`);
    await page.click('a:has-text("Record time out of school")');
    await axe(b, page);
    await page.check('input[name="kind"][value="permanent_exclusion"]');
    await page.fill('#school', 'Walthamstow Academy');
    await fillDate(page, 'startedOn', today);
    await page.click('button:has-text("Record it")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The time out of school has been recorded');
    expect(await main()).toContain('Permanently excluded from Walthamstow Academy');
    await page.click('summary:has-text("Refer Kai to a panel")');
    await page.selectOption('#meetingType', { label: 'Browser EFRP' });
    await page.fill('#referralReason', 'Found in Southend; excluded this week');
    await page.click('button:has-text("Refer to the meeting")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('next agenda');
    await axe(b, page);

    await page.goto(`${b.base}/meetings`);
    await page.check('input[name="type"][value="browser_efrp"]');
    await fillDate(page, 'date', addDays(today, 1));
    await page.click('button:has-text("Plan meeting and build its agenda")');
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}$/);
    const agenda = await main();
    expect(agenda).toContain('Referred to this meeting');
    expect(agenda).toContain('Children missing at least once in 90 days, with no return home interview');
    expect(agenda).toContain('NRM referrals waiting for a decision');
    expect(agenda).toContain('Children newly missing education, suspended or excluded');
    await axe(b, page);
    await page.close();
  });

  it('stop and search by ethnicity has its table and its method', async () => {
    const council = await makeAgency(b.t.db, { kind: 'council' });
    const analyst = await makeUser(b.t.db, council.id, ['analyst']);
    const page = await b.context.newPage();
    await signIn(b, page, analyst);
    await page.goto(`${b.base}/disproportionality`);
    await page.click('a:has-text("Stop and search by ethnicity")');
    expect(await page.textContent('h1')).toContain('Stop and search by ethnicity');
    expect(await page.textContent('main')).toContain('How this is worked out');
    await axe(b, page);
    await page.close();
  });
});
