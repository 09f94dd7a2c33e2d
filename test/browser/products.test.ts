// Intelligence products in a real browser (issue 25): an analyst makes this
// month's problem profile for Waltham Forest from its template (a refusal
// first), leaves a section out, adds an assessment (a refusal first),
// generates it, reads it and downloads the PDF; then makes the board pack,
// which a board member opens with nobody named. axe-core on every page.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from '../../src/platform/time.ts';
import { addMonths } from '../../src/modules/figures/figures.ts';
import { makeAgency, makeUser } from '../support/app.ts';
import { axe, openBrowser, openFromMenu, signIn, type Browser } from '../support/browser.ts';

let b: Browser;

beforeAll(async () => {
  b = await openBrowser();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

const MONTH = addMonths(londonToday().slice(0, 7), -1);

describe('intelligence products journey', () => {
  it('makes a problem profile with an assessment, generates it and downloads its PDF; a board member opens the board pack', async () => {
    const council = await makeAgency(b.t.db, { name: 'Products Council', kind: 'council', receivesIncidents: true });
    const analystUser = await makeUser(b.t.db, council.id, ['analyst']);
    const boardUser = await makeUser(b.t.db, council.id, ['board_member']);
    const child = await b.t.db.insertInto('person').values({ agency_id: council.id, given_name: 'Zeph', family_name: 'Product', date_of_birth: '2010-03-04', sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow();
    expect(child.id).toBeTruthy();

    const page = await b.context.newPage();
    await signIn(b, page, analystUser);
    const main = () => page.textContent('main');
    await openFromMenu(page, 'Intelligence products');
    expect(await main()).toContain('No products yet');
    await axe(b, page);
    await page.click('a:has-text("Make a product")');
    await axe(b, page);
    await page.fill('#month', '');
    await page.click('button:has-text("Make the draft")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the last month');
    await axe(b, page);

    await page.check('input[name="kind"][value="problem_profile"]');
    await page.fill('#month', MONTH);
    await page.click('summary:has-text("Choose boroughs")');
    await page.check('input[name="boroughs"][value="Waltham Forest"]');
    await page.check('input[name="audience"][value="restricted"]');
    await page.click('button:has-text("Make the draft")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The product has been made from its template');
    expect(await main()).toContain('Near repeats');
    await axe(b, page);

    // Leave the orders section out.
    await page.click('button:has-text("Leave out Orders and possible breaches")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('sections have been changed');
    expect(await page.locator('table').first().textContent()).not.toContain('Orders and possible breaches');

    await page.click('button:has-text("Add the assessment")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter a heading for the assessment');
    await axe(b, page);
    await page.fill('#title', 'Analyst’s assessment of the month');
    await page.fill('#text', 'Violence clustered near the transport hub after school. We recommend patrols there from 15:00.');
    await page.check('input[name="sourceEvaluation"][value="1"]');
    await page.check('input[name="intelligenceAssessment"][value="A"]');
    await page.check('input[name="handlingCode"][value="P"]');
    await page.click('button:has-text("Add the assessment")');
    expect(await page.locator('table').first().textContent()).toContain('Analyst’s assessment of the month');

    await page.click('button:has-text("Generate the product")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The product is being generated');
    await axe(b, page);
    for (let i = 0; i < 300 && !(await main())!.includes('How this is worked out'); i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    expect(await main()).toContain('Contents');
    expect(await main()).toContain('We recommend patrols there from 15:00.');
    expect(await main()).toContain('1: reliable; A: known directly to the source; P: lawful sharing permitted');
    await axe(b, page);

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('a:has-text("Download the PDF")')]);
    const file = await download.path();
    expect(fs.readFileSync(file).subarray(0, 5).toString()).toBe('%PDF-');

    // The board pack, for the whole partnership.
    await page.goto(`${b.base}/products/new`);
    await page.check('input[name="kind"][value="board_pack"]');
    await page.fill('#month', MONTH);
    await page.check('input[name="audience"][value="partnership"]');
    await page.click('button:has-text("Make the draft")');
    await page.click('button:has-text("Generate the product")');
    const packUrl = page.url();

    await signIn(b, page, boardUser);
    await openFromMenu(page, 'Intelligence products');
    await axe(b, page);
    await page.goto(packUrl);
    for (let i = 0; i < 300 && !(await main())!.includes('How this is worked out'); i++) {
      await page.waitForTimeout(200);
      await page.reload();
    }
    expect(await main()).toContain('nobody is named');
    expect(await main()).not.toContain('Zeph Product');
    expect(await page.isVisible('button:has-text("Generate the product")')).toBe(false);
    await axe(b, page);
  });
});
