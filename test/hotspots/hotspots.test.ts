// Hot spots from imported data: a cluster of police.uk crimes near Walthamstow
// Central on a background spread over Waltham Forest is found as a hot spot at
// 99% after the false discovery rate correction; the table names the cell and
// the named places near it; bad choices are refused with their field.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentForm, makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';
import { londonToday } from '../../src/platform/time.ts';
import { addDays } from '../../src/platform/workingDays.ts';
import { readStreetCrimes } from '../../src/modules/crime-data/policeStreet.ts';
import { saveImport } from '../../src/modules/crime-data/imports.ts';
import { readLsoaBoundaries } from '../../src/modules/crime-data/lsoaBoundaries.ts';
import { degrees, inDegrees, lsoa, onGrid, square } from '../support/lsoa.ts';
import { seededRandom } from '../../src/analysis/random.ts';
import { adjust } from '../../src/analysis/multipleTesting.ts';
import { spawnSync } from 'node:child_process';

const HEADER = 'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';
let t: TestApp;
let analyst: Client;
let councilId: string;

beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  councilId = council.id;
  analyst = await signedIn(t, await makeUser(t.db, council.id, ['analyst']));
  await t.db.insertInto('place').values({ name: 'Walthamstow Central station', kind: 'station', easting: 537_450, northing: 188_950 }).execute();
  const random = seededRandom(8);
  const rows: string[] = [];
  // A background over the borough, and a cluster of 60 robberies within 100 metres of the station.
  for (let i = 0; i < 400; i++) rows.push(`b${i},2026-0${1 + (i % 9)},Met,Met,${(-0.04 + random() * 0.06).toFixed(5)},${(51.56 + random() * 0.06).toFixed(5)},On or near X,E01,WF,Burglary,,`);
  for (let i = 0; i < 60; i++) rows.push(`c${i},2026-0${1 + (i % 9)},Met,Met,${(-0.0199 + (random() - 0.5) * 0.002).toFixed(5)},${(51.583 + (random() - 0.5) * 0.0014).toFixed(5)},On or near Hoe Street,E01004437,Waltham Forest 020A,Robbery,,`);
  await saveImport(t.db, {}, 'police_street', [{ fileName: 'f.csv', rows: readStreetCrimes([HEADER, ...rows].join('\n')) }]);
});
afterAll(() => t.close());

const QUERY = 'sources=police_street&from=2026-01&to=2026-09&boroughs=Waltham+Forest';

describe('hot spots', () => {
  it('finds the cluster at the station as a hot spot at 99% after correction, with the place near it', async () => {
    const page = await analyst.get(`/hot-spots?${QUERY}`);
    expect(page.statusCode).toBe(200);
    // Events outside the study area are left out; a few at its edge fall in cells whose centres are outside it.
    const [, events, counted] = page.body.match(/([\d,]+) events from 2026-01 to 2026-09; ([\d,]+) of them in/)!.map(Number);
    expect(events).toBeGreaterThan(300);
    expect(counted).toBeLessThanOrEqual(events);
    expect(events - counted).toBeLessThan(events * 0.02);
    const table = page.body.slice(page.body.indexOf('Hot spot cells'));
    expect(table).toContain('Hot spot, 99% confidence');
    expect(table).toContain('Walthamstow Central station');
    // The map's figures are on the page for the map script, the cells among them.
    expect(page.body).toMatch(/<script type="application\/json">\{"areas":/);
  });

  it('tests the map against the next period (PAI and PEI), and draws kernel density with its densest cells', async () => {
    const page = await analyst.get('/hot-spots?sources=police_street&from=2026-01&to=2026-04&boroughs=Waltham+Forest');
    expect(page.body).toContain('against what happened next, 2026-05 to 2026-08');
    expect(page.body).toContain('Getis-Ord Gi* z-score');
    expect(page.body).toMatch(/data:image\/png;base64,iVBORw0KGgo/);
    expect(page.body).toContain('(ArcGIS’s defaults)');
    const densest = page.body.slice(page.body.indexOf('The densest cells'));
    expect(densest).toContain('Walthamstow Central station');
    const future = await analyst.get(`/hot-spots?${QUERY}`);
    expect(future.body).toContain('There are no events yet in the following period (2026-10 to 2027-06)');
  });

  it('lists crimes by LSOA and by borough; without LSOA boundaries, only police.uk crime by its own codes and no map', async () => {
    const page = await analyst.get(`/hot-spots?${QUERY}&categories=Robbery`);
    expect(page.body).toContain('Waltham Forest 020A (E01004437)');
    expect(page.body).toContain('60 events from 2026-01 to 2026-09');
    expect(page.body).toContain('The LSOA boundaries are not loaded, so only police.uk crime');
    expect(page.body).not.toContain('Map of events by LSOA');
  });

  it('puts the station’s cell first on the tasking list, with its busiest hours and the station nearby, on the page and as CSV', async () => {
    const page = await analyst.get(`/tasking?${QUERY}`);
    expect(page.statusCode).toBe(200);
    const first = page.body.slice(page.body.indexOf('<tbody'), page.body.indexOf('</tr>', page.body.indexOf('<tbody')));
    expect(first).toContain('Walthamstow Central station');
    // police.uk gives months only: no day or hour to find a peak in.
    expect(first).toContain('No times recorded');
    // The CSV link keeps every choice, repeated fields too.
    const twice = await analyst.get(`/tasking?${QUERY}&sources=istv`);
    expect(twice.body).toContain('/tasking.csv?sources=police_street&amp;sources=istv&amp;');
    const csv = await analyst.get(`/tasking.csv?${QUERY}`);
    expect(csv.headers['content-type']).toContain('text/csv');
    const lines = csv.body.trim().split(/\r?\n/);
    expect(lines[0]).toBe('rank,where,cell,borough,events,hot_spot,peak_day,peak_hours,schools_nearby,places_nearby');
    expect(lines[1]).toMatch(/^1,By Walthamstow Central station \(\d+ m\),\d+ \d+,Waltham Forest,\d+,"?Hot spot/);
    // The page names the cell by the place, the grid square beside it.
    expect(first).toMatch(/By Walthamstow Central station \(\d+ m\), Waltham Forest/);
    expect(lines[1]).toContain('Walthamstow Central station');
  });

  it('counts partnership incidents only where the reader’s agency may see them', async () => {
    const { officer, police } = await newResponse(t, councilId, 'Hal', { family: 'Hotspot' });
    // A second incident the police keep to themselves: it must not be counted for the council.
    await officer.post('/incidents', incidentForm({ sourceAgencyId: police.id }));
    const from = addDays(londonToday(), -40).slice(0, 7);
    const to = londonToday().slice(0, 7);
    const page = await analyst.get(`/hot-spots?sources=partnership&from=${from}&to=${to}&boroughs=Waltham+Forest`);
    expect(page.body).toContain(`1 events from ${from} to ${to}`);
    // The victim is 15: counted for under 18s, not for 25 and over; police.uk crime has no victims' ages, so it is left out.
    const young = await analyst.get(`/hot-spots?sources=partnership&sources=police_street&from=${from}&to=${to}&boroughs=Waltham+Forest&ageBand=under_18`);
    expect(young.body).toContain(`1 events from ${from} to ${to}`);
    const older = await analyst.get(`/hot-spots?sources=partnership&from=${from}&to=${to}&boroughs=Waltham+Forest&ageBand=25_plus`);
    expect(older.body).toContain(`0 events from ${from} to ${to}`);
  });

  it('with the ONS LSOA boundaries loaded, counts every source by LSOA and draws the choropleth beside the table', async () => {
    // Two squares: the station's (on the grid) holding the partnership incident and police.uk's robberies, and its neighbour (in degrees).
    const files = [
      { fileName: 'a.geojson', rows: readLsoaBoundaries(onGrid([lsoa('E01004437', 'Waltham Forest 020A', square(537_000, 188_500, 1000))])) },
      { fileName: 'b.geojson', rows: readLsoaBoundaries(inDegrees([lsoa('E01004438', 'Waltham Forest 020B', degrees(square(536_000, 188_500, 1000)))])) },
    ];
    await saveImport(t.db, {}, 'lsoa_boundaries', files);
    const to = londonToday().slice(0, 7);
    const page = await analyst.get(`/hot-spots?sources=partnership&sources=police_street&from=2026-01&to=${to}&boroughs=Waltham+Forest&categories=Robbery&categories=Knife+injury`);
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('By LSOA'));
    expect(section).not.toContain('The LSOA boundaries are not loaded');
    // 60 robberies by police.uk's code and the council's incident by the boundary; the neighbour drawn with none.
    expect(section).toMatch(/Waltham Forest 020A \(E01004437\)<\/td><td class="govuk-table__cell govuk-table__cell--numeric">61</);
    expect(section).toMatch(/Waltham Forest 020B \(E01004438\)<\/td><td class="govuk-table__cell govuk-table__cell--numeric">0</);
    const map = JSON.parse(section.match(/<script type="application\/json">(.*?)<\/script>/s)![1]);
    const colours = Object.fromEntries(map.areas.features.map((f: { properties: { name: string; colour: string } }) => [f.properties.name, f.properties.colour]));
    expect(colours['Waltham Forest 020A (E01004437)']).toBe('#003078');
    expect(colours['Waltham Forest 020B (E01004438)']).toBe('#e8f1f8');
  });

  it('refuses a cell too small or a band shorter than a cell, naming the field', async () => {
    const page = await analyst.get(`/hot-spots?${QUERY}&cellSize=10&distance=100`);
    expect(page.statusCode).toBe(400);
    expect(page.body).toContain('The cell size must be a number of metres from 50 to 2000');
    const band = await analyst.get(`/hot-spots?${QUERY}&cellSize=500&distance=100`);
    expect(band.body).toContain('The distance band must be at least the cell size');
  });

  it('corrects p-values as R’s p.adjust does (Bonferroni and Benjamini-Hochberg)', () => {
    const random = seededRandom(4);
    const p = Array.from({ length: 40 }, () => (random() < 0.3 ? random() * 0.01 : random()));
    p[5] = p[6];
    const run = spawnSync('Rscript', ['-e', `p <- c(${p.join(',')}); cat(sprintf("%.17g", p.adjust(p, "BH")), sep=","); cat("\\n"); cat(sprintf("%.17g", p.adjust(p, "bonferroni")), sep=",")`], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const [bh, bonferroni] = run.stdout.trim().split('\n').map((l) => l.split(',').map(Number));
    adjust(p, 'fdr').forEach((v, i) => expect(Math.abs(v - bh[i])).toBeLessThan(1e-15));
    adjust(p, 'bonferroni').forEach((v, i) => expect(Math.abs(v - bonferroni[i])).toBeLessThan(1e-15));
  });
});
