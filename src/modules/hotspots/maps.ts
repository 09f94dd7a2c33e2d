// What a map needs, built on the server from the same figures as the table
// beside it: area outlines (or a choropleth of counts), cells as corner
// points in longitude and latitude, a legend, and the tile server if one is
// configured.
import type { FastifyInstance } from 'fastify';
import { fromBritishNationalGrid, londonBoroughs } from '../../analysis/geography.ts';
import { CLASSES, type HotSpotCell, type HotSpotClass } from './analysis.ts';

export const CLASS_COLOURS: Record<HotSpotClass, string> = {
  hot99: '#d4351c',
  hot95: '#f47738',
  hot90: '#ffdd00',
  none: '#ffffff',
  cold90: '#b7d3eb',
  cold95: '#5694ca',
  cold99: '#1d70b8',
};
/** Light to dark, for counts: the GOV.UK blue at five strengths. */
const SCALE = ['#e8f1f8', '#b7d3eb', '#5694ca', '#1d70b8', '#003078'];

export function boroughOutlines(names: string[], fill?: Map<string, string>): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: londonBoroughs()
      .filter((b) => names.includes(b.name))
      .map((b) => ({ type: 'Feature', properties: { name: b.name, colour: fill?.get(b.name) ?? null }, geometry: { type: 'MultiPolygon', coordinates: b.polygons } })),
  };
}

/** A cell's corners as [latitude, longitude], anticlockwise from the lower left. */
export function corners(x: number, y: number, size: number): [number, number][] {
  const half = size / 2;
  return [
    [x - half, y - half],
    [x + half, y - half],
    [x + half, y + half],
    [x - half, y + half],
  ].map(([e, n]) => {
    const [lon, lat] = fromBritishNationalGrid(e, n);
    return [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6];
  });
}

export function tiles(app: FastifyInstance) {
  const t = app.config.mapTiles;
  return t ? { url: t.url, attribution: t.attribution } : undefined;
}

export function hotSpotMap(app: FastifyInstance, cells: HotSpotCell[], boroughs: string[], size: number) {
  const shown = cells.filter((c) => c.klass !== 'none');
  const present = new Set(shown.map((c) => c.klass));
  return {
    areas: boroughOutlines(boroughs),
    cells: shown.map((c) => ({ corners: corners(c.x, c.y, size), colour: CLASS_COLOURS[c.klass], label: `${CLASSES[c.klass]}: ${c.count} events, z ${c.z.toFixed(2)}` })),
    legend: (Object.keys(CLASSES) as HotSpotClass[]).filter((k) => present.has(k)).map((k) => ({ colour: CLASS_COLOURS[k], text: CLASSES[k] })),
    tiles: tiles(app),
  };
}

/** Counts by area (borough, LSOA) in five equal steps from none to the most; `outlines` draws the areas, keyed as the counts are, in their colours. */
export function choropleth(app: FastifyInstance, counts: Map<string, number>, outlines: (fill: Map<string, string>) => GeoJSON.FeatureCollection) {
  let most = 1;
  for (const n of counts.values()) most = Math.max(most, n);
  const step = (n: number) => SCALE[Math.min(SCALE.length - 1, Math.floor((n / most) * SCALE.length))];
  const fill = new Map([...counts].map(([key, n]) => [key, step(n)]));
  const band = (i: number) => `${Math.ceil((most * i) / SCALE.length)} to ${Math.floor((most * (i + 1)) / SCALE.length)}`;
  return {
    areas: outlines(fill),
    cells: [],
    legend: SCALE.map((colour, i) => ({ colour, text: `${band(i)} events` })),
    tiles: tiles(app),
  };
}
