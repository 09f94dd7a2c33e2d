// Small-number suppression for published tables (issue 3, item 6): a count
// from 1 to 4 is hidden, and a total never gives one back.
// Primary suppression hides the small counts; secondary (complementary)
// suppression hides one more count in the same group, because the total
// minus the shown counts would otherwise reveal the hidden ones. A group whose
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
  if (hidden >= 1) {
    // Hidden cells add up to the total minus the shown ones: one more is
    // hidden, so no hidden cell can be worked out. (One alone is the total
    // minus the rest; two small ones that add up to 2 are both 1.) It is
    // the first non-zero cell in the table's own order, never "the next
    // smallest": someone who knew the rule picked the smallest would know it
    // is no bigger than every shown count, and could work both out. The
    // property test in test/disproportionality searches for such leaks.
    const next = counts.findIndex((n, i) => !cells[i] && n > 0);
    if (next >= 0) cells[next] = true;
    else if (hidden === 1) return { cells, total: true };
  }
  return { cells, total: false };
}

/**
 * The one word every hidden cell shows, whichever rule hid it (issue 18).
 * Calling the small ones "fewer than 5" and the ones hidden to protect them
 * something else would give counts away: a small count and its protector
 * that add up to 6 could only be 1 and 5. So, as the Government Statistical
 * Service marks every suppressed cell [c], one word for all, explained under
 * each table (HIDDEN_EXPLAINED).
 */
export const HIDDEN = 'hidden';
export const HIDDEN_EXPLAINED = `“Hidden” marks a count from 1 to ${SUPPRESS_BELOW - 1}, and any count hidden with it so that it cannot be worked out from the total. Which is which is not shown, because that too could give a count away.`;

/** What a table cell shows: the number, or the word. */
export function shown(n: number, hidden: boolean): string | number {
  return hidden ? HIDDEN : n;
}
