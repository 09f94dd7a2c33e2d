// LSOA boundary files for tests, written as the ONS Open Geography Portal writes them.
import { fromBritishNationalGrid } from '../../src/analysis/geography.ts';

/** A square on the grid, as a closed ring. */
export const square = (e: number, n: number, size: number): [number, number][] => [
  [e, n],
  [e + size, n],
  [e + size, n + size],
  [e, n + size],
  [e, n],
];
export const feature = (properties: Record<string, unknown>, geometry: unknown) => ({ type: 'Feature', properties, geometry });
export const onGrid = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::27700' } }, features });
export const inDegrees = (features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features });
export const degrees = (ring: [number, number][]) => ring.map(([e, n]) => fromBritishNationalGrid(e, n));
export const lsoa = (code: string, name: string, ring: [number, number][]) => feature({ LSOA21CD: code, LSOA21NM: name, GlobalID: 'x' }, { type: 'Polygon', coordinates: [ring] });

