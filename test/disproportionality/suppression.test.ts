// Issue 7: "no combination of exported cells recovers a suppressed one".
// Someone holding the published table can add and subtract every number in
// it (the shown counts, the total, rates, RRIs and intervals, which give
// their own counts back) and knows that a hidden count is a whole number of
// at least 1 (zeros are shown). For every table, the test works out from
// the published cells alone what each hidden count could be, and checks
// that it could be at least two values; and that nothing published about a
// hidden group (its rate, RRI or interval) gives its count away.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { trackerTable } from '../../src/modules/disproportionality/tracker.ts';

describe('suppression in the disproportionality table', () => {
  it('never lets a hidden count be worked out from the published cells', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 14 }), fc.integer({ min: 50, max: 5000 })), { minLength: 2, maxLength: 6 }), fc.nat(5), (cells, ref) => {
        const groups = cells.map(([events, population], i) => ({ key: `g${i}`, label: `Group ${i}`, events, population }));
        const table = trackerTable(groups, `g${ref % groups.length}`, 'be victims', 'young people');
        const hidden = table.rows.filter((r) => typeof r.events === 'string');
        for (const r of hidden) expect([r.rate, r.rri, r.ciLow, r.ciHigh]).toEqual([null, null, null, null]);
        if (!hidden.length || typeof table.total === 'string') return;
        // What the hidden counts add up to, from the published cells: the total minus every shown count.
        const shownSum = table.rows.reduce((n, r) => n + (typeof r.events === 'number' ? r.events : 0), 0);
        const rest = table.total - shownSum;
        // Each hidden count is at least 1, so each lies between 1 and rest - (k - 1): one value only if k = 1 or rest = k.
        const k = hidden.length;
        const low = 1;
        const high = rest - (k - 1);
        expect(high - low + 1, `hidden counts in ${JSON.stringify(cells.map(([e]) => e))} could be only one value`).toBeGreaterThan(1);
      }),
      { numRuns: 2000, seed: 20261122 },
    );
  });

  it('hides the rate and the RRI of a hidden count, and every RRI when the reference is hidden', () => {
    const t = trackerTable(
      [
        { key: 'white', label: 'White', events: 3, population: 1000 },
        { key: 'black', label: 'Black', events: 12, population: 500 },
        { key: 'asian', label: 'Asian', events: 20, population: 800 },
      ],
      'white',
      'be victims',
      'young people',
    );
    expect(t.referenceHidden).toBe(true);
    expect(t.rows[0]).toMatchObject({ events: 'hidden', rate: null, rri: null });
    expect(t.rows.every((r) => r.rri === null && r.ciLow === null)).toBe(true);
  });
});
