// Betweenness on every core (issue 24: the machine has two and igraph uses
// one): the sources are dealt out to worker threads, each runs Brandes from
// its share over one copy of the graph in shared memory, and the sums are
// added. The same figures as betweenness() in graph.ts (only the order of
// additions differs, so within 1e-12), which small graphs still use.
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { betweennessSources, brandes, normalisedBetweenness, type Betweenness, type LinkGraph } from './graph.ts';

/** Below this much work (sources × links, about two seconds in one thread) starting threads (tsx loads in each) saves too little. */
const WORTH_A_THREAD = 100_000_000;

export async function betweennessInParallel(g: LinkGraph, options: { sources?: number[]; sample?: number; seed?: number; threads?: number } = {}): Promise<Betweenness> {
  const n = g.ids.length;
  const sources = betweennessSources(n, options);
  const threads = Math.max(1, options.threads ?? Math.min(os.availableParallelism(), Math.ceil((sources.length * g.targets.length) / WORTH_A_THREAD)));
  const bc = new Float64Array(n);
  if (threads === 1) {
    brandes(g.offsets, g.targets, n, sources, bc);
    return normalisedBetweenness(bc, n, sources.length);
  }
  const shared = (from: Int32Array) => {
    const copy = new Int32Array(new SharedArrayBuffer(from.byteLength));
    copy.set(from);
    return copy;
  };
  const offsets = shared(g.offsets);
  const targets = shared(g.targets);
  // Dealt round the threads in turn, so each gets sources from every part of the network.
  const shares = Array.from({ length: threads }, (_, t) => Int32Array.from(sources.filter((_, k) => k % threads === t)));
  const partials = await Promise.all(shares.map((share) => runShare({ offsets, targets, n, sources: share })));
  for (const partial of partials) for (let i = 0; i < n; i++) bc[i] += partial[i];
  return normalisedBetweenness(bc, n, sources.length);
}

function runShare(share: { offsets: Int32Array; targets: Int32Array; n: number; sources: Int32Array }): Promise<Float64Array> {
  // The worker is TypeScript: worker.mjs loads it through tsx, as the server is loaded.
  const worker = new Worker(new URL('./worker.mjs', import.meta.url), { workerData: { module: new URL('./betweennessWorker.ts', import.meta.url).href } });
  return new Promise<Float64Array>((resolve, reject) => {
    worker.once('message', (bc: Float64Array) => resolve(bc));
    worker.once('error', reject);
    worker.once('exit', (code) => code !== 0 && reject(new Error(`a betweenness thread stopped (${code})`)));
    worker.postMessage(share);
  }).finally(() => worker.terminate());
}
