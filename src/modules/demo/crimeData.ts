// The demo partnership's places-and-times data: school terms for three
// academic years; a year of police.uk-style street crime, stop and search and
// ISTV assaults in Waltham Forest, clustered near the borough's town centres,
// stations and schools and, on school days, in the hours after school.
// Written as the published files are and imported the same way, so the demo
// exercises the real readers. Invented, and marked as demo data like the rest.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { londonBoroughs, randomPointIn } from '../../analysis/geography.ts';
import { londonParts } from '../../platform/time.ts';
import { STREET_COLUMNS } from '../crime-data/policeStreet.ts';
import { STOP_SEARCH_COLUMNS } from '../crime-data/stopSearch.ts';
import { ISTV_COLUMNS } from '../crime-data/istv.ts';
import { IMPORTS, saveImport, type ImportKind } from '../crime-data/imports.ts';
import { WALTHAM_FOREST_PLACES } from './places.ts';
import { normal, pick, weighted, type Random } from './random.ts';

const CRIME_WEIGHTS = [
  ['Violence and sexual offences', 30],
  ['Anti-social behaviour', 22],
  ['Vehicle crime', 9],
  ['Other theft', 8],
  ['Burglary', 6],
  ['Criminal damage and arson', 6],
  ['Public order', 6],
  ['Shoplifting', 4],
  ['Robbery', 4],
  ['Drugs', 3],
  ['Possession of weapons', 1],
  ['Theft from the person', 1],
] as const;
const METHODS = [['02', 25], ['01', 55], ['03', 8], ['04', 10], ['05', 2]] as const;

/** Terms of an English academic year starting in September of `year`, with half terms. */
function termsOf(year: number) {
  return [
    { name: `Autumn ${year} (first half)`, starts_on: `${year}-09-03`, ends_on: `${year}-10-23` },
    { name: `Autumn ${year} (second half)`, starts_on: `${year}-11-02`, ends_on: `${year}-12-18` },
    { name: `Spring ${year + 1} (first half)`, starts_on: `${year + 1}-01-05`, ends_on: `${year + 1}-02-12` },
    { name: `Spring ${year + 1} (second half)`, starts_on: `${year + 1}-02-22`, ends_on: `${year + 1}-03-26` },
    { name: `Summer ${year + 1} (first half)`, starts_on: `${year + 1}-04-12`, ends_on: `${year + 1}-05-28` },
    { name: `Summer ${year + 1} (second half)`, starts_on: `${year + 1}-06-07`, ends_on: `${year + 1}-07-21` },
  ];
}

/** police.uk's self-defined ethnicities (the census's detailed groups), two for each group an officer records. */
const SELF_DEFINED: Record<string, [string, string]> = {
  Black: ['Black/African/Caribbean/Black British - African', 'Black/African/Caribbean/Black British - Caribbean'],
  White: ['White - English/Welsh/Scottish/Northern Irish/British', 'White - Any other White background'],
  Asian: ['Asian/Asian British - Pakistani', 'Asian/Asian British - Bangladeshi'],
  Other: ['Other ethnic group - Any other ethnic group', 'Mixed/Multiple ethnic groups - White and Black Caribbean'],
};
const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const csv = (columns: readonly string[], rows: string[][]) => [columns.join(','), ...rows.map((r) => r.map(csvCell).join(','))].join('\n') + '\n';
const hex = (random: Random) => Array.from({ length: 64 }, () => Math.floor(random() * 16).toString(16)).join('');
const two = (n: number) => String(n).padStart(2, '0');

export async function seedCrimeData(db: Kysely<DB>, random: Random, now: Date) {
  const { year, month } = londonParts(now);
  const academic = month >= 9 ? year : year - 1;
  await db.insertInto('term_period').values([...termsOf(academic - 2), ...termsOf(academic - 1), ...termsOf(academic)]).execute();

  const borough = londonBoroughs().find((b) => b.name === 'Waltham Forest');
  if (!borough) return;
  // A point near one of the borough's busy places (about 150 metres), or anywhere in the borough.
  const point = (): [number, number] => {
    if (random() < 0.4) return randomPointIn(borough, random);
    const place = pick(random, WALTHAM_FOREST_PLACES);
    return [place.longitude + normal(random) * 0.0022, place.latitude + normal(random) * 0.0014];
  };
  // After school on school days, evenings otherwise.
  const hour = () => (random() < 0.35 ? 15 + Math.floor(random() * 2) : weighted(random, [[12, 1], [17, 2], [18, 2], [19, 2], [20, 2], [21, 2], [22, 2], [23, 1], [1, 1]] as const));

  const street: string[][] = [];
  const stops: string[][] = [];
  const istv: string[][] = [];
  for (let back = 12; back >= 1; back--) {
    const d = new Date(Date.UTC(year, month - 1 - back, 1));
    const ym = `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}`;
    const days = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
    for (let i = 0; i < 320; i++) {
      const [lon, lat] = point();
      const type = weighted(random, CRIME_WEIGHTS);
      street.push([type === 'Anti-social behaviour' ? '' : hex(random), ym, 'Metropolitan Police Service', 'Metropolitan Police Service', lon.toFixed(6), lat.toFixed(6), 'On or near a street', 'E0100' + (4300 + Math.floor(random() * 150)), `Waltham Forest ${two(1 + Math.floor(random() * 30))}${pick(random, ['A', 'B', 'C', 'D'])}`, type, type === 'Anti-social behaviour' ? '' : 'Investigation complete; no suspect identified', '']);
    }
    for (let i = 0; i < 120; i++) {
      const [lon, lat] = point();
      const day = `${ym}-${two(1 + Math.floor(random() * days))}`;
      const stop = [pick(random, ['Person search', 'Person search', 'Person and Vehicle search']), `${day}T${two(hour())}:${two(Math.floor(random() * 60))}:00+00:00`, 'False', '', lat.toFixed(6), lon.toFixed(6), 'Male', pick(random, ['10-17', '10-17', '18-24', '25-34']), '', pick(random, ['Black', 'White', 'Asian', 'Other']), 'Police and Criminal Evidence Act 1984 (section 1)', pick(random, ['Offensive weapons', 'Controlled drugs', 'Stolen goods']), pick(random, ['A no further action disposal', 'A no further action disposal', 'Arrest', 'Community resolution']), 'False', 'False'];
      // What the person said of themselves, and now and then a section 60 search: from the row's place in the month, so the
      // demo's random sequence (and everything after it) is what it was.
      stop[8] = i % 10 === 9 ? 'Other ethnic group - Not stated' : SELF_DEFINED[stop[9]][i % 2];
      if (i % 12 === 0) stop[10] = 'Criminal Justice and Public Order Act 1994 (section 60)';
      stops.push(stop);
    }
    for (let i = 0; i < 35; i++) {
      const day = `${ym}-${two(1 + Math.floor(random() * days))}`;
      const h = hour();
      const place = pick(random, WALTHAM_FOREST_PLACES);
      const where = random() < 0.8 ? `Outside ${place.name}` : pick(random, ['The Goose pub', 'A friend’s flat', 'Bus stop on Forest Road', 'Near the chicken shop']);
      istv.push(['R1HKH', ym, day, `${two(Math.min(23, h + 1))}:${two(Math.floor(random() * 60))}`, day, `${two(h)}:${two(Math.floor(random() * 60))}`, weighted(random, METHODS), '', random() < 0.8 ? '02' : '06', '', where]);
    }
  }
  const load = async (kind: ImportKind, columns: readonly string[], rows: string[][], fileName: string) =>
    saveImport(db, {}, kind, [{ fileName, rows: (await IMPORTS[kind].reader(db))(csv(columns, rows)) }]);
  await load('police_street', STREET_COLUMNS, street, 'demo-metropolitan-street.csv');
  await load('stop_search', STOP_SEARCH_COLUMNS, stops, 'demo-metropolitan-stop-and-search.csv');
  await load('istv', ISTV_COLUMNS, istv, 'demo-whipps-cross-istv.csv');
}
