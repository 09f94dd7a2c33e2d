// Kernel density and how well a map predicts, for the hot spot page: the
// quartic density surface (ArcGIS's defaults unless the analyst sets the cell
// size or radius) as an image for the map and its densest cells as a table;
// and the Prediction Accuracy and Predictive Efficiency Indices of three maps
// of the chosen period (counts, Gi*, density) against the next period.
import { fromBritishNationalGrid, type GridBorough } from '../../analysis/geography.ts';
import { quarticDensity, type DensityGrid } from '../../analysis/kde.ts';
import { predictionAccuracy, type Accuracy } from '../../analysis/pai.ts';
import { countInCells } from '../../analysis/grid.ts';
import { png } from '../../analysis/png.ts';
import type { HotSpotCell } from './analysis.ts';

/** White to the GOV.UK red, with nothing drawn where the density is zero. */
function ramp(t: number): [number, number, number, number] {
  if (t <= 0) return [0, 0, 0, 0];
  const s = Math.min(1, t);
  return [Math.round(255 - s * (255 - 212)), Math.round(221 - s * (221 - 53)), Math.round(0 + s * 28), Math.round(90 + s * 150)];
}

/**
 * Whether the points are spread in both directions: all in one place, or on
 * one line, ArcGIS's rule of thumb gives a radius of 0 and there is no surface
 * to draw unless the analyst gives a radius (found with every incident at one
 * address: the page failed instead of leaving the density out).
 */
function spread(points: { x: number; y: number }[]): boolean {
  const [a] = points;
  const b = points.find((p) => p.x !== a.x || p.y !== a.y);
  if (!b) return false;
  return points.some((p) => (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x) !== 0);
}

export function densitySurface(points: { x: number; y: number }[], area: GridBorough[], options: { cellSize?: number; radius?: number }) {
  const extent = { minX: Math.min(...area.map((b) => b.bbox[0])), minY: Math.min(...area.map((b) => b.bbox[1])), maxX: Math.max(...area.map((b) => b.bbox[2])), maxY: Math.max(...area.map((b) => b.bbox[3])) };
  if (points.length < 2 || (!options.radius && !spread(points))) return null;
  const grid = quarticDensity(points, { ...options, extent });
  const most = grid.density.reduce((m, d) => Math.max(m, d), 0);
  const image = png(grid.columns, grid.rows, (x, y) => ramp(grid.density[(grid.rows - 1 - y) * grid.columns + x] / (most || 1)));
  const [west, south] = fromBritishNationalGrid(extent.minX, extent.minY);
  const [east, north] = fromBritishNationalGrid(grid.originX + grid.columns * grid.cellSize, grid.originY + grid.rows * grid.cellSize);
  return { grid, image: { url: `data:image/png;base64,${image.toString('base64')}`, bounds: [[south, west], [north, east]] as [[number, number], [number, number]], label: 'Kernel density' }, densest: densest(grid, 10) };
}

function densest(grid: DensityGrid, n: number) {
  const order = [...grid.density.keys()].sort((a, b) => grid.density[b] - grid.density[a]).slice(0, n);
  return order
    .filter((i) => grid.density[i] > 0)
    .map((i) => {
      const col = i % grid.columns;
      const row = Math.floor(i / grid.columns);
      return { x: Math.round(grid.originX + (col + 0.5) * grid.cellSize), y: Math.round(grid.originY + (row + 0.5) * grid.cellSize), perKm2: grid.density[i] * 1e6 };
    });
}

/** Density at each hot spot cell's centre, read from a surface on the same grid. */
function densityAtCells(points: { x: number; y: number }[], cells: HotSpotCell[], size: number, radius: number | undefined): number[] {
  if (points.length < 2 || (!radius && !spread(points))) return cells.map(() => 0);
  const minX = Math.min(...cells.map((c) => c.col)) * size;
  const minY = Math.min(...cells.map((c) => c.row)) * size;
  const maxX = (Math.max(...cells.map((c) => c.col)) + 1) * size;
  const maxY = (Math.max(...cells.map((c) => c.row)) + 1) * size;
  const grid = quarticDensity(points, { cellSize: size, radius, extent: { minX, minY, maxX, maxY } });
  return cells.map((c) => grid.density[(c.row - minY / size) * grid.columns + (c.col - minX / size)]);
}

export interface MapAccuracy {
  method: string;
  accuracy: Accuracy[];
}

/** How well each map of this period caught the next period's events, cell by cell. */
export function mapAccuracy(cells: HotSpotCell[], size: number, now: { x: number; y: number }[], next: { x: number; y: number }[], radius?: number): MapAccuracy[] {
  const nextCounts = countInCells(cells, size, next);
  const density = densityAtCells(now, cells, size, radius);
  const methods: [string, (c: HotSpotCell, i: number) => number][] = [
    ['Counts in each cell', (c) => c.count],
    ['Getis-Ord Gi* z-score', (c) => (Number.isNaN(c.z) ? -Infinity : c.z)],
    ['Kernel density', (_c, i) => density[i]],
  ];
  return methods.map(([method, score]) => ({ method, accuracy: predictionAccuracy(cells.map((c, i) => ({ score: score(c, i), count: nextCounts[i] }))) }));
}
