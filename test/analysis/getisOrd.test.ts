// Getis-Ord Gi and Gi* against their reference implementation, R's
// spdep::localG (Debian's r-cran-spdep) with dnearneigh(0, D) binary weights
// (include.self() for Gi*), on the same files the command line reads: z to
// 1e-9 and the two-sided normal p to 1e-9, with ties (coincident points),
// isolated features, zeros and a grid of counts like the hot spot map's.
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { giCsv } from '../../src/analysis/hotSpots.ts';
import { localG, neighboursWithin } from '../../src/analysis/getisOrd.ts';
import { twoSidedP } from '../../src/analysis/normal.ts';
import { seededRandom } from '../../src/analysis/random.ts';
import { FileProblems } from '../../src/analysis/csvRead.ts';

const R_SCRIPT = `
suppressPackageStartupMessages(library(spdep))
args <- commandArgs(TRUE)
d <- read.csv(args[1], colClasses = c("character", "numeric", "numeric", "numeric"))
nb <- suppressWarnings(dnearneigh(cbind(d$x, d$y), 0, as.numeric(args[2])))
if (args[3] == "star") nb <- include.self(nb)
g <- as.numeric(localG(d$value, nb2listw(nb, style = "B", zero.policy = TRUE), zero.policy = TRUE))
p <- 2 * pnorm(-abs(g))
write.csv(data.frame(id = d$id, z = sprintf("%.17g", g), p = sprintf("%.17g", p)), args[4], row.names = FALSE, quote = FALSE)
`;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-gi-'));
const script = path.join(dir, 'gi.R');
fs.writeFileSync(script, R_SCRIPT);

function spdep(csv: string, distance: number, star: boolean): { id: string; z: number; p: number }[] {
  const input = path.join(dir, `in-${Math.random().toString(36).slice(2)}.csv`);
  const output = `${input}.out`;
  fs.writeFileSync(input, csv);
  const run = spawnSync('Rscript', [script, input, String(distance), star ? 'star' : 'plain', output], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`Rscript with spdep failed (install Debian's r-cran-spdep; .ci/run does): ${run.stderr || run.error}`);
  return parse(fs.readFileSync(output, 'utf8'));
}

function parse(csv: string) {
  return csv
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [id, z, p] = line.split(',');
      return { id, z: Number(z === 'nan' || z === 'NA' ? NaN : z), p: Number(p === 'nan' || p === 'NA' ? NaN : p) };
    });
}

function compare(csv: string, distance: number) {
  for (const star of [true, false]) {
    const ours = parse(giCsv(csv, distance, !star));
    const theirs = spdep(csv, distance, star);
    expect(ours.map((r) => r.id)).toEqual(theirs.map((r) => r.id));
    for (let i = 0; i < ours.length; i++) {
      if (Number.isNaN(theirs[i].z)) {
        expect(ours[i].z).toBeNaN();
        continue;
      }
      expect(Math.abs(ours[i].z - theirs[i].z)).toBeLessThanOrEqual(1e-9);
      expect(Math.abs(ours[i].p - theirs[i].p)).toBeLessThanOrEqual(1e-9);
    }
  }
}

const file = (rows: [string, number, number, number][]) => 'id,x,y,value\n' + rows.map((r) => r.join(',')).join('\n') + '\n';

describe('Getis-Ord Gi and Gi* against spdep::localG', () => {
  it("gives the published worked example of PySAL esda's G_Local (binary distance band of 15, printed to 8 decimals)", () => {
    // esda.getisord.G_Local docstring: points, y and lg.Zs / lg_star.Zs with transform='B'. One pair is exactly 15 apart, so the band is inclusive.
    const points = [[10, 10], [20, 10], [40, 10], [15, 20], [30, 20], [30, 30]];
    const y = [2, 3, 3.2, 5, 8, 7];
    const neighbours = neighboursWithin(points.map((p) => p[0]), points.map((p) => p[1]), 15);
    const gi = [-1.0136729, -0.04361589, 1.31558703, -0.31412676, 1.15373986, 1.77833941];
    const giStar = [-1.39727626, -0.28917762, 0.65064964, -0.28917762, 1.23452088, 2.02424331];
    Array.from(localG(y, neighbours, { selfExcluded: true }).z).forEach((z, i) => expect(z).toBeCloseTo(gi[i], 8));
    Array.from(localG(y, neighbours).z).forEach((z, i) => expect(z).toBeCloseTo(giStar[i], 8));
  });

  it('agrees on scattered points with ties, isolated features and zeros', () => {
    const random = seededRandom(11);
    const rows: [string, number, number, number][] = [];
    for (let i = 0; i < 300; i++) rows.push([`p${i}`, Math.round(random() * 5000), Math.round(random() * 5000), random() < 0.3 ? 0 : Math.floor(random() * 20)]);
    // Ties: several features at one address; isolated ones far from the rest.
    for (let i = 0; i < 5; i++) rows.push([`tie${i}`, 2500, 2500, i * 3]);
    rows.push(['far1', 50_000, 50_000, 7], ['far2', -40_000, 10, 1]);
    compare(file(rows), 400);
    compare(file(rows), 1000);
  });

  it('agrees on a grid of counts at 250 m cells, with rook and queen-sized bands', () => {
    const random = seededRandom(3);
    const rows: [string, number, number, number][] = [];
    for (let r = 0; r < 25; r++)
      for (let c = 0; c < 25; c++) {
        // A hot corner on a background of low counts.
        const hot = r < 5 && c < 5 ? 6 : 0;
        rows.push([`c${r}_${c}`, 530_125 + c * 250, 180_125 + r * 250, Math.floor(random() * 3) + hot]);
      }
    compare(file(rows), 250);
    compare(file(rows), 360);
  });

  it('finds the hot corner of that grid as significant and the cold background as not', () => {
    const n = 20;
    const x: number[] = [];
    const y: number[] = [];
    const v: number[] = [];
    for (let r = 0; r < n; r++)
      for (let c = 0; c < n; c++) x.push(c * 250), y.push(r * 250), v.push(r < 4 && c < 4 ? 10 : 1);
    const { z, p } = localG(v, neighboursWithin(x, y, 250));
    expect(z[n + 1]).toBeGreaterThan(3);
    expect(p[n + 1]).toBeLessThan(0.01);
    expect(Math.abs(z[(n - 3) * n + n - 3])).toBeLessThan(1);
  });

  it('gives the two-sided p of the normal distribution (scipy: 2 * norm.sf(1.96) = 0.04999579029644087)', () => {
    expect(Math.abs(twoSidedP(1.96) - 0.04999579029644087)).toBeLessThan(1e-15);
    expect(Math.abs(twoSidedP(-1.96) - 0.04999579029644087)).toBeLessThan(1e-15);
    expect(twoSidedP(0)).toBe(1);
    expect(Math.abs(twoSidedP(6) / 1.973175290075389e-9 - 1)).toBeLessThan(1e-12);
  });

  it('refuses a file with the wrong columns or a bad number, naming the line', () => {
    expect(() => giCsv('id,x,y\n1,2,3\n', 100, false)).toThrow(/header must be exactly "id,x,y,value"/);
    try {
      giCsv('id,x,y,value\na,1,2,3\nb,1,two,3\n', 100, false);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(FileProblems);
      expect((error as Error).message).toContain('line 3: y must be a number');
    }
  });

  it('runs from the command line and writes id,z,p', () => {
    const input = path.join(dir, 'cli.csv');
    const output = path.join(dir, 'cli.out.csv');
    fs.writeFileSync(input, file([['a', 0, 0, 3], ['b', 100, 0, 5], ['c', 200, 0, 1], ['d', 5000, 0, 2]]));
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'analyse', 'gi', '--input', input, '--distance', '150', '--out', output], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const text = fs.readFileSync(output, 'utf8');
    expect(text.split('\n')[0]).toBe('id,z,p');
    expect(text).toBe(giCsv(fs.readFileSync(input, 'utf8'), 150, false));
    const bad = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'analyse', 'gi', '--input', input, '--distance', 'far'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--distance must be a number');
  });
});
