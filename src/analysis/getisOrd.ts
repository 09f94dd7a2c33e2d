// Getis-Ord local G statistics (Getis and Ord 1992; Ord and Getis 1995) with
// binary distance-band weights, written to give what R's spdep::localG gives
// for dnearneigh(0, D) with style "B" weights (and include.self() for Gi*):
// the z-score of each feature's neighbourhood sum against its expectation.
//
//   Gi* (self included):  xbar = mean(x), s2 = sum((x - xbar)^2) / n,
//                         var = s2 (n S1 - W^2) / (n - 1)
//   Gi  (self excluded):  xbar_i = (sum x - x_i) / (n - 1),
//                         s2_i = (sum x^2 - x_i^2) / (n - 1) - xbar_i^2,
//                         var = s2_i ((n - 1) S1 - W^2) / (n - 2)
//   z_i = (sum_j w_ij x_j - W_i xbar) / sqrt(var), W_i = sum_j w_ij, S1_i = sum_j w_ij^2.
//
// A feature with no neighbours (Gi) has no z: NaN, which R prints as NaN too.
import { twoSidedP } from './normal.ts';

/** Neighbours within `distance` (inclusive), self excluded, coincident points included: compressed rows. */
export interface Neighbours {
  offsets: Int32Array;
  targets: Int32Array;
}

/** Pairs within a distance band, found through a grid of cells one band wide, so each point looks at nine cells, not at every point. */
export function neighboursWithin(x: ArrayLike<number>, y: ArrayLike<number>, distance: number): Neighbours {
  const n = x.length;
  const cell = distance > 0 ? distance : 1;
  let minX = Infinity;
  let minY = Infinity;
  for (let i = 0; i < n; i++) {
    if (x[i] < minX) minX = x[i];
    if (y[i] < minY) minY = y[i];
  }
  const buckets = new Map<number, number[]>();
  const col = (v: number) => Math.floor((v - minX) / cell);
  const row = (v: number) => Math.floor((v - minY) / cell);
  // Rows of at most 2^21 cells wide keep the key an exact integer.
  const key = (c: number, r: number) => r * 2_097_152 + c;
  for (let i = 0; i < n; i++) {
    const k = key(col(x[i]), row(y[i]));
    const list = buckets.get(k);
    if (list) list.push(i);
    else buckets.set(k, [i]);
  }
  const offsets = new Int32Array(n + 1);
  const found: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = col(x[i]);
    const r = row(y[i]);
    const mine: number[] = [];
    for (let dr = -1; dr <= 1; dr++)
      for (let dc = -1; dc <= 1; dc++) {
        const list = buckets.get(key(c + dc, r + dr));
        if (!list) continue;
        for (const j of list) {
          if (j === i) continue;
          const dx = x[i] - x[j];
          const dy = y[i] - y[j];
          if (Math.sqrt(dx * dx + dy * dy) <= distance) mine.push(j);
        }
      }
    mine.sort((a, b) => a - b);
    for (const j of mine) found.push(j);
    offsets[i + 1] = found.length;
  }
  return { offsets, targets: Int32Array.from(found) };
}

export interface LocalG {
  z: Float64Array;
  p: Float64Array;
}

/** Local G (selfExcluded) or G* z-scores and two-sided normal p-values, binary weights. */
export function localG(values: ArrayLike<number>, neighbours: Neighbours, options: { selfExcluded?: boolean } = {}): LocalG {
  const n = values.length;
  const star = !options.selfExcluded;
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i];
    sumSq += values[i] * values[i];
  }
  const mean = sum / n;
  let centred = 0;
  for (let i = 0; i < n; i++) centred += (values[i] - mean) ** 2;
  const z = new Float64Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const { offsets, targets } = neighbours;
    let lag = star ? values[i] : 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) lag += values[targets[k]];
    // Binary weights: W (the sum of weights) and S1 (the sum of their squares) are both the neighbour count.
    const w = offsets[i + 1] - offsets[i] + (star ? 1 : 0);
    let expected: number;
    let variance: number;
    if (star) {
      expected = w * mean;
      variance = (centred / n) * ((n * w - w * w) / (n - 1));
    } else {
      const xbar = (sum - values[i]) / (n - 1);
      const s2 = (sumSq - values[i] * values[i]) / (n - 1) - xbar * xbar;
      expected = w * xbar;
      variance = s2 * (((n - 1) * w - w * w) / (n - 2));
    }
    z[i] = (lag - expected) / Math.sqrt(variance);
    p[i] = twoSidedP(z[i]);
  }
  return { z, p };
}
