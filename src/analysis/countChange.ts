// Did a count rise or fall beyond what chance explains? Two counts of events
// over equal periods, each taken as Poisson: given their sum n, the later
// count is Binomial(n, 1/2) when the rate has not changed (the conditional
// test of Przyborowski and Wilenski, 1940). The p-value is two-sided and
// exact, as scipy.stats.binomtest(k, n, 0.5) gives it: for p = 1/2 the
// distribution is symmetric, so it is twice the smaller tail, at most 1.

/** ln Γ(x) for x > 0 (Lanczos, g = 7, nine terms: about 15 significant figures). */
function logGamma(x: number): number {
  const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  x -= 1;
  let a = c[0];
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summed from the nearer end in logs so large n neither overflows nor loses the tail. */
function lowerTail(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const logHalfN = n * Math.log(0.5);
  const logChoose = (i: number) => logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1);
  let sum = 0;
  for (let i = 0; i <= k; i++) sum += Math.exp(logChoose(i) + logHalfN);
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
