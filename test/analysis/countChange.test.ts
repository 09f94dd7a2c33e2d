// The conditional test for two Poisson counts, against scipy's exact
// binomial test on the same counts (scipy.stats.binomtest(k, n, 0.5)), and
// the published worked example: 0 against 10 events (p = 2 × 0.5¹⁰).
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { countChange } from '../../src/analysis/countChange.ts';

const PAIRS: [number, number][] = [[0, 1], [0, 5], [1, 6], [3, 12], [10, 20], [25, 18], [40, 70], [100, 130], [500, 560], [1200, 1100], [7, 7], [0, 0], [2, 0]];

describe('count change beyond chance', () => {
  it('gives scipy’s binomtest p-value for each pair of counts', () => {
    const script = 'import json,sys\nfrom scipy.stats import binomtest\nprint(json.dumps([1.0 if b+a==0 else binomtest(a, a+b, 0.5).pvalue for b,a in json.loads(sys.argv[1])]))';
    const res = spawnSync('python3', ['-c', script, JSON.stringify(PAIRS)], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(res.stderr);
    const expected = JSON.parse(res.stdout) as number[];
    PAIRS.forEach(([before, now], i) => expect(countChange(before, now).p, `${before} then ${now}`).toBeCloseTo(expected[i], 10));
  });

  it('matches the worked example, and says which way the count moved', () => {
    expect(countChange(0, 10).p).toBeCloseTo(2 * 0.5 ** 10, 14);
    expect(countChange(0, 10).direction).toBe('rose');
    expect(countChange(10, 0).direction).toBe('fell');
    expect(countChange(4, 4)).toMatchObject({ p: 1, direction: 'same' });
    // The edge of significance at the 5% level: 1 against 8 is within chance (p ≈ 0.039 is below; 2 against 8, p ≈ 0.109, is not).
    expect(countChange(1, 8).p).toBeLessThan(0.05);
    expect(countChange(2, 8).p).toBeGreaterThan(0.05);
  });
});
