// police.uk street-level crime files (data.police.uk/data: "<YYYY-MM>-<force>-street.csv"),
// read exactly as published: twelve columns, months only, points snapped to
// anonymous map points, anti-social behaviour without a Crime ID. Checked
// whole before anything is saved, every problem named by its line.
import type { Selectable } from 'kysely';
import type { CrimeRecordTable } from '../../db/schema.ts';
import { contentKeys, keyId, readPoint, readImport } from './reading.ts';

export { ImportProblems } from './reading.ts';

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
export type StreetCrime = Omit<Selectable<CrimeRecordTable>, 'import_id'>;

export function readStreetCrimes(text: string): StreetCrime[] {
  const keyOf = contentKeys('asb');
  return readImport(text, STREET_COLUMNS, 'police.uk street-level crime', (cells, raw): StreetCrime | string[] => {
    const [crimeId, month, reportedBy, fallsWithin, lon, lat, location, lsoaCode, lsoaName, crimeType, outcome, context] = cells;
    const problems: string[] = [];
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) problems.push(`Month must be a month written YYYY-MM (found "${month}")`);
    if (!TYPES.has(crimeType)) problems.push(`"${crimeType}" is not one of the 14 police.uk crime types`);
    if (!crimeId && crimeType && crimeType !== 'Anti-social behaviour') problems.push('Crime ID is empty: only anti-social behaviour has none');
    if (!reportedBy) problems.push('Reported by is empty');
    const point = readPoint(lon, lat, problems);
    if (problems.length) return problems;
    return {
      // Anti-social behaviour has no Crime ID: its content, and which repeat of that content it is, stands in.
      id: crimeId ? keyId(`crime:${crimeId}`) : keyOf(raw),
      crime_id: crimeId || null,
      month: `${month}-01`,
      reported_by: reportedBy,
      falls_within: fallsWithin || reportedBy,
      ...point,
      location: location || null,
      lsoa_code: lsoaCode || null,
      lsoa_name: lsoaName || null,
      crime_type: crimeType,
      last_outcome: outcome || null,
      context: context || null,
    };
  });
}
