// Quartic kernel density as ArcGIS's Kernel Density tool computes it, with
// its defaults: the kernel is Silverman's quartic (1986, eq. 4.5), density at
// a cell centre = sum over points within the radius r of
// 3 / (pi r^2) * (1 - (d / r)^2)^2 (so each point's density integrates to 1);
// the default cell size is the shorter side of the extent divided by 250; the
// default radius is ArcGIS's spatial variant of Silverman's rule of thumb,
// 0.9 * min(SD, sqrt(1 / ln 2) * Dm) * n^-0.2, where SD is the standard
// distance of the points and Dm their median distance from the mean centre.
// Either can be set instead.

export interface Point {
  x: number;
  y: number;
}

export interface Extent {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

export function extentOf(points: Point[]): Extent {
  const e = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const p of points) {
    e.minX = Math.min(e.minX, p.x);
    e.minY = Math.min(e.minY, p.y);
    e.maxX = Math.max(e.maxX, p.x);
    e.maxY = Math.max(e.maxY, p.y);
  }
  return e;
}

/** ArcGIS's default cell size: the shorter side of the extent over 250. */
export function defaultCellSize(extent: Extent): number {
  return Math.min(extent.maxX - extent.minX, extent.maxY - extent.minY) / 250;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** ArcGIS's default search radius (the spatial variant of Silverman's rule of thumb). */
export function defaultRadius(points: Point[]): number {
  const n = points.length;
  const mx = points.reduce((s, p) => s + p.x, 0) / n;
  const my = points.reduce((s, p) => s + p.y, 0) / n;
  const sd = Math.sqrt(points.reduce((s, p) => s + (p.x - mx) ** 2, 0) / n + points.reduce((s, p) => s + (p.y - my) ** 2, 0) / n);
  const dm = median(points.map((p) => Math.hypot(p.x - mx, p.y - my)));
  return 0.9 * Math.min(sd, Math.sqrt(1 / Math.LN2) * dm) * n ** -0.2;
}

export interface DensityGrid {
  /** The lower-left corner of the first cell. */
  originX: number;
  originY: number;
  cellSize: number;
  radius: number;
  columns: number;
  rows: number;
  /** Points per square metre at each cell centre, row by row from the bottom. */
  density: Float64Array;
}

export function quarticDensity(points: Point[], options: { cellSize?: number; radius?: number; extent?: Extent } = {}): DensityGrid {
  const extent = options.extent ?? extentOf(points);
  const cellSize = options.cellSize ?? defaultCellSize(extent);
  const radius = options.radius ?? defaultRadius(points);
  if (!(cellSize > 0) || !(radius > 0)) throw new RangeError('The cell size and the radius must be more than 0: give them when the points are all in one place or in a line');
  const columns = Math.max(1, Math.ceil((extent.maxX - extent.minX) / cellSize));
  const rows = Math.max(1, Math.ceil((extent.maxY - extent.minY) / cellSize));
  const density = new Float64Array(columns * rows);
  const scale = 3 / (Math.PI * radius * radius);
  const r2 = radius * radius;
  // Each point adds to the cells whose centres lie within the radius: a window, not the whole grid.
  for (const p of points) {
    const c0 = Math.max(0, Math.floor((p.x - radius - extent.minX) / cellSize));
    const c1 = Math.min(columns - 1, Math.floor((p.x + radius - extent.minX) / cellSize));
    const r0 = Math.max(0, Math.floor((p.y - radius - extent.minY) / cellSize));
    const r1 = Math.min(rows - 1, Math.floor((p.y + radius - extent.minY) / cellSize));
    for (let r = r0; r <= r1; r++) {
      const dy = extent.minY + (r + 0.5) * cellSize - p.y;
      for (let c = c0; c <= c1; c++) {
        const dx = extent.minX + (c + 0.5) * cellSize - p.x;
        const d2 = dx * dx + dy * dy;
        if (d2 < r2) density[r * columns + c] += scale * (1 - d2 / r2) ** 2;
      }
    }
  }
  return { originX: extent.minX, originY: extent.minY, cellSize, radius, columns, rows, density };
}
