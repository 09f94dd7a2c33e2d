// Benchmark (issue 19): breach checks inside the transaction that records an
// incident, at London scale on PostgreSQL. 300,000 people; 20,000 orders in
// force with 30,000 conditions (10,000 exclusion zones drawn as polygons of
// 20 to 200 points across the 33 boroughs, 8,000 curfews, 6,000
// non-associations, 6,000 bladed-article conditions: 30,000).
//
// Recording an incident with three people, as the API does it (the incident,
// three involvements, each followed by the breach check, the audit events),
// timed in process, p50/p95/p99 side by side in one run, taking turns so
// that the machine's noise falls on all three alike:
//   A. in a database the same but for the orders (none at all);
//   B. with the orders, three people who have none;
//   C. with the orders, three order subjects, inside one of their zones.
// Then the spatial question the issue asks: the checks look orders up by
// person (a B-tree on court_order.person_id), so the polygon test runs on a
// handful of zones; timed against finding every zone around the point first
// (the bounding-box columns, the SQL "grid" way) to show which is cheaper.
//
//   npx tsx bench/orders.ts [--reuse] [--times N]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { bulkInsert } from '../src/db/bulk.ts';
import { boroughsOnGrid, fromBritishNationalGrid, randomPointIn } from '../src/analysis/geography.ts';
import { londonToday } from '../src/platform/time.ts';
import { addDays } from '../src/platform/workingDays.ts';
import { createIncident, addInvolvements } from '../src/modules/incidents/queries.ts';
import { recordAudits, type AuditEntry } from '../src/platform/audit.ts';
import { insidePolygon } from '../src/modules/orders/breaches.ts';
import { seededRandom, uuid } from '../src/modules/demo/random.ts';
import { percentile } from './load.ts';
import { ownDatabase } from './setup.ts';

const { values } = parseArgs({ strict: false, options: { reuse: { type: 'boolean' }, times: { type: 'string' } } });
const TIMES = Number(values.times ?? 300);
const PEOPLE = 300_000;
const ORDERS = 20_000;
const ZONES = 10_000;
const CURFEWS = 8_000;
const random = seededRandom(19);
const database = await ownDatabase('reachable_bench_orders', values.reuse);
const none = await ownDatabase('reachable_bench_orders_none', values.reuse);
const db = database.db;
const today = londonToday();
const boroughs = boroughsOnGrid();

// ---- Data ------------------------------------------------------------------
/** The agency, officer and 300,000 people of one database (the same in both). */
async function setUp(target: typeof db) {
  const agency = await target.selectFrom('agency').select('id').where('name', '=', 'Bench police').executeTakeFirst();
  const police = agency?.id ?? (await target.insertInto('agency').values({ name: 'Bench police', kind: 'police', receives_incidents: true }).returning('id').executeTakeFirstOrThrow()).id;
  const officer = (await target.selectFrom('app_user').select('id').where('email', '=', 'bench-orders@example.gov.uk').executeTakeFirst())?.id ??
    (await target.insertInto('app_user').values({ agency_id: police, email: 'bench-orders@example.gov.uk', display_name: 'Bench officer', roles: ['police'], password_hash: 'x' }).returning('id').executeTakeFirstOrThrow()).id;
  const { n: havePeople } = await target.selectFrom('person').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  if (Number(havePeople) < PEOPLE) {
    const make = seededRandom(7);
    const t0 = performance.now();
    const people = Array.from({ length: PEOPLE }, (_, i) => ({ id: uuid(make), agency_id: police, given_name: `Given${i}`, family_name: `Family${i % 5000}`, date_of_birth: `${2005 + (i % 9)}-0${1 + (i % 9)}-1${i % 9}`, sex: i % 2 ? 'male' : 'female', ethnicity: 'not_stated' }));
    await bulkInsert(target, 'person', { id: 'uuid', agency_id: 'uuid', given_name: 'text', family_name: 'text', date_of_birth: 'date', sex: 'text', ethnicity: 'text' }, people);
    await sql`ANALYZE person`.execute(target);
    console.log(`${PEOPLE.toLocaleString('en-GB')} people in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  const personIds = (await target.selectFrom('person').select('id').orderBy('id').limit(PEOPLE).execute()).map((p) => p.id);
  return { db: target, police, officer, personIds };
}
const withOrders = await setUp(db);
const withNone = await setUp(none.db);
const { police, officer } = withOrders;
const personIds = withOrders.personIds;
const subjects = personIds.slice(0, ORDERS);
const others = personIds.slice(ORDERS);

/** A zone as an officer draws it: a rough circle of `points` vertices, 150 to 600 m across, somewhere in a borough. */
function drawZone(points: number) {
  const borough = boroughs[Math.floor(random() * boroughs.length)];
  const [x, y] = randomPointIn(borough, random);
  const radius = 150 + random() * 450;
  const ring = Array.from({ length: points }, (_, k) => {
    const a = (2 * Math.PI * k) / points;
    const r = radius * (0.8 + 0.4 * random());
    return { easting: x + r * Math.cos(a), northing: y + r * Math.sin(a) };
  });
  const latlng = ring.map((p) => {
    const [lon, lat] = fromBritishNationalGrid(p.easting, p.northing);
    return [lat, lon] as [number, number];
  });
  return { centre: { x, y }, ring, latlng };
}

type Zone = ReturnType<typeof drawZone>;

const zonesOf = new Map<string, Zone>();
async function loadOrders() {
  const t0 = performance.now();
  const orders = subjects.map((personId) => ({ id: uuid(random), kind_code: 'criminal_behaviour_order', person_id: personId, court: 'Bench court', made_on: addDays(today, -30), in_force_from: addDays(today, -30), until: addDays(today, 700), applying_agency_id: police, lead_officer_id: officer, lead_officer_name: 'PC Bench', lead_officer_contact: '0', agency_id: police }));
  await bulkInsert(db, 'court_order', { id: 'uuid', kind_code: 'text', person_id: 'uuid', court: 'text', made_on: 'date', in_force_from: 'date', until: 'date', applying_agency_id: 'uuid', lead_officer_id: 'uuid', lead_officer_name: 'text', lead_officer_contact: 'text', agency_id: 'uuid' }, orders);
  const orderIds = (await db.selectFrom('court_order').select(['id', 'person_id']).orderBy('person_id').execute());
  const conditions: Record<string, unknown>[] = [];
  const hours = { days: [1, 2, 3, 4, 5, 6, 7], from: 0, to: 0 };
  orderIds.forEach((o, i) => {
    if (i < ZONES) {
      const zone = drawZone(20 + Math.floor(random() * 181));
      zonesOf.set(o.person_id!, zone);
      const es = zone.ring.map((p) => p.easting);
      const ns = zone.ring.map((p) => p.northing);
      conditions.push({ order_id: o.id, kind: 'exclusion_zone', wording: 'Zone', detail: { kind: 'exclusion_zone', label: `Zone ${i}`, zone: { shape: 'polygon', ring: zone.ring, points: zone.latlng }, hours: null }, min_easting: Math.min(...es), min_northing: Math.min(...ns), max_easting: Math.max(...es), max_northing: Math.max(...ns) });
    }
    if (i >= ZONES - CURFEWS / 2 && i < ZONES + CURFEWS / 2) {
      const [x, y] = randomPointIn(boroughs[i % boroughs.length], random);
      conditions.push({ order_id: o.id, kind: 'curfew', wording: 'Curfew', detail: { kind: 'curfew', address: 'Home', at: { easting: x, northing: y, latitude: 0, longitude: 0 }, hours: { ...hours, from: 21 * 60, to: 7 * 60 }, electronicMonitoring: false } });
    }
    if (i % 10 < 3) conditions.push({ order_id: o.id, kind: 'non_association', wording: 'Apart', detail: { kind: 'non_association', personIds: [pick(others, 1)[0], pick(others, 1)[0]], groupIds: [] } });
    if (i % 10 >= 7) conditions.push({ order_id: o.id, kind: 'no_bladed_article', wording: 'No blades', detail: { kind: 'no_bladed_article' } });
  });
  await bulkInsert(db, 'order_condition', { order_id: 'uuid', kind: 'text', wording: 'text', detail: 'jsonb', min_easting: 'float8', min_northing: 'float8', max_easting: 'float8', max_northing: 'float8' }, conditions);
  await sql`ANALYZE court_order, order_condition`.execute(db);
  const counts = await db.selectFrom('order_condition').select(['kind', (eb) => eb.fn.countAll<string>().as('n')]).groupBy('kind').execute();
  console.log(`${orderIds.length.toLocaleString('en-GB')} orders in force, conditions: ${counts.map((c) => `${c.kind} ${Number(c.n).toLocaleString('en-GB')}`).join(', ')} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

function pick<T>(from: T[], k: number): T[] {
  return Array.from({ length: k }, () => from[Math.floor(random() * from.length)]);
}
function randomPlace() {
  const [x, y] = randomPointIn(boroughs[Math.floor(random() * boroughs.length)], random);
  const [longitude, latitude] = fromBritishNationalGrid(x, y);
  return { latitude, longitude };
}

/** One incident with three people, recorded as the API records it, in one transaction: milliseconds. */
async function recordOne(on: Awaited<ReturnType<typeof setUp>>, people: string[], place: { latitude: number; longitude: number }): Promise<{ ms: number; raised: number }> {
  const { db, police, officer } = on;
  const by = { agencyId: police, userId: officer, apiClientId: null };
  const before = await db.selectFrom('possible_breach').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  const t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    const at = new Date(Date.now() - 3_600_000);
    const incident = await createIncident(trx, by, { occurredAt: at, notifiedAt: at, typeCode: 'knife_injury', weapon: 'knife', placeDescription: 'Bench street', latitude: place.latitude, longitude: place.longitude, sourceAgencyId: police, sourceReference: null, narrative: null, domesticAbuse: false, shareWith: [] }, null);
    const audits: AuditEntry[] = [{ action: 'incident.record', recordType: 'incident', recordId: incident.id }];
    await addInvolvements(trx, incident.id, people.map((personId, i) => ({ personId, role: i === 0 ? 'suspect' : 'associate' })), { userId: officer, agencyId: police });
    for (const personId of people) audits.push({ action: 'incident.add-person', recordType: 'incident', recordId: incident.id, personId });
    await recordAudits(trx, { userId: officer, agencyId: police }, audits);
  });
  const ms = performance.now() - t0;
  const after = await db.selectFrom('possible_breach').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return { ms, raised: Number(after.n) - Number(before.n) };
}

interface Series {
  label: string;
  on: Awaited<ReturnType<typeof setUp>>;
  who: () => string[];
  where: (people: string[]) => { latitude: number; longitude: number };
  times: number[];
  raised: number;
}

/** The series take turns, one incident each, so that whatever else the machine does falls on all of them alike. */
async function timeRecordings(series: Series[]) {
  for (let i = 0; i < 20; i++) for (const s of series) await recordOne(s.on, s.who(), randomPlace()); // warm the connections, caches and plans
  for (let i = 0; i < TIMES; i++) {
    for (const s of series) {
      const people = s.who();
      const r = await recordOne(s.on, people, s.where(people));
      s.times.push(r.ms);
      s.raised += r.raised;
    }
  }
  return series.map((s) => {
    const sorted = [...s.times].sort((a, b) => a - b);
    const row = { label: s.label, p50: percentile(sorted, 50), p95: percentile(sorted, 95), p99: percentile(sorted, 99), raised: s.raised };
    console.log(`${s.label.padEnd(52)} p50 ${row.p50.toFixed(2)} ms  p95 ${row.p95.toFixed(2)} ms  p99 ${row.p99.toFixed(2)} ms  possible breaches raised ${row.raised}`);
    return row;
  });
}

// ---- Runs ------------------------------------------------------------------
console.log(`Recording an incident with three people, ${TIMES} times each, on PostgreSQL:`);
// A run with --reuse starts again from no orders.
await db.deleteFrom('notification').where('possible_breach_id', 'is not', null).execute();
await db.deleteFrom('possible_breach').execute();
await db.deleteFrom('order_condition').execute();
await db.deleteFrom('order_review').execute();
await db.deleteFrom('court_order').execute();
await loadOrders();
const zoned = [...zonesOf.keys()];
const centreOf = (personId: string) => {
  const { x, y } = zonesOf.get(personId)!.centre;
  const [longitude, latitude] = fromBritishNationalGrid(x, y);
  return { latitude, longitude };
};
const [a, b, c] = await timeRecordings([
  { label: 'A. no orders at all', on: withNone, who: () => pick(withNone.personIds.slice(ORDERS), 3), where: () => randomPlace(), times: [], raised: 0 },
  { label: 'B. 20,000 orders; three people without any', on: withOrders, who: () => pick(others, 3), where: () => randomPlace(), times: [], raised: 0 },
  { label: 'C. 20,000 orders; three subjects, inside a zone', on: withOrders, who: () => pick(zoned, 3), where: (people) => centreOf(people[0]), times: [], raised: 0 },
]);
console.log(`p95 above A: B ${(b.p95 - a.p95).toFixed(2)} ms, C ${(c.p95 - a.p95).toFixed(2)} ms (the aim: no more than 5 ms)`);

// ---- The spatial question -------------------------------------------------------
// By person (what the checks do): the subject's zones, then the polygon test in Node.
const probe = zoned.slice(0, 500);
const t0 = performance.now();
let inside = 0;
for (const personId of probe) {
  const rows = await db.selectFrom('order_condition').innerJoin('court_order', 'court_order.id', 'order_condition.order_id').select('order_condition.detail').where('court_order.person_id', '=', personId).where('order_condition.kind', '=', 'exclusion_zone').where('order_condition.removed_at', 'is', null).execute();
  const { x, y } = zonesOf.get(personId)!.centre;
  for (const r of rows) if (insidePolygon({ easting: x, northing: y }, (r.detail as { zone: { ring: { easting: number; northing: number }[] } }).zone.ring)) inside += 1;
}
const byPerson = (performance.now() - t0) / probe.length;
// By place (the alternative): every zone whose bounding box holds the point, then the same test.
const t1 = performance.now();
let candidates = 0;
for (const personId of probe) {
  const { x, y } = zonesOf.get(personId)!.centre;
  const rows = await db.selectFrom('order_condition').select('detail').where('kind', '=', 'exclusion_zone').where('min_easting', '<=', x).where('max_easting', '>=', x).where('min_northing', '<=', y).where('max_northing', '>=', y).execute();
  candidates += rows.length;
  for (const r of rows) insidePolygon({ easting: x, northing: y }, (r.detail as { zone: { ring: { easting: number; northing: number }[] } }).zone.ring);
}
const byPlace = (performance.now() - t1) / probe.length;
// The polygon test alone, on the largest zones.
const big = [...zonesOf.values()].filter((z) => z.ring.length >= 180).slice(0, 200);
const t2 = performance.now();
for (let k = 0; k < 50; k++) for (const z of big) insidePolygon({ easting: z.centre.x, northing: z.centre.y }, z.ring);
const polygonMicros = ((performance.now() - t2) * 1000) / (50 * big.length);
console.log(`Zones for a person, by person (B-tree on person_id, then the polygon test): ${byPerson.toFixed(3)} ms a person (${inside} of ${probe.length} inside)`);
console.log(`Zones around a point, by bounding box over all ${ZONES.toLocaleString('en-GB')} zones (no person): ${byPlace.toFixed(3)} ms a point (${(candidates / probe.length).toFixed(1)} candidate zones each)`);
console.log(`Point-in-polygon on a zone of 180 to 200 points: ${polygonMicros.toFixed(2)} µs`);
await database.close();
await none.close();
