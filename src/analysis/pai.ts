// How good is a hot spot map: the Prediction Accuracy Index (Chainey,
// Tompson and Uhlig 2008) and the Predictive Efficiency Index (Hunt 2016) of
// the cells a map picked from one period, measured on what happened in the
// next. For the top share of the area (1%, 5%, 10%):
//   PAI = (n / N) / (a / A)   the share of next period's events caught, over the share of area;
//   PEI = n / n*              n* the most any cells of that area could have caught.
// Every cell has the same area, so a / A is the share of cells.

export interface Cell {
  /** What the map ranked the cell by, from the first period (a count, a density, a z-score). */
  score: number;
  /** Events in the cell in the next period. */
  count: number;
}

export interface Accuracy {
  coverage: number;
  cells: number;
  captured: number;
  total: number;
  pai: number;
  pei: number;
}

export const COVERAGES = [0.01, 0.05, 0.1] as const;

export function predictionAccuracy(cells: Cell[], coverages: readonly number[] = COVERAGES): Accuracy[] {
  const total = cells.reduce((s, c) => s + c.count, 0);
  // Ties in the score are broken by position, as a map shows them: the order is the map's, not the outcome's.
  const byScore = cells.map((c, i) => ({ ...c, i })).sort((a, b) => b.score - a.score || a.i - b.i);
  const best = [...cells].sort((a, b) => b.count - a.count);
  return coverages.map((coverage) => {
    const k = Math.max(1, Math.round(coverage * cells.length));
    const captured = byScore.slice(0, k).reduce((s, c) => s + c.count, 0);
    const most = best.slice(0, k).reduce((s, c) => s + c.count, 0);
    const areaShare = k / cells.length;
    return { coverage, cells: k, captured, total, pai: total ? captured / total / areaShare : NaN, pei: most ? captured / most : NaN };
  });
}
