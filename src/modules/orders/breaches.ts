// Possible breaches of an order's conditions (issue 19; seed 000, "Curtail":
// breaches "routinely and speedily identified"). The machine finds, a person
// decides: each finding carries the evidence a lead officer needs to confirm
// it or set it aside, and nothing here decides that anyone broke an order.
//
// Pure rules over plain values (no SQL, no HTTP), so every entrance that
// records an incident, a link or a group membership calls the same ones.
//
// Roles: only conduct counts. A person is tested when they were a suspect in
// the incident or an associate present with the suspects; a victim, a witness
// or anyone else involved is never flagged, whatever their orders say
// (being harmed or seeing harm is not a breach). Non-association needs both
// people there in a conduct role: a subject who harms the named person has
// committed an offence, which is the incident itself, not an association.
import { londonParts, londonToday, type LocalParts } from '../../platform/time.ts';

/** The roles whose presence is the person's own conduct. */
export const CONDUCT_ROLES: ReadonlySet<string> = new Set(['suspect', 'associate']);

/** Monday 1 … Sunday 7 (ISO 8601), as a court writes "Monday to Friday". */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** Hours on some days, in London time: "19:00 to 07:00" belongs to the day it starts on. */
export interface Hours {
  days: Weekday[];
  /** Minutes after midnight. */
  from: number;
  to: number;
}

/** A point on the British National Grid (metres), as incidents and places are kept. */
export interface GridPoint {
  easting: number;
  northing: number;
}

export type Zone = { shape: 'polygon'; ring: GridPoint[] } | { shape: 'circle'; centre: GridPoint; radiusMetres: number } | { shape: 'borough'; code: string; name: string };

export type Condition =
  | { id: string; kind: 'curfew'; address: string; at: GridPoint; hours: Hours; electronicMonitoring: boolean }
  | { id: string; kind: 'exclusion_zone'; zone: Zone; label: string; hours: Hours | null }
  /** Named people, and the groups whose members it names (`people` then holds the members as they are when checked). */
  | { id: string; kind: 'non_association'; people: { id: string; name: string }[]; groups?: { id: string; name: string }[] }
  | { id: string; kind: 'no_bladed_article' }
  | { id: string; kind: 'words'; text: string };

export interface OrderInForce {
  id: string;
  personId: string;
  /** How the order is named to users: "Knife Crime Prevention Order (interim)". */
  title: string;
  /** London calendar dates, both inclusive; `until` null while it runs with no end date. */
  inForceFrom: string;
  until: string | null;
  conditions: Condition[];
}

export interface IncidentFacts {
  id: string;
  reference: string;
  occurredAt: Date;
  place: (GridPoint & { boroughCode: string | null }) | null;
  /** The weapon as recorded ('knife', 'firearm', …), null when none. */
  weapon: string | null;
  people: { personId: string; name: string; role: string }[];
}

export interface PossibleBreach {
  orderId: string;
  conditionId: string;
  personId: string;
  /** For non-association, the person the subject was with. */
  withPersonId?: string;
  /** In words, for the lead officer and the DRM agenda. */
  evidence: string;
}

/** How far from the curfew address an incident still counts as at it: a property and its street. */
export const CURFEW_ADDRESS_METRES = 100;
/** Bladed articles as the incident form records weapons (Offensive Weapons Act 2019, s. 14: "bladed article"). */
export const BLADED_WEAPONS: ReadonlySet<string> = new Set(['knife', 'bladed_article', 'machete', 'sword']);

/** ISO weekday of a calendar date (1 Monday … 7 Sunday). */
function weekdayOf(parts: LocalParts): Weekday {
  const d = new Date(Date.UTC(parts.year, parts.month - 1, parts.day)).getUTCDay();
  return (d === 0 ? 7 : d) as Weekday;
}

/** In force at this instant: on or after its first day and on or before its last, in London dates. */
export function inForce(order: Pick<OrderInForce, 'inForceFrom' | 'until'>, at: Date): boolean {
  const day = londonToday(at);
  return order.inForceFrom <= day && (order.until === null || day <= order.until);
}

/**
 * Whether London wall-clock time at this instant falls in the hours. A span
 * that runs past midnight (from > to) belongs to the day it starts on, so
 * "Friday 19:00 to 07:00" covers Saturday 06:59 and not Friday 06:59.
 */
export function withinHours(hours: Hours, at: Date): boolean {
  const parts = londonParts(at);
  const minute = parts.hour * 60 + parts.minute;
  const today = weekdayOf(parts);
  if (hours.from === hours.to) return hours.days.includes(today); // all day
  if (hours.from < hours.to) return hours.days.includes(today) && minute >= hours.from && minute < hours.to;
  if (minute >= hours.from) return hours.days.includes(today);
  const yesterday = (today === 1 ? 7 : today - 1) as Weekday;
  return minute < hours.to && hours.days.includes(yesterday);
}

/** Ray casting on the grid: a point on the boundary counts as inside (the edge of a zone is in it). */
export function insidePolygon(point: GridPoint, ring: GridPoint[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[i];
    const b = ring[j];
    if (onSegment(point, a, b)) return true;
    if (a.northing > point.northing !== b.northing > point.northing) {
      const crossing = a.easting + ((point.northing - a.northing) * (b.easting - a.easting)) / (b.northing - a.northing);
      if (point.easting < crossing) inside = !inside;
    }
  }
  return inside;
}

function onSegment(p: GridPoint, a: GridPoint, b: GridPoint): boolean {
  const cross = (b.easting - a.easting) * (p.northing - a.northing) - (b.northing - a.northing) * (p.easting - a.easting);
  if (Math.abs(cross) > 1e-9) return false;
  return Math.min(a.easting, b.easting) <= p.easting && p.easting <= Math.max(a.easting, b.easting) && Math.min(a.northing, b.northing) <= p.northing && p.northing <= Math.max(a.northing, b.northing);
}

export const distanceMetres = (a: GridPoint, b: GridPoint) => Math.hypot(a.easting - b.easting, a.northing - b.northing);

export function insideZone(place: GridPoint & { boroughCode: string | null }, zone: Zone): boolean {
  if (zone.shape === 'circle') return distanceMetres(place, zone.centre) <= zone.radiusMetres;
  if (zone.shape === 'borough') return place.boroughCode === zone.code;
  return insidePolygon(place, zone.ring);
}

const time = (at: Date) => {
  const p = londonParts(at);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')} on ${londonToday(at)}`;
};
const clock = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
const hoursWords = (h: Hours) => `${clock(h.from)} to ${clock(h.to)}`;

/** Every possible breach an incident raises against the orders in force for the people in it. */
export function breachesOfIncident(incident: IncidentFacts, orders: OrderInForce[]): PossibleBreach[] {
  const found: PossibleBreach[] = [];
  const at = incident.occurredAt;
  const conduct = incident.people.filter((p) => CONDUCT_ROLES.has(p.role));
  for (const order of orders) {
    if (!inForce(order, at)) continue;
    const subject = conduct.find((p) => p.personId === order.personId);
    if (!subject) continue;
    const raise = (condition: Condition, evidence: string, withPersonId?: string) => found.push({ orderId: order.id, conditionId: condition.id, personId: order.personId, withPersonId, evidence: `${order.title}: ${evidence}` });
    const as = `${subject.role} in incident ${incident.reference} at ${time(at)}`;
    for (const condition of order.conditions) {
      switch (condition.kind) {
        case 'curfew':
          if (!withinHours(condition.hours, at)) break;
          if (!incident.place) raise(condition, `${as}, inside curfew hours (${hoursWords(condition.hours)}); where it happened is not recorded`);
          else if (distanceMetres(incident.place, condition.at) > CURFEW_ADDRESS_METRES) raise(condition, `${as}, inside curfew hours (${hoursWords(condition.hours)}), ${Math.round(distanceMetres(incident.place, condition.at)).toLocaleString('en-GB')} m from the curfew address`);
          break;
        case 'exclusion_zone':
          if (!incident.place || !insideZone(incident.place, condition.zone)) break;
          if (condition.hours && !withinHours(condition.hours, at)) break;
          raise(condition, `${as}, inside the exclusion zone (${condition.label})${condition.hours ? ` while it applies (${hoursWords(condition.hours)})` : ''}`);
          break;
        case 'non_association':
          for (const named of condition.people) {
            const other = conduct.find((p) => p.personId === named.id);
            if (other && other.personId !== order.personId) raise(condition, `${as}, with ${named.name} (${other.role}), whom the order says not to associate with`, named.id);
          }
          break;
        case 'no_bladed_article':
          if (subject.role === 'suspect' && incident.weapon && BLADED_WEAPONS.has(incident.weapon)) raise(condition, `${as}, where a bladed article (${incident.weapon}) was recorded`);
          break;
        case 'words':
          break; // cannot be checked automatically: the order's page says so
      }
    }
  }
  return found;
}

/** A link recorded between two people (or a membership of a group whose members are named): non-association conditions on either side. */
export function breachesOfLink(link: { a: { id: string; name: string }; b: { id: string; name: string }; what: string; on: Date }, orders: OrderInForce[]): PossibleBreach[] {
  const found: PossibleBreach[] = [];
  for (const order of orders) {
    if (!inForce(order, link.on)) continue;
    const other = order.personId === link.a.id ? link.b : order.personId === link.b.id ? link.a : null;
    if (!other) continue;
    for (const condition of order.conditions) {
      if (condition.kind !== 'non_association' || !condition.people.some((p) => p.id === other.id)) continue;
      found.push({ orderId: order.id, conditionId: condition.id, personId: order.personId, withPersonId: other.id, evidence: `${order.title}: ${link.what} with ${other.name}, recorded ${time(link.on)}, whom the order says not to associate with` });
    }
  }
  return found;
}

/**
 * A person recorded as a member of a group: their own orders that name the
 * group, and every non-association between them and the group's other
 * members, on either side (both recorded in one group is an association).
 */
export function breachesOfMembership(membership: { person: { id: string; name: string }; group: { id: string; name: string }; members: { id: string; name: string }[]; on: Date }, orders: OrderInForce[]): PossibleBreach[] {
  const { person, group, on } = membership;
  const found: PossibleBreach[] = [];
  for (const order of orders) {
    if (order.personId !== person.id || !inForce(order, on)) continue;
    for (const condition of order.conditions) {
      if (condition.kind === 'non_association' && condition.groups?.some((g) => g.id === group.id)) {
        found.push({ orderId: order.id, conditionId: condition.id, personId: person.id, evidence: `${order.title}: recorded as a member of ${group.name}, recorded ${time(on)}, a group whose members the order says not to associate with` });
      }
    }
  }
  const pairs = membership.members.filter((m) => m.id !== person.id);
  for (const other of pairs) {
    for (const b of breachesOfLink({ a: person, b: other, what: `recorded as members of the same group (${group.name})`, on }, orders)) {
      // A condition naming the whole group was raised once above for the new member.
      if (!found.some((f) => f.conditionId === b.conditionId && f.personId === b.personId && !f.withPersonId)) found.push(b);
    }
  }
  return found;
}
