// The time-sensitive briefing (seed 003 step f: "intelligence and analytical
// products – providing time-sensitive reports"): what the partnership knows
// about a critical incident, gathered in one request from the records and
// analyses that already exist. Each section says where its figures come from
// and when they were computed, and follows the rules of the page it is drawn
// from: people only for agencies the incident is shared with, by pseudonym
// for analysts; the network within the reader's intelligence clearance;
// urgent responses only where the reader may see them.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { ageAt, formatDateTime, londonParts, londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { questionKey, workedOut } from '../../platform/background.ts';
import { boroughsOnGrid } from '../../analysis/geography.ts';
import { knoxSteps, type KnoxResult } from '../../analysis/knox.ts';
import { dayNumber } from '../../analysis/nearRepeats.ts';
import { findIncident, involvementsOf, visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { INVOLVEMENT_ROLES } from '../incidents/rules.ts';
import { responseQuery, clocksOf, visibleTo as responseVisibleTo } from '../urgent-response/queries.ts';
import { CLOCK_LABELS, mostUrgent } from '../urgent-response/clocks.ts';
import type { Namer } from '../people/naming.ts';
import { whoElse, type Contact } from '../network/whoElse.ts';
import { WALK_TYPE_CODES, GROUP_KINDS } from '../network/rules.ts';
import { live, detailWithheld } from '../network/links.ts';
import { placeEvents, type PlaceEvent } from '../hotspots/events.ts';
import { CLASSES, hotSpotCells } from '../hotspots/analysis.ts';
import { DEFAULT_CELL } from '../hotspots/rules.ts';
import { afterSchoolWindow, schoolDays } from '../hotspots/times.ts';
import { insideZone } from '../orders/breaches.ts';
import { zoneRule, type StoredZone } from '../orders/conditions.ts';
import { inForceOn, lastDay, orderKinds, orderName, orderQuery } from '../orders/queries.ts';
import { HISTORY_METRES, HISTORY_MONTHS, SCHOOL_METRES, nearRepeatWindow } from './rules.ts';
import { placesNear, type CriticalRow } from './queries.ts';

export interface Section<T> {
  /** Null when the reader may not see this section; `withheld` then says why, in words. */
  data: T | null;
  withheld: string | null;
  source: string;
  computedAt: Date;
}

const shown = <T>(data: T, source: string, computedAt = new Date()): Section<T> => ({ data, withheld: null, source, computedAt });
const withheld = <T>(why: string, source: string): Section<T> => ({ data: null, withheld: why, source, computedAt: new Date() });

/**
 * The Knox test the briefing runs: the near-repeats page's bands, on the
 * dated events nearest the incident (within 1 km, and at most the nearest
 * 1,000: the area whose pattern bears on it), with 99 permutations: the
 * smallest p-value is then 0.01, enough to tell p ≤ 0.05, in a tenth of the
 * time of the page's 999. Measured at London scale: a borough's whole year
 * took minutes a question; the 7,395 events within 1 km of the City's centre
 * 16 s (pairs grow as the square of the events); 1,000 events a few tenths
 * of a second.
 */
const KNOX = { spaceBands: [100, 200, 300, 400], timeBands: [7, 14, 21, 28], iterations: 99, seed: 1, metric: 'euclidean' as const };
export const NEAR_REPEAT_EVENTS = 1_000;
export const NEAR_REPEAT_AREA_METRES = 1_000;
/** Police-recorded crime that speaks to violence (police.uk's own categories). */
const VIOLENT_CRIME = ['Violence and sexual offences', 'Robbery', 'Possession of weapons'];
const HOUR_BANDS = [0, 3, 6, 9, 12, 15, 18, 21];
const KIND_PREFIX: Record<PlaceEvent['source'], string> = { partnership: '', istv: 'A&E assault: ', police_street: 'Police recorded: ', stop_search: 'Stop and search: ' };

const monthOf = (day: string, back: number) => {
  const [y, m] = day.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1 - back, 1)).toISOString().slice(0, 7);
};

interface Ctx {
  db: Kysely<DB>;
  actor: RequestActor;
  roles: readonly string[];
  name: Namer;
  ci: CriticalRow;
  now: Date;
  /** The incident, when the reader's agency may see it. */
  incident: Awaited<ReturnType<typeof findIncident>>;
  people: Awaited<ReturnType<typeof involvementsOf>>;
  personIds: string[];
  point: { easting: number; northing: number } | null;
  notShared: string;
  events?: Promise<PlaceEvent[]>;
}

const SECTIONS = { involved: peopleSection, atRisk: whoElseSection, groups: groupsSection, place: placeSection, nearRepeat: nearRepeatSection, orders: ordersSection, schools: schoolsSection };
type SectionName = keyof typeof SECTIONS;
type Sections = { [K in SectionName]: Awaited<ReturnType<(typeof SECTIONS)[K]>> };

/** The sections that name people: read in the transaction that audits them. */
export const PERSONAL_SECTIONS = ['involved', 'atRisk', 'groups', 'orders'] as const;
/** The sections about the place: counts only, read outside a transaction (the near-repeat answer is worked out in the background). */
export const PLACE_SECTIONS = ['place', 'nearRepeat', 'schools'] as const;

/**
 * The briefing's sections (all, or those asked for) and everyone named in
 * them, for the audit. `db` is the transaction for the personal sections; the
 * place sections need the database itself.
 */
export async function briefing<K extends SectionName = SectionName>(db: Kysely<DB>, actor: RequestActor, name: Namer, ci: CriticalRow, only?: readonly K[], now = new Date()): Promise<Pick<Sections, K> & { read: string[] }> {
  const wanted = (only ?? (Object.keys(SECTIONS) as K[])) as readonly K[];
  const personal = wanted.some((k) => (PERSONAL_SECTIONS as readonly string[]).includes(k));
  const incident = personal && can(actor.roles, 'incident.read') ? await findIncident(db, actor.agencyId, ci.incident_id) : undefined;
  const people = incident ? await involvementsOf(db, ci.incident_id) : [];
  const c: Ctx = {
    db,
    actor,
    roles: actor.roles,
    name,
    ci,
    now,
    incident,
    people,
    personIds: people.map((p) => p.person_id),
    point: ci.easting !== null && ci.northing !== null ? { easting: ci.easting, northing: ci.northing } : null,
    notShared: 'Only agencies the incident is recorded by or shared with see who was involved.',
  };
  const done = await Promise.all(wanted.map((k) => SECTIONS[k](c)));
  const out = Object.fromEntries(wanted.map((k, i) => [k, done[i]])) as unknown as Pick<Sections, K>;
  const all = out as Partial<Sections>;
  // Everyone named to the reader: the incident's people (when shown) and those found at risk.
  const read = [...new Set([...(all.involved?.data ? c.personIds : []), ...(all.atRisk?.data?.contacts.map((x) => x.id) ?? [])])];
  return { ...out, read };
}

async function peopleSection(c: Ctx) {
  const { db, actor, roles, name, ci, incident, people, personIds, now, notShared } = c;
  const source = `Incident ${ci.incident_reference} as recorded in Reachable; urgent responses and their 48-hour clocks (the Urgent Response protocol)`;
  if (!incident) return withheld<never>(notShared, source);
  const responses = can(roles, 'urgent_response.read') && personIds.length ? await responseQuery(db).where('urgent_response.person_id', 'in', personIds).where('urgent_response.status', '=', 'open').where(responseVisibleTo(actor)).execute() : [];
  return shown(
    people.map((p) => {
      const r = responses.find((x) => x.person_id === p.person_id);
      const clock = r ? mostUrgent(clocksOf(r, now)) : null;
      return {
        name: name(p),
        personId: name.identifies ? p.person_id : null,
        role: INVOLVEMENT_ROLES[p.role as keyof typeof INVOLVEMENT_ROLES] ?? p.role,
        age: ageAt(p.date_of_birth, ci.occurred_at),
        response: r ? { id: r.id, reference: r.reference, clock: clock && { label: CLOCK_LABELS[clock.kind], state: clock.state, dueAt: clock.dueAt } } : null,
      };
    }),
    source,
  );
}

async function whoElseSection(c: Ctx) {
  const { db, actor, roles, name, incident, personIds, now, notShared } = c;
  const source = 'Links recorded in Reachable (associations, shared incidents, shared groups) over the last 12 months, within your intelligence clearance';
  type AtRisk = { contacts: Contact[]; more: number };
  if (!can(roles, 'network.read')) return withheld<AtRisk>('Your role does not read the network.', source);
  if (!incident) return withheld<AtRisk>(notShared, source);
  const since = addDays(londonToday(now), -365);
  const found = await whoElse(db, actor, name, personIds, 2, { types: new Set(WALK_TYPE_CODES), since });
  return shown<AtRisk>({ contacts: found.contacts.slice(0, 50), more: Math.max(0, found.contacts.length - 50) }, source);
}

async function groupsSection(c: Ctx) {
  const { db, actor, roles, name, incident, people, personIds, notShared } = c;
  const source = 'Group memberships and rivalries recorded in Reachable, live and within your intelligence clearance';
  type Groups = { memberships: { person: string; group: string; kind: string; withheld: boolean }[]; rivalries: { group: string; rival: string }[] };
  if (!can(roles, 'network.read')) return withheld<Groups>('Your role does not read the network.', source);
  if (!incident) return withheld<Groups>(notShared, source);
  if (!personIds.length) return shown<Groups>({ memberships: [], rivalries: [] }, source);
  const memberships = await db
    .selectFrom('association')
    .innerJoin('network_group as g', 'g.id', 'association.group_id')
    .select(['association.person_id', 'association.handling_code', 'g.id', 'g.name', 'g.kind'])
    .where('association.kind', '=', 'membership')
    .where('association.person_id', 'in', personIds)
    .where(live(actor))
    .execute();
  const shownGroups = memberships.filter((m) => !detailWithheld(actor, m.handling_code));
  const groupIds = [...new Set(shownGroups.map((m) => m.id))];
  const rivalries = groupIds.length
    ? await db
        .selectFrom('association')
        .innerJoin('network_group as a', 'a.id', 'association.group_id')
        .innerJoin('network_group as b', 'b.id', 'association.other_group_id')
        .select(['a.id as a_id', 'a.name as a', 'b.id as b_id', 'b.name as b', 'association.handling_code'])
        .where('association.kind', '=', 'group_group')
        .where('association.link_type', '=', 'rivalry')
        .where((eb) => eb.or([eb('association.group_id', 'in', groupIds), eb('association.other_group_id', 'in', groupIds)]))
        .where(live(actor))
        .execute()
    : [];
  const byId = new Map(people.map((p) => [p.person_id, p]));
  return shown<Groups>(
    {
      memberships: memberships.map((m) => {
        const hidden = detailWithheld(actor, m.handling_code);
        return { person: name(byId.get(m.person_id!)!), group: hidden ? 'A group (recorded from police intelligence: detail withheld, ask the police)' : m.name, kind: hidden ? '' : GROUP_KINDS[m.kind], withheld: hidden };
      }),
      rivalries: rivalries.filter((r) => !detailWithheld(actor, r.handling_code)).map((r) => (groupIds.includes(r.a_id) ? { group: r.a, rival: r.b } : { group: r.b, rival: r.a })),
    },
    source,
  );
}

/** The events of the last 12 whole months and this one, in the incident's borough. */
async function boroughEvents(c: Ctx): Promise<PlaceEvent[]> {
  const { db, actor, ci, now } = c;
  const borough = boroughsOnGrid().find((b) => b.code === ci.borough_code);
  if (!borough) return [];
  const today = londonToday(now);
  const base = { from: monthOf(today, HISTORY_MONTHS), to: today.slice(0, 7), ageBand: null, box: borough.bbox };
  const [own, police] = await Promise.all([
    placeEvents(db, actor.agencyId, { ...base, sources: ['partnership', 'istv'], categories: [] }),
    placeEvents(db, actor.agencyId, { ...base, sources: ['police_street'], categories: VIOLENT_CRIME }),
  ]);
  return [...own, ...police];
}
/** The borough's events, read once for the two sections that use them. */
const events = (c: Ctx) => (c.events ??= boroughEvents(c));

async function placeSection(c: Ctx) {
  const { roles, ci, point } = c;
  const source = `Partnership incidents your agency may see, A&E assaults (ISTV) and police-recorded violence, robbery and weapons crime (police.uk, by month) within ${HISTORY_METRES} m, over the last ${HISTORY_MONTHS} months and this one; hot spots by Getis-Ord Gi* on ${DEFAULT_CELL} m cells of the borough, false discovery rate corrected, as on the hot spots page`;
  if (!can(roles, 'places.read')) return withheld<never>('Your role does not read places and times.', source);
  if (!point) return withheld<never>('The incident has no map position, so its place has no history here.', source);
  const all = await events(c);
  const near = all.filter((e) => Math.hypot(e.x - point.easting, e.y - point.northing) <= HISTORY_METRES);
  const byKind = new Map<string, number>();
  for (const e of near) {
    const kind = `${KIND_PREFIX[e.source]}${e.category}`;
    byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
  }
  const hours = HOUR_BANDS.map((from) => ({ label: `${String(from).padStart(2, '0')}:00 to ${String(from + 2).padStart(2, '0')}:59`, count: near.filter((e) => e.hour !== null && e.hour >= from && e.hour < from + 3).length }));
  const timed = near.filter((e) => e.hour !== null).length;
  const borough = boroughsOnGrid().filter((b) => b.code === ci.borough_code);
  let hotSpot: { klass: string; label: string; z: number; count: number } | null = null;
  if (borough.length && all.length) {
    const cells = hotSpotCells(all, borough, { cellSize: DEFAULT_CELL, distance: DEFAULT_CELL * 1.5, selfExcluded: false, correction: 'fdr' });
    const half = DEFAULT_CELL / 2;
    const cell = cells.find((c) => Math.abs(c.x - point.easting) <= half && Math.abs(c.y - point.northing) <= half);
    if (cell) hotSpot = { klass: cell.klass, label: CLASSES[cell.klass], z: cell.z, count: cell.count };
  }
  return shown({ total: near.length, byKind: [...byKind.entries()].sort((a, b) => b[1] - a[1]).map(([kind, count]) => ({ kind, count })), hours, timed, hotSpot, busiest: timed ? hours.reduce((a, b) => (b.count > a.count ? b : a)) : null }, source);
}

async function nearRepeatSection(c: Ctx) {
  const { db, roles, ci, point } = c;
  const source = `The Knox test (Ratcliffe's Near Repeat Calculator method, ${KNOX.iterations} permutations) on the dated events nearest the incident (within ${NEAR_REPEAT_AREA_METRES / 1000} km, at most ${NEAR_REPEAT_EVENTS.toLocaleString('en-GB')}) over the last ${HISTORY_MONTHS} months: partnership incidents your agency may see and A&E assaults`;
  type NearRepeat = { window: ReturnType<typeof nearRepeatWindow>; events: number; until: string | null; running: { done: number; total: number } | null; areaMetres: number };
  if (!can(roles, 'places.read')) return withheld<NearRepeat>('Your role does not read places and times.', source);
  const away = (e: PlaceEvent) => (point ? Math.hypot(e.x - point.easting, e.y - point.northing) : Infinity);
  const nearest = (await events(c))
    .filter((e) => e.day && away(e) <= NEAR_REPEAT_AREA_METRES)
    .sort((a, b) => away(a) - away(b))
    .slice(0, NEAR_REPEAT_EVENTS);
  const dated = nearest.map((e) => ({ x: e.x, y: e.y, day: dayNumber(e.day!)! }));
  const areaMetres = nearest.length === NEAR_REPEAT_EVENTS ? Math.ceil(away(nearest.at(-1)!)) : NEAR_REPEAT_AREA_METRES;
  if (dated.length < 2) return shown<NearRepeat>({ window: null, events: dated.length, until: null, running: null, areaMetres }, source);
  const answer = await workedOut<KnoxResult>(db, questionKey('near-repeats', KNOX, dated), KNOX.iterations, () => knoxSteps(dated, KNOX), 300);
  if (answer.state === 'running') return shown<NearRepeat>({ window: null, events: dated.length, until: null, running: { done: answer.done, total: answer.total }, areaMetres }, source);
  const window = nearRepeatWindow(answer.result);
  const until = window ? formatDateTime(new Date(ci.occurred_at.getTime() + window.days * 86_400_000)) : null;
  return shown<NearRepeat>({ window, events: dated.length, until, running: null, areaMetres }, source, answer.computedAt);
}

async function ordersSection(c: Ctx) {
  const { db, roles, name, ci, incident, people, personIds, point, now } = c;
  const source = 'Orders and place-based powers recorded in Reachable, in force today';
  type Orders = { places: { id: string; title: string; area: string; until: string | null; contact: string }[]; people: { id: string; person: string; title: string; until: string | null; contact: string }[] };
  if (!can(roles, 'order.read')) return withheld<Orders>('Your role does not read orders.', source);
  const today = londonToday(now);
  const kinds = await orderKinds(db);
  const inForce = await orderQuery(db)
    .where(inForceOn(today))
    .where((eb) => eb.or([eb('court_order.area', 'is not', null), ...(incident && personIds.length ? [eb('court_order.person_id', 'in', personIds)] : [])]))
    .execute();
  const contact = (o: (typeof inForce)[number]) => `${o.lead_officer_name} (${o.applying_agency}): ${o.lead_officer_contact ?? 'no contact recorded'}`;
  const covering = inForce.filter((o) => o.area && point && insideZone({ ...point, boroughCode: ci.borough_code }, zoneRule(o.area as StoredZone)));
  const byId = new Map(people.map((p) => [p.person_id, p]));
  return shown<Orders>(
    {
      places: covering.map((o) => ({ id: o.id, title: orderName(kinds, o), area: o.area_label ?? 'An area', until: lastDay(o), contact: contact(o) })),
      people: inForce.filter((o) => o.person_id && byId.has(o.person_id)).map((o) => ({ id: o.id, person: name(byId.get(o.person_id!)!), title: orderName(kinds, o), until: lastDay(o), contact: contact(o) })),
    },
    source,
  );
}

async function schoolsSection(c: Ctx) {
  const { db, point, now } = c;
  const window = await afterSchoolWindow(db);
  const source = `Schools among the places recorded in Reachable, within ${SCHOOL_METRES} m; the after-school window the partnership set (${window.start}:00 to ${window.end}:00) and its term dates`;
  if (!point) return withheld<never>('The incident has no map position.', source);
  const [schools, terms] = await Promise.all([
    placesNear(db, point, SCHOOL_METRES, 'school'),
    db.selectFrom('term_period').select(['starts_on', 'ends_on']).execute(),
  ]);
  const today = londonToday(now);
  const tomorrow = addDays(today, 1);
  const isSchoolDay = schoolDays(terms, today, tomorrow);
  const hour = londonParts(now).hour;
  return shown(
    {
      schools,
      window,
      today: isSchoolDay(today),
      tomorrow: isSchoolDay(tomorrow),
      afterSchoolNow: isSchoolDay(today) && hour >= window.start && hour < window.end,
      termsKnown: terms.length > 0,
    },
    source,
  );
}

export type Briefing = Awaited<ReturnType<typeof briefing>>;

/** Incidents near a place the reader's agency may see, for the assessment's "previous incidents nearby" hint. */
export async function incidentsNear(db: Kysely<DB>, agencyId: string, ci: CriticalRow, days: number) {
  if (ci.easting === null || ci.northing === null) return 0;
  const since = new Date(ci.occurred_at.getTime() - days * 86_400_000);
  const row = await db
    .selectFrom('incident')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('incident.id', '!=', ci.incident_id)
    .where('incident.occurred_at', '>=', since)
    .where('incident.occurred_at', '<=', ci.occurred_at)
    .where(sql<boolean>`incident.easting BETWEEN ${ci.easting - HISTORY_METRES} AND ${ci.easting + HISTORY_METRES} AND incident.northing BETWEEN ${ci.northing - HISTORY_METRES} AND ${ci.northing + HISTORY_METRES}`)
    .where(sql<boolean>`sqrt(power(incident.easting - ${ci.easting}, 2) + power(incident.northing - ${ci.northing}, 2)) <= ${HISTORY_METRES}`)
    .where(incidentVisibleTo(agencyId))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
