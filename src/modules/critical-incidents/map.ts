// The incident and the places its assessment names, on the map (the same
// client as the hot spots: squares drawn from figures the page holds; the
// list beside it says the same). Places without a position are listed only.
import type { FastifyInstance } from 'fastify';
import { fromBritishNationalGrid } from '../../analysis/geography.ts';
import { boroughOutlines, tiles } from '../hotspots/maps.ts';

const INCIDENT_COLOUR = '#d4351c';
const PLACE_COLOUR = '#1d70b8';
/** Half a marker's side, metres: big enough to see at borough scale. */
const HALF = 40;

const square = (e: number, n: number, half: number): [number, number][] =>
  [
    [e - half, n - half],
    [e + half, n - half],
    [e + half, n + half],
    [e - half, n + half],
  ].map(([x, y]) => {
    const [lon, lat] = fromBritishNationalGrid(x, y);
    return [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6];
  });

export function impactMap(app: FastifyInstance, incident: { easting: number | null; northing: number | null; borough_name: string | null; label: string }, places: { name: string; easting: number | null; northing: number | null }[]) {
  if (incident.easting === null || incident.northing === null || !incident.borough_name) return null;
  const cells = [
    { corners: square(incident.easting, incident.northing, HALF), colour: INCIDENT_COLOUR, label: incident.label },
    ...places.filter((p) => p.easting !== null && p.northing !== null).map((p) => ({ corners: square(p.easting!, p.northing!, HALF * 0.75), colour: PLACE_COLOUR, label: p.name })),
  ];
  const legend = [{ colour: INCIDENT_COLOUR, text: 'Where the incident happened' }, ...(cells.length > 1 ? [{ colour: PLACE_COLOUR, text: 'A place the assessment names as affected' }] : [])];
  return { areas: boroughOutlines([incident.borough_name]), cells, legend, tiles: tiles(app) };
}
