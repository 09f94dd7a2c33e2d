// The board's orders table hides small numbers so that no hidden count can be
// worked out from a row's or a column's total (issue 19; the Government
// Statistical Service's rule as the rest of the board applies it).
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { protect } from '../../src/modules/orders/figures.ts';
import { SUPPRESS_BELOW } from '../../src/modules/figures/suppression.ts';

/** A group gives a hidden cell back when its total is shown and exactly one non-zero cell in it is hidden. */
function leaks(counts: number[][], totals: number[], hidden: ReturnType<typeof protect>): string[] {
  const found: string[] = [];
  counts.forEach((row, i) =>
    row.forEach((n, j) => {
      if (n > 0 && n < SUPPRESS_BELOW && !hidden.cells[i][j]) found.push(`small count shown at ${i},${j}`);
    }),
  );
  totals.forEach((total, j) => {
    if (total > 0 && total < SUPPRESS_BELOW && !hidden.totals[j]) found.push(`small total shown in column ${j}`);
    const hiddenHere = counts.filter((row, i) => row[j] > 0 && hidden.cells[i][j]).length;
    if (!hidden.totals[j] && hiddenHere === 1) found.push(`column ${j} gives one back`);
  });
  counts.forEach((row, i) => {
    const parts = [2, 3, 4].filter((k) => row[k] > 0 && hidden.cells[i][k]).length;
    if (!hidden.cells[i][1] && parts === 1) found.push(`month ${i} gives a decision back`);
    if (hidden.cells[i][1] && row[1] > 0 && parts === 0) found.push(`month ${i} gives its breaches raised back`);
  });
  return found;
}

const table = (rows: [number, number, number, number][]) => {
  const counts = rows.map(([made, confirmed, dismissed, waiting]) => [made, confirmed + dismissed + waiting, confirmed, dismissed, waiting]);
  const totals = [0, 1, 2, 3, 4].map((j) => counts.reduce((n, r) => n + r[j], 0));
  return { counts, totals };
};

describe('small numbers in the orders table', () => {
  it('a worked example: 3 confirmed in one month hides them and one more decision in that month and in their column', () => {
    const { counts, totals } = table([
      [12, 3, 6, 5],
      [9, 8, 7, 6],
      [10, 9, 6, 7],
    ]);
    const hidden = protect(counts, totals);
    expect(hidden.cells[0][2]).toBe(true); // the 3
    expect(hidden.cells[0].slice(3).some(Boolean)).toBe(true); // one more in its month
    expect(hidden.cells.slice(1).some((row) => row[2])).toBe(true); // one more in its column
    expect(hidden.cells[0][0]).toBe(false); // orders made is shown
    expect(leaks(counts, totals, hidden)).toEqual([]);
  });

  it('never gives a hidden count back, whatever the counts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(12), fc.nat(8), fc.nat(8), fc.nat(8)), { minLength: 1, maxLength: 12 }), (rows) => {
        const { counts, totals } = table(rows);
        expect(leaks(counts, totals, protect(counts, totals))).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });
});
