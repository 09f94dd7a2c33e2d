// The network measures against igraph's C core (Debian's python3-igraph) on
// the same link files, in the same run (issue 24): PageRank and Louvain on
// 100,000 people with 400,000 links, exact betweenness on 5,000 people with
// 20,000 links, people in neighbourhoods of 50 with most links inside one
// (as real networks cluster). Prints each time, the ratio, and Louvain's
// modularity on both sides. Part of `npm run bench:network` (`--part igraph`
// runs only this).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildGraph, communities, pagerank } from '../src/analysis/graph.ts';
import { betweennessInParallel } from '../src/analysis/betweennessParallel.ts';
import { seededRandom } from '../src/analysis/random.ts';

function clustered(people: number, links: number, seed: number): [string, string][] {
  const random = seededRandom(seed);
  const out: [string, string][] = [];
  while (out.length < links) {
    const a = Math.floor(random() * people);
    const b = random() < 0.8 ? Math.floor(a / 50) * 50 + Math.floor(random() * 50) : Math.floor(random() * people);
    if (a !== b && b < people) out.push([`p${a}`, `p${b}`]);
  }
  return out;
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

export async function compareWithIgraph(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-igraph-'));
  try {
    const igraph = (file: string, ...measures: string[]) => JSON.parse(execFileSync('/usr/bin/python3', ['bench/igraph_measures.py', file, ...measures], { encoding: 'utf8', maxBuffer: 1 << 26 }));
    const write = (name: string, links: [string, string][]) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, 'source,target\n' + links.map(([a, b]) => `${a},${b}`).join('\n') + '\n');
      return file;
    };
    const bigLinks = clustered(100_000, 400_000, 1);
    const big = buildGraph(bigLinks);
    const smallLinks = clustered(5_000, 20_000, 2);
    const small = buildGraph(smallLinks);
    const theirs = { big: igraph(write('big.csv', bigLinks), 'pagerank', 'louvain'), small: igraph(write('small.csv', smallLinks), 'betweenness') };
    let t0 = performance.now();
    pagerank(big);
    const ourPagerank = seconds(t0);
    t0 = performance.now();
    const groups = communities(big, 1);
    const ourLouvain = seconds(t0);
    t0 = performance.now();
    await betweennessInParallel(small);
    const ourBetweenness = seconds(t0);
    const row = (what: string, ours: number, them: number, extra = '') =>
      console.log(`  ${what.padEnd(46)} Reachable ${ours.toFixed(2).padStart(6)} s   igraph ${them.toFixed(2).padStart(6)} s   igraph ÷ Reachable ${(them / ours).toFixed(2)}${extra}`);
    console.log(`\nnetwork measures against igraph ${'0.10'} (C) on the same files (${os.cpus().length} cores; igraph uses one, Reachable's betweenness all of them):`);
    row(`PageRank, ${big.ids.length.toLocaleString('en-GB')} people, ${theirs.big.links.toLocaleString('en-GB')} links`, ourPagerank, theirs.big.pagerank);
    row('Louvain, the same network', ourLouvain, theirs.big.louvain, `   modularity ${groups.modularity.toFixed(4)} vs ${theirs.big.modularity.toFixed(4)}`);
    row(`exact betweenness, ${small.ids.length.toLocaleString('en-GB')} people, ${theirs.small.links.toLocaleString('en-GB')} links`, ourBetweenness, theirs.small.betweenness);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
