// police.uk stop and search files ("<YYYY-MM>-<force>-stop-and-search.csv"):
// the fifteen published columns, the date and time in ISO 8601 with its
// offset, true/false cells that may be empty. No ID: keyed by content.
import type { Selectable } from 'kysely';
import type { StopSearchTable } from '../../db/schema.ts';
import { contentKeys, readPoint, readImport } from './reading.ts';

export const STOP_SEARCH_COLUMNS = [
  'Type',
  'Date',
  'Part of a policing operation',
  'Policing operation',
  'Latitude',
  'Longitude',
  'Gender',
  'Age range',
  'Self-defined ethnicity',
  'Officer-defined ethnicity',
  'Legislation',
  'Object of search',
  'Outcome',
  'Outcome linked to object of search',
  'Removal of more than just outer clothing',
] as const;

export const SEARCH_TYPES = ['Person search', 'Vehicle search', 'Person and Vehicle search'] as const;
const TYPES = new Set<string>(SEARCH_TYPES);
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?([+-]\d{2}:\d{2}|Z)$/;

export type StopSearch = Omit<Selectable<StopSearchTable>, 'import_id'>;

function flag(value: string, column: string, problems: string[]): boolean | null {
  const v = value.toLowerCase();
  if (v === '') return null;
  if (v === 'true') return true;
  if (v === 'false') return false;
  problems.push(`${column} must be True, False or empty (found "${value}")`);
  return null;
}

export function readStopSearches(text: string): StopSearch[] {
  const keyOf = contentKeys('ss');
  return readImport(text, STOP_SEARCH_COLUMNS, 'police.uk stop and search', (cells, raw): StopSearch | string[] => {
    const [type, date, partOf, operation, lat, lon, gender, ageRange, selfDefined, officerDefined, legislation, object, outcome, linked, removal] = cells;
    const problems: string[] = [];
    if (!TYPES.has(type)) problems.push(`Type must be one of ${SEARCH_TYPES.join(', ')} (found "${type}")`);
    const at = ISO_WITH_OFFSET.test(date) ? new Date(date) : null;
    if (!at || Number.isNaN(at.getTime())) problems.push(`Date must be a date and time with its offset, like 2026-09-14T16:20:00+01:00 (found "${date}")`);
    const partOfOperation = flag(partOf, 'Part of a policing operation', problems);
    const outcomeLinked = flag(linked, 'Outcome linked to object of search', problems);
    const removalOfClothing = flag(removal, 'Removal of more than just outer clothing', problems);
    const point = readPoint(lon, lat, problems);
    if (problems.length) return problems;
    return {
      id: keyOf(raw),
      search_type: type,
      searched_at: at!,
      part_of_operation: partOfOperation,
      operation: operation || null,
      ...point,
      gender: gender || null,
      age_range: ageRange || null,
      self_defined_ethnicity: selfDefined || null,
      officer_defined_ethnicity: officerDefined || null,
      legislation: legislation || null,
      object_of_search: object || null,
      outcome: outcome || null,
      outcome_linked: outcomeLinked,
      removal_of_clothing: removalOfClothing,
    };
  });
}
