// A map drawn on the server as SVG for a document: it prints and makes a PDF
// with no tiles and no script. Borough outlines on the British National Grid
// (north up, one scale both ways), the chosen cells coloured by class, and a
// legend; the table beside it carries the same figures.
import type { GridBorough } from '../../analysis/geography.ts';
import { boxAround } from '../../analysis/geography.ts';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface MapCell {
  x: number;
  y: number;
  colour: string;
}

export function svgMap(opts: { title: string; areas: GridBorough[]; cellSize: number; cells: MapCell[]; legend: { colour: string; text: string }[]; summary: string }): string {
  const W = 640;
  const [minX, minY, maxX, maxY] = boxAround(opts.areas);
  const scale = W / Math.max(1, maxX - minX);
  const H = Math.max(120, Math.round((maxY - minY) * scale));
  const px = (x: number) => ((x - minX) * scale).toFixed(1);
  const py = (y: number) => ((maxY - y) * scale).toFixed(1);
  // Outlines thinned to about a pixel: a borough has thousands of points the picture cannot show.
  const path = (ring: [number, number][]) => {
    let last = '';
    const points: string[] = [];
    for (const [x, y] of ring) {
      const p = `${px(x)},${py(y)}`;
      if (p !== last) points.push(p);
      last = p;
    }
    return `M${points.join('L')}Z`;
  };
  const outlines = opts.areas.flatMap((a) => a.polygons.map((rings) => rings.map(path).join(''))).map((d) => `<path d="${d}" class="reachable-map__area"/>`);
  const side = Math.max(1.5, opts.cellSize * scale);
  const cells = opts.cells.map((c) => `<rect x="${((c.x - opts.cellSize / 2 - minX) * scale).toFixed(1)}" y="${((maxY - c.y - opts.cellSize / 2) * scale).toFixed(1)}" width="${side.toFixed(1)}" height="${side.toFixed(1)}" fill="${esc(c.colour)}" class="reachable-map__cell"/>`);
  const legend = opts.legend.map((l, i) => `<rect x="8" y="${H + 8 + i * 20}" width="14" height="14" fill="${esc(l.colour)}" class="reachable-map__cell"/><text x="28" y="${H + 20 + i * 20}" class="reachable-chart__axis">${esc(l.text)}</text>`);
  const height = H + 12 + opts.legend.length * 20;
  return `<svg class="reachable-chart reachable-map" viewBox="0 0 ${W} ${height}" role="img" aria-label="${esc(`${opts.title}. ${opts.summary}`)}" focusable="false">${outlines.join('')}${cells.join('')}${legend.join('')}</svg>`;
}
