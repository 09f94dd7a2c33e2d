// Exclusion zones and place-based powers on the map (the same client as the
// hot spots: outlines and shapes from figures the page holds; the table
// beside it says the same). A circle is drawn as a 48-sided polygon.
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatDate, londonToday } from '../../platform/time.ts';
import { inForceOn, lastDay, orderKinds, orderName, orderQuery } from './queries.ts';
import { hoursWords } from './conditions.ts';
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

/**
 * What is in force today to draw: place-based powers for everyone who reads
 * places or orders, and exclusion zones of orders against people only for
 * those who enforce them (`zones`). Each with a row for the table beside the map.
 */
export async function ordersOnMap(db: Kysely<DB>, zones: boolean, today = londonToday()) {
  const kinds = await orderKinds(db);
  const places = await orderQuery(db).where('court_order.person_id', 'is', null).where(inForceOn(today)).execute();
  const conditions = zones
    ? await db
        .selectFrom('order_condition')
        .innerJoin('court_order', 'court_order.id', 'order_condition.order_id')
        .select(['order_condition.detail', 'court_order.id', 'court_order.kind_code', 'court_order.interim'])
        .where('order_condition.kind', '=', 'exclusion_zone')
        .where('order_condition.removed_at', 'is', null)
        .where(inForceOn(today))
        .execute()
    : [];
  const areas = [
    ...places.map((p) => ({ detail: { kind: 'exclusion_zone', label: p.area_label ?? '', zone: p.area, hours: null } as unknown as ConditionDetail, label: `${orderName(kinds, p)}: ${p.area_label}`, placeBased: true })),
    ...conditions.map((z) => ({ detail: z.detail as unknown as ConditionDetail, label: `Exclusion zone of a ${orderName(kinds, z)}`, placeBased: false })),
  ];
  const table = [
    ...places.map((p) => ({ id: p.id, what: orderName(kinds, p), area: p.area_label ?? '', when: `Until ${lastDay(p) ? formatDate(lastDay(p)) : 'further order'}`, placeBased: true })),
    ...conditions.map((z) => {
      const d = z.detail as unknown as Extract<ConditionDetail, { kind: 'exclusion_zone' }>;
      return { id: z.id, what: `Exclusion zone: ${orderName(kinds, z)}`, area: d.label, when: d.hours ? hoursWords(d.hours) : 'At all times', placeBased: false };
    }),
  ];
  return { areas, table };
}

/** What drawing a zone needs: the outlines of the boroughs the partnership's named places are in, the places, the tiles if configured. */
export async function drawingMap(app: FastifyInstance) {
  const places = (await app.db.selectFrom('place').select(['name', 'latitude', 'longitude', 'borough_name']).where('latitude', 'is not', null).orderBy('name').execute()) as { name: string; latitude: number; longitude: number; borough_name: string | null }[];
  const boroughs = [...new Set(places.map((p) => p.borough_name).filter((b): b is string => Boolean(b)))];
  return { areas: boroughOutlines(boroughs.length ? boroughs : ['Waltham Forest']), places: places.map(({ name, latitude, longitude }) => ({ name, latitude, longitude })), tiles: tiles(app) };
}
