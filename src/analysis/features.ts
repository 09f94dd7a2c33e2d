// Reading the point files analysts bring to the command line: a header row,
// then numbers where numbers belong. Every problem is named by its line, and
// nothing is computed from a file with any.
import { FileProblems, readCsv } from './csvRead.ts';

/** Reads rows whose header is exactly `columns`; `numeric` columns must be finite numbers. */
export function readTable(text: string, columns: readonly string[], numeric: readonly string[]): Record<string, string>[] {
  const [header, ...rows] = readCsv(text);
  const problems: string[] = [];
  const names = header?.cells.map((c) => c.trim()) ?? [];
  if (names.join(',') !== columns.join(',')) throw new FileProblems([`line ${header?.line ?? 1}: the header must be exactly "${columns.join(',')}" (found "${names.join(',')}")`]);
  const out: Record<string, string>[] = [];
  for (const { line, cells } of rows) {
    if (problems.length >= 20) break;
    if (cells.length !== columns.length) {
      problems.push(`line ${line}: expected ${columns.length} columns, found ${cells.length}`);
      continue;
    }
    const row: Record<string, string> = {};
    columns.forEach((c, i) => (row[c] = cells[i].trim()));
    for (const c of numeric) if (row[c] === '' || !Number.isFinite(Number(row[c]))) problems.push(`line ${line}: ${c} must be a number (found "${row[c]}")`);
    if (!row[columns[0]]) problems.push(`line ${line}: ${columns[0]} is empty`);
    out.push(row);
  }
  if (problems.length) throw new FileProblems(problems);
  return out;
}
