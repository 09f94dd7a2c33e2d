// A critical incident in a real browser (issue 20): a police user declares
// one from a stabbing the police feed sent; it is at the top of the
// coordinator's planned DRM meeting; the assessment is filled (a refusal
// first), a partner consulted, a neighbouring borough told, a reassurance
// action given to the council's youth service; two reviews later the
// tension chart and its table show the fall, and it closes. The briefing
// and the list. axe-core clean on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../../src/modules/access/accounts.ts';
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

describe('critical incident journey', () => {
  it('declares, assesses, consults, reassures, reviews twice and closes', async () => {
    const police = await makeAgency(b.t.db, { kind: 'police', receivesIncidents: true });
    const council = await makeAgency(b.t.db, { name: 'Waltham Forest Youth Service', kind: 'council' });
    const officer = await makeUser(b.t.db, police.id, ['police']);
    const coordinator = await makeUser(b.t.db, police.id, ['coordinator']);
    const feed = (await createApiClient(b.t.db, { agencyId: police.id, name: 'Police feed', role: 'police', createdBy: null })).secret;
    const victim = (await b.t.db.insertInto('person').values({ agency_id: police.id, given_name: 'Ade', family_name: 'Stabbed', date_of_birth: `${new Date().getFullYear() - 16}-02-03`, sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow()).id;
    const at = new Date(Date.now() - 2 * 3_600_000).toISOString();
    const res = await fetch(`${b.base}/api/v1/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${feed}`, 'content-type': 'application/json' },
      body: JSON.stringify({ occurredAt: at, notifiedAt: at, type: 'knife_injury', weapon: 'knife', place: { description: 'Lea Bridge Road', latitude: 51.5665, longitude: -0.0335 }, people: [{ personId: victim, role: 'victim' }] }),
    });
    expect(res.status).toBe(201);
    const incidentId = (await res.json()).id;
    // Tomorrow's DRM meeting is planned already.
    const meeting = (await b.t.db.insertInto('meeting').values({ agency_id: police.id, type_code: 'drm', starts_at: new Date(`${addDays(londonToday(), 1)}T09:30:00Z`) }).returning('id').executeTakeFirstOrThrow()).id;

    const page = await b.context.newPage();
    await signIn(b, page, officer);
    const main = () => page.textContent('main');
    await page.goto(`${b.base}/incidents/${incidentId}`);
    await page.click('a:has-text("Declare a critical incident")');
    await axe(b, page);
    await page.click('button:has-text("Declare a critical incident")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select why this is a critical incident');
    await axe(b, page);
    await page.check('input[name="reason"][value="young_person_harmed"]');
    await page.click('button:has-text("Declare a critical incident")');
    await page.waitForURL(/\/critical-incidents\/[0-9a-f-]{36}$/);
    const criticalUrl = page.url();
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The critical incident has been declared');
    // Near the Hackney border: the page says whom to tell.
    expect(await main()).toContain('Hackney (');
    await axe(b, page);

    await page.click('a:has-text("Assess the community impact")');
    await axe(b, page);
    await page.click('button:has-text("Save the assessment")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select the tension level');
    await axe(b, page);
    await page.check('input[name="tensionLevel"][value="4"]');
    await page.fill('#tensionReason', 'Threats of retaliation online');
    await page.fill('#wards', 'Lea Bridge');
    for (const kind of ['retaliation', 'rival_groups', 'social_media', 'gatherings', 'previous_incidents', 'anniversaries']) await page.check(`input[name="indicator-${kind}"][value="not_known"]`);
    await page.check('input[name="indicator-social_media"][value="seen"]');
    await page.fill('#evidence-social_media', 'Videos naming the victim’s estate');
    await page.click('button:has-text("Save the assessment")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The community impact assessment has been saved');
    expect(await main()).toContain('Videos naming the victim’s estate');
    await axe(b, page);

    // A partner consulted and a neighbouring borough told (the details open without script too).
    await page.click('summary:has-text("Record a contact")');
    await page.check('input[name="contactKind"][value="consulted"]');
    await page.selectOption('#partnerKind', 'faith');
    await page.fill('#party', 'Lea Bridge Mosque');
    await page.fill('#byWhom', 'PC Dana Lee');
    await page.fill('#what', 'The imam will speak to the youth group');
    await page.click('button:has-text("Record the contact")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The contact has been recorded');
    await page.click('summary:has-text("Record a contact")');
    await page.check('input[name="contactKind"][value="borough_told"]');
    await page.selectOption('#borough', 'Hackney');
    await page.fill('#byWhom', 'Insp Ruth Okafor');
    await page.fill('#what', 'Possible travel across the Lea');
    await page.click('button:has-text("Record the contact")');
    expect(await main()).toContain('Possible travel across the Lea');
    await axe(b, page);
    await page.click('summary:has-text("Add a reassurance action")');
    await page.selectOption('#reassuranceKind', 'youth_provision');
    await page.fill('#actionDescription', 'Open the youth centre late');
    await page.selectOption('#actionAgency', council.id);
    await page.fill('#actionOwner', 'Youth service manager');
    const due = addDays(londonToday(), 7).split('-');
    await page.fill('#actionDue-day', due[2]);
    await page.fill('#actionDue-month', due[1]);
    await page.fill('#actionDue-year', due[0]);
    await page.click('button:has-text("Add the action")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The reassurance action has been added');
    expect(await main()).toContain('Extra youth provision: Open the youth centre late');
    await axe(b, page);

    for (const [level, why] of [['3', 'Threats continue, no travel seen'], ['2', 'Threats have stopped']]) {
      await page.click('a:has-text("Review the assessment")');
      expect(await page.inputValue('#wards')).toBe('Lea Bridge');
      await page.check(`input[name="tensionLevel"][value="${level}"]`);
      await page.fill('#tensionReason', why);
      await page.click('button:has-text("Save the review")');
      expect(await page.textContent('.govuk-notification-banner--success')).toContain('The community impact assessment has been saved');
    }
    expect(await main()).toContain('Fell from 3: Elevated to 2: Raised');
    expect(await page.getAttribute('svg.reachable-chart', 'aria-label')).toContain('Assessment: 4; Review 1: 3; Review 2: 2');
    await axe(b, page);

    await page.click('a:has-text("Read the briefing")');
    expect(await main()).toContain('Ade Stabbed');
    expect(await main()).toContain('7. Schools nearby');
    await axe(b, page);

    await page.goto(criticalUrl);
    await page.check('input[name="closureReason"][value="tension_normal"]');
    await page.click('button:has-text("Close the assessment")');
    expect(await page.textContent('.govuk-notification-banner--success')).toContain('The community impact assessment has been closed');
    await axe(b, page);

    // The coordinator finds it at the top of tomorrow's DRM agenda, and on the lists.
    const other = await b.context.newPage();
    await signIn(b, other, coordinator);
    await other.goto(`${b.base}/meetings/${meeting}`);
    const first = await other.locator('main h3, main .reachable-agenda-item, main li').allTextContents();
    expect(first.join(' ')).toContain('Critical incident CI-');
    await axe(b, other);
    await other.goto(`${b.base}/critical-incidents`);
    expect(await other.textContent('main')).toContain('Lea Bridge');
    await axe(b, other);
  });
});
