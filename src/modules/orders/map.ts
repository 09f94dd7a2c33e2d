// Exclusion zones and place-based powers on the map (the same client as the
// hot spots: outlines and shapes from figures the page holds; the table
// beside it says the same). A circle is drawn as a 48-sided polygon.
import type { FastifyInstance } from 'fastify';
import { fromBritishNationalGrid } from '../../analysis/geography.ts';
import { boroughOutlines, tiles } from '../hotspots/maps.ts';
import { boroughsOf, type ConditionDetail } from './conditions.ts';

const ZONE_COLOUR = '#d4351c';
const PLACE_COLOUR = '#1d70b8';
const SIDES = 48;

const toLatLng = (e: number, n: number): [number, number] => {
  const [lon, lat] = fromBritishNationalGrid(e, n);
  return [Math.round(lat * 1e6) / 1e6, Math.round(lon * 1e6) / 1e6];
};

export function zoneMap(app: FastifyInstance, areas: { detail: ConditionDetail; label: string; placeBased?: boolean }[]) {
  const zones = areas.filter((a): a is { detail: Extract<ConditionDetail, { kind: 'exclusion_zone' }>; label: string; placeBased?: boolean } => a.detail.kind === 'exclusion_zone' && Boolean((a.detail as { zone?: unknown }).zone));
  const boroughs = new Set<string>();
  const filled = new Map<string, string>();
  const cells: { corners: [number, number][]; colour: string; label: string }[] = [];
  for (const a of zones) {
    const colour = a.placeBased ? PLACE_COLOUR : ZONE_COLOUR;
    const z = a.detail.zone;
    for (const b of boroughsOf(a.detail)) boroughs.add(b);
    if (z.shape === 'borough') filled.set(z.name, colour);
    else if (z.shape === 'polygon') cells.push({ corners: z.points, colour, label: a.label });
    else cells.push({ corners: Array.from({ length: SIDES }, (_, i) => toLatLng(z.centre.easting + z.radiusMetres * Math.cos((2 * Math.PI * i) / SIDES), z.centre.northing + z.radiusMetres * Math.sin((2 * Math.PI * i) / SIDES))), colour, label: a.label });
  }
  const legend = [
    ...(zones.some((a) => !a.placeBased) ? [{ colour: ZONE_COLOUR, text: 'Exclusion zone of an order' }] : []),
    ...(zones.some((a) => a.placeBased) ? [{ colour: PLACE_COLOUR, text: 'Place-based power (closure, dispersal, section 60)' }] : []),
  ];
  return { areas: boroughOutlines([...boroughs], filled), cells, legend, tiles: tiles(app) };
}
