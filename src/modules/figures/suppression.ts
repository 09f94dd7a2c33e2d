// Small-number suppression for published tables (issue 3, item 6): a count
// from 1 to 4 is shown as "fewer than 5", and a total never gives one back.
// Primary suppression hides the small counts; secondary (complementary)
// suppression hides the next smallest count in the same group when only one
// is hidden, because total minus the others would reveal it. A group whose
// total is itself small is hidden entirely.

/** Counts under this are suppressed (a setting; issue 3's default). */
export const SUPPRESS_BELOW = 5;

export interface SuppressedGroup {
  /** True where the count must not be shown. */
  cells: boolean[];
  total: boolean;
}

const small = (n: number, below: number) => n > 0 && n < below;

/**
 * Which cells of a group (counts that add up to `total`) to hide. `forced`
 * marks cells that must be hidden for another reason (say, their
 * denominator is hidden), and they count as hidden for the total's sake.
 */
export function suppressGroup(counts: number[], total: number, forced: boolean[] = [], below = SUPPRESS_BELOW): SuppressedGroup {
  if (small(total, below)) return { cells: counts.map((n, i) => n > 0 || Boolean(forced[i])), total: true };
  const cells = counts.map((n, i) => small(n, below) || Boolean(forced[i]));
  const hidden = cells.filter(Boolean).length;
  if (hidden === 1) {
    // One hidden cell is total minus the rest: hide the next smallest non-zero one too.
    const next = counts
      .map((n, i) => ({ n, i }))
      .filter(({ n, i }) => !cells[i] && n > 0)
      .sort((a, b) => a.n - b.n)[0];
    if (next) cells[next.i] = true;
    else return { cells, total: true };
  }
  return { cells, total: false };
}

/** What a table cell shows: the number, or the words. */
export function shown(n: number, hidden: boolean): string | number {
  return hidden ? `fewer than ${SUPPRESS_BELOW}` : n;
}
