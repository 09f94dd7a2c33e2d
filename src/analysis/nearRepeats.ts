// `reachable analyse knox`: the Knox near repeat test on events an analyst
// brings (id,x,y,date: metres and YYYY-MM-DD), written as one row per cell
// of the table, with the plain-words summary for standard error.
import { FileProblems } from './csvRead.ts';
import { readTable } from './features.ts';
import { knox, knoxSummary, type KnoxOptions, type KnoxEvent } from './knox.ts';
import { floatText } from './rri.ts';

const DAY_MS = 86_400_000;

/** Whole days since 1970-01-01 for a real calendar date written YYYY-MM-DD; null otherwise. */
export function dayNumber(date: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return null;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / DAY_MS : null;
}

export function readEvents(text: string): KnoxEvent[] {
  const rows = readTable(text, ['id', 'x', 'y', 'date'], ['x', 'y']);
  const problems: string[] = [];
  const events = rows.map((r, i) => {
    const day = dayNumber(r.date);
    if (day === null && problems.length < 20) problems.push(`line ${i + 2}: date must be a real date written YYYY-MM-DD (found "${r.date}")`);
    return { x: Number(r.x), y: Number(r.y), day: day ?? 0 };
  });
  if (problems.length) throw new FileProblems(problems);
  return events;
}

export function knoxCsv(text: string, options: KnoxOptions): { csv: string; summary: string[] } {
  const result = knox(readEvents(text), options);
  const lines = ['space_band,time_band,observed,expected,knox_ratio,p'];
  for (const row of result.cells) for (const c of row) lines.push(`${c.space},${c.time},${c.observed},${floatText(c.expected)},${floatText(c.ratio)},${floatText(c.p)}`);
  return { csv: lines.join('\n') + '\n', summary: knoxSummary(result) };
}

/** Band bounds from the command line or a form: ascending positive numbers, comma-separated. */
export function readBands(text: string, what: string): number[] | string {
  const bands = text.split(',').map((b) => Number(b.trim()));
  if (!text.trim() || bands.some((b) => !Number.isFinite(b) || b <= 0)) return `${what} must be positive numbers separated by commas, like 200,400,600`;
  if (bands.some((b, i) => i > 0 && b <= bands[i - 1])) return `${what} must go up, like 200,400,600`;
  return bands;
}
