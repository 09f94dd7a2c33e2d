// Issue 7's journey in a real browser: import an action plan CSV, update two
// actions, see the alignment matrix and its gap, open the board report;
// axe-core clean on every page. A board member sees the report, never a person.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeAgency, makeUser } from '../support/app.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';
import { seedStrategy } from '../../src/modules/demo/strategy.ts';

let b: Browser;
let csvPath: string;

beforeAll(async () => {
  b = await openBrowser();
  await seedStrategy(b.t.db, new Date());
  csvPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-plan-')), 'gangs-plan.csv');
  fs.writeFileSync(
    csvPath,
    [
      'Action no.,Action,Lead partner(s),Strategic Principle alignment,Enabling Principle alignment',
      '5.2. GANGS ACTION PLAN,,,,',
      'Intelligence and enforcement,,,,',
      '5.2.1,"Intelligence identifying hot spots linked to gang violence is shared at the monthly meeting",IGU Analyst,,[Enabling Principle 3] evidence',
      '5.2.5,Awareness training on gang activity,IGU Intel team,[Strategic Principle 5] assets,[Enabling Principle 5] trust',
    ].join('\r\n'),
  );
}, 120_000);

afterAll(async () => {
  await b?.close();
});

describe('strategy journey', () => {
  it('imports a plan, updates two actions, shows the gap and the board report', async () => {
    const agency = await makeAgency(b.t.db, { kind: 'council' });
    const lead = await makeUser(b.t.db, agency.id, ['analyst']);
    const page = await b.context.newPage();
    await signIn(b, page, lead);

    await page.goto(`${b.base}/strategy/import`);
    await axe(b, page);
    // A file with a mistake: nothing imported, the line named.
    const bad = csvPath.replace('.csv', '-bad.csv');
    fs.writeFileSync(bad, 'Action no.,Action,Lead partner(s),Strategic Principle alignment,Enabling Principle alignment\r\n5.2.1,,IGU,,\r\n');
    await page.fill('#name', 'Gangs Action Plan');
    await page.setInputFiles('#file', bad);
    await page.click('button:has-text("Import")');
    expect(await page.textContent('.govuk-error-summary')).toContain('nothing was imported');
    expect(await page.textContent('main')).toContain('line 2: action 5.2.1 has no text');
    await axe(b, page);
    await page.fill('#name', 'Gangs Action Plan');
    await page.setInputFiles('#file', csvPath);
    await page.click('button:has-text("Import")');
    await page.waitForURL(/\/strategy\/[0-9a-f-]{36}\?imported=2$/);
    expect(await page.textContent('main')).toContain('2 actions imported');
    expect(await page.textContent('main')).toContain('We will achieve this by: Intelligence and enforcement');
    await axe(b, page);

    for (const [number, rag, reason] of [['5.2.1', 'red', 'The analyst post is vacant'], ['5.2.5', 'green', 'Two sessions delivered']]) {
      await page.click(`a:text-is("${number}")`);
      await page.check('#status-2');
      await page.check(`input[name="rag"][value="${rag}"]`);
      await page.fill('#note', `Update on ${number}`);
      await page.click('button:has-text("Record update")');
      // A rating without its reason is refused, and nothing changes.
      expect(await page.textContent('.govuk-error-summary')).toContain(`Say why the action is rated ${rag}`);
      await axe(b, page);
      await page.fill('#ragReason', reason);
      await page.click('button:has-text("Record update")');
      expect(await page.textContent('.moj-timeline')).toContain(`Update on ${number}`);
      await axe(b, page);
      await page.click('.govuk-back-link');
    }

    await page.goto(`${b.base}/strategy/alignment`);
    // Seed 004's finding: no action serves strategic principle 6 (anti-racism). The imported plan serves 5 and enabling 3.
    const gaps = await page.textContent('#gap-list');
    expect(gaps).toContain('Strategic Principle 6');
    expect(gaps).not.toContain('Strategic Principle 5');
    expect(gaps).not.toContain('Enabling Principle 3');
    const row = await page.textContent('tr:has(a:text-is("Gangs Action Plan"))');
    expect(row).toContain('5.2.5');
    await axe(b, page);

    await page.goto(`${b.base}/board`);
    const report = await page.textContent('main');
    expect(report).toContain('The analyst post is vacant');
    expect(report).toContain('Knife-injury victims under 25');
    expect(report).toContain('Reachable watching its own lists');
    await axe(b, page);
    await page.emulateMedia({ media: 'print' });
    expect(await page.isVisible('.govuk-service-navigation')).toBe(false);
    expect(await page.isVisible('form')).toBe(false);
    await page.emulateMedia({ media: 'screen' });
    await page.goto(`${b.base}/indicators`);
    await axe(b, page);
    await page.click('a:text-is("Residents who fear crime in their area")');
    await axe(b, page);
    await page.goto(`${b.base}/disproportionality`);
    await axe(b, page);
    await page.goto(`${b.base}/disproportionality/population`);
    await axe(b, page);
    await page.close();
  }, 180_000);

  it('shows a board member the report and the tracker, and no person', async () => {
    const agency = await makeAgency(b.t.db, { kind: 'council' });
    const person = await b.t.db.insertInto('person').values({ given_name: 'Zebedee', family_name: 'Quartermain', date_of_birth: '2009-02-02', sex: 'male', ethnicity: 'black_african', agency_id: agency.id }).returning('id').executeTakeFirstOrThrow();
    const incident = await b.t.db
      .insertInto('incident')
      .values({ reference: 'INC-BOARD-1', agency_id: agency.id, occurred_at: new Date(Date.now() - 40 * 86_400_000), notified_at: new Date(), type_code: 'knife_injury', weapon: 'knife', place_description: 'Park', source_agency_id: agency.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    await b.t.db.insertInto('involvement').values({ incident_id: incident.id, person_id: person.id, role: 'victim' }).execute();
    const member = await makeUser(b.t.db, agency.id, ['board_member']);
    const page = await b.context.newPage();
    await signIn(b, page, member);
    for (const url of ['/board', '/disproportionality', '/strategy', '/indicators']) {
      await page.goto(`${b.base}${url}`);
      const text = await page.textContent('body');
      expect(text).not.toContain('Quartermain');
      expect(text).not.toContain('Zebedee');
      await axe(b, page);
    }
    for (const url of ['/people', '/incidents', '/urgent-responses', `/incidents/${incident.id}`, '/strategy/import']) {
      const res = await page.goto(`${b.base}${url}`);
      expect(res?.status(), url).toBe(403);
    }
    await page.close();
  }, 120_000);
});
