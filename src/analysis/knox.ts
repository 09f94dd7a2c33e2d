// The Knox test for near repeats, as the Near Repeat Calculator (Ratcliffe
// 2009) runs it: every pair of events is counted in a table of distance
// bands (a "same location" row first) by time bands; the dates are then
// shuffled among the events (a seeded Monte Carlo permutation, 999 times by
// default) and the table counted again each time. A cell's expected count is
// the mean of the shuffled counts; its p-value is the share of shuffles with
// as many pairs or more, counting the observed table as one of them
// ((1 + k) / (1 + N)); its Knox ratio is observed over expected.
//
// Shuffling dates never changes how many pairs fall in each time band
// overall (the pairs' time gaps are the same multiset), so only pairs within
// the widest distance band are re-counted; the "further" row is the rest.
import { seededRandom } from './random.ts';

export interface KnoxOptions {
  /** Upper bounds of the distance bands, metres, ascending: 200,400 gives same location, up to 200, 200 to 400, further. */
  spaceBands: number[];
  /** Upper bounds of the time bands, days, ascending: 7,14 gives 0 to 7, 8 to 14, more than 14. */
  timeBands: number[];
  iterations: number;
  seed: number;
  metric: 'euclidean' | 'manhattan';
}

export interface KnoxEvent {
  x: number;
  y: number;
  /** Whole days (for example, days since 1970-01-01). */
  day: number;
}

export interface KnoxCell {
  space: string;
  time: string;
  observed: number;
  expected: number;
  /** Observed over expected; NaN when nothing is expected. */
  ratio: number;
  p: number;
}

export interface KnoxResult {
  rows: string[];
  columns: string[];
  cells: KnoxCell[][];
  spaceBands: number[];
  timeBands: number[];
  pairs: number;
  iterations: number;
}

export function spaceLabels(bands: number[]): string[] {
  return ['Same location', ...bands.map((b, i) => `${i === 0 ? 'Up to' : `${bands[i - 1]} to`} ${b} m`), `More than ${bands[bands.length - 1]} m`];
}

export function timeLabels(bands: number[]): string[] {
  return [...bands.map((b, i) => `${i === 0 ? 0 : bands[i - 1] + 1} to ${b} days`), `More than ${bands[bands.length - 1]} days`];
}

/** The band a value falls in: the first upper bound it does not exceed, or the last ("more than"). */
function band(bounds: number[], value: number): number {
  for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]) return i;
  return bounds.length;
}

/** Pairs within the widest distance band, each with its row (0 for the same location), found through a grid one band wide. */
function closePairs(events: KnoxEvent[], options: KnoxOptions): { i: Int32Array; j: Int32Array; row: Int32Array } {
  const widest = options.spaceBands[options.spaceBands.length - 1];
  const cell = widest > 0 ? widest : 1;
  const key = (c: number, r: number) => `${c}:${r}`;
  const buckets = new Map<string, number[]>();
  events.forEach((e, index) => {
    const k = key(Math.floor(e.x / cell), Math.floor(e.y / cell));
    const list = buckets.get(k);
    if (list) list.push(index);
    else buckets.set(k, [index]);
  });
  const is: number[] = [];
  const js: number[] = [];
  const rows: number[] = [];
  events.forEach((e, a) => {
    const c = Math.floor(e.x / cell);
    const r = Math.floor(e.y / cell);
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++)
        for (const b of buckets.get(key(c + dc, r + dr)) ?? []) {
          if (b <= a) continue;
          const dx = Math.abs(e.x - events[b].x);
          const dy = Math.abs(e.y - events[b].y);
          const d = options.metric === 'manhattan' ? dx + dy : Math.sqrt(dx * dx + dy * dy);
          if (d > widest) continue;
          is.push(a);
          js.push(b);
          rows.push(d === 0 ? 0 : 1 + band(options.spaceBands, d));
        }
  });
  return { i: Int32Array.from(is), j: Int32Array.from(js), row: Int32Array.from(rows) };
}

/**
 * How many of all n(n-1)/2 pairs fall in each time band, from the sorted
 * days: for each upper bound, the pairs no further apart than it (a sliding
 * window), so O(n log n + n x bands) rather than every pair.
 */
function pairsByTimeBand(days: Float64Array, bounds: number[]): Float64Array {
  const sorted = Float64Array.from(days).sort();
  const n = sorted.length;
  const within = bounds.map((bound) => {
    let pairs = 0;
    let start = 0;
    for (let b = 0; b < n; b++) {
      while (sorted[b] - sorted[start] > bound) start++;
      pairs += b - start;
    }
    return pairs;
  });
  const totals = new Float64Array(bounds.length + 1);
  let before = 0;
  within.forEach((w, i) => {
    totals[i] = w - before;
    before = w;
  });
  totals[bounds.length] = (n * (n - 1)) / 2 - before;
  return totals;
}

/** A time band finder: a table by whole-day difference when every day is whole, else the search. */
function bandLookup(days: Float64Array, bounds: number[]): (difference: number) => number {
  if (!days.every(Number.isInteger)) return (d) => band(bounds, d);
  let low = Infinity;
  let high = -Infinity;
  for (const d of days) {
    low = Math.min(low, d);
    high = Math.max(high, d);
  }
  const span = days.length ? high - low : 0;
  const table = new Int32Array(span + 1);
  for (let d = 0; d <= span; d++) table[d] = band(bounds, d);
  return (d) => table[d];
}

/** Permutations between reports of progress: a few milliseconds of work at borough scale. */
const STEP = 25;

/** The Knox test, all at once (the CLI and tests). */
export function knox(events: KnoxEvent[], options: KnoxOptions): KnoxResult {
  const steps = knoxSteps(events, options);
  for (;;) {
    const next = steps.next();
    if (next.done) return next.value;
  }
}

/**
 * The Knox test a few permutations at a time: it yields how many are done,
 * so a page can work it out in the background without holding the server,
 * and say how far it has got. The same seed gives the same answer either way.
 */
export function* knoxSteps(events: KnoxEvent[], options: KnoxOptions): Generator<number, KnoxResult> {
  const n = events.length;
  const rowCount = options.spaceBands.length + 2;
  const colCount = options.timeBands.length + 1;
  const close = closePairs(events, options);
  const days = Float64Array.from(events, (e) => e.day);

  // Every pair's time band, for the column totals: shuffling dates never changes them.
  const columnTotals = pairsByTimeBand(days, options.timeBands);
  // Whole days (as dates give) find their band in a table, not a search: the count below runs once per close pair per iteration.
  const timeBandOf = bandLookup(days, options.timeBands);

  const count = (dayOf: Float64Array) => {
    const table = new Float64Array(rowCount * colCount);
    for (let k = 0; k < close.i.length; k++) table[close.row[k] * colCount + timeBandOf(Math.abs(dayOf[close.i[k]] - dayOf[close.j[k]]))]++;
    // The "further" row: every other pair in that time band.
    for (let c = 0; c < colCount; c++) {
      let near = 0;
      for (let r = 0; r < rowCount - 1; r++) near += table[r * colCount + c];
      table[(rowCount - 1) * colCount + c] = columnTotals[c] - near;
    }
    return table;
  };

  const observed = count(days);
  const sum = new Float64Array(observed.length);
  const atLeast = new Float64Array(observed.length);
  const random = seededRandom(options.seed);
  const shuffled = Float64Array.from(days);
  for (let it = 0; it < options.iterations; it++) {
    // Fisher–Yates: each iteration shuffles the previous order, which is as random as shuffling the original.
    for (let k = n - 1; k > 0; k--) {
      const m = Math.floor(random() * (k + 1));
      const t = shuffled[k];
      shuffled[k] = shuffled[m];
      shuffled[m] = t;
    }
    const table = count(shuffled);
    for (let k = 0; k < table.length; k++) {
      sum[k] += table[k];
      if (table[k] >= observed[k]) atLeast[k]++;
    }
    if ((it + 1) % STEP === 0) yield it + 1;
  }

  const rows = spaceLabels(options.spaceBands);
  const columns = timeLabels(options.timeBands);
  const cells = rows.map((space, r) =>
    columns.map((time, c) => {
      const k = r * colCount + c;
      const expected = options.iterations ? sum[k] / options.iterations : NaN;
      return { space, time, observed: observed[k], expected, ratio: expected > 0 ? observed[k] / expected : NaN, p: (1 + atLeast[k]) / (1 + options.iterations) };
    }),
  );
  return { rows, columns, cells, spaceBands: options.spaceBands, timeBands: options.timeBands, pairs: (n * (n - 1)) / 2, iterations: options.iterations };
}

/** Plain words for the cells that matter: more pairs than chance, at the 5% level, near in space and time. */
export function knoxSummary(result: KnoxResult, what = 'events'): string[] {
  const { spaceBands: s, timeBands: t } = result;
  const near = (r: number) => (r === 0 ? 'at the same location' : r === 1 ? `within ${s[0]} m of each other` : `between ${s[r - 2]} and ${s[r - 1]} m apart`);
  const soon = (c: number) => (c === 0 ? `within ${t[0]} days` : `${t[c - 1] + 1} to ${t[c]} days apart`);
  const lines: string[] = [];
  result.cells.slice(0, -1).forEach((row, r) =>
    row.slice(0, -1).forEach((cell, c) => {
      if (cell.p <= 0.05 && cell.ratio > 1) lines.push(`${what} ${near(r)} and ${soon(c)} are ${cell.ratio.toFixed(1)} times as common as chance would give (p = ${cell.p.toFixed(3)}).`);
    }),
  );
  if (!lines.length) lines.push(`no near repeat pattern: no pairs of ${what} close in space and time are more common than chance at the 5% level.`);
  return lines.map((l) => l[0].toUpperCase() + l.slice(1));
}
