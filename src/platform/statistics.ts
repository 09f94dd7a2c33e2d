// Descriptive statistics used by more than one module, each as published.

/** The median: the middle value, or the mean of the two middle values (e.g. Hyndman and Fan's type 2 / R's median). */
export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
