// A small closed-loop load generator: N connections, each sending its next
// request as soon as the last one answers, for a fixed time. Every latency is
// kept, so percentiles are exact (autocannon reports p97.5, not p95).
export interface LoadResult {
  requests: number;
  errors: number;
  statuses: Record<number, number>;
  seconds: number;
  p50: number;
  p95: number;
  p99: number;
  rps: number;
}

export interface LoadOptions {
  connections: number;
  seconds: number;
  /** Builds connection c's next request. */
  request: (connection: number, n: number) => { url: string; init?: RequestInit };
}

export function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length) - 1; // nearest-rank method
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const statuses: Record<number, number> = {};
  let errors = 0;
  const started = performance.now();
  const deadline = started + options.seconds * 1000;
  await Promise.all(
    Array.from({ length: options.connections }, async (_, c) => {
      for (let n = 0; performance.now() < deadline; n++) {
        const { url, init } = options.request(c, n);
        const t0 = performance.now();
        try {
          const res = await fetch(url, { redirect: 'manual', ...init });
          await res.arrayBuffer();
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status >= 400) errors++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t0);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    errors,
    statuses,
    seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    rps: latencies.length / seconds,
  };
}

export function report(name: string, r: LoadResult): void {
  const ms = (v: number) => `${v.toFixed(1)} ms`;
  console.log(
    `${name.padEnd(34)} p50 ${ms(r.p50).padStart(9)}  p95 ${ms(r.p95).padStart(9)}  p99 ${ms(r.p99).padStart(9)}  ${r.rps.toFixed(0).padStart(5)} req/s  (${r.requests} requests, ${r.errors} errors, statuses ${JSON.stringify(r.statuses)})`,
  );
}
