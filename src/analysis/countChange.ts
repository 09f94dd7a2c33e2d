// Did a count rise or fall beyond what chance explains? Two counts of events
// over equal periods, each taken as Poisson: given their sum n, the later
// count is Binomial(n, 1/2) when the rate has not changed (the conditional
// test of Przyborowski and Wilenski, 1940). The p-value is two-sided and
// exact, as scipy.stats.binomtest(k, n, 0.5) gives it: for p = 1/2 the
// distribution is symmetric, so it is twice the smaller tail, at most 1.

/**
 * P(X ≤ k) for X ~ Binomial(n, 1/2), summed term by term in logs (each term
 * from the last: C(n, i+1) = C(n, i)·(n−i)/(i+1)), so large n neither
 * underflows 0.5ⁿ nor loses the tail.
 */
function lowerTail(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  let logTerm = n * Math.log(0.5);
  let sum = Math.exp(logTerm);
  for (let i = 0; i < k; i++) {
    logTerm += Math.log(n - i) - Math.log(i + 1);
    sum += Math.exp(logTerm);
  }
  return Math.min(1, sum);
}

export interface CountChange {
  before: number;
  now: number;
  /** Two-sided exact p-value that the two periods share one rate. */
  p: number;
  direction: 'rose' | 'fell' | 'same';
}

/** The conditional binomial test of `now` against `before` (equal periods). */
export function countChange(before: number, now: number): CountChange {
  const n = before + now;
  const direction = now > before ? 'rose' : now < before ? 'fell' : 'same';
  if (n === 0 || now === before) return { before, now, p: 1, direction };
  const smaller = Math.min(now, before);
  // By symmetry P(X ≤ smaller) = P(X ≥ larger): twice one tail.
  return { before, now, p: Math.min(1, 2 * lowerTail(smaller, n)), direction };
}
