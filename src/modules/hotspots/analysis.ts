// Hot spots on the grid: counts per cell over the study area (zeros
// included), Getis-Ord Gi* (or Gi) z-scores with the chosen correction for
// testing every cell at once, and each cell's class as ArcGIS's Hot Spot
// Analysis names them (hot or cold spot at 99%, 95% or 90% confidence).
import { localG, neighboursWithin } from '../../analysis/getisOrd.ts';
import { adjust, type Correction } from '../../analysis/multipleTesting.ts';
import { countInCells, studyCells, type Cell } from '../../analysis/grid.ts';
import type { GridBorough } from '../../analysis/geography.ts';

export const CLASSES = {
  hot99: 'Hot spot, 99% confidence',
  hot95: 'Hot spot, 95% confidence',
  hot90: 'Hot spot, 90% confidence',
  none: 'Not significant',
  cold90: 'Cold spot, 90% confidence',
  cold95: 'Cold spot, 95% confidence',
  cold99: 'Cold spot, 99% confidence',
} as const;
export type HotSpotClass = keyof typeof CLASSES;

export interface HotSpotOptions {
  cellSize: number;
  distance: number;
  selfExcluded: boolean;
  correction: Correction;
}

export interface HotSpotCell extends Cell {
  count: number;
  z: number;
  p: number;
  adjusted: number;
  klass: HotSpotClass;
}

export function classOf(z: number, p: number): HotSpotClass {
  if (Number.isNaN(z) || Number.isNaN(p) || p > 0.1) return 'none';
  const level = p <= 0.01 ? '99' : p <= 0.05 ? '95' : '90';
  return `${z > 0 ? 'hot' : 'cold'}${level}` as HotSpotClass;
}

// Which cells lie in an area depends only on the boroughs and the cell size, and testing every cell centre
// against the boundaries is most of a map's work: kept for the few combinations analysts use.
const cellCache = new Map<string, Cell[]>();
function cellsFor(boroughs: GridBorough[], size: number): Cell[] {
  const key = `${size}|${boroughs.map((b) => b.code).sort().join(',')}`;
  if (!cellCache.has(key)) {
    if (cellCache.size >= 50) cellCache.delete(cellCache.keys().next().value!);
    cellCache.set(key, studyCells(boroughs, size));
  }
  return cellCache.get(key)!;
}

export function hotSpotCells(points: { x: number; y: number }[], boroughs: GridBorough[], options: HotSpotOptions): HotSpotCell[] {
  const cells = cellsFor(boroughs, options.cellSize);
  const counts = countInCells(cells, options.cellSize, points);
  const { z, p } = localG(
    counts,
    neighboursWithin(
      cells.map((c) => c.x),
      cells.map((c) => c.y),
      options.distance,
    ),
    { selfExcluded: options.selfExcluded },
  );
  const adjusted = adjust(p, options.correction);
  return cells.map((c, i) => ({ ...c, count: counts[i], z: z[i], p: p[i], adjusted: adjusted[i], klass: classOf(z[i], adjusted[i]) }));
}
