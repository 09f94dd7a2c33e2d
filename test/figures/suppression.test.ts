// Small-number suppression and the median, against worked examples.
import { describe, expect, it } from 'vitest';
import { HIDDEN_EXPLAINED, shown, suppressGroup } from '../../src/modules/figures/suppression.ts';
import { median } from '../../src/platform/statistics.ts';
import { computeFigures, monthsBetween } from '../../src/modules/figures/figures.ts';

/** Could someone get a hidden cell back exactly from the total and the shown cells? */
function recoverable(counts: number[], total: number, g: { cells: boolean[]; total: boolean }): boolean {
  if (g.total) return false;
  return g.cells.filter(Boolean).length === 1 && counts[g.cells.indexOf(true)] > 0;
}

describe('small-number suppression', () => {
  it('hides counts from 1 to 4 and shows 0 and 5 and over', () => {
    const g = suppressGroup([0, 3, 5, 12, 40], 60);
    expect(g.cells).toEqual([false, true, true, false, false]); // 3 hidden; 5, the first non-zero count in order, hidden so 3 cannot be worked out
    expect(g.total).toBe(false);
  });

  it('hides a second cell when one hidden cell could be worked out from the total', () => {
    // ONS's example shape: one small cell in a row with a total.
    const g = suppressGroup([2, 30, 18], 50);
    expect(g.cells).toEqual([true, true, false]);
    expect(shown(2, g.cells[0])).toBe('hidden');
  });

  it('hides a third count when two small ones could be worked out (2 hidden that add up to 2 are both 1)', () => {
    expect(suppressGroup([1, 9, 1, 7], 18).cells).toEqual([true, true, true, false]);
  });

  it('hides the total when it is small itself', () => {
    expect(suppressGroup([1, 2, 0], 3)).toEqual({ cells: [true, true, false], total: true });
  });

  it('hides the total when the only non-zero cell is hidden for another reason', () => {
    expect(suppressGroup([0, 9, 0], 9, [false, true, false])).toEqual({ cells: [false, true, false], total: true });
  });

  it('never leaves a hidden cell recoverable from its total (every group of four cells up to 12)', () => {
    for (let a = 0; a <= 12; a++)
      for (let b = 0; b <= 12; b++)
        for (let c = 0; c <= 12; c++)
          for (const d of [0, 1, 4, 7]) {
            const counts = [a, b, c, d];
            const total = a + b + c + d;
            const g = suppressGroup(counts, total);
            expect(recoverable(counts, total, g), counts.join(',')).toBe(false);
            counts.forEach((n, i) => {
              if (n > 0 && n < 5) expect(g.cells[i]).toBe(true);
            });
          }
  });
});

describe('median', () => {
  it('matches R: median(c(5, 3, 9)) = 5, median(c(1, 2, 3, 10)) = 2.5', () => {
    expect(median([5, 3, 9])).toBe(5);
    expect(median([1, 2, 3, 10])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

describe('the figures tables', () => {
  const hour = 3_600_000;
  const at = (iso: string) => new Date(iso);
  const response = (notified: string, attemptAfterHours: number | null, contactAfterHours: number | null, source = 'community', closure: string | null = null) => {
    const n = at(notified);
    return {
      source,
      notified_at: n,
      custody_booked_at: null,
      custody_notified_at: null,
      first_attempt_at: attemptAfterHours === null ? null : new Date(n.getTime() + attemptAfterHours * hour),
      contact_made_at: contactAfterHours === null ? null : new Date(n.getTime() + contactAfterHours * hour),
      professional_contact_at: null,
      closure_reason: closure,
    };
  };

  it('counts by month, with percentages and medians, and hides the small month', () => {
    // September: 6 responses; 5 contacted within 48 h, 1 at 60 h. October: 2 responses.
    const rows = [
      ...[2, 4, 6, 8, 10].map((h) => response('2026-09-10T10:00:00Z', h, h + 1, 'ae', 'supported')),
      response('2026-09-20T10:00:00Z', 30, 60, 'ae', 'supported'),
      response('2026-10-05T10:00:00Z', 1, 3, 'custody'),
      response('2026-10-06T10:00:00Z', 3, 5, 'custody'),
    ];
    const f = computeFigures(rows, monthsBetween('2026-09', '2026-10'), at('2026-11-21T12:00:00Z'));
    const [sep, oct] = f.byMonth.rows;
    expect(sep.label).toBe('September 2026');
    // September's 6 would be total minus October's hidden 2: both months are hidden.
    expect(oct.opened).toBe('hidden');
    expect(sep.opened).toBe('hidden');
    expect(f.byMonth.total.opened).toBe(8);
    const contact = f.byMonth.total.measures[0];
    expect(contact).toEqual({ met: 7, decided: 8, percent: '87.5%' });
    // First attempts at 1, 2, 3, 4, 6, 8, 10, 30 hours: median (4 + 6) / 2 = 5.
    expect(f.byMonth.total.medianHoursToAttempt).toBe(5);
    expect(f.byMonth.total.measures[1]).toEqual({ met: 7, decided: 8, percent: '87.5%' });
    // By source: A&E 6, custody 2 (hidden), so A&E is hidden too.
    expect(f.bySource.rows.map((r) => r.opened)).toEqual([expect.any(String), expect.any(String), 0, 0]);
    expect(f.closures.rows[0]).toEqual({ label: 'Supported by a service', count: 6 });
    expect(f.closures.total).toBe(6);
  });
});

describe('the word a hidden cell shows', () => {
  it('is one word for a small count and the count hidden to protect it, never "fewer than 5" for a 31', () => {
    const g = suppressGroup([2, 31, 97], 130);
    expect(g.cells).toEqual([true, true, false]);
    expect([2, 31, 97].map((n, i) => shown(n, g.cells[i]))).toEqual(['hidden', 'hidden', 97]);
    expect(HIDDEN_EXPLAINED).toContain('a count from 1 to 4, and any count hidden with it');
  });
});

