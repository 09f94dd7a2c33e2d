// Network measures against their reference implementation, networkx
// (Debian's python3-networkx), run on the same link files the CLI reads:
// betweenness to 1e-6, PageRank to 1e-4, Louvain's modularity within 0.02.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { betweenness, buildGraph, communities, modularity, pagerank, EXACT_BETWEENNESS_LIMIT } from '../../src/analysis/graph.ts';
import { networkMeasures, readLinks } from '../../src/analysis/networkMeasures.ts';
import { betweennessInParallel } from '../../src/analysis/betweennessParallel.ts';
import { seededRandom } from '../../src/analysis/random.ts';
import { FileProblems } from '../../src/analysis/csvRead.ts';

type Links = [string, string][];

function python(): string {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (spawnSync(candidate, ['-c', 'import networkx'], { encoding: 'utf8' }).status === 0) return candidate;
  }
  throw new Error('No python3 with networkx: install Debian’s python3-networkx (.ci/run does)');
}

const SCRIPT = `
import csv, json, sys
import networkx as nx
links_file, sources_file, ours_file = sys.argv[1], sys.argv[2], sys.argv[3]
with open(links_file) as f:
    rows = list(csv.reader(f))[1:]
G = nx.Graph()
G.add_edges_from((a, b) for a, b in rows)
n = G.number_of_nodes()
sources = json.load(open(sources_file))
if sources:
    # Betweenness from these sources only, scaled as networkx scales a sample of k sources.
    raw = nx.betweenness_centrality_subset(G, sources=sources, targets=list(G.nodes), normalized=False)
    bc = {v: raw[v] * 2 * (n / len(sources)) / ((n - 1) * (n - 2)) for v in G}
else:
    bc = nx.betweenness_centrality(G, normalized=True)
ours = json.load(open(ours_file))
groups = {}
for v, c in ours.items(): groups.setdefault(c, set()).add(v)
theirs = nx.community.louvain_communities(G, seed=1)
print(json.dumps({
  'betweenness': bc,
  'pagerank': nx.pagerank(G, alpha=0.85),
  'degree': dict(G.degree()),
  'ourModularity': nx.community.modularity(G, list(groups.values())),
  'theirModularity': nx.community.modularity(G, theirs),
}))`;

function reference(links: Links, ours: Record<string, number>, sources: string[] = []) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-graph-'));
  const file = (name: string, text: string) => (fs.writeFileSync(path.join(dir, name), text), path.join(dir, name));
  const run = spawnSync(python(), ['-c', SCRIPT, file('links.csv', ['source,target', ...links.map((l) => l.join(','))].join('\n') + '\n'), file('sources.json', JSON.stringify(sources)), file('ours.json', JSON.stringify(ours))], { encoding: 'utf8', maxBuffer: 1 << 28 });
  fs.rmSync(dir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout) as { betweenness: Record<string, number>; pagerank: Record<string, number>; degree: Record<string, number>; ourModularity: number; theirModularity: number };
}

/** Erdős–Rényi G(n, p) from a seed, ids like p17. */
function randomGraph(n: number, p: number, seed: number): Links {
  const random = seededRandom(seed);
  const links: Links = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) if (random() < p) links.push([`p${i}`, `p${j}`]);
  return links;
}

/** Groups of people tightly linked inside, loosely between: where communities and bridges matter. */
function groupedGraph(groups: number, size: number, inside: number, between: number, seed: number): Links {
  const random = seededRandom(seed);
  const links: Links = [];
  const n = groups * size;
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const same = Math.floor(i / size) === Math.floor(j / size);
      if (random() < (same ? inside : between)) links.push([`g${i}`, `g${j}`]);
    }
  return links;
}

/** Sparse and large: about `perPerson` links each, past the exact-betweenness limit. */
function sparseGraph(n: number, perPerson: number, seed: number): Links {
  const random = seededRandom(seed);
  const links: Links = [];
  for (let i = 1; i < n; i++) {
    links.push([`s${i}`, `s${Math.floor(random() * i)}`]);
    for (let k = 1; k < perPerson; k++) if (random() < 0.5) links.push([`s${i}`, `s${Math.floor(random() * n)}`]);
  }
  return links;
}

const GRAPHS: [string, Links][] = [
  ['a triangle with a tail', [['a', 'b'], ['b', 'c'], ['c', 'a'], ['c', 'd']]],
  ['a path of six', [['1', '2'], ['2', '3'], ['3', '4'], ['4', '5'], ['5', '6']]],
  ['a star', Array.from({ length: 9 }, (_, i) => ['hub', `leaf${i}`] as [string, string])],
  ['two separate pieces, repeated and reversed links', [['a', 'b'], ['b', 'a'], ['a', 'b'], ['b', 'c'], ['x', 'y'], ['y', 'z'], ['z', 'x']]],
  ['random G(60, 0.08)', randomGraph(60, 0.08, 3)],
  ['random G(200, 0.03)', randomGraph(200, 0.03, 5)],
  ['five groups of 30', groupedGraph(5, 30, 0.3, 0.01, 7)],
];

describe('network measures against networkx', () => {
  for (const [name, links] of GRAPHS) {
    it(`agree on ${name}`, async () => {
      const run = await networkMeasures(links);
      const rows = run.csv.trim().split('\n').slice(1).map((r) => r.split(','));
      const ours = Object.fromEntries(rows.map(([id, degree, b, p, c]) => [id, { degree: Number(degree), betweenness: Number(b), pagerank: Number(p), community: Number(c) }]));
      const nx = reference(links, Object.fromEntries(rows.map(([id, , , , c]) => [id, Number(c)])));
      expect(Object.keys(ours).sort()).toEqual(Object.keys(nx.degree).sort());
      for (const id of Object.keys(ours)) {
        expect(ours[id].degree, `degree of ${id}`).toBe(nx.degree[id]);
        expect(Math.abs(ours[id].betweenness - nx.betweenness[id]), `betweenness of ${id}`).toBeLessThan(1e-6);
        expect(Math.abs(ours[id].pagerank - nx.pagerank[id]), `pagerank of ${id}`).toBeLessThan(1e-4);
      }
      expect(Math.abs(nx.ourModularity - nx.theirModularity)).toBeLessThanOrEqual(0.02);
      // Our own modularity figure is Newman's, as networkx computes it.
      expect(run.summary).toContain(`modularity ${nx.ourModularity.toFixed(4)}`);
    });
  }

  it('agree on a graph past the exact limit, betweenness from a sample of sources scaled as networkx scales k, in one thread or two', async () => {
    const links = sparseGraph(EXACT_BETWEENNESS_LIMIT + 1_000, 3, 11);
    const g = buildGraph(links);
    const random = seededRandom(2);
    const sources = [...new Set(Array.from({ length: 40 }, () => Math.floor(random() * g.ids.length)))];
    const ours = betweenness(g, { sources });
    expect(ours.exact).toBe(false);
    const group = communities(g);
    const nx = reference(links, Object.fromEntries(g.ids.map((id, i) => [id, group.community[i]])), sources.map((i) => g.ids[i]));
    g.ids.forEach((id, i) => expect(Math.abs(ours.values[i] - nx.betweenness[id]), `betweenness of ${id}`).toBeLessThan(1e-6));
    // The sources dealt to two worker threads, their sums added: the same figures.
    const threaded = await betweennessInParallel(g, { sources, threads: 2 });
    g.ids.forEach((id, i) => expect(Math.abs(threaded.values[i] - nx.betweenness[id]), `betweenness of ${id}, two threads`).toBeLessThan(1e-6));
    const rank = pagerank(g);
    g.ids.forEach((id, i) => expect(Math.abs(rank[i] - nx.pagerank[id])).toBeLessThan(1e-4));
    expect(Math.abs(nx.ourModularity - nx.theirModularity)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(group.modularity - nx.ourModularity)).toBeLessThan(1e-9);
    // And the command's own run says it sampled.
    expect((await networkMeasures(links, { sample: 50 })).summary).toContain('betweenness sampled from 50 of 6,000 people');
  }, 120_000);

  it('numbers communities by size and gives the same answer every run', () => {
    const links = groupedGraph(4, 20, 0.4, 0.01, 9);
    const a = communities(buildGraph(links));
    const b = communities(buildGraph(links));
    expect(Array.from(a.community)).toEqual(Array.from(b.community));
    const sizes = Array.from({ length: a.count }, (_, k) => a.community.filter((c) => c === k + 1).length);
    expect(sizes).toEqual([...sizes].sort((x, y) => y - x));
    expect(a.modularity).toBeCloseTo(modularity(buildGraph(links), a.community), 12);
  });

  it('refuses a bad link file with line numbers, computing nothing', () => {
    expect(() => readLinks('from,to\na,b\n')).toThrow(/line 1: the header must be exactly "source,target"/);
    try {
      readLinks('source,target\na,b\nc\n,d\n"e,f",g\n');
      expect.unreachable();
    } catch (error) {
      expect((error as FileProblems).problems).toEqual(['line 3: expected 2 columns, found 1', 'line 4: both ends of a link need an id']);
    }
    expect(readLinks('source,target\r\n"Smith, J",b\r\n')).toEqual([['Smith, J', 'b']]);
  });
});

describe('reachable network measures', () => {
  it('reads a link file and writes one row per person, with a summary on standard error', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-measures-'));
    const input = path.join(dir, 'links.csv');
    const out = path.join(dir, 'people.csv');
    fs.writeFileSync(input, 'source,target\na,b\nb,c\nc,a\nc,d\n');
    const ok = spawnSync(process.execPath, ['bin/reachable.js', 'network', 'measures', '--input', input, '--out', out], { encoding: 'utf8', timeout: 60_000 });
    expect(ok.status).toBe(0);
    expect(ok.stderr).toContain('4 people, 4 links; betweenness exact');
    expect(fs.readFileSync(out, 'utf8').split('\n')[0]).toBe('id,degree,betweenness,pagerank,community');
    expect(fs.readFileSync(out, 'utf8')).toContain('c,3,0.6666666666666666,');
    fs.writeFileSync(input, 'source,target\na\n');
    const bad = spawnSync(process.execPath, ['bin/reachable.js', 'network', 'measures', '--input', input], { encoding: 'utf8', timeout: 60_000 });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('nothing was computed');
    expect(bad.stderr).toContain('line 2: expected 2 columns, found 1');
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
