// What every crime data import shares: the header checked against the
// published columns (saying which are missing, unexpected or out of order),
// each row read or its problems named by line, at most 20 problems listed,
// and the content keys that make re-imports add nothing.
import crypto from 'node:crypto';
import { FileProblems, readCsv } from '../../analysis/csvRead.ts';
import { toBritishNationalGrid } from '../../analysis/geography.ts';

/** A file's problems, each named by line: the same error every upload and command line import reports. */
export { FileProblems as ImportProblems };

export const MAX_PROBLEMS = 20;

/** Stops the import if the file has problems: at most the first MAX_PROBLEMS, saying so. */
export function stopOnProblems(problems: string[]): void {
  if (problems.length) throw new FileProblems(problems.length >= MAX_PROBLEMS ? [...problems, `… and perhaps more: the first ${MAX_PROBLEMS} are shown`] : problems);
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

/** A row's id from its key: the key's MD5 written as a uuid, so a re-import finds the same id. */
export function keyId(key: string): string {
  // The one-shot hash: a file of 200,000 rows makes 200,000 of these.
  const h = crypto.hash('md5', key, 'hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * Rows keyed by their content and how many times that content came before in
 * the file: a re-import of the same file gives the same keys, row for row,
 * and two identical rows in one file stay two rows.
 */
export function contentKeys(prefix: string) {
  const seen = new Map<string, number>();
  return (cells: string[]) => {
    const content = crypto.hash('sha256', cells.join('\u0001'), 'base64url');
    const n = (seen.get(content) ?? 0) + 1;
    seen.set(content, n);
    return keyId(`${prefix}:${content}:${n}`);
  };
}

/** Reads a published file: `read` turns one row's trimmed cells into a record, or returns its problems. */
export function readImport<T>(text: string, columns: readonly string[], what: string, read: (cells: string[], raw: string[]) => T | string[]): T[] {
  const [header, ...records] = readCsv(text);
  const problem = headerProblem(header?.cells.map((c) => c.trim()) ?? [], columns, what);
  if (problem) throw new FileProblems([problem]);
  const problems: string[] = [];
  const rows: T[] = [];
  for (const { line, cells } of records) {
    if (problems.length >= MAX_PROBLEMS) break;
    if (cells.length !== columns.length) {
      problems.push(`line ${line}: expected ${columns.length} columns, found ${cells.length}`);
      continue;
    }
    const row = read(cells.map((c) => c.trim()), cells);
    if (Array.isArray(row)) {
      if (row.length) problems.push(`line ${line}: ${row.join('; ')}`);
    } else rows.push(row);
  }
  stopOnProblems(problems);
  return rows;
}

/** Where a row is: degrees as published and the grid reference worked out from them, or all four empty. */
export interface Point {
  longitude: number | null;
  latitude: number | null;
  easting: number | null;
  northing: number | null;
}
const NOWHERE: Point = { longitude: null, latitude: null, easting: null, northing: null };

/** Decimal degrees, both or neither: rows police.uk could not map are kept, unmapped. */
export function readPoint(lon: string, lat: string, problems: string[]): Point {
  if (lon === '' && lat === '') return NOWHERE;
  const longitude = Number(lon);
  const latitude = Number(lat);
  if (lon === '' || lat === '') problems.push('Longitude and Latitude must both be given or both be empty');
  else if (!Number.isFinite(longitude) || !Number.isFinite(latitude) || Math.abs(longitude) > 180 || Math.abs(latitude) > 90) problems.push(`Longitude and Latitude must be decimal degrees (found "${lon}", "${lat}")`);
  else return { longitude, latitude, ...toBritishNationalGrid(longitude, latitude) };
  return NOWHERE;
}
