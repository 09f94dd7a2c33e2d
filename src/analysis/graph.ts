// Measures of a network of people, for analysts: degree, betweenness,
// PageRank and Louvain communities. Descriptions of the network, never a
// score of a person. Each follows networkx's definition so an analyst can
// check any figure against it (test/analysis/graph.test.ts does, with
// Debian's python3-networkx):
//   betweenness: Brandes (2001), normalised as betweenness_centrality(normalized=True),
//     1/((n−1)(n−2)) over ordered pairs; sampled from k sources beyond EXACT_BETWEENNESS_LIMIT
//     people, scaled by n/k as networkx does for k;
//   pagerank: power iteration with damping 0.85, dangling mass spread evenly,
//     stopping when the L1 change is under n × 1e-6, as networkx's pagerank;
//   communities: Louvain at resolution 1, as networkx's louvain_communities (louvain.ts).
import { seededRandom } from './random.ts';
import { louvain, modularityOf } from './louvain.ts';

export { modularityOf as modularity };

/** An undirected simple graph in compressed rows: neighbours of i are targets[offsets[i] .. offsets[i+1]). */
export interface LinkGraph {
  ids: string[];
  offsets: Int32Array;
  targets: Int32Array;
}

/** The rule: exact betweenness up to 5,000 people; beyond, sampled, and the page says so. */
export const EXACT_BETWEENNESS_LIMIT = 5_000;
/** Sources sampled beyond the limit: enough for a stable ranking of the people who bridge groups. */
export const BETWEENNESS_SAMPLE = 500;

/** Builds the graph from links; a repeated link counts once and a link from someone to themselves is left out, as in networkx's Graph. */
export function buildGraph(links: Iterable<readonly [string, string]>, extraIds: Iterable<string> = []): LinkGraph {
  const index = new Map<string, number>();
  const ids: string[] = [];
  const at = (id: string) => {
    let i = index.get(id);
    if (i === undefined) index.set(id, (i = ids.push(id) - 1));
    return i;
  };
  for (const id of extraIds) at(id);
  const from: number[] = [];
  const to: number[] = [];
  const seen = new Set<number>();
  for (const [a, b] of links) {
    const i = at(a);
    const j = at(b);
    if (i === j) continue;
    // Pairs fit one double exactly while there are fewer than 2^26 people.
    const key = i < j ? i * 67_108_864 + j : j * 67_108_864 + i;
    if (seen.has(key)) continue;
    seen.add(key);
    from.push(i);
    to.push(j);
  }
  const n = ids.length;
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < from.length; e++) offsets[from[e] + 1]++, offsets[to[e] + 1]++;
  for (let i = 0; i < n; i++) offsets[i + 1] += offsets[i];
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(from.length * 2);
  for (let e = 0; e < from.length; e++) {
    targets[fill[from[e]]++] = to[e];
    targets[fill[to[e]]++] = from[e];
  }
  return { ids, offsets, targets };
}

export const linkCount = (g: LinkGraph) => g.targets.length / 2;

export function degrees(g: LinkGraph): Int32Array {
  const n = g.ids.length;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = g.offsets[i + 1] - g.offsets[i];
  return out;
}

export interface Betweenness {
  values: Float64Array;
  /** How many sources the figures came from: every person when exact. */
  sources: number;
  exact: boolean;
}

/**
 * Brandes' algorithm from each source (every person, or `sources` of them),
 * normalised as networkx's. Unweighted: one breadth-first search per source,
 * then dependencies accumulated in reverse order of distance.
 */
export function betweenness(g: LinkGraph, options: { sources?: number[]; sample?: number; seed?: number } = {}): Betweenness {
  const n = g.ids.length;
  const sources = betweennessSources(n, options);
  const bc = new Float64Array(n);
  brandes(g.offsets, g.targets, n, sources, bc);
  return normalisedBetweenness(bc, n, sources.length);
}

/** Every person, or a seeded sample of them beyond EXACT_BETWEENNESS_LIMIT. */
export function betweennessSources(n: number, options: { sources?: number[]; sample?: number; seed?: number } = {}): number[] {
  const sample = options.sample ?? (n > EXACT_BETWEENNESS_LIMIT ? BETWEENNESS_SAMPLE : n);
  return options.sources ?? (sample >= n ? Array.from({ length: n }, (_, i) => i) : pickSources(n, sample, options.seed ?? 1));
}

/** networkx's normalisation, 1/((n−1)(n−2)), scaled by n/k when k of n people were the sources. */
export function normalisedBetweenness(bc: Float64Array, n: number, sourceCount: number): Betweenness {
  if (n > 2) {
    const scale = (1 / ((n - 1) * (n - 2))) * (n / sourceCount);
    for (let i = 0; i < n; i++) bc[i] *= scale;
  }
  return { values: bc, sources: sourceCount, exact: sourceCount === n };
}

/**
 * Brandes' accumulation from each of `sources` into `bc` (unnormalised):
 * one breadth-first search per source, then dependencies summed in reverse
 * order of distance. Typed arrays only, so a worker thread can run it on a
 * shared copy of the graph (betweennessParallel.ts).
 */
export function brandes(offsets: Int32Array, targets: Int32Array, n: number, sources: ArrayLike<number>, bc: Float64Array): void {
  const sigma = new Float64Array(n);
  // (1 + δ(w)) / σ(w), kept per person once its δ is known: one division per person, not per link.
  const share = new Float64Array(n);
  const dist = new Int32Array(n).fill(-1);
  const order = new Int32Array(n);
  for (let k = 0; k < sources.length; k++) {
    const s = sources[k];
    let head = 0;
    let tail = 0;
    order[tail++] = s;
    dist[s] = 0;
    sigma[s] = 1;
    while (head < tail) {
      const v = order[head++];
      const next = dist[v] + 1;
      const sv = sigma[v];
      for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
        const w = targets[e];
        const dw = dist[w];
        if (dw < 0) {
          dist[w] = next;
          order[tail++] = w;
          sigma[w] = sv;
        } else if (dw === next) sigma[w] += sv;
      }
    }
    for (let i = tail - 1; i >= 0; i--) {
      const v = order[i];
      const next = dist[v] + 1;
      let sum = 0;
      for (let e = offsets[v], end = offsets[v + 1]; e < end; e++) {
        const w = targets[e];
        if (dist[w] === next) sum += share[w];
      }
      const delta = sigma[v] * sum;
      share[v] = (1 + delta) / sigma[v];
      if (v !== s) bc[v] += delta;
    }
    for (let i = 0; i < tail; i++) {
      const v = order[i];
      dist[v] = -1;
      sigma[v] = 0;
      share[v] = 0;
    }
  }
}

/** k distinct sources drawn with a seeded generator (a partial Fisher–Yates shuffle). */
function pickSources(n: number, k: number, seed: number): number[] {
  const random = seededRandom(seed);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(random() * (n - i));
    [all[i], all[j]] = [all[j], all[i]];
  }
  return Array.from(all.subarray(0, k));
}

export function pagerank(g: LinkGraph, alpha = 0.85, tolerance = 1e-6, maxIterations = 100): Float64Array {
  const n = g.ids.length;
  if (!n) return new Float64Array();
  const degree = degrees(g);
  let x = new Float64Array(n).fill(1 / n);
  let next = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    let dangling = 0;
    for (let i = 0; i < n; i++) if (degree[i] === 0) dangling += x[i];
    const base = (alpha * dangling + (1 - alpha)) / n;
    next.fill(base);
    for (let v = 0; v < n; v++) {
      if (!degree[v]) continue;
      const share = (alpha * x[v]) / degree[v];
      for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) next[g.targets[e]] += share;
    }
    let change = 0;
    for (let i = 0; i < n; i++) change += Math.abs(next[i] - x[i]);
    [x, next] = [next, x];
    if (change < n * tolerance) break;
  }
  return x;
}

export interface Communities {
  /** Each person's community, numbered from 1 by size (1 is the largest). */
  community: Int32Array;
  count: number;
  modularity: number;
}

/**
 * Louvain finds a local best that depends on the order people are visited
 * (on a path of six, 0.26 or 0.30): small networks are run from several
 * seeds and the partition with the highest modularity kept; large ones once.
 */
export const LOUVAIN_RUNS = { upTo: EXACT_BETWEENNESS_LIMIT, runs: 8 };

export function communities(g: LinkGraph, seed = 1): Communities {
  const runs = g.ids.length <= LOUVAIN_RUNS.upTo ? LOUVAIN_RUNS.runs : 1;
  let raw = louvain(g, seededRandom(seed));
  for (let k = 1, best = modularityOf(g, raw); k < runs; k++) {
    const next = louvain(g, seededRandom(seed + k));
    const q = modularityOf(g, next);
    if (q > best) [raw, best] = [next, q];
  }
  // Renumber by size, largest first, ties by first member: the same network gives the same numbers.
  const sizes = new Map<number, { size: number; first: number }>();
  raw.forEach((c, i) => {
    const s = sizes.get(c);
    if (s) s.size++;
    else sizes.set(c, { size: 1, first: i });
  });
  const ranked = [...sizes].sort((a, b) => b[1].size - a[1].size || a[1].first - b[1].first);
  const number = new Map(ranked.map(([c], k) => [c, k + 1]));
  const community = raw.map((c) => number.get(c)!);
  return { community, count: ranked.length, modularity: modularityOf(g, community) };
}
