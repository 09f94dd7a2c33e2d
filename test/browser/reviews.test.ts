// A rapid review in a real browser: started from the incident, scoped (a
// missing scope refused), the timeline read, a finding and a recommendation
// that becomes an action, closed, the learning searched, the board's
// section; axe-core clean on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, newResponse } from '../support/app.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';
import { seedStrategy } from '../../src/modules/demo/strategy.ts';
import { monthOf } from '../../src/modules/figures/figures.ts';

let b: Browser;

beforeAll(async () => {
  b = await openBrowser();
  await seedStrategy(b.t.db, new Date());
}, 120_000);

afterAll(async () => {
  await b?.close();
});

describe('rapid review journey', () => {
  it('runs a review from the incident to the board report', async () => {
    const council = await makeAgency(b.t.db, { kind: 'council', receivesIncidents: true });
    const chair = await makeUser(b.t.db, council.id, ['panel_chair']);
    const { incidentId } = await newResponse(b.t, council.id, 'Journey', { family: 'Reviewed' });
    const page = await b.context.newPage();
    await signIn(b, page, chair);

    await page.goto(`${b.base}/incidents/${incidentId}`);
    await page.click('a:has-text("Start a rapid review")');
    await axe(b, page);
    await page.click('button:has-text("Start the review")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the scope of the review');
    await axe(b, page);
    await page.fill('#scope', 'How partners worked with the young people in the two years before.');
    await page.click('button:has-text("Start the review")');
    await page.waitForURL(/\/reviews\/[0-9a-f-]{36}$/);
    const main = () => page.textContent('main');
    expect(await main()).toContain('What happened across agencies');
    expect(await main()).toContain('Journey Reviewed');
    await axe(b, page);

    await page.fill('#finding', 'Support stopped at the move to secondary school.');
    await page.click('button:has-text("Add finding")');
    expect(await main()).toContain('Support stopped at the move to secondary school.');

    await page.fill('#recommendation', 'Share transition lists with the youth service each July.');
    await page.fill('#number', '5.3.1');
    await page.fill('#leadPartners', 'Schools / Youth Service');
    await page.fill('#dueOn-day', '31');
    await page.fill('#dueOn-month', '7');
    await page.fill('#dueOn-year', String(new Date().getFullYear() + 1));
    await page.click('button:has-text("Add recommendation")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select the plan that will track this recommendation');
    await axe(b, page);
    await page.selectOption('#strategyId', { label: 'Knife Crime Action Plan' });
    await page.click('button:has-text("Add recommendation")');
    expect(await main()).toContain('Knife Crime Action Plan 5.3.1');
    await axe(b, page);

    await page.click('button:has-text("Close the review")');
    expect(await page.textContent('h1')).toContain('Closed');
    await axe(b, page);

    await page.goto(`${b.base}/reviews`);
    await axe(b, page);
    await page.fill('#words', 'transition');
    await page.click('main button:has-text("Search")');
    expect(await main()).toContain('Share transition lists with the youth service each July.');
    await axe(b, page);

    await page.goto(`${b.base}/board?month=${monthOf(new Date())}`);
    expect(await main()).toContain('Rapid reviews open, and closed in the twelve months');
    await axe(b, page);
  });
});
