// The hot spot commands, on files an analyst brings (metres, British National
// Grid or any projected system): `analyse gi` (Getis-Ord Gi* or Gi, written
// as id,z,p so the figures can be checked against R's spdep::localG),
// `analyse kde` (quartic kernel density with ArcGIS's defaults) and
// `analyse pai` (how well one period's map predicted the next).
import { localG, neighboursWithin } from './getisOrd.ts';
import { quarticDensity } from './kde.ts';
import { predictionAccuracy } from './pai.ts';
import { readTable } from './features.ts';
import { floatText } from './rri.ts';

const quote = (s: string) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

export function giCsv(text: string, distance: number, selfExcluded: boolean): string {
  const rows = readTable(text, ['id', 'x', 'y', 'value'], ['x', 'y', 'value']);
  const x = Float64Array.from(rows, (r) => Number(r.x));
  const y = Float64Array.from(rows, (r) => Number(r.y));
  const values = Float64Array.from(rows, (r) => Number(r.value));
  const { z, p } = localG(values, neighboursWithin(x, y, distance), { selfExcluded });
  return ['id,z,p', ...rows.map((r, i) => `${quote(r.id)},${floatText(z[i])},${floatText(p[i])}`)].join('\n') + '\n';
}

/** Density per square kilometre at each cell centre (x,y,density), and the cell size and radius used. */
export function kdeCsv(text: string, options: { cellSize?: number; radius?: number }): { csv: string; summary: string } {
  const points = readTable(text, ['id', 'x', 'y'], ['x', 'y']).map((r) => ({ x: Number(r.x), y: Number(r.y) }));
  const grid = quarticDensity(points, options);
  const lines = ['x,y,density'];
  for (let r = 0; r < grid.rows; r++)
    for (let c = 0; c < grid.columns; c++) lines.push(`${grid.originX + (c + 0.5) * grid.cellSize},${grid.originY + (r + 0.5) * grid.cellSize},${floatText(grid.density[r * grid.columns + c] * 1e6)}`);
  const how = (given: unknown) => (given === undefined ? ' (ArcGIS default)' : '');
  return { csv: lines.join('\n') + '\n', summary: `${points.length} points; cell size ${floatText(grid.cellSize)} m${how(options.cellSize)}; radius ${floatText(grid.radius)} m${how(options.radius)}; ${grid.columns} by ${grid.rows} cells; density per square kilometre` };
}

/** PAI and PEI for the top 1%, 5% and 10% of cells by score, from id,score,count. */
export function paiCsv(text: string): string {
  const cells = readTable(text, ['id', 'score', 'count'], ['score', 'count']).map((r) => ({ score: Number(r.score), count: Number(r.count) }));
  const rows = predictionAccuracy(cells).map((a) => `${a.coverage},${a.cells},${a.captured},${a.total},${floatText(a.pai)},${floatText(a.pei)}`);
  return ['coverage,cells,captured,total,pai,pei', ...rows].join('\n') + '\n';
}
