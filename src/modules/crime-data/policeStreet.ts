// police.uk street-level crime files (data.police.uk/data: "<YYYY-MM>-<force>-street.csv"),
// read exactly as published: twelve columns, months only, points snapped to
// anonymous map points, anti-social behaviour without a Crime ID. Checked
// whole before anything is saved, every problem named by its line.
import crypto from 'node:crypto';
import type { Selectable } from 'kysely';
import type { CrimeRecordTable } from '../../db/schema.ts';
import { readCsv } from '../../analysis/csvRead.ts';
import { toBritishNationalGrid } from '../../analysis/geography.ts';

export const STREET_COLUMNS = ['Crime ID', 'Month', 'Reported by', 'Falls within', 'Longitude', 'Latitude', 'Location', 'LSOA code', 'LSOA name', 'Crime type', 'Last outcome category', 'Context'] as const;

/** The 14 crime types police.uk publishes. */
export const CRIME_TYPES = [
  'Anti-social behaviour',
  'Bicycle theft',
  'Burglary',
  'Criminal damage and arson',
  'Drugs',
  'Other crime',
  'Other theft',
  'Possession of weapons',
  'Public order',
  'Robbery',
  'Shoplifting',
  'Theft from the person',
  'Vehicle crime',
  'Violence and sexual offences',
] as const;
const TYPES = new Set<string>(CRIME_TYPES);

/** A row as saved, before it is given to an import. */
export type StreetCrime = Omit<Selectable<CrimeRecordTable>, 'id' | 'import_id'>;

export class ImportProblems extends Error {
  constructor(public readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** What is wrong with a header, in words: which columns are missing, which are not expected, or the order. */
export function headerProblem(found: string[], expected: readonly string[], what: string): string | null {
  if (found.join(',') === expected.join(',')) return null;
  const missing = expected.filter((c) => !found.includes(c));
  const extra = found.filter((c) => !expected.includes(c));
  const parts = [
    missing.length ? `missing ${missing.map((c) => `"${c}"`).join(', ')}` : '',
    extra.length ? `not expected ${extra.map((c) => `"${c}"`).join(', ')}` : '',
    !missing.length && !extra.length ? 'the columns are in the wrong order' : '',
  ].filter(Boolean);
  return `line 1: this is not a ${what} file: ${parts.join('; ')}. The columns must be exactly: ${expected.join(',')}`;
}

const MAX_PROBLEMS = 20;

export function readStreetCrimes(text: string): StreetCrime[] {
  const [header, ...records] = readCsv(text);
  const problem = headerProblem(header?.cells.map((c) => c.trim()) ?? [], STREET_COLUMNS, 'police.uk street-level crime');
  if (problem) throw new ImportProblems([problem]);
  const problems: string[] = [];
  const rows: StreetCrime[] = [];
  const seen = new Map<string, number>();
  for (const { line, cells } of records) {
    if (problems.length >= MAX_PROBLEMS) break;
    if (cells.length !== STREET_COLUMNS.length) {
      problems.push(`line ${line}: expected ${STREET_COLUMNS.length} columns, found ${cells.length}`);
      continue;
    }
    const [crimeId, month, reportedBy, fallsWithin, lon, lat, location, lsoaCode, lsoaName, crimeType, outcome, context] = cells.map((c) => c.trim());
    const mine: string[] = [];
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) mine.push(`Month must be a month written YYYY-MM (found "${month}")`);
    if (!TYPES.has(crimeType)) mine.push(`"${crimeType}" is not one of the 14 police.uk crime types`);
    if (!crimeId && crimeType && crimeType !== 'Anti-social behaviour') mine.push('Crime ID is empty: only anti-social behaviour has none');
    if (!reportedBy) mine.push('Reported by is empty');
    const longitude = lon === '' ? null : Number(lon);
    const latitude = lat === '' ? null : Number(lat);
    // Rows without coordinates are kept (police.uk could not map them) but never mapped.
    if ((longitude === null) !== (latitude === null)) mine.push('Longitude and Latitude must both be given or both be empty');
    else if (longitude !== null && (!Number.isFinite(longitude) || !Number.isFinite(latitude!) || Math.abs(longitude) > 180 || Math.abs(latitude!) > 90)) mine.push(`Longitude and Latitude must be decimal degrees (found "${lon}", "${lat}")`);
    if (mine.length) {
      problems.push(`line ${line}: ${mine.join('; ')}`);
      continue;
    }
    const grid = longitude !== null ? toBritishNationalGrid(longitude, latitude!) : null;
    let key = crimeId;
    if (!key) {
      // Anti-social behaviour: the content, and which repeat of that content this is, so a re-import matches row for row.
      const content = crypto.createHash('sha256').update(cells.join('\u0001')).digest('base64url');
      const n = (seen.get(content) ?? 0) + 1;
      seen.set(content, n);
      key = `asb:${content}:${n}`;
    }
    rows.push({
      row_key: key,
      crime_id: crimeId || null,
      month: `${month}-01`,
      reported_by: reportedBy,
      falls_within: fallsWithin || reportedBy,
      longitude,
      latitude,
      easting: grid?.easting ?? null,
      northing: grid?.northing ?? null,
      location: location || null,
      lsoa_code: lsoaCode || null,
      lsoa_name: lsoaName || null,
      crime_type: crimeType,
      last_outcome: outcome || null,
      context: context || null,
    });
  }
  if (problems.length) throw new ImportProblems(problems.length >= MAX_PROBLEMS ? [...problems, `… and perhaps more: the first ${MAX_PROBLEMS} are shown`] : problems);
  return rows;
}
