// Where a point is: which London borough holds it (point in polygon on the
// ONS boundaries in reference/), and its British National Grid coordinates
// (EPSG:27700), computed once when a point is saved so analysis never reprojects.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import proj4 from 'proj4';

// EPSG:27700 with the OSTN15-approximating 7-parameter Helmert shift (accurate to a few metres).
proj4.defs(
  'EPSG:27700',
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy +towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs',
);

// Made once: proj4(from, to, point) looks both systems up again on every call, five times slower on an import's points.
const gridFromDegrees = proj4('EPSG:4326', 'EPSG:27700');

export function toBritishNationalGrid(longitude: number, latitude: number): { easting: number; northing: number } {
  const [easting, northing] = gridFromDegrees.forward([longitude, latitude]);
  return { easting: Math.round(easting * 10) / 10, northing: Math.round(northing * 10) / 10 };
}

export type Ring = [number, number][];
export interface Borough {
  name: string;
  code: string;
  /** Outer ring first, then holes; a MultiPolygon is several of these. */
  polygons: Ring[][];
  bbox: [number, number, number, number];
}

const boundariesFile = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../reference/london-boroughs.geojson');
let cache: Borough[] | undefined;

export function londonBoroughs(): Borough[] {
  if (cache) return cache;
  const geojson = JSON.parse(fs.readFileSync(boundariesFile, 'utf8')) as {
    features: { properties: { name: string; gss_code: string }; geometry: { type: string; coordinates: unknown } }[];
  };
  cache = geojson.features.map((f) => {
    const polygons = (f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates) as Ring[][];
    return { name: f.properties.name, code: f.properties.gss_code, polygons, bbox: boundingBox(polygons) };
  });
  return cache;
}

/** Even-odd ray casting: is (x, y) inside the ring? */
function inRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i];
    const [xj, yj] = ring[j];
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

export function boroughAt(longitude: number, latitude: number): { name: string; code: string } | null {
  for (const borough of londonBoroughs()) {
    const [minX, minY, maxX, maxY] = borough.bbox;
    if (longitude < minX || longitude > maxX || latitude < minY || latitude > maxY) continue;
    for (const [outer, ...holes] of borough.polygons) {
      if (inRing(longitude, latitude, outer) && !holes.some((h) => inRing(longitude, latitude, h))) return { name: borough.name, code: borough.code };
    }
  }
  return null;
}

/** A uniformly random point inside a borough (rejection sampling), for demo data. */
export function randomPointIn(borough: Borough, random: () => number): [number, number] {
  const [minX, minY, maxX, maxY] = borough.bbox;
  for (;;) {
    const x = minX + random() * (maxX - minX);
    const y = minY + random() * (maxY - minY);
    if (borough.polygons.some(([outer, ...holes]) => inRing(x, y, outer) && !holes.some((h) => inRing(x, y, h)))) return [x, y];
  }
}

/** Longitude and latitude of a British National Grid point, for drawing on a web map. */
export function fromBritishNationalGrid(easting: number, northing: number): [number, number] {
  const [longitude, latitude] = gridFromDegrees.inverse([easting, northing]);
  return [longitude, latitude];
}

/** An area on the British National Grid: a borough, an LSOA. */
export interface GridArea {
  name: string;
  code: string;
  /** Rings in British National Grid metres: outer ring first, then holes. */
  polygons: Ring[][];
  bbox: [number, number, number, number];
}
export type GridBorough = GridArea;

let gridCache: GridBorough[] | undefined;

/** The borough boundaries projected once to the British National Grid, so analysis on the grid never reprojects. */
export function boroughsOnGrid(): GridBorough[] {
  if (gridCache) return gridCache;
  gridCache = londonBoroughs().map((b) => {
    const polygons = polygonsOnGrid(b.polygons);
    return { name: b.name, code: b.code, polygons, bbox: boundingBox(polygons) };
  });
  return gridCache;
}

/** Polygons in longitude and latitude projected to the grid (to a tenth of a metre). */
export function polygonsOnGrid(polygons: Ring[][]): Ring[][] {
  return polygons.map((rings) =>
    rings.map((ring) =>
      ring.map(([lon, lat]) => {
        const { easting, northing } = toBritishNationalGrid(lon, lat);
        return [easting, northing];
      }),
    ),
  );
}

/** Polygons on the grid in longitude and latitude (to six decimals, about 10 cm), for a web map. */
export function polygonsInDegrees(polygons: Ring[][]): Ring[][] {
  return polygons.map((rings) =>
    rings.map((ring) =>
      ring.map(([e, n]) => {
        const [lon, lat] = fromBritishNationalGrid(e, n);
        return [Math.round(lon * 1e6) / 1e6, Math.round(lat * 1e6) / 1e6];
      }),
    ),
  );
}

/** Whether a grid point lies in any of these areas, and which. */
export function onGridInside<A extends GridArea>(x: number, y: number, areas: A[]): A | null {
  for (const a of areas) {
    const [minX, minY, maxX, maxY] = a.bbox;
    if (x < minX || x > maxX || y < minY || y > maxY) continue;
    if (a.polygons.some(([outer, ...holes]) => inRing(x, y, outer) && !holes.some((h) => inRing(x, y, h)))) return a;
  }
  return null;
}

/**
 * Which of many areas (London's 4,994 LSOAs, say) a grid point lies in: each area is listed under the
 * square kilometres its bounding box touches, so a point is tested against a handful, not all.
 */
export function areaFinder<A extends GridArea>(areas: A[], bucket = 1000): (x: number, y: number) => A | null {
  const buckets = new Map<string, A[]>();
  for (const a of areas) {
    const [minX, minY, maxX, maxY] = a.bbox.map((v) => Math.floor(v / bucket));
    for (let i = minX; i <= maxX; i++)
      for (let j = minY; j <= maxY; j++) {
        const key = `${i},${j}`;
        const list = buckets.get(key);
        if (list) list.push(a);
        else buckets.set(key, [a]);
      }
  }
  return (x, y) => onGridInside(x, y, buckets.get(`${Math.floor(x / bucket)},${Math.floor(y / bucket)}`) ?? []);
}

/** The outer rings' bounding box of polygons. */
export function boundingBox(polygons: Ring[][]): [number, number, number, number] {
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [outer] of polygons)
    for (const [x, y] of outer) {
      if (x < minX) minX = x;
      if (y < minY) minY = y;
      if (x > maxX) maxX = x;
      if (y > maxY) maxY = y;
    }
  return [minX, minY, maxX, maxY];
}

/** The box around several areas' boxes. */
export function boxAround(areas: readonly { bbox: readonly number[] }[]): [number, number, number, number] {
  return areas.reduce<[number, number, number, number]>((b, a) => [Math.min(b[0], a.bbox[0]), Math.min(b[1], a.bbox[1]), Math.max(b[2], a.bbox[2]), Math.max(b[3], a.bbox[3])], [Infinity, Infinity, -Infinity, -Infinity]);
}

/** The shortest distance in metres from a grid point to a segment. */
function toSegment(x: number, y: number, [ax, ay]: [number, number], [bx, by]: [number, number]): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = dx || dy ? Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy))) : 0;
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

/** How far a grid point is from an area: 0 inside it, otherwise the distance to its nearest edge. */
export function distanceToArea(x: number, y: number, area: GridArea): number {
  if (onGridInside(x, y, [area])) return 0;
  let best = Infinity;
  for (const rings of area.polygons)
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++) {
        const d = toSegment(x, y, ring[i - 1], ring[i]);
        if (d < best) best = d;
      }
  return best;
}

/** The other areas within `metres` of a grid point, nearest first: the boroughs to tell of an incident near a border. */
export function areasWithin<A extends GridArea>(x: number, y: number, metres: number, areas: A[]): { area: A; metres: number }[] {
  return areas
    .filter((a) => x >= a.bbox[0] - metres && x <= a.bbox[2] + metres && y >= a.bbox[1] - metres && y <= a.bbox[3] + metres)
    .map((area) => ({ area, metres: distanceToArea(x, y, area) }))
    .filter((a) => a.metres <= metres)
    .sort((a, b) => a.metres - b.metres);
}
