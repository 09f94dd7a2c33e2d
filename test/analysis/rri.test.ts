// The relative rate index against its reference implementation: scipy's
// relative_risk(...).confidence_interval() (Debian's python3-scipy), run on
// the same groups the CLI reads.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { relativeRate } from '../../src/analysis/rri.ts';

const GROUPS = [
  ['White', 40, 40_000],
  ['Black', 52, 20_000],
  ['Asian', 9, 31_000],
  ['Mixed', 1, 6_000],
  ['Other, including Arab', 0, 4_000],
  ['Large', 123_456, 987_654],
  ['All of them', 7, 7],
] as const;

/** A Python 3 with scipy: Debian's (the CI installs python3-scipy), or the first python3 on the path that has it. */
function pythonWithScipy(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', 'import scipy.stats'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  throw new Error('No python3 with scipy: install Debian’s python3-scipy (.ci/run does)');
}

function scipyAnswers(reference: string) {
  const script = `
import json, math, sys
from scipy.stats.contingency import relative_risk
groups = json.loads(sys.argv[1]); ref = [g for g in groups if g[0] == sys.argv[2]][0]
out = {}
num = lambda x: 'nan' if math.isnan(x) else ('inf' if math.isinf(x) else x)
for name, events, population in groups:
    r = relative_risk(events, population, ref[1], ref[2])
    ci = r.confidence_interval(confidence_level=0.95)
    out[name] = [num(float(r.relative_risk)), num(float(ci.low)), num(float(ci.high))]
print(json.dumps(out))`;
  const res = spawnSync(pythonWithScipy(), ['-c', script, JSON.stringify(GROUPS), reference], { encoding: 'utf8' });
  if (res.status !== 0) throw new Error(res.stderr);
  return JSON.parse(res.stdout) as Record<string, (number | string)[]>;
}

function cli(...args: string[]) {
  const res = spawnSync(process.execPath, ['bin/reachable.js', 'analyse', 'rri', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: res.status, out: res.stdout, err: res.stderr };
}

const same = (ours: string, theirs: number | string) => {
  if (typeof theirs === 'string') return ours === theirs;
  const x = Number(ours);
  return x === theirs || Math.abs(x - theirs) <= 1e-12 * Math.abs(theirs);
};

describe('reachable analyse rri', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-rri-'));
  const input = path.join(dir, 'groups.csv');
  fs.writeFileSync(input, ['group,events,population', ...GROUPS.map(([g, e, p]) => `${g.includes(',') ? `"${g}"` : g},${e},${p}`)].join('\n') + '\n');

  it('equals scipy’s relative_risk and its Katz confidence interval for every group, zero counts included', () => {
    const res = cli('--input', input, '--reference', 'White');
    expect(res.err).toBe('');
    expect(res.status).toBe(0);
    const lines = res.out.trim().split('\n');
    expect(lines[0]).toBe('group,rate,rri,ci_low,ci_high');
    const expected = scipyAnswers('White');
    const rows = lines.slice(1).map((l) => {
      const m = /^("(?:[^"]|"")*"|[^,]*),(.*)$/.exec(l)!;
      return [m[1].replace(/^"|"$/g, ''), ...m[2].split(',')];
    });
    expect(rows.map((r) => r[0])).toEqual(GROUPS.map((g) => g[0]));
    for (const [group, rate, rri, low, high] of rows) {
      const [events, population] = GROUPS.find((g) => g[0] === group)!.slice(1) as number[];
      expect(Number(rate), group).toBe(events / population);
      const [sRri, sLow, sHigh] = expected[group];
      expect([same(rri, sRri), same(low, sLow), same(high, sHigh)], `${group}: ours ${rri} ${low} ${high}, scipy ${sRri} ${sLow} ${sHigh}`).toEqual([true, true, true]);
    }
  });

  it('gives the textbook answer: 30 of 100 against 10 of 100 is 3.0 (95% CI 1.55 to 5.80: SE of ln RR = sqrt(1/30 - 1/100 + 1/10 - 1/100) = 0.3367)', () => {
    const r = relativeRate({ group: 'a', events: 30, population: 100 }, { group: 'b', events: 10, population: 100 });
    expect(r.rri).toBeCloseTo(3, 12);
    expect(r.ciLow.toFixed(2)).toBe('1.55');
    expect(r.ciHigh.toFixed(2)).toBe('5.80');
  });

  it('refuses a bad file with line-numbered problems and an unknown reference, computing nothing', () => {
    const bad = path.join(dir, 'bad.csv');
    fs.writeFileSync(bad, 'group,events,population\nWhite,40,40000\nBlack,fifty,20000\nAsian,90,10\nWhite,1,2\n');
    const res = cli('--input', bad, '--reference', 'White');
    expect(res.status).toBe(2);
    expect(res.out).toBe('');
    expect(res.err).toContain('line 3: events must be a whole number, not "fifty"');
    expect(res.err).toContain('line 4: more events (90) than people (10)');
    expect(res.err).toContain('line 5: "White" appears twice');
    const unknown = cli('--input', input, '--reference', 'Nobody');
    expect(unknown.status).toBe(2);
    expect(unknown.err).toContain('the reference group "Nobody" is not in the file');
  });
});
