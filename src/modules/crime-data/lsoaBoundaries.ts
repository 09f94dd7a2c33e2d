// LSOA boundaries as the ONS Open Geography Portal publishes them (GeoJSON:
// "Lower layer Super Output Areas (December 2021) Boundaries EW BGC", or the
// 2011 ones): each feature's code and name (LSOA21CD and LSOA21NM, or
// LSOA11CD and LSOA11NM) and its Polygon or MultiPolygon. In longitude and
// latitude as RFC 7946 says, or on the British National Grid where the file
// says so in its crs member, as the Portal's grid downloads do. Checked whole,
// every problem named by feature.
import { boundingBox, polygonsInDegrees, polygonsOnGrid, type Ring } from '../../analysis/geography.ts';
import { FileProblems } from '../../analysis/csvRead.ts';
import { MAX_PROBLEMS, stopOnProblems } from './reading.ts';

const WHAT = 'this is not a GeoJSON file of LSOA boundaries';
const CODE = /^[EW]01\d{6}$/;

export type LsoaBoundary = {
  code: string;
  name: string;
  outline: Ring[][];
  grid: Ring[][];
  min_easting: number;
  min_northing: number;
  max_easting: number;
  max_northing: number;
};

interface Feature {
  properties?: Record<string, unknown> | null;
  geometry?: { type?: string; coordinates?: unknown } | null;
}

/** A property by any of its names, whatever their case (the Portal writes LSOA21CD; some tools lower-case it). */
function property(properties: Record<string, unknown>, names: string[]): string {
  const key = Object.keys(properties).find((k) => names.includes(k.toUpperCase()));
  const value = key ? properties[key] : undefined;
  return typeof value === 'string' ? value.trim() : '';
}

const isRing = (ring: unknown): ring is Ring =>
  Array.isArray(ring) && ring.length >= 4 && ring.every((p) => Array.isArray(p) && p.length >= 2 && Number.isFinite(p[0]) && Number.isFinite(p[1]));

function polygonsOf(geometry: Feature['geometry']): Ring[][] | string {
  const type = geometry?.type;
  if (type !== 'Polygon' && type !== 'MultiPolygon') return `the boundary must be a Polygon or MultiPolygon (found ${type ? `a ${type}` : 'none'})`;
  const polygons = (type === 'Polygon' ? [geometry!.coordinates] : geometry!.coordinates) as unknown[];
  if (!Array.isArray(polygons) || !polygons.length || !polygons.every((p) => Array.isArray(p) && p.length > 0 && p.every(isRing))) return 'the boundary has a ring that is not a closed list of points';
  return (polygons as Ring[][]).map((rings) => rings.map((ring) => ring.map(([x, y]) => [x, y] as [number, number])));
}

export function readLsoaBoundaries(text: string): LsoaBoundary[] {
  let json: { type?: string; crs?: { properties?: { name?: string } }; features?: unknown };
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    throw new FileProblems([`${WHAT}: it is not JSON`]);
  }
  if (json?.type !== 'FeatureCollection' || !Array.isArray(json.features)) throw new FileProblems([`${WHAT}: it must be a FeatureCollection`]);
  const onGrid = /27700/.test(json.crs?.properties?.name ?? '');
  const problems: string[] = [];
  const rows: LsoaBoundary[] = [];
  const seen = new Set<string>();
  (json.features as Feature[]).forEach((feature, i) => {
    if (problems.length >= MAX_PROBLEMS) return;
    const properties = feature?.properties ?? {};
    const code = property(properties, ['LSOA21CD', 'LSOA11CD']);
    const name = property(properties, ['LSOA21NM', 'LSOA11NM']);
    const found: string[] = [];
    if (!CODE.test(code)) found.push(code ? `"${code}" is not an LSOA code (E01 or W01 and six digits)` : 'it has no LSOA code (LSOA21CD, or LSOA11CD)');
    else if (seen.has(code)) found.push(`${code} comes twice in the file`);
    if (!name) found.push('it has no LSOA name (LSOA21NM, or LSOA11NM)');
    const polygons = polygonsOf(feature?.geometry);
    if (typeof polygons === 'string') found.push(polygons);
    else {
      const [minX, minY, maxX, maxY] = boundingBox(polygons);
      // Great Britain on the grid is 0 to 700 km east, 0 to 1,300 km north; in degrees, -9 to 2 east, 49 to 61 north.
      const fits = onGrid ? minX >= 0 && maxX <= 700_000 && minY >= 0 && maxY <= 1_300_000 : minX >= -9 && maxX <= 2 && minY >= 49 && maxY <= 61;
      if (!fits) found.push(onGrid ? 'the boundary is not in Great Britain on the British National Grid' : 'the boundary is not in Great Britain in longitude and latitude (if the file is on the British National Grid, its crs must say EPSG:27700)');
    }
    const where = `feature ${i + 1}${CODE.test(code) ? ` (${code})` : ''}`;
    if (found.length) {
      problems.push(`${where}: ${found.join('; ')}`);
      return;
    }
    seen.add(code);
    const given = polygons as Ring[][];
    const outline = onGrid ? polygonsInDegrees(given) : given;
    const grid = onGrid ? given : polygonsOnGrid(given);
    const [min_easting, min_northing, max_easting, max_northing] = boundingBox(grid);
    rows.push({ code, name, outline, grid, min_easting, min_northing, max_easting, max_northing });
  });
  if (!problems.length && !rows.length) problems.push(`${WHAT}: it has no features`);
  stopOnProblems(problems);
  return rows;
}
