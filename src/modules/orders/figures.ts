// Orders on the board report (issue 19): by month, orders made, possible
// breaches raised, and how they were decided. Counts only, with small numbers
// hidden both down each column (against the year's total) and across each
// month (raised = confirmed + not a breach + waiting), until neither gives a
// hidden count back.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { monthLabel, monthStart, addMonths } from '../figures/figures.ts';
import { shown, suppressGroup } from '../figures/suppression.ts';

export const ORDER_MEASURES = ['Orders made', 'Possible breaches raised', 'Confirmed', 'Not a breach', 'Waiting for a decision'] as const;

/** Counts per month (made, raised, confirmed, not a breach, waiting), hidden where small. */
export async function ordersByMonth(db: Kysely<DB>, months: string[]) {
  const from = monthStart(months[0]);
  const to = monthStart(addMonths(months.at(-1)!, 1));
  const month = (column: string) => sql<string>`to_char(${sql.ref(column)} AT TIME ZONE 'Europe/London', 'YYYY-MM')`;
  const [made, raised] = await Promise.all([
    db.selectFrom('court_order').select([month('recorded_at').as('month'), (eb) => eb.fn.countAll<string>().as('n')]).where('recorded_at', '>=', from).where('recorded_at', '<', to).groupBy(sql`1`).execute(),
    db
      .selectFrom('possible_breach')
      .select([month('raised_at').as('month'), 'decision', (eb) => eb.fn.countAll<string>().as('n')])
      .where('raised_at', '>=', from)
      .where('raised_at', '<', to)
      .groupBy([sql`1`, 'decision'])
      .execute(),
  ]);
  const counts = months.map((m) => {
    const r = raised.filter((x) => x.month === m);
    const of = (d: string | null) => Number(r.find((x) => x.decision === d)?.n ?? 0);
    const confirmed = of('confirmed');
    const dismissed = of('not_a_breach');
    const waiting = of(null);
    return [Number(made.find((x) => x.month === m)?.n ?? 0), confirmed + dismissed + waiting, confirmed, dismissed, waiting];
  });
  const totals = ORDER_MEASURES.map((_, j) => counts.reduce((n, row) => n + row[j], 0));
  const hidden = protect(counts, totals);
  return {
    measures: ORDER_MEASURES,
    rows: months.map((m, i) => ({ label: monthLabel(m), values: counts[i].map((n, j) => shown(n, hidden.cells[i][j])) })),
    total: { label: 'Twelve months', values: totals.map((n, j) => shown(n, hidden.totals[j])) },
  };
}

/** Hides small counts and enough others that none can be worked out from a row's or a column's total. */
export function protect(counts: number[][], totals: number[]) {
  const cells = counts.map((row) => row.map(() => false));
  const hiddenTotals = totals.map(() => false);
  for (let changed = true; changed; ) {
    changed = false;
    const mark = (i: number, j: number) => {
      if (!cells[i][j]) (cells[i][j] = true), (changed = true);
    };
    // Down each column, against the year's total.
    totals.forEach((total, j) => {
      const g = suppressGroup(counts.map((row) => row[j]), total, counts.map((_, i) => cells[i][j]));
      g.cells.forEach((h, i) => h && mark(i, j));
      if (g.total && !hiddenTotals[j]) (hiddenTotals[j] = true), (changed = true);
    });
    // Across each month: raised (column 1) is the total of the three decisions (columns 2 to 4).
    counts.forEach((row, i) => {
      const g = suppressGroup(row.slice(2), row[1], row.slice(2).map((_, k) => cells[i][k + 2]));
      g.cells.forEach((h, k) => h && mark(i, k + 2));
      if (g.total) mark(i, 1);
      // A hidden number of breaches raised is the sum of its decisions: one of them goes too.
      const first = [2, 3, 4].find((k) => row[k] > 0);
      if (cells[i][1] && first !== undefined && ![2, 3, 4].some((k) => cells[i][k])) mark(i, first);
    });
    // The same across the year's totals.
    const whole = suppressGroup(totals.slice(2), totals[1], totals.slice(2).map((_, k) => hiddenTotals[k + 2]));
    whole.cells.forEach((h, k) => h && !hiddenTotals[k + 2] && ((hiddenTotals[k + 2] = true), (changed = true)));
    if (whole.total && !hiddenTotals[1]) (hiddenTotals[1] = true), (changed = true);
  }
  return { cells, totals: hiddenTotals };
}
