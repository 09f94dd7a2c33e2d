// Issue 5's journey in a real browser: an incident's "who else" list shows a
// second-degree contact with the path; one is added to the DRM agenda; a link
// recorded (a missing reason refused first); a group; the network page with
// its tables. axe-core clean on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAgency, makeUser, newResponse } from '../support/app.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { backfillMatchKeys } from '../../src/modules/people/queries.ts';

let b: Browser;

beforeAll(async () => {
  b = await openBrowser();
}, 120_000);

afterAll(async () => {
  await b?.close();
});

describe('network journey', () => {
  it('goes from an incident to who else, the agenda, a new link, a group and the network page', async () => {
    const db = b.t.db;
    const council = await makeAgency(db, { kind: 'council', receivesIncidents: true });
    const coordinator = await makeUser(db, council.id, ['coordinator']);
    const { incidentId, personId } = await newResponse(b.t, council.id, 'Journey', { family: 'Victim' });
    const today = londonToday();
    const person = async (given: string) =>
      (await db.insertInto('person').values({ agency_id: council.id, given_name: given, family_name: 'Network', date_of_birth: '2010-05-01', sex: 'male', ethnicity: 'not_stated' }).returning('id').executeTakeFirstOrThrow()).id;
    const suspect = await person('Suspect');
    const friend = await person('Friend');
    await db.insertInto('involvement').values({ incident_id: incidentId, person_id: suspect, role: 'suspect' }).execute();
    await db.insertInto('association').values({ kind: 'person_person', link_type: 'friend', person_id: suspect, other_person_id: friend, agency_id: council.id, valid_from: addDays(today, -60), reason: 'Seen together daily', review_on: addDays(today, 60) }).execute();
    await db.insertInto('meeting').values({ type_code: 'drm', agency_id: council.id, starts_at: new Date(Date.now() + 20 * 3_600_000) }).execute();
    // People written straight to the table get the search keys the forms would have given them.
    await backfillMatchKeys(db);
    const page = await b.context.newPage();
    await signIn(b, page, coordinator);

    await page.goto(`${b.base}/incidents/${incidentId}`);
    await page.click('a:has-text("Who else may be at risk")');
    const main = () => page.textContent('main');
    expect(await main()).toContain('Friend Network');
    expect(await main()).toContain('Suspect Network: friend');
    await axe(b, page);
    await page.click('button:has-text("Add to DRM agenda"):has-text("Friend Network")');
    expect(await main()).toContain('Added to the next Daily Risk Management meeting’s agenda');
    await axe(b, page);

    await page.goto(`${b.base}/people/${personId}/links`);
    await axe(b, page);
    await page.click('a:has-text("Link to another person")');
    await page.fill('#name', 'Friend Network');
    await page.click('button:has-text("Find person")');
    await page.check('input[name="otherId"]');
    await page.check('input[name="linkType"][value="associate"]');
    await page.fill('#validFrom-day', '1');
    await page.fill('#validFrom-month', '1');
    await page.fill('#validFrom-year', String(new Date().getFullYear()));
    await page.click('button:has-text("Record the link")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the reason');
    await axe(b, page);
    await page.fill('#reason', 'Both attend the youth club on Tuesdays');
    await page.click('button:has-text("Record the link")');
    await page.waitForURL(/\/links$/);
    expect(await main()).toContain('Associate: Friend Network');

    await page.goto(`${b.base}/groups/new`);
    await axe(b, page);
    await page.fill('#name', 'Journey Crew');
    await page.check('input[name="kind"][value="peer_group"]');
    await page.click('button:has-text("Record the group")');
    await page.waitForURL(/\/groups\/[0-9a-f-]{36}$/);
    await axe(b, page);

    await page.goto(`${b.base}/network/person/${suspect}`);
    expect(await main()).toContain('What the measures mean');
    expect(await page.textContent('table')).toContain('Friend Network');
    // The picture: drawn by sigma (WebGL canvases) from the same figures, with its key of roles and kinds of link.
    await page.waitForSelector('.reachable-network:not([hidden]) canvas');
    expect(await page.locator('.reachable-network canvas').count()).toBeGreaterThan(1);
    const key = () => page.textContent('.reachable-network__key');
    expect(await key()).toContain('At the centre');
    expect(await key()).toContain('Friend');
    await axe(b, page);
    await page.goto(`${b.base}/network/incident/${incidentId}`);
    await page.waitForSelector('.reachable-network:not([hidden]) canvas');
    expect(await key()).toContain('Victim in this incident');
    expect(await key()).toContain('Suspect in this incident');
    expect(await main()).toContain('Victim in this incident');
    await axe(b, page);
    await page.goto(`${b.base}/links/review`);
    await axe(b, page);
    await page.goto(`${b.base}/places`);
    await axe(b, page);

    // Contextual safeguarding: assess the group as a context, with a missing plan refused first.
    await page.goto(`${b.base}/contexts`);
    await axe(b, page);
    await page.click('a:has-text("Assess a context")');
    await page.check('input[name="contextKind"][value="peer_group"]');
    await page.selectOption('#groupId', { label: 'Journey Crew' });
    await page.check('input[name="harmIndicators"][value="violence"]');
    await page.fill('#harmDetail', 'Fights after school at the bus station');
    await page.fill('#consulted', 'Young people at the youth club; the school');
    await page.click('button:has-text("Save the assessment")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the plan');
    await axe(b, page);
    await page.fill('#plan', 'Detached youth work at the bus station on school days');
    await page.click('button:has-text("Save the assessment")');
    await page.waitForURL(/\/contexts\/[0-9a-f-]{36}$/);
    expect(await main()).toContain('Detached youth work at the bus station');
    await axe(b, page);
  });
});
