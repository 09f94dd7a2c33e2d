// Corrections for testing every cell of a map at once, so that among
// thousands of cells the "significant" ones are not just the 5% chance
// gives: Bonferroni (the family-wise error) and Benjamini-Hochberg (the false
// discovery rate). Both return adjusted p-values, as R's p.adjust does, so a
// cell is significant when its adjusted p is at or below the chosen level.

export const CORRECTIONS = { none: 'None', bonferroni: 'Bonferroni', fdr: 'False discovery rate (Benjamini-Hochberg)' } as const;
export type Correction = keyof typeof CORRECTIONS;

/** p-values adjusted for the number of tests; NaN stays NaN and is not counted as a test. */
export function adjust(p: ArrayLike<number>, method: Correction): Float64Array {
  const out = Float64Array.from(p);
  if (method === 'none') return out;
  const tested = [...out.keys()].filter((i) => !Number.isNaN(out[i]));
  const m = tested.length;
  if (method === 'bonferroni') {
    for (const i of tested) out[i] = Math.min(1, out[i] * m);
    return out;
  }
  // Benjamini-Hochberg: from the largest p down, p * m / rank, never more than the one above it.
  const order = tested.sort((a, b) => out[b] - out[a]);
  let running = 1;
  const adjusted = new Float64Array(out.length).fill(NaN);
  order.forEach((i, k) => {
    const rank = m - k;
    running = Math.min(running, (out[i] * m) / rank);
    adjusted[i] = running;
  });
  return adjusted;
}
