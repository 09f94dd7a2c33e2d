// The standard normal distribution's upper tail, to near double precision,
// for p-values from z-scores (Getis-Ord Gi*). Written out rather than taken
// from a statistics package: erfc by its power series below 2 (all terms
// positive, so no cancellation) and by its continued fraction above, which
// is where the series would lose the tail's relative precision. Tested
// against scipy.stats.norm.sf.

const SQRT_PI = Math.sqrt(Math.PI);

/** erf(x) for 0 <= x < 2: 2/sqrt(pi) e^{-x^2} sum 2^n x^(2n+1) / (2n+1)!! */
function erfSeries(x: number): number {
  let term = x;
  let sum = x;
  const x2 = 2 * x * x;
  for (let n = 1; n < 200; n++) {
    term *= x2 / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / SQRT_PI) * Math.exp(-x * x) * sum;
}

/** erfc(x) for x >= 2, by the continued fraction e^{-x^2}/sqrt(pi) / (x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))), Lentz's method. */
function erfcFraction(x: number): number {
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let n = 1; n < 5000; n++) {
    const a = n / 2;
    d = x + a * d;
    d = d === 0 ? tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / SQRT_PI / f;
}

export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  return x < 2 ? 1 - erfSeries(x) : erfcFraction(x);
}

/** P(Z > z) for a standard normal Z. */
export function normalUpperTail(z: number): number {
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The two-sided p-value of a z-score: P(|Z| >= |z|). */
export function twoSidedP(z: number): number {
  return Number.isNaN(z) ? NaN : Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}
