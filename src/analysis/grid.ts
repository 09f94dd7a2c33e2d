// The square grid hot spot maps count on: cells of a chosen size (250 m by
// default) aligned to whole multiples of the size on the British National
// Grid, so the same cell has the same name in every map and every month; only
// cells whose centre lies in the study area are counted, zeros included,
// because a hot spot statistic needs the quiet cells as much as the busy ones.
import { onGridInside, type GridBorough } from './geography.ts';

export interface Cell {
  col: number;
  row: number;
  /** Centre, metres. */
  x: number;
  y: number;
  borough: string;
}

export function studyCells(boroughs: GridBorough[], size: number): Cell[] {
  const minX = Math.min(...boroughs.map((b) => b.bbox[0]));
  const minY = Math.min(...boroughs.map((b) => b.bbox[1]));
  const maxX = Math.max(...boroughs.map((b) => b.bbox[2]));
  const maxY = Math.max(...boroughs.map((b) => b.bbox[3]));
  const cells: Cell[] = [];
  for (let row = Math.floor(minY / size); row * size <= maxY; row++)
    for (let col = Math.floor(minX / size); col * size <= maxX; col++) {
      const x = (col + 0.5) * size;
      const y = (row + 0.5) * size;
      const inside = onGridInside(x, y, boroughs);
      if (inside) cells.push({ col, row, x, y, borough: inside.name });
    }
  return cells;
}

/** How many points fall in each cell; points outside the study cells are not counted. */
export function countInCells(cells: Cell[], size: number, points: Iterable<{ x: number; y: number }>): Float64Array {
  const index = new Map(cells.map((c, i) => [`${c.col}:${c.row}`, i]));
  const counts = new Float64Array(cells.length);
  for (const p of points) {
    const i = index.get(`${Math.floor(p.x / size)}:${Math.floor(p.y / size)}`);
    if (i !== undefined) counts[i]++;
  }
  return counts;
}

/** A cell's name: its lower-left corner as a grid reference in metres, like "537250 188500". */
export const cellName = (c: Cell, size: number) => `${c.col * size} ${c.row * size}`;
