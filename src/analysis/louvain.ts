// Louvain communities (Blondel, Guillaume, Lambiotte and Lefebvre 2008), as
// networkx's louvain_communities does it: people visited in a seeded random
// order, each moved to the neighbouring community with the largest positive
// modularity gain until none moves; communities then become the nodes of a
// smaller weighted graph, and again, until modularity gains no more than
// 1e-7. Written over compressed rows, so two million links fit in memory.
import type { LinkGraph } from './graph.ts';
import type { Random } from './random.ts';

/** A level's graph: weighted links, and each node's links to itself (the links inside a community it stands for). */
interface Level {
  n: number;
  offsets: Int32Array;
  targets: Int32Array;
  weights: Float64Array;
  self: Float64Array;
}

const THRESHOLD = 1e-7;

export function louvain(g: LinkGraph, random: Random): Int32Array {
  const n = g.ids.length;
  const m = g.targets.length / 2;
  let community = Int32Array.from({ length: n }, (_, i) => i);
  if (!m) return community;
  let level: Level = { n, offsets: g.offsets, targets: g.targets, weights: new Float64Array(g.targets.length).fill(1), self: new Float64Array(n) };
  let quality = modularityOf(g, community);
  for (;;) {
    const { node2com, moved, count } = oneLevel(level, m, random);
    if (!moved) break;
    const next = community.map((c) => node2com[c]);
    const nextQuality = modularityOf(g, next);
    community = next;
    if (nextQuality - quality <= THRESHOLD) break;
    quality = nextQuality;
    level = aggregate(level, node2com, count);
  }
  return community;
}

/** Moves nodes between communities until no move gains modularity; communities renumbered 0..count−1. */
function oneLevel(level: Level, m: number, random: Random) {
  const { n, offsets, targets, weights, self } = level;
  const degree = new Float64Array(n);
  for (let u = 0; u < n; u++) {
    let d = 2 * self[u];
    for (let e = offsets[u]; e < offsets[u + 1]; e++) d += weights[e];
    degree[u] = d;
  }
  const node2com = Int32Array.from({ length: n }, (_, i) => i);
  const total = Float64Array.from(degree);
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const toCommunity = new Float64Array(n);
  const touched = new Int32Array(n);
  const stamp = new Int32Array(n).fill(-1);
  const twoM2 = 2 * m * m;
  let moved = false;
  for (let moves = 1, visit = 0; moves > 0; ) {
    moves = 0;
    for (let i = 0; i < n; i++) {
      const u = order[i];
      visit++;
      // The communities u links to, own first, each with the weight of u's links into it.
      const own = node2com[u];
      stamp[own] = visit;
      toCommunity[own] = 0;
      touched[0] = own;
      let count = 1;
      for (let e = offsets[u], end = offsets[u + 1]; e < end; e++) {
        const c = node2com[targets[e]];
        if (stamp[c] !== visit) {
          stamp[c] = visit;
          toCommunity[c] = 0;
          touched[count++] = c;
        }
        toCommunity[c] += weights[e];
      }
      const d = degree[u];
      total[own] -= d;
      const removeCost = -toCommunity[own] / m + (total[own] * d) / twoM2;
      let best = own;
      let bestGain = 0;
      for (let k = 0; k < count; k++) {
        const c = touched[k];
        const gain = removeCost + toCommunity[c] / m - (total[c] * d) / twoM2;
        if (gain > bestGain) {
          bestGain = gain;
          best = c;
        }
      }
      total[best] += d;
      if (best !== own) {
        node2com[u] = best;
        moves++;
        moved = true;
      }
    }
  }
  const renumber = new Int32Array(n).fill(-1);
  let count = 0;
  for (let u = 0; u < n; u++) {
    if (renumber[node2com[u]] < 0) renumber[node2com[u]] = count++;
    node2com[u] = renumber[node2com[u]];
  }
  return { node2com, moved, count };
}

/**
 * Communities become nodes; links between them add up; links inside become a
 * self-link. Each community's members are read together (a counting sort),
 * and the weights to its neighbours summed in one array reused throughout.
 */
function aggregate(level: Level, node2com: Int32Array, count: number): Level {
  const { n, offsets: from, targets: to, weights: w } = level;
  const start = new Int32Array(count + 1);
  for (let u = 0; u < n; u++) start[node2com[u] + 1]++;
  for (let c = 0; c < count; c++) start[c + 1] += start[c];
  const members = new Int32Array(n);
  const fill = start.slice(0, count);
  for (let u = 0; u < n; u++) members[fill[node2com[u]]++] = u;
  const self = new Float64Array(count);
  const weightTo = new Float64Array(count);
  const stamp = new Int32Array(count).fill(-1);
  const offsets = new Int32Array(count + 1);
  const targets = new Int32Array(to.length);
  const weights = new Float64Array(to.length);
  let size = 0;
  for (let a = 0; a < count; a++) {
    const first = size;
    for (let j = start[a]; j < start[a + 1]; j++) {
      const u = members[j];
      self[a] += level.self[u];
      for (let e = from[u], end = from[u + 1]; e < end; e++) {
        const b = node2com[to[e]];
        // A link inside the community is met from both ends: half its weight each time.
        if (b === a) self[a] += w[e] / 2;
        else if (stamp[b] !== a) {
          stamp[b] = a;
          weightTo[b] = w[e];
          targets[size++] = b;
        } else weightTo[b] += w[e];
      }
    }
    for (let k = first; k < size; k++) weights[k] = weightTo[targets[k]];
    offsets[a + 1] = size;
  }
  return { n: count, offsets, targets: targets.slice(0, size), weights: weights.slice(0, size), self };
}

/** Newman's modularity Q = Σ_c [L_c / m − (d_c / 2m)²] at resolution 1, as networkx's community.modularity. */
export function modularityOf(g: LinkGraph, community: Int32Array): number {
  const m = g.targets.length / 2;
  if (!m) return 0;
  let top = 0;
  for (let v = 0; v < community.length; v++) top = Math.max(top, community[v]);
  // Community numbers are 0..n (Louvain's) or 1..count (communities()): arrays indexed by them.
  const inside = new Float64Array(top + 1);
  const degree = new Float64Array(top + 1);
  for (let v = 0; v < g.ids.length; v++) {
    const c = community[v];
    degree[c] += g.offsets[v + 1] - g.offsets[v];
    for (let e = g.offsets[v]; e < g.offsets[v + 1]; e++) if (v < g.targets[e] && community[g.targets[e]] === c) inside[c]++;
  }
  let q = 0;
  for (let c = 0; c <= top; c++) if (degree[c]) q += inside[c] / m - (degree[c] / (2 * m)) ** 2;
  return q;
}
