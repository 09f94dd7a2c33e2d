// Orders in a real browser (issue 19): a police officer records a KCPO from
// the person's record (a refusal first), adds an exclusion zone and a
// non-association found by name; an incident from the police feed inside the
// zone raises a possible breach, which is in the officer's notifications and
// on the orders list; the officer confirms it; the map and the board's
// section. axe-core clean on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { monthOf } from '../../src/modules/figures/figures.ts';
import { makeAgency, makeUser } from '../support/app.ts';
import { refreshMatchKeys } from '../../src/modules/people/queries.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';

let b: Browser;

beforeAll(async () => {
  b = await openBrowser();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

describe('orders journey', () => {
  it('records an order, finds a possible breach and decides it', async () => {
    const police = await makeAgency(b.t.db, { kind: 'police', receivesIncidents: true });
    const officer = await makeUser(b.t.db, police.id, ['police']);
    const feed = (await createApiClient(b.t.db, { agencyId: police.id, name: 'Police feed', role: 'police', createdBy: null })).secret;
    const born = `${new Date().getFullYear() - 15}-02-03`;
    const [subject, rival] = await Promise.all(
      [['Jay', 'Ordered'], ['Dee', 'Named']].map(async ([given, family]) => (await b.t.db.insertInto('person').values({ agency_id: police.id, given_name: given, family_name: family, date_of_birth: born, sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow()).id),
    );
    await b.t.db.transaction().execute((trx) => refreshMatchKeys(trx, [subject, rival]));
    const page = await b.context.newPage();
    await signIn(b, page, officer);
    const main = () => page.textContent('main');

    await page.goto(`${b.base}/people/${subject}`);
    await page.click('a:has-text("Record an order against Jay")');
    await axe(b, page);
    await page.check('input[name="kindCode"][value="knife_crime_prevention_order"]');
    await page.click('button:has-text("Record the order")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the court or authority that made it');
    await axe(b, page);
    await page.fill('#court', 'Stratford Magistrates’ Court');
    await page.fill('#leadOfficerContact', '020 7946 0000');
    await page.click('button:has-text("Record the order")');
    await page.waitForURL(/\/orders\/[0-9a-f-]{36}$/);
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The order has been recorded');
    expect(await main()).toContain('Review hearing in the last 4 weeks of the first year');
    await axe(b, page);

    // The map fills in the points: three clicks, three points, the last one undone.
    const drawing = page.locator('[data-zone-draw] .reachable-map__canvas');
    await drawing.waitFor();
    for (const [x, y] of [[100, 100], [200, 100], [150, 180]]) await drawing.click({ position: { x, y } });
    expect((await page.inputValue('#zonePoints')).split('\n')).toHaveLength(3);
    expect(await page.isChecked('input[name="zoneShape"][value="polygon"]')).toBe(true);
    await page.click('button:has-text("Undo the last point")');
    expect((await page.inputValue('#zonePoints')).split('\n')).toHaveLength(2);
    await axe(b, page);
    await page.check('input[name="conditionKind"][value="exclusion_zone"]');
    await page.fill('#wording', 'Not to enter the area around Walthamstow Central station.');
    await page.fill('#zoneLabel', 'Walthamstow Central');
    await page.check('input[name="zoneShape"][value="polygon"]');
    await page.fill('#zonePoints', '51.5850, -0.0230\n51.5850, -0.0170\n51.5810, -0.0170\n51.5810, -0.0230');
    await page.check('input[name="zoneTimed"][value="always"]');
    await page.click('button:has-text("Add the condition")');
    expect(await main()).toContain('Walthamstow Central: the area drawn (4 points); at all times.');
    // The order's zones map and the drawing map are both drawn, each by its own script.
    await page.locator('.reachable-map:not([data-zone-draw])').waitFor({ state: 'visible' });
    await page.locator('[data-zone-draw]').waitFor({ state: 'visible' });
    await axe(b, page);
    await page.fill('#name', 'Dee Named');
    await page.click('button:has-text("Find")');
    await page.check('input[name="conditionKind"][value="non_association"]');
    await page.fill('#wording', 'Not to associate with Dee Named.');
    await page.check(`input[name="personIds"][value="${rival}"]`);
    await page.click('button:has-text("Add the condition")');
    expect(await main()).toContain('Not to associate with Dee Named.');
    await axe(b, page);

    const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const res = await fetch(`${b.base}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${feed}`, 'content-type': 'application/json' },
      body: JSON.stringify({ occurredAt: at, notifiedAt: at, type: 'weapon_possession', weapon: 'knife', place: { description: 'Walthamstow Central', latitude: 51.583, longitude: -0.0199 }, people: [{ personId: subject, role: 'suspect' }, { personId: rival, role: 'associate' }] }),
    });
    expect(res.status).toBe(201);

    await page.goto(`${b.base}/notifications`);
    expect(await main()).toContain('A possible breach, waiting for a decision');
    await axe(b, page);
    await page.goto(`${b.base}/orders`);
    expect(await main()).toContain('inside the exclusion zone (Walthamstow Central)');
    expect(await main()).toContain('with Dee Named (associate)');
    await axe(b, page);
    await page.click('a:has-text("inside the exclusion zone")');
    await axe(b, page);
    await page.click('button:has-text("Save the decision")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select whether it was a breach');
    await axe(b, page);
    await page.check('input[name="decision"][value="confirmed"]');
    await page.check('input[name="action"][value="warning"]');
    await page.click('button:has-text("Save the decision")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('Your decision on the possible breach has been recorded');
    expect(await main()).toContain('Confirmed: Warning');
    await axe(b, page);

    await page.goto(`${b.base}/orders/map`);
    expect(await main()).toContain('Exclusion zone: Knife Crime Prevention Order');
    await axe(b, page);
    await page.goto(`${b.base}/people/${subject}`);
    expect(await main()).toContain('Knife Crime Prevention Order');
    await axe(b, page);
  });

  it('the board sees orders and breaches by month, counts only', async () => {
    const council = await makeAgency(b.t.db, { kind: 'council' });
    const board = await makeUser(b.t.db, council.id, ['board_member']);
    const page = await b.context.newPage();
    await signIn(b, page, board);
    await page.goto(`${b.base}/board?month=${monthOf(new Date())}`);
    expect(await page.textContent('main')).toContain('Orders made and possible breaches, by month');
    expect(await page.textContent('main')).not.toContain('Jay Ordered');
    await axe(b, page);
  });
});
