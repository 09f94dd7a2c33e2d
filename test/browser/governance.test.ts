// The data sharing agreements register in a real browser (issue 21): the
// information governance officer records an agreement between the council
// and a voluntary-sector service (a refusal first) and finds it in force on
// the register. axe-core on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { makeAgency, makeUser } from '../support/app.ts';
import { axe, openBrowser, openFromMenu, signIn, type Browser } from '../support/browser.ts';

let b: Browser;

beforeAll(async () => {
  b = await openBrowser();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

const fillDate = async (page: import('playwright-core').Page, name: string, iso: string) => {
  const [y, m, d] = iso.split('-');
  await page.fill(`#${name}-day`, String(Number(d)));
  await page.fill(`#${name}-month`, String(Number(m)));
  await page.fill(`#${name}-year`, y);
};

describe('data sharing agreements journey', () => {
  it('records an agreement between the council and a voluntary-sector service', async () => {
    const council = await makeAgency(b.t.db, { name: 'Register Council', kind: 'council', receivesIncidents: true, agreement: false });
    const charity = await makeAgency(b.t.db, { name: 'Register Youth Charity', kind: 'voluntary', agreement: false });
    const officer = await makeUser(b.t.db, council.id, ['ig_officer']);
    const page = await b.context.newPage();
    await signIn(b, page, officer);
    await openFromMenu(page, 'Data sharing agreements');
    await axe(b, page);
    await page.click('a:has-text("Record an agreement")');
    await axe(b, page);
    await page.click('button:has-text("Save the agreement")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the agreement’s title');
    await axe(b, page);
    await page.fill('#title', 'Council and youth charity mentoring agreement');
    await page.check(`input[name="partyAgencyIds"][value="${council.id}"]`);
    await page.check(`input[name="partyAgencyIds"][value="${charity.id}"]`);
    await page.check('input[name="purposes"][value="referral"]');
    await page.check('input[name="dataCategories"][value="personal"]');
    await page.check('input[name="article6"][value="e"]');
    await fillDate(page, 'startsOn', addDays(londonToday(), -1));
    await fillDate(page, 'reviewOn', addDays(londonToday(), 20));
    await page.fill('#signatories', 'Director of Children’s Services; Chief Executive of the charity');
    await page.fill('#document', 'Signed copy with information governance');
    await page.click('button:has-text("Save the agreement")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The data sharing agreement has been recorded');
    // Due for review in 20 days, and in force.
    expect(await page.textContent('main')).toMatch(/Due for review within 30 days[\s\S]*Council and youth charity mentoring agreement[\s\S]*In force[\s\S]*Council and youth charity mentoring agreement/);
    await axe(b, page);
    await page.click('a:has-text("Council and youth charity mentoring agreement")');
    await axe(b, page);
  });
});
