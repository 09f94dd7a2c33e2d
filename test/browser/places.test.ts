// Issue 6's journey in a real browser: import a police.uk file and an ISTV
// file from the page (a bad file refused first), see the hot spots on the map
// and in the table, match an A&E place; axe-core clean on every page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeAgency, makeUser } from '../support/app.ts';
import { axe, openBrowser, signIn, type Browser } from '../support/browser.ts';
import { seededRandom } from '../../src/analysis/random.ts';
import { lsoa, onGrid, square } from '../support/lsoa.ts';

let b: Browser;
beforeAll(async () => {
  b = await openBrowser();
}, 120_000);
afterAll(async () => {
  await b?.close();
});

const STREET = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
const ISTV = 'Site code,Reporting period,Arrival date,Arrival time,Assault date,Assault time,Assault method code,Assault method,Assault location type code,Assault location type,Assault location';

describe('places and times journey', () => {
  it('imports police.uk and ISTV files, shows hot spots on a map beside the table, and matches an A&E place', async () => {
    const db = b.t.db;
    const council = await makeAgency(db, { kind: 'council' });
    const analyst = await makeUser(db, council.id, ['analyst']);
    await db.insertInto('place').values({ name: 'Walthamstow Central station', kind: 'station', easting: 537_450, northing: 188_950, latitude: 51.583, longitude: -0.0199 }).execute();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-journey-'));
    const random = seededRandom(2);
    const rows: string[] = [];
    for (let i = 0; i < 300; i++) rows.push(`b${i},2026-0${1 + (i % 9)},Met,Met,${(-0.04 + random() * 0.06).toFixed(5)},${(51.56 + random() * 0.06).toFixed(5)},On or near X,E01,WF,Burglary,,`);
    for (let i = 0; i < 50; i++) rows.push(`c${i},2026-0${1 + (i % 9)},Met,Met,${(-0.0199 + (random() - 0.5) * 0.002).toFixed(5)},${(51.583 + (random() - 0.5) * 0.0014).toFixed(5)},On or near Hoe Street,E01004437,WF 020A,Robbery,,`);
    const street = path.join(dir, '2026-09-metropolitan-street.csv');
    fs.writeFileSync(street, [STREET, ...rows].join('\n') + '\n');
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, [STREET, rows[0].replace('Burglary', 'Burgling')].join('\n') + '\n');
    const istv = path.join(dir, 'istv.csv');
    fs.writeFileSync(istv, `${ISTV}\nR1H,2026-09,2026-09-14,17:05,2026-09-14,16:20,02,,02,,Outside Walthamstow Central station\nR1H,2026-09,2026-09-15,22:05,2026-09-15,21:40,01,,03,,The Goose\n`);

    const page = await b.context.newPage();
    await signIn(b, page, analyst);
    await page.goto(`${b.base}/imports`);
    await axe(b, page);
    await page.check('input[name="kind"][value="police_street"]');
    await page.setInputFiles('#file', bad);
    await page.click('button:has-text("Import")');
    expect(await page.textContent('#problems')).toContain('line 2: "Burgling" is not one of the 14 police.uk crime types');
    await axe(b, page);
    await page.check('input[name="kind"][value="police_street"]');
    await page.setInputFiles('#file', street);
    await page.click('button:has-text("Import")');
    await page.waitForSelector('text=350 rows read, 350 new');
    await axe(b, page);
    await page.goto(`${b.base}/imports`);
    await page.check('input[name="kind"][value="istv"]');
    await page.setInputFiles('#file', istv);
    await page.click('button:has-text("Import")');
    await page.waitForSelector('text=2 rows read, 2 new');
    const boundaries = path.join(dir, 'LSOA_2021_EW_BGC.geojson');
    fs.writeFileSync(boundaries, onGrid([lsoa('E01004437', 'Waltham Forest 020A', square(537_000, 188_500, 1000)), lsoa('E01004438', 'Waltham Forest 020B', square(536_000, 188_500, 1000))]));
    await page.goto(`${b.base}/imports`);
    await page.check('input[name="kind"][value="lsoa_boundaries"]');
    await page.setInputFiles('#file', boundaries);
    await page.click('button:has-text("Import")');
    await page.waitForSelector('text=2 rows read, 2 new');

    await page.goto(`${b.base}/imports/unmatched`);
    expect(await page.textContent('main')).toContain('The Goose');
    await axe(b, page);
    await page.selectOption('#placeId-1', { label: 'Not a named place' });
    await page.click('button:has-text("Save")');
    expect(await page.textContent('main')).toContain('Nothing waiting');

    await page.goto(`${b.base}/hot-spots?sources=police_street&from=2026-01&to=2026-09&boroughs=Waltham+Forest`);
    await page.waitForSelector('.reachable-map:not([hidden]) .leaflet-map-pane canvas', { state: 'attached' });
    expect(await page.locator('.reachable-map__key li').first().textContent()).toContain('Hot spot, 99% confidence');
    expect(await page.textContent('main')).toContain('Walthamstow Central station');
    // Hot spots, density, boroughs and LSOAs: each map drawn, each beside its table.
    await page.waitForFunction(() => document.querySelectorAll('.reachable-map:not([hidden]) .leaflet-map-pane').length === 4);
    expect(await page.textContent('main')).toContain('Waltham Forest 020A (E01004437)');
    await axe(b, page);

    for (const url of ['/hot-times', '/near-repeats', '/tasking', '/term-dates', '/imports/codes']) {
      await page.goto(`${b.base}${url}?sources=police_street&from=2026-01&to=2026-09&boroughs=Waltham+Forest`);
      await axe(b, page);
    }
    // On a 1280-pixel screen the hot times page fits: the day-by-hour table scrolls inside its own region.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${b.base}/hot-times?sources=istv&from=2026-01&to=2026-09&boroughs=Waltham+Forest`);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(1280);
    const download = page.waitForEvent('download');
    await page.goto(`${b.base}/tasking?sources=police_street&from=2026-01&to=2026-09&boroughs=Waltham+Forest`);
    await page.click('a:has-text("Download the list (CSV)")');
    expect((await download).suggestedFilename()).toBe('tasking.csv');
  });
});
