// NHS Information Sharing to Tackle Violence (ISTV) minimum data set, as an
// emergency department sends it each month: the site and reporting period,
// and for each assault the arrival at A&E, when the assault happened, how
// (method) and where (location type, and the free-text place). Times are UK
// clock times. Codes are looked up in the code lists an administrator keeps;
// an unknown code keeps the description the file gave. The free-text place is
// matched to the partnership's named places, or waits for an analyst.
import type { Selectable } from 'kysely';
import type { AeAttendanceTable } from '../../db/schema.ts';
import { londonToUtc } from '../../platform/time.ts';
import { contentKeys, readImport } from './reading.ts';

export const ISTV_COLUMNS = [
  'Site code',
  'Reporting period',
  'Arrival date',
  'Arrival time',
  'Assault date',
  'Assault time',
  'Assault method code',
  'Assault method',
  'Assault location type code',
  'Assault location type',
  'Assault location',
] as const;

export type Attendance = Omit<Selectable<AeAttendanceTable>, 'import_id'>;

export interface IstvLookups {
  methods: Map<string, string>;
  locationTypes: Map<string, string>;
  places: { id: string; name: string }[];
  /** Analysts' earlier answers for free-text places: location key to place id, or null for "not a named place". */
  chosen: Map<string, string | null>;
}

/** The form of a free-text place that matching and analysts' answers share: lower case, words only. */
export function locationKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The named place a free-text description names: the longest place name found in it as whole words. */
export function matchPlace(text: string, places: { id: string; name: string }[]): string | null {
  const words = ` ${locationKey(text)} `;
  let best: { id: string; length: number } | null = null;
  for (const place of places) {
    const name = locationKey(place.name);
    if (name && words.includes(` ${name} `) && (!best || name.length > best.length)) best = { id: place.id, length: name.length };
  }
  return best?.id ?? null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;

function instant(date: string, time: string): Date | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t) return null;
  const at = londonToUtc({ year: Number(d[1]), month: Number(d[2]), day: Number(d[3]), hour: Number(t[1]), minute: Number(t[2]) });
  return at && at.toISOString().slice(0, 10) >= '1900' ? at : null;
}

const realDate = (date: string) => DATE.test(date) && new Date(`${date}T12:00:00Z`).toISOString().slice(0, 10) === date;

/** A code and its description: the code list's words when the code is known, the file's otherwise. */
function coded(code: string, description: string, list: Map<string, string>, what: string, problems: string[]): [string | null, string | null] {
  if (code && list.has(code)) return [code, list.get(code)!];
  if (code && !description) problems.push(`${what} code "${code}" is not in the code list and has no description: give the description`);
  return [code || null, description || null];
}

export function readIstv(text: string, lookups: IstvLookups): Attendance[] {
  const keyOf = contentKeys('istv');
  return readImport(text, ISTV_COLUMNS, 'ISTV (Information Sharing to Tackle Violence)', (cells, raw): Attendance | string[] => {
    const [site, period, arrivalDate, arrivalTime, assaultDate, assaultTime, methodCode, method, typeCode, type, location] = cells;
    const problems: string[] = [];
    if (!site) problems.push('Site code is empty');
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(period)) problems.push(`Reporting period must be a month written YYYY-MM (found "${period}")`);
    const arrived = realDate(arrivalDate) ? instant(arrivalDate, arrivalTime) : null;
    if (!arrived) problems.push(`Arrival date and time must be a date written YYYY-MM-DD and a 24-hour time written HH:MM (found "${arrivalDate}", "${arrivalTime}")`);
    if (assaultDate && !realDate(assaultDate)) problems.push(`Assault date must be a date written YYYY-MM-DD or empty (found "${assaultDate}")`);
    if (assaultTime && !TIME.test(assaultTime)) problems.push(`Assault time must be a 24-hour time written HH:MM or empty (found "${assaultTime}")`);
    if (assaultTime && !assaultDate) problems.push('Assault time is given without the assault date');
    if (arrived && assaultDate && realDate(assaultDate) && assaultDate > arrivalDate) problems.push('The assault date is after the arrival at A&E');
    const [mCode, mText] = coded(methodCode, method, lookups.methods, 'Assault method', problems);
    const [tCode, tText] = coded(typeCode, type, lookups.locationTypes, 'Assault location type', problems);
    if (problems.length) return problems;
    const key = location ? locationKey(location) : '';
    const chosen = key && lookups.chosen.has(key) ? lookups.chosen.get(key)! : undefined;
    const matched = key ? (chosen !== undefined ? chosen : matchPlace(location, lookups.places)) : null;
    return {
      id: keyOf(raw),
      site_code: site,
      reporting_period: `${period}-01`,
      arrived_at: arrived!,
      assault_on: assaultDate || null,
      assaulted_at: assaultDate && assaultTime ? instant(assaultDate, assaultTime) : null,
      method_code: mCode,
      method_description: mText,
      location_type_code: tCode,
      location_type_description: tText,
      location_text: location || null,
      place_id: matched,
      match_status: !key ? 'none' : chosen !== undefined ? (chosen ? 'chosen' : 'none') : matched ? 'matched' : 'unmatched',
    };
  });
}
