// The Knox near repeat test: observed counts checked by brute force over
// every pair; the Monte Carlo expectation checked against its exact value
// (under a random permutation of dates, a cell expects its row's pairs times
// the share of all pairs in its time band); p-values on the (1 + k)/(1 + N)
// lattice; a planted near repeat found and random events left alone.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { knox, knoxSummary, type KnoxEvent, type KnoxOptions } from '../../src/analysis/knox.ts';
import { dayNumber, knoxCsv, readBands } from '../../src/analysis/nearRepeats.ts';
import { seededRandom } from '../../src/analysis/random.ts';

const options = (overrides: Partial<KnoxOptions> = {}): KnoxOptions => ({ spaceBands: [200, 400, 600], timeBands: [7, 14, 21], iterations: 99, seed: 1, metric: 'euclidean', ...overrides });

function scattered(seed: number, n: number, extent = 3000, days = 365): KnoxEvent[] {
  const random = seededRandom(seed);
  const events = Array.from({ length: n }, () => ({ x: Math.round(random() * extent), y: Math.round(random() * extent), day: Math.floor(random() * days) }));
  // Repeats at one address: the same location row has something in it.
  for (let i = 0; i < 6; i++) events.push({ x: 1500, y: 1500, day: i * 20 });
  return events;
}

function bruteForce(events: KnoxEvent[], o: KnoxOptions): number[][] {
  const band = (bounds: number[], v: number) => {
    const i = bounds.findIndex((b) => v <= b);
    return i === -1 ? bounds.length : i;
  };
  const table = Array.from({ length: o.spaceBands.length + 2 }, () => new Array(o.timeBands.length + 1).fill(0));
  for (let a = 0; a < events.length; a++)
    for (let b = a + 1; b < events.length; b++) {
      const dx = Math.abs(events[a].x - events[b].x);
      const dy = Math.abs(events[a].y - events[b].y);
      const d = o.metric === 'manhattan' ? dx + dy : Math.hypot(dx, dy);
      const row = d === 0 ? 0 : 1 + band(o.spaceBands, d);
      table[row][band(o.timeBands, Math.abs(events[a].day - events[b].day))]++;
    }
  return table;
}

describe('Knox test', () => {
  it('counts every pair in its distance and time band, as brute force does, for both distances', () => {
    const events = scattered(5, 400);
    for (const metric of ['euclidean', 'manhattan'] as const) {
      const o = options({ metric });
      const result = knox(events, o);
      expect(result.cells.map((row) => row.map((c) => c.observed))).toEqual(bruteForce(events, o));
      expect(result.rows[0]).toBe('Same location');
      expect(result.cells[0].reduce((s, c) => s + c.observed, 0)).toBeGreaterThanOrEqual(15);
    }
  });

  it('expects what a random permutation of dates gives exactly: row pairs times the time band’s share of all pairs', () => {
    const events = scattered(9, 300);
    const o = options({ iterations: 4000, seed: 2 });
    const result = knox(events, o);
    const observed = result.cells.map((row) => row.map((c) => c.observed));
    const rowPairs = observed.map((row) => row.reduce((s, v) => s + v, 0));
    const columnPairs = observed[0].map((_, c) => observed.reduce((s, row) => s + row[c], 0));
    const total = rowPairs.reduce((s, v) => s + v, 0);
    expect(total).toBe((events.length * (events.length - 1)) / 2);
    result.cells.forEach((row, r) =>
      row.forEach((cell, c) => {
        const exact = (rowPairs[r] * columnPairs[c]) / total;
        // Monte Carlo error: within 5% of the exact expectation (or 0.5 of a pair where it is small).
        expect(Math.abs(cell.expected - exact)).toBeLessThanOrEqual(Math.max(0.05 * exact, 0.5));
      }),
    );
  });

  it('gives p-values on the (1 + k) / (1 + N) lattice, the same for the same seed', () => {
    const events = scattered(4, 200);
    const a = knox(events, options({ iterations: 199, seed: 7 }));
    const b = knox(events, options({ iterations: 199, seed: 7 }));
    expect(a).toEqual(b);
    for (const row of a.cells)
      for (const cell of row) {
        expect(cell.p).toBeGreaterThan(0);
        expect(cell.p).toBeLessThanOrEqual(1);
        expect(Math.abs(cell.p * 200 - Math.round(cell.p * 200))).toBeLessThan(1e-9);
      }
  });

  it('finds a planted near repeat pattern and says so in plain words', () => {
    const random = seededRandom(21);
    const events = scattered(12, 300);
    // Burglary sprees: a first event, then three more within 150 m and 5 days.
    for (let s = 0; s < 25; s++) {
      const x = random() * 3000;
      const y = random() * 3000;
      const day = Math.floor(random() * 360);
      events.push({ x, y, day });
      for (let k = 0; k < 3; k++) events.push({ x: x + (random() - 0.5) * 200, y: y + (random() - 0.5) * 200, day: day + Math.floor(random() * 6) });
    }
    const result = knox(events, options({ iterations: 999 }));
    const near = result.cells[1][0];
    expect(near.ratio).toBeGreaterThan(2);
    expect(near.p).toBeLessThanOrEqual(0.01);
    expect(knoxSummary(result, 'burglaries').find((l) => l.includes('within 200 m'))).toMatch(/^Burglaries within 200 m of each other and within 7 days are \d+\.\d times as common as chance would give \(p = 0\.00\d\)\.$/);
  });

  it('finds nothing in events scattered at random', () => {
    const result = knox(scattered(33, 300).slice(0, 300), options({ iterations: 999, seed: 4 }));
    expect(knoxSummary(result)).toEqual(['No near repeat pattern: no pairs of events close in space and time are more common than chance at the 5% level.']);
  });

  it('reads dates and bands strictly', () => {
    expect(dayNumber('2026-02-29')).toBeNull();
    expect(dayNumber('2026-03-01')! - dayNumber('2026-02-28')!).toBe(1);
    expect(readBands('200,400', 'x')).toEqual([200, 400]);
    expect(readBands('400,200', '--space-bands')).toBe('--space-bands must go up, like 200,400,600');
    expect(() => knoxCsv('id,x,y,date\na,1,2,2026-01-01\nb,1,2,1/2/2026\n', options())).toThrow(/line 3: date must be a real date written YYYY-MM-DD/);
  });

  it('runs from the command line: a row per cell, the summary on standard error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-knox-'));
    const input = path.join(dir, 'events.csv');
    fs.writeFileSync(input, 'id,x,y,date\n' + scattered(2, 50).map((e, i) => `e${i},${e.x},${e.y},${new Date(e.day * 86_400_000 + Date.UTC(2026, 0, 1)).toISOString().slice(0, 10)}`).join('\n') + '\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'analyse', 'knox', '--input', input, '--space-bands', '200,400', '--time-bands', '7,14', '--iterations', '99', '--seed', '3'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('space_band,time_band,observed,expected,knox_ratio,p');
    expect(lines).toHaveLength(1 + 4 * 3);
    expect(lines[1]).toMatch(/^Same location,0 to 7 days,/);
    expect(run.stderr).toMatch(/chance/);
  });
});
