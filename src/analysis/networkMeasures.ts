// `reachable network measures`: an undirected link list in (`source,target`),
// one row per person out (`id,degree,betweenness,pagerank,community`), so an
// analyst can check Reachable's figures against networkx or their own tools.
import { readCsv, FileProblems } from './csvRead.ts';
import { buildGraph, communities, degrees, linkCount, pagerank, type LinkGraph } from './graph.ts';
import { betweennessInParallel } from './betweennessParallel.ts';
import { floatText } from './rri.ts';

/** Reads `source,target` with a header; every problem named by line, and nothing computed from a file with any. */
export function readLinks(text: string): [string, string][] {
  const records = readCsv(text);
  const [header, ...rows] = records;
  const problems: string[] = [];
  if (header?.cells.map((c) => c.trim()).join(',') !== 'source,target') problems.push(`line ${header?.line ?? 1}: the header must be exactly "source,target"`);
  const links: [string, string][] = [];
  for (const { line, cells } of rows) {
    if (problems.length >= 20) break;
    if (cells.length !== 2) problems.push(`line ${line}: expected 2 columns, found ${cells.length}`);
    else {
      const [a, b] = cells.map((c) => c.trim());
      if (!a || !b) problems.push(`line ${line}: both ends of a link need an id`);
      else links.push([a, b]);
    }
  }
  if (problems.length) throw new FileProblems(problems);
  return links;
}

export interface MeasuresRun {
  graph: LinkGraph;
  csv: string;
  summary: string;
  timings: Record<string, number>;
}

export async function networkMeasures(links: [string, string][], options: { seed?: number; sample?: number } = {}): Promise<MeasuresRun> {
  const timings: Record<string, number> = {};
  const time = <T>(name: string, work: () => T): T => {
    const start = performance.now();
    const out = work();
    timings[name] = performance.now() - start;
    return out;
  };
  const graph = time('read', () => buildGraph(links));
  const degree = time('degree', () => degrees(graph));
  const started = performance.now();
  const between = await betweennessInParallel(graph, { seed: options.seed, sample: options.sample });
  timings.betweenness = performance.now() - started;
  const rank = time('pagerank', () => pagerank(graph));
  const groups = time('communities', () => communities(graph, options.seed));
  const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['id,degree,betweenness,pagerank,community'];
  for (let i = 0; i < graph.ids.length; i++) lines.push(`${quote(graph.ids[i])},${degree[i]},${floatText(between.values[i])},${floatText(rank[i])},${groups.community[i]}`);
  const summary = [
    `${graph.ids.length.toLocaleString('en-GB')} people, ${linkCount(graph).toLocaleString('en-GB')} links`,
    between.exact ? 'betweenness exact' : `betweenness sampled from ${between.sources.toLocaleString('en-GB')} of ${graph.ids.length.toLocaleString('en-GB')} people (an estimate)`,
    `${groups.count.toLocaleString('en-GB')} communities, modularity ${groups.modularity.toFixed(4)}`,
  ].join('; ');
  const took = Object.entries(timings).map(([name, ms]) => `${name} ${(ms / 1000).toFixed(1)} s`).join(', ');
  return { graph, csv: lines.join('\n') + '\n', summary: `${summary}\ntook: ${took}`, timings };
}
