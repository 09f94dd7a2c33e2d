// An order's conditions as a court words them and as a machine can test
// them (issue 19). Each kind is read from the form (or the API's JSON, the
// same fields) into its typed facts; the kinds no feed can test (social
// media, reporting, a positive requirement, words only) are kept and say so.
import { toBritishNationalGrid, boroughAt, londonBoroughs } from '../../analysis/geography.ts';
import { FormErrors, choice, choices, decimal, isUuid, list, str, text, type Body } from '../../platform/forms.ts';
import type { Condition, GridPoint, Hours, Weekday, Zone } from './breaches.ts';

export const CONDITION_KINDS = {
  curfew: 'Curfew',
  exclusion_zone: 'Exclusion zone',
  non_association: 'Not to associate with named people or a group',
  no_bladed_article: 'Not to carry a bladed article',
  social_media: 'Not to use social media to…',
  reporting: 'Reporting (where and when)',
  positive_requirement: 'Positive requirement (attend a named service)',
  words: 'Another condition, in words only',
} as const;
export type ConditionKind = keyof typeof CONDITION_KINDS;
export const CONDITION_KIND_CODES = Object.keys(CONDITION_KINDS) as ConditionKind[];

/** The kinds Reachable tests when an incident or a link is recorded. */
export const CHECKED_KINDS: ReadonlySet<ConditionKind> = new Set(['curfew', 'exclusion_zone', 'non_association', 'no_bladed_article']);
export const NOT_CHECKED = 'Reachable cannot check this condition automatically: the lead officer checks it.';

export const WEEKDAYS: Record<Weekday, string> = { 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday', 7: 'Sunday' };
const WEEKDAY_CODES = ['1', '2', '3', '4', '5', '6', '7'] as const;
export const ZONE_SHAPES = { polygon: 'Drawn on the map (points of its boundary)', circle: 'Around a named place, within a radius', borough: 'A whole borough' } as const;
/** A zone drawn by hand: enough points to enclose something, few enough to check in microseconds. */
export const MAX_ZONE_POINTS = 200;
export const MAX_RADIUS_METRES = 5_000;

/** Latitude and longitude as a map draws them, beside the grid the rules test on. */
export interface LatLng {
  latitude: number;
  longitude: number;
}

export type ConditionDetail =
  | { kind: 'curfew'; address: string; at: (GridPoint & LatLng) | null; hours: Hours; electronicMonitoring: boolean }
  | { kind: 'exclusion_zone'; label: string; zone: StoredZone; hours: Hours | null }
  | { kind: 'non_association'; personIds: string[]; groupIds: string[] }
  | { kind: 'no_bladed_article' }
  | { kind: 'social_media' }
  | { kind: 'reporting'; where: string; when: string }
  | { kind: 'positive_requirement'; serviceId: string }
  | { kind: 'words' };

/** A zone as kept: the shape the rules test, with its outline in degrees for the map. */
export type StoredZone =
  | { shape: 'polygon'; ring: GridPoint[]; points: [number, number][] }
  | { shape: 'circle'; centre: GridPoint; radiusMetres: number; placeId: string; placeName: string; point: [number, number] }
  | { shape: 'borough'; code: string; name: string };

export interface ConditionInput {
  kind: ConditionKind;
  wording: string;
  detail: ConditionDetail;
  bbox: { minE: number; minN: number; maxE: number; maxN: number } | null;
}

/** What the form offers to choose from; every id chosen must be one of these. */
export interface ConditionChoices {
  places: { id: string; name: string; latitude: number | null; longitude: number | null }[];
  groups: { id: string; name: string }[];
  services: { id: string; name: string }[];
  /** People found (or already named) whom a non-association may name. */
  people: Set<string>;
}

const TIME = /^([01]?\d|2[0-3]):([0-5]\d)$/;

function minutes(body: Body, name: string, errors: FormErrors, label: string): number | null {
  const raw = str(body, name);
  const m = TIME.exec(raw);
  if (!m) {
    errors.add(name, raw ? `${label} must be a time like 19:00` : `Enter ${label.toLowerCase()}, like 19:00`);
    return null;
  }
  return Number(m[1]) * 60 + Number(m[2]);
}

/** Days and hours: "Monday to Friday, 19:00 to 07:00" (a span past midnight belongs to the day it starts). */
export function readHours(body: Body, prefix: string, errors: FormErrors, what: string): Hours | null {
  const days = choices(body, `${prefix}Days`, errors, WEEKDAY_CODES, `Select the days the ${what} applies`);
  if (!days.length) errors.add(`${prefix}Days`, `Select the days the ${what} applies`);
  const from = minutes(body, `${prefix}From`, errors, `The time the ${what} starts`);
  const to = minutes(body, `${prefix}To`, errors, `The time the ${what} ends`);
  if (!days.length || from === null || to === null) return null;
  return { days: days.map(Number).sort() as Weekday[], from, to };
}

/** Hours in a day: 19:00 to 07:00 is 12 hours; the same start and end means all day. */
export const hoursADay = (h: Hours) => (h.from === h.to ? 24 : ((h.to - h.from + 1440) % 1440) / 60);

/** A position in degrees with its place on the grid (to 0.1 m), as conditions keep it. */
export function point(latitude: number, longitude: number): GridPoint & LatLng {
  const grid = toBritishNationalGrid(longitude, latitude);
  return { latitude, longitude, easting: Math.round(grid.easting * 10) / 10, northing: Math.round(grid.northing * 10) / 10 };
}

/** "51.58, -0.02" per line (or separated by semicolons), as a boundary is drawn or pasted. */
function readPoints(body: Body, errors: FormErrors): [number, number][] | null {
  const raw = str(body, 'zonePoints');
  const parts = raw.split(/[\n;]+/).map((p) => p.trim()).filter(Boolean);
  const points: [number, number][] = [];
  for (const part of parts) {
    const m = /^(-?\d{1,2}(?:\.\d+)?)\s*,\s*(-?\d{1,3}(?:\.\d+)?)$/.exec(part);
    const lat = m ? Number(m[1]) : NaN;
    const lng = m ? Number(m[2]) : NaN;
    if (!m || lat < 49 || lat > 61 || lng < -9 || lng > 2) {
      errors.add('zonePoints', 'Each point of the boundary must be a latitude and longitude in Great Britain, like 51.5826, -0.0201, one point to a line');
      return null;
    }
    points.push([lat, lng]);
  }
  if (points.length < 3) errors.add('zonePoints', 'Draw the zone with at least 3 points of its boundary');
  else if (points.length > MAX_ZONE_POINTS) errors.add('zonePoints', `Draw the zone with ${MAX_ZONE_POINTS} points or fewer`);
  return errors.messages.zonePoints ? null : points;
}

export function readZone(body: Body, errors: FormErrors, known: Pick<ConditionChoices, 'places'>): StoredZone | null {
  const shape = choice(body, 'zoneShape', errors, ['polygon', 'circle', 'borough'] as const, 'Select how the exclusion zone is described');
  if (shape === 'polygon') {
    const points = readPoints(body, errors);
    return points && { shape, points, ring: points.map(([lat, lng]) => { const p = point(lat, lng); return { easting: p.easting, northing: p.northing }; }) };
  }
  if (shape === 'circle') {
    const place = known.places.find((p) => p.id === str(body, 'zonePlaceId'));
    if (!place) errors.add('zonePlaceId', 'Select the named place the zone is around');
    else if (place.latitude === null || place.longitude === null) errors.add('zonePlaceId', 'That place has no position on the map: choose another, or draw the zone');
    const radius = decimal(body, 'zoneRadius', errors, { label: 'The radius', min: 10, max: MAX_RADIUS_METRES, required: true });
    if (!place || place.latitude === null || place.longitude === null || radius === null) return null;
    const p = point(place.latitude, place.longitude);
    return { shape, centre: { easting: p.easting, northing: p.northing }, radiusMetres: radius, placeId: place.id, placeName: place.name, point: [place.latitude, place.longitude] };
  }
  if (shape === 'borough') {
    const borough = londonBoroughs().find((b) => b.code === str(body, 'zoneBorough'));
    if (!borough) errors.add('zoneBorough', 'Select the borough');
    return borough ? { shape, code: borough.code, name: borough.name } : null;
  }
  return null;
}

/** The zone's bounding box on the grid (a borough's from its boundary). */
function boundsOf(zone: StoredZone) {
  if (zone.shape === 'circle') return { minE: zone.centre.easting - zone.radiusMetres, minN: zone.centre.northing - zone.radiusMetres, maxE: zone.centre.easting + zone.radiusMetres, maxN: zone.centre.northing + zone.radiusMetres };
  if (zone.shape === 'polygon') {
    const es = zone.ring.map((p) => p.easting);
    const ns = zone.ring.map((p) => p.northing);
    return { minE: Math.min(...es), minN: Math.min(...ns), maxE: Math.max(...es), maxN: Math.max(...ns) };
  }
  return null;
}

/** Reads one condition; field-level errors otherwise. */
export function readCondition(body: Body, errors: FormErrors, known: ConditionChoices): ConditionInput | null {
  const kind = choice(body, 'conditionKind', errors, CONDITION_KIND_CODES, 'Select the kind of condition');
  const wording = text(body, 'wording', errors, { label: 'The condition', required: true, max: 2000, missing: 'Enter the condition as the order words it' });
  if (!kind) return null;
  let detail: ConditionDetail | null = null;
  switch (kind) {
    case 'curfew': {
      const address = text(body, 'curfewAddress', errors, { label: 'The curfew address', required: true, max: 300 });
      const latitude = decimal(body, 'curfewLatitude', errors, { label: 'The latitude of the address', min: 49, max: 61 });
      const longitude = decimal(body, 'curfewLongitude', errors, { label: 'The longitude of the address', min: -9, max: 2 });
      if ((latitude === null) !== (longitude === null) && !errors.messages.curfewLatitude && !errors.messages.curfewLongitude) errors.add(latitude === null ? 'curfewLatitude' : 'curfewLongitude', 'Enter both the latitude and the longitude of the address, or neither');
      const hours = readHours(body, 'curfew', errors, 'curfew');
      const monitored = choice(body, 'electronicMonitoring', errors, ['yes', 'no'] as const, 'Select whether the curfew is electronically monitored');
      if (address && hours && monitored) detail = { kind, address, at: latitude !== null && longitude !== null ? point(latitude, longitude) : null, hours, electronicMonitoring: monitored === 'yes' };
      break;
    }
    case 'exclusion_zone': {
      const label = text(body, 'zoneLabel', errors, { label: 'The zone’s name', required: true, max: 200, missing: 'Enter what the zone is called in the order, like “the Beaumont Estate”' });
      const zone = readZone(body, errors, known);
      const timed = choice(body, 'zoneTimed', errors, ['always', 'hours'] as const, 'Select whether the zone applies at all times');
      const hours = timed === 'hours' ? readHours(body, 'zone', errors, 'zone') : null;
      if (label && zone && timed && (timed === 'always' || hours)) detail = { kind, label, zone, hours };
      break;
    }
    case 'non_association': {
      const personIds = list(body, 'personIds').filter((id) => isUuid(id) && known.people.has(id));
      const groupIds = list(body, 'groupIds').filter((id) => known.groups.some((g) => g.id === id));
      if (personIds.length !== list(body, 'personIds').length || groupIds.length !== list(body, 'groupIds').length) errors.add('personIds', 'Select the people and groups from the lists');
      else if (!personIds.length && !groupIds.length) errors.add('personIds', 'Find and select the people the order names, or select a group');
      else detail = { kind, personIds: [...new Set(personIds)], groupIds: [...new Set(groupIds)] };
      break;
    }
    case 'reporting': {
      const where = text(body, 'reportingWhere', errors, { label: 'Where they report', required: true, max: 300 });
      const when = text(body, 'reportingWhen', errors, { label: 'When they report', required: true, max: 300 });
      if (where && when) detail = { kind, where, when };
      break;
    }
    case 'positive_requirement': {
      const service = known.services.find((s) => s.id === str(body, 'serviceId'));
      if (!service) errors.add('serviceId', 'Select the service they must attend');
      else detail = { kind, serviceId: service.id };
      break;
    }
    default:
      detail = { kind };
  }
  if (!detail || !wording || errors.any) return null;
  const bbox = detail.kind === 'exclusion_zone' ? boundsOf(detail.zone) : null;
  return { kind, wording, detail, bbox };
}

/** A stored zone as the rules test it (a place-based power's area, or an exclusion zone). */
export function zoneRule(z: StoredZone): Zone {
  return z.shape === 'polygon' ? { shape: 'polygon', ring: z.ring } : z.shape === 'circle' ? { shape: 'circle', centre: z.centre, radiusMetres: z.radiusMetres } : z;
}

/** The rule a stored condition is tested by; names of those it names come from the record. */
export function asRule(id: string, detail: ConditionDetail, names: Map<string, string>, groupMembers: Map<string, string[]>, groupNames: Map<string, string>): Condition {
  switch (detail.kind) {
    case 'curfew':
      return detail.at ? { id, kind: 'curfew', address: detail.address, at: detail.at, hours: detail.hours, electronicMonitoring: detail.electronicMonitoring } : { id, kind: 'words', text: detail.address };
    case 'exclusion_zone':
      return { id, kind: 'exclusion_zone', zone: zoneRule(detail.zone), label: detail.label, hours: detail.hours };
    case 'non_association': {
      const ids = new Set([...detail.personIds, ...detail.groupIds.flatMap((g) => groupMembers.get(g) ?? [])]);
      return { id, kind: 'non_association', people: [...ids].map((p) => ({ id: p, name: names.get(p) ?? 'a person the order names' })), groups: detail.groupIds.map((g) => ({ id: g, name: groupNames.get(g) ?? 'a group' })) };
    }
    case 'no_bladed_article':
      return { id, kind: 'no_bladed_article' };
    default:
      return { id, kind: 'words', text: '' };
  }
}

const clock = (m: number) => `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
/** "Monday to Friday, 19:00 to 07:00". */
export function hoursWords(h: Hours): string {
  const days = h.days.length === 7 ? 'Every day' : h.days.join(',') === '1,2,3,4,5' ? 'Monday to Friday' : h.days.join(',') === '6,7' ? 'Saturday and Sunday' : h.days.map((d) => WEEKDAYS[d]).join(', ');
  return h.from === h.to ? `${days}, all day` : `${days}, ${clock(h.from)} to ${clock(h.to)}`;
}

/** The borough a curfew address or a zone's centre lies in, for the map's outlines. */
export function boroughsOf(detail: ConditionDetail): string[] {
  if (detail.kind === 'exclusion_zone') {
    const z = detail.zone;
    if (z.shape === 'borough') return [z.name];
    const [lat, lng] = z.shape === 'circle' ? z.point : z.points[0];
    const b = boroughAt(lng, lat);
    return b ? [b.name] : [];
  }
  return [];
}
