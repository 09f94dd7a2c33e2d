// Quartic kernel density (ArcGIS's Kernel Density tool) and the Prediction
// Accuracy and Predictive Efficiency Indices, on hand-worked examples.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultCellSize, defaultRadius, quarticDensity } from '../../src/analysis/kde.ts';
import { predictionAccuracy } from '../../src/analysis/pai.ts';
import { paiCsv } from '../../src/analysis/hotSpots.ts';

describe('quartic kernel density', () => {
  it('gives 3 / (pi r^2) at the point, 0.5625 of that half a radius away, nothing beyond the radius', () => {
    const extent = { minX: 0, minY: 0, maxX: 100, maxY: 100 };
    const grid = quarticDensity([{ x: 50, y: 50 }], { cellSize: 10, radius: 20, extent });
    const at = (x: number, y: number) => grid.density[Math.floor(y / 10) * grid.columns + Math.floor(x / 10)];
    // Cell centres are at 5, 15, …: the point at (50, 50) is 5 * sqrt(2) from the centre of cell (45, 45).
    const peak = 3 / (Math.PI * 400);
    expect(at(45, 45)).toBeCloseTo(peak * (1 - 50 / 400) ** 2, 15);
    expect(at(55, 45)).toBeCloseTo(at(45, 45), 15);
    expect(at(85, 85)).toBe(0);
    const centred = quarticDensity([{ x: 55, y: 55 }, { x: 55, y: 65 }], { cellSize: 10, radius: 20, extent });
    expect(centred.density[5 * 10 + 5]).toBeCloseTo(peak + peak * 0.5625, 15);
  });

  it('integrates to one point per point on a fine grid', () => {
    const extent = { minX: 0, minY: 0, maxX: 1000, maxY: 1000 };
    const grid = quarticDensity([{ x: 500, y: 500 }, { x: 300, y: 640 }], { cellSize: 2, radius: 100, extent });
    const total = grid.density.reduce((s, d) => s + d, 0) * 4;
    expect(total).toBeCloseTo(2, 3);
  });

  it('takes ArcGIS’s default cell size and radius: worked by hand', () => {
    expect(defaultCellSize({ minX: 0, minY: 0, maxX: 1000, maxY: 600 })).toBe(2.4);
    // A rectangle 3 by 4: mean centre (1.5, 2), every point 2.5 from it, standard distance 2.5.
    expect(defaultRadius([{ x: 0, y: 0 }, { x: 3, y: 0 }, { x: 0, y: 4 }, { x: 3, y: 4 }])).toBeCloseTo(0.9 * 2.5 * 0.757858283, 6);
    // An outlier: standard distance 56.289, median distance from the mean centre 28.152, so the median term (1.20112 * 28.152 = 33.814) is used.
    expect(defaultRadius([{ x: 0, y: 0 }, { x: 1, y: 0 }, { x: 0, y: 1 }, { x: 1, y: 1 }, { x: 100, y: 100 }])).toBeCloseTo(0.9 * 33.8142 * 0.724780, 2);
  });

  it('runs from the command line, saying which defaults it used', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-kde-'));
    const input = path.join(dir, 'points.csv');
    fs.writeFileSync(input, 'id,x,y\na,0,0\nb,1000,0\nc,0,500\nd,1000,500\ne,400,200\n');
    const output = path.join(dir, 'grid.csv');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'analyse', 'kde', '--input', input, '--radius', '300', '--out', output], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const lines = fs.readFileSync(output, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('x,y,density');
    // 1,000 by 500 metres in cells of 500 / 250 = 2 metres.
    expect(lines).toHaveLength(1 + 500 * 250);
    expect(run.stderr).toContain('cell size 2 m (ArcGIS default); radius 300 m;');
  });
});

describe('prediction accuracy', () => {
  // 20 cells ranked by last period's score (first is highest); next period's events in five of them.
  const counts = [2, 6, 1, 0, 0, 3, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  const cells = counts.map((count, i) => ({ score: 20 - i, count }));

  it('gives PAI and PEI for the top 1%, 5% and 10% of the area, worked by hand', () => {
    const [one, five, ten] = predictionAccuracy(cells);
    // 1% and 5% of 20 cells is one cell: it caught 2 of 16 events on 1/20 of the area, PAI (2/16)/(1/20) = 2.5; the best cell had 6, PEI 2/6.
    expect(one).toMatchObject({ cells: 1, captured: 2, total: 16, pai: 2.5 });
    expect(one.pei).toBeCloseTo(1 / 3, 15);
    expect(five).toEqual(one.coverage === five.coverage ? one : { ...one, coverage: 0.05 });
    // 10% is two cells: 8 of 16 on 2/20, PAI 5; the best two had 6 + 4, PEI 0.8.
    expect(ten).toMatchObject({ cells: 2, captured: 8, total: 16, pai: 5, pei: 0.8 });
  });

  it('reads id,score,count and writes a row per coverage', () => {
    const text = 'id,score,count\n' + cells.map((c, i) => `c${i},${c.score},${c.count}`).join('\n') + '\n';
    expect(paiCsv(text)).toBe('coverage,cells,captured,total,pai,pei\n0.01,1,2,16,2.5,0.3333333333333333\n0.05,1,2,16,2.5,0.3333333333333333\n0.1,2,8,16,5,0.8\n');
  });
});
