// The data sharing agreements register in a real browser (issue 21): the
// information governance officer records an agreement between the council
// and a voluntary-sector service (a refusal first) and finds it in force on
// the register. axe-core on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { makeAgency, makeUser, newResponse } from '../support/app.ts';
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

describe('emergency access, subject access and retention journey', () => {
  it('a caseworker uses emergency access; the officer reviews it, answers a subject access request and looks after retention', async () => {
    const council = await makeAgency(b.t.db, { name: 'Governance Council', kind: 'council', receivesIncidents: true });
    const response = await newResponse(b.t, council.id, 'Journeyman', { family: 'Glass' });
    const { reference } = await b.t.db.selectFrom('urgent_response').select('reference').where('id', '=', response.id).executeTakeFirstOrThrow();
    const worker = await makeUser(b.t.db, council.id, ['caseworker']);
    const officer = await makeUser(b.t.db, council.id, ['ig_officer']);

    const page = await b.context.newPage();
    await signIn(b, page, worker);
    await page.goto(`${b.base}/emergency-access/new`);
    await axe(b, page);
    await page.click('button:has-text("Open it with emergency access")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select why you need emergency access');
    await axe(b, page);
    await page.fill('#reference', reference);
    await page.check('input[name="reason"][value="missing"]');
    await page.fill('#words', 'Reported missing overnight; police asking who he was with');
    await page.click('button:has-text("Open it with emergency access")');
    expect(await page.textContent('main')).toContain('You are using emergency access');
    await axe(b, page);
    await page.context().clearCookies();

    await signIn(b, page, officer);
    await openFromMenu(page, 'Emergency access');
    await axe(b, page);
    await page.click(`table >> nth=0 >> a`);
    await axe(b, page);
    await page.check('input[name="decision"][value="not_appropriate"]');
    await page.click('button:has-text("Record the review")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Say why the access was not appropriate');
    await axe(b, page);
    await page.check('input[name="decision"][value="appropriate"]');
    await page.click('button:has-text("Record the review")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('Your review of the emergency access has been recorded');

    await openFromMenu(page, 'Subject access requests');
    await axe(b, page);
    await page.click('a:has-text("Record a request")');
    await page.click('button:has-text("Record the request")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Enter the name of the person who asked');
    await axe(b, page);
    await page.fill('#requesterName', 'Their mother');
    await page.check('input[name="relationship"][value="parent_carer"]');
    await page.fill('#givenName', 'Journeyman');
    await page.fill('#familyName', 'Glass');
    await fillDate(page, 'receivedOn', londonToday());
    await page.click('button:has-text("Record the request")');
    expect(await page.textContent('main')).toContain('days left');
    await axe(b, page);
    await page.check(`input[name="personId"][value="${response.personId}"]`);
    await page.click('button:has-text("This is the person")');
    expect(await page.textContent('main')).toContain('Incidents you were involved in');
    await axe(b, page);
    await page.locator('input[name="redact"]').first().check();
    await page.locator('select[name^="exemption-"]').first().selectOption('crime_prevention');
    await page.click('button:has-text("Save what to withhold")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The redactions have been saved');
    await page.click('a:has-text("Open the bundle as it will be sent")');
    expect(await page.textContent('main')).toContain('Release would prejudice the prevention or detection of crime');
    await axe(b, page);

    await openFromMenu(page, 'Retention');
    await axe(b, page);
    await page.click('a:has-text("Casework episodes")');
    await axe(b, page);
    await openFromMenu(page, 'Legal holds');
    await page.click('button:has-text("Place the hold")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Select what the hold is on');
    await axe(b, page);
    await page.fill('#matter', 'Independent inquiry into youth violence services');
    await page.check('input[name="scope"][value="kind"]');
    await page.selectOption('#kind', 'episode');
    await page.fill('#reason', 'The inquiry asked that no casework be destroyed');
    await page.click('button:has-text("Place the hold")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The legal hold has been placed');
    await axe(b, page);
  });
});

describe('the officer’s settings and emergency access to an incident', () => {
  it('uploads the signed agreement, sets the audit review thresholds (refusals first), and a caseworker reads another agency’s incident under emergency access', async () => {
    const council = await makeAgency(b.t.db, { name: 'Settings Council', kind: 'council', receivesIncidents: true });
    const youth = await makeAgency(b.t.db, { name: 'Settings Youth Service', kind: 'youth_justice' });
    const officer = await makeUser(b.t.db, council.id, ['ig_officer']);
    const page = await b.context.newPage();
    await signIn(b, page, officer);

    await openFromMenu(page, 'Data sharing agreements');
    await page.click('table a >> nth=0');
    await page.click('button:has-text("Upload")');
    expect(await page.textContent('.govuk-error-summary')).toContain('Choose the signed agreement, as a PDF');
    await axe(b, page);
    await page.setInputFiles('#signed', { name: 'signed.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.7\n%%EOF\n') });
    await page.click('button:has-text("Upload")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The signed agreement has been uploaded');
    expect(await page.textContent('main')).toContain('Download the signed agreement (PDF');
    await axe(b, page);

    await openFromMenu(page, 'Audit review');
    await page.fill('#peoplePerHour', '1');
    await page.click('button:has-text("Save the thresholds")');
    expect(await page.textContent('.govuk-error-summary')).toContain('The number of people in an hour must be between 2 and 1000');
    await axe(b, page);
    await page.fill('#peoplePerHour', '25');
    await page.click('button:has-text("Save the thresholds")');
    expect(await page.textContent('.govuk-notification-banner')).toContain('The audit review thresholds have been changed');
    await axe(b, page);
    await page.context().clearCookies();

    const other = await newResponse(b.t, youth.id, 'Elsewhere', { family: 'Glass' });
    const incident = await b.t.db.selectFrom('urgent_response_incident').innerJoin('incident', 'incident.id', 'urgent_response_incident.incident_id').select(['incident.id', 'incident.reference']).where('urgent_response_id', '=', other.id).executeTakeFirstOrThrow();
    await b.t.db.deleteFrom('incident_share').where('incident_id', '=', incident.id).execute();
    const worker = await makeUser(b.t.db, council.id, ['caseworker']);
    await signIn(b, page, worker);
    await page.goto(`${b.base}/emergency-access/new`);
    await page.fill('#reference', incident.reference);
    await page.check('input[name="reason"][value="immediate_risk"]');
    await page.fill('#words', 'Threats made tonight; need to know who else was there');
    await page.click('button:has-text("Open it with emergency access")');
    expect(await page.textContent('main')).toContain('You can read this incident until');
    await axe(b, page);
  });
});
