// `reachable demo seed`: a believable partnership in real geography,
// written deterministically from a seed. Borough scale: Waltham Forest.
// London scale: about 300,000 people and 1,000,000 incidents across all 33
// boroughs, loaded in bulk.
import type { Kysely } from 'kysely';
import { matchKeys } from '../people/matching.ts';
import { sql } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { bulkInsert } from '../../db/bulk.ts';
import { hashPassword } from '../../platform/passwords.ts';
import { londonBoroughs, randomPointIn, toBritishNationalGrid, type Borough } from '../../analysis/geography.ts';
import { londonParts, londonToday, londonToUtc } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { recordAudit } from '../../platform/audit.ts';
import { DEMO_DATABASE, setSetting } from '../../platform/settings.ts';
import type { Role } from '../../platform/permissions.ts';
import { DEMO_EMAIL_DOMAIN, DEMO_PASSWORD, DEMO_TOTP_SECRET } from './accounts.ts';
import { seedOrders } from './orders.ts';
import { seedCritical } from './critical.ts';
import { seedExploitation } from './exploitation.ts';
import { ETHNICITY_WEIGHTS, FAMILY_NAMES, GIVEN_NAMES, INCIDENT_TYPE_WEIGHTS, WALTHAM_FOREST_PLACES, WEAPON_BY_TYPE } from './places.ts';
import { normal, pick, seededRandom, uuid, weighted, type Random } from './random.ts';
import { seedUrgentResponses } from './responses.ts';
import { seedServices } from './services.ts';
import { seedCasework } from './casework.ts';
import { seedStrategy } from './strategy.ts';
import { seedReviews } from './reviews.ts';
import { seedNetwork } from './network.ts';
import { seedCrimeData } from './crimeData.ts';

export type Scale = 'borough' | 'london';

export const SCALES: Record<Scale, { people: number; incidents: number }> = {
  borough: { people: 1_500, incidents: 2_500 },
  london: { people: 300_000, incidents: 1_000_000 },
};

export interface SeedOptions {
  scale: Scale;
  seed: number;
  now?: Date;
  /** Smaller counts, for tests. */
  people?: number;
  incidents?: number;
  progress?: (message: string) => void;
}

/** Seed 000: risk is "notably higher on school days and in the two-hour period after the school day finishes". */
const AFTER_SCHOOL_SHARE = 0.35;
const DAYS_OF_HISTORY = 730;

interface DemoAgency {
  key: string;
  name: string;
  kind: string;
  receives: boolean;
}
const AGENCIES: DemoAgency[] = [
  { key: 'council', name: 'Waltham Forest Council', kind: 'council', receives: true },
  { key: 'police', name: 'Metropolitan Police North East BCU', kind: 'police', receives: false },
  { key: 'nhs', name: 'Barts Health NHS Trust (Whipps Cross Hospital)', kind: 'nhs_trust', receives: false },
  { key: 'probation', name: 'Probation Service (North East London)', kind: 'probation', receives: false },
  { key: 'yjs', name: 'Waltham Forest Youth Justice Service', kind: 'youth_justice', receives: false },
  { key: 'school', name: 'Walthamstow Academy', kind: 'school', receives: false },
  { key: 'vcs1', name: 'Spark2Life', kind: 'voluntary', receives: false },
  { key: 'vcs2', name: 'Leyton Orient Trust', kind: 'voluntary', receives: false },
];

const USERS: { local: string; name: string; agency: string; roles: Role[] }[] = [
  { local: 'coordinator', name: 'Chloe Mensah', agency: 'council', roles: ['coordinator'] },
  { local: 'caseworker', name: 'Tom Okafor', agency: 'vcs1', roles: ['caseworker'] },
  { local: 'navigator', name: 'Priya Shah', agency: 'nhs', roles: ['caseworker'] },
  { local: 'navigator2', name: 'Ben Carter', agency: 'nhs', roles: ['caseworker'] },
  { local: 'nhs-manager', name: 'Aisha Bello', agency: 'nhs', roles: ['coordinator'] },
  { local: 'yjs', name: 'Jordan Blake', agency: 'yjs', roles: ['caseworker'] },
  { local: 'probation', name: 'Nadia Rahman', agency: 'probation', roles: ['caseworker'] },
  { local: 'school', name: 'Grace Adeyemi', agency: 'school', roles: ['caseworker'] },
  { local: 'streetbase', name: 'Luke Fernandes', agency: 'vcs2', roles: ['caseworker'] },
  { local: 'police', name: 'DC Sam Reid', agency: 'police', roles: ['police'] },
  { local: 'chair', name: 'Helen Clarke', agency: 'council', roles: ['panel_chair'] },
  { local: 'analyst', name: 'Omar Hussain', agency: 'council', roles: ['analyst'] },
  { local: 'board', name: 'Cllr Ruth Davies', agency: 'council', roles: ['board_member'] },
  { local: 'ig', name: 'Maria Nowak', agency: 'council', roles: ['ig_officer'] },
  { local: 'admin', name: 'Alex Turner', agency: 'council', roles: ['administrator'] },
];

export async function isEmptyDatabase(db: Kysely<DB>): Promise<boolean> {
  const row = await db.selectFrom('agency').select('id').limit(1).executeTakeFirst();
  return !row;
}

export async function seedDemo(db: Kysely<DB>, options: SeedOptions) {
  const say = options.progress ?? (() => {});
  if (!(await isEmptyDatabase(db))) throw new Error('The demo seed only runs on an empty database: it never mixes invented people with real ones.');
  const random = seededRandom(options.seed);
  const now = options.now ?? new Date();
  const counts = { people: options.people ?? SCALES[options.scale].people, incidents: options.incidents ?? SCALES[options.scale].incidents };

  const agencyIds = Object.fromEntries(AGENCIES.map((a) => [a.key, uuid(random)]));
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  await db.transaction().execute(async (trx) => {
    await bulkInsert(trx, 'agency', { id: 'uuid', name: 'text', kind: 'text', receives_incidents: 'boolean' }, AGENCIES.map((a) => ({ id: agencyIds[a.key], name: a.name, kind: a.kind, receives_incidents: a.receives })));
    await bulkInsert(
      trx,
      'app_user',
      { id: 'uuid', agency_id: 'uuid', email: 'text', display_name: 'text', roles: 'text[]', password_hash: 'text', totp_secret: 'text' },
      USERS.map((u) => ({ id: uuid(random), agency_id: agencyIds[u.agency], email: `${u.local}@${DEMO_EMAIL_DOMAIN}`, display_name: u.name, roles: u.roles, password_hash: passwordHash, totp_secret: DEMO_TOTP_SECRET })),
    );
    await setSetting(trx as unknown as Kysely<DB>, DEMO_DATABASE, true);
    // The partnership's information sharing agreement (issue 21), every agency a party: due for review in three weeks.
    await trx
      .insertInto('sharing_agreement')
      .values({
        title: 'Waltham Forest serious youth violence information sharing agreement',
        party_agency_ids: AGENCIES.map((a) => agencyIds[a.key]),
        purposes: ['incident_sharing', 'referral', 'action', 'meeting'],
        data_categories: ['personal', 'health', 'ethnicity', 'criminal_offence', 'intelligence', 'education'],
        article6: 'e',
        article9: 'g',
        article10: 'dpa',
        schedule1: 'p18',
        starts_on: '2024-04-01',
        review_on: addDays(londonToday(now), 21),
        signatories: 'Director of Children’s Services, Waltham Forest Council; Detective Superintendent, North East BCU; Caldicott Guardian, Barts Health; Head of Service, Youth Justice; Head of Probation Delivery Unit; Headteacher, Walthamstow Academy; Chief Executives of Spark2Life and Leyton Orient Trust',
        document: 'Signed copy kept by Waltham Forest Council’s information governance team (reference ISA-SYV-2024)',
      })
      .execute();
  });
  say(`agencies and ${USERS.length} demo users`);

  const boroughs = options.scale === 'borough' ? londonBoroughs().filter((b) => b.name === 'Waltham Forest') : londonBoroughs();
  const hotSpots = boroughs.map((b) => ({ borough: b, spots: hotSpotsFor(b, random) }));

  const people = makePeople(random, counts.people, now, agencyIds).map((p) => ({
    ...p,
    match_keys: matchKeys({ names: [{ given: p.given_name, family: p.family_name }], dateOfBirth: p.date_of_birth, postcodes: p.postcode ? [p.postcode] : [], identifiers: [] }),
  }));
  await bulkInsert(db, 'person', { id: 'uuid', agency_id: 'uuid', given_name: 'text', family_name: 'text', date_of_birth: 'date', sex: 'text', ethnicity: 'text', postcode: 'text', match_keys: 'text[]' }, people);
  say(`${people.length.toLocaleString('en-GB')} people`);
  // Fresh statistics before the bulk load, so foreign-key checks plan index lookups, not scans.
  // Bulk loading leaves the search keys in GIN's pending list, scanned row by row on every search until merged.
  await sql`SELECT gin_clean_pending_list('person_match_keys_idx')`.execute(db);
  await sql`ANALYZE person`.execute(db);

  const batch = 50_000;
  let written = 0;
  for (let start = 0; start < counts.incidents; start += batch) {
    const size = Math.min(batch, counts.incidents - start);
    const { incidents, shares, involvements } = makeIncidents(random, start, size, now, hotSpots, people, agencyIds);
    await db.transaction().execute(async (trx) => {
      await bulkInsert(trx, 'incident', INCIDENT_COLUMNS, incidents);
      await bulkInsert(trx, 'incident_share', { incident_id: 'uuid', agency_id: 'uuid' }, shares);
      await bulkInsert(trx, 'involvement', { id: 'uuid', incident_id: 'uuid', person_id: 'uuid', role: 'text' }, involvements);
    });
    written += size;
    if (start === 0) await sql`ANALYZE incident, involvement, incident_share`.execute(db);
    say(`${written.toLocaleString('en-GB')} of ${counts.incidents.toLocaleString('en-GB')} incidents`);
  }
  await sql`SELECT setval('incident_reference_seq', ${counts.incidents})`.execute(db);
  // The partnership is Waltham Forest's: at London scale the other boroughs' incidents are the wider picture, not its caseload.
  await seedUrgentResponses(db, random, now, options.scale === 'borough' ? 365 : 14, 'Waltham Forest');
  say('urgent responses, plans and meetings');
  await seedServices(db, agencyIds);
  await seedCasework(db, random, now);
  say('services, referrals, episodes of casework, families and cohort strands');
  await seedStrategy(db, now);
  await seedReviews(db, now);
  await seedNetwork(db, random, now);
  await seedCrimeData(db, random, now);
  await seedOrders(db, now, passwordHash, DEMO_TOTP_SECRET);
  await seedCritical(db, now);
  await seedExploitation(db, now);
  say('strategy, action plans, principles, indicator targets, population figures, rapid reviews, orders, a critical incident, missing episodes, an NRM referral and an exclusion');
  await sql`ANALYZE`.execute(db);
  await db.transaction().execute((trx) => recordAudit(trx, {}, { action: 'demo.seed', detail: { scale: options.scale, seed: options.seed, ...counts } }));
  return counts;
}

const INCIDENT_COLUMNS = {
  id: 'uuid',
  reference: 'text',
  agency_id: 'uuid',
  occurred_at: 'timestamptz',
  notified_at: 'timestamptz',
  type_code: 'text',
  weapon: 'text',
  place_description: 'text',
  latitude: 'float8',
  longitude: 'float8',
  easting: 'float8',
  northing: 'float8',
  borough_code: 'text',
  borough_name: 'text',
  source_agency_id: 'uuid',
  source_reference: 'text',
  narrative: 'text',
} as const;

interface HotSpot {
  name: string;
  latitude: number;
  longitude: number;
  school: boolean;
}

function hotSpotsFor(borough: Borough, random: Random): HotSpot[] {
  if (borough.name === 'Waltham Forest') {
    return WALTHAM_FOREST_PLACES.map((p) => ({ name: p.name, latitude: p.latitude, longitude: p.longitude, school: p.kind === 'school' }));
  }
  return Array.from({ length: 6 }, (_, i) => {
    const [longitude, latitude] = randomPointIn(borough, random);
    return { name: i < 3 ? `${borough.name} town centre ${i + 1}` : `${borough.name} school ${i - 2}`, latitude, longitude, school: i >= 3 };
  });
}

function makePeople(random: Random, count: number, now: Date, agencyIds: Record<string, string>) {
  const year = londonParts(now).year;
  const outward = ['E17', 'E10', 'E11', 'E4'];
  return Array.from({ length: count }, () => {
    // Mostly 12 to 24, peaking in the late teens; some older adults.
    const age = random() < 0.85 ? Math.min(24, Math.max(11, Math.round(17 + normal(random) * 3))) : 25 + Math.floor(random() * 20);
    const birthYear = year - age - (random() < 0.5 ? 1 : 0);
    const month = 1 + Math.floor(random() * 12);
    const day = 1 + Math.floor(random() * 28);
    return {
      id: uuid(random),
      agency_id: agencyIds[random() < 0.8 ? 'police' : 'council'],
      given_name: pick(random, GIVEN_NAMES),
      family_name: pick(random, FAMILY_NAMES),
      date_of_birth: `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
      sex: weighted(random, [['male', 76], ['female', 23], ['not_known', 1]] as const),
      ethnicity: weighted(random, ETHNICITY_WEIGHTS),
      postcode: random() < 0.7 ? `${pick(random, outward)} ${Math.floor(random() * 10)}${pick(random, 'ABDEFGHJLNPQRSTUWXYZ'.split(''))}${pick(random, 'ABDEFGHJLNPQRSTUWXYZ'.split(''))}` : null,
    };
  });
}

/** A local time on a day: after school (15:00–17:00) on school days in the given share, otherwise weighted to the evening. */
function incidentTime(random: Random, dayStart: Date): Date {
  const p = londonParts(dayStart);
  const weekday = new Date(Date.UTC(p.year, p.month - 1, p.day)).getUTCDay();
  const schoolDay = weekday >= 1 && weekday <= 5 && p.month !== 8;
  for (;;) {
    let hour: number;
    if (schoolDay && random() < AFTER_SCHOOL_SHARE) hour = 15 + Math.floor(random() * 2);
    else hour = weighted(random, HOUR_WEIGHTS);
    const at = londonToUtc({ year: p.year, month: p.month, day: p.day, hour, minute: Math.floor(random() * 60) });
    if (at) return at;
  }
}
const HOUR_WEIGHTS: [number, number][] = Array.from({ length: 24 }, (_, h) => [h, h < 6 ? 2 : h < 12 ? 2 + h / 3 : h < 18 ? 6 : h < 23 ? 8 : 4]);

function makeIncidents(
  random: Random,
  offset: number,
  count: number,
  now: Date,
  hotSpots: { borough: Borough; spots: HotSpot[] }[],
  people: { id: string }[],
  agencyIds: Record<string, string>,
) {
  const incidents: Record<string, unknown>[] = [];
  const shares: Record<string, unknown>[] = [];
  const involvements: Record<string, unknown>[] = [];
  const year = londonParts(now).year;
  for (let i = 0; i < count; i++) {
    const { borough, spots } = pick(random, hotSpots);
    const dayStart = new Date(now.getTime() - (1 + Math.floor(random() * DAYS_OF_HISTORY)) * 86_400_000);
    const occurredAt = incidentTime(random, dayStart);
    const notifiedAt = new Date(occurredAt.getTime() + Math.floor(10 + random() ** 3 * 36 * 60) * 60_000);
    const afterSchool = londonParts(occurredAt).hour >= 15 && londonParts(occurredAt).hour < 17;
    let latitude: number;
    let longitude: number;
    let place: string;
    if (random() < 0.7) {
      const candidates = afterSchool ? spots.filter((s) => s.school) : spots;
      const spot = pick(random, candidates.length ? candidates : spots);
      // About 200 m spread around the spot (1° latitude ≈ 111 km; longitude shrinks by cos 51.5°).
      latitude = spot.latitude + (normal(random) * 200) / 111_000;
      longitude = spot.longitude + (normal(random) * 200) / 69_000;
      place = `Near ${spot.name}`;
    } else {
      [longitude, latitude] = randomPointIn(borough, random);
      place = `Residential street, ${borough.name}`;
    }
    const type = weighted(random, INCIDENT_TYPE_WEIGHTS);
    const weapon = WEAPON_BY_TYPE[type] ? weighted(random, WEAPON_BY_TYPE[type]) : 'not_known';
    const source = type === 'ae_violence_injury' ? 'nhs' : type === 'missing_exploitation' || type === 'risk_disclosure' ? 'council' : 'police';
    const id = uuid(random);
    const grid = toBritishNationalGrid(longitude, latitude);
    incidents.push({
      id,
      reference: `${year}-${String(offset + i + 1).padStart(6, '0')}`,
      agency_id: agencyIds[source],
      occurred_at: occurredAt,
      notified_at: notifiedAt > now ? now : notifiedAt,
      type_code: type,
      weapon,
      place_description: place,
      latitude: Math.round(latitude * 1e6) / 1e6,
      longitude: Math.round(longitude * 1e6) / 1e6,
      easting: grid.easting,
      northing: grid.northing,
      borough_code: borough.code,
      borough_name: borough.name,
      source_agency_id: agencyIds[source],
      source_reference: source === 'police' ? `CAD ${1000 + Math.floor(random() * 9000)}/${String(offset + i).slice(-4).padStart(4, '0')}` : null,
      narrative: 'Demonstration record: an invented account of the incident.',
    });
    if (source !== 'council') shares.push({ incident_id: id, agency_id: agencyIds.council });
    if (random() < 0.3) shares.push({ incident_id: id, agency_id: agencyIds.yjs });
    // Some young people turn up again and again: a squared draw favours the start of the list.
    const chosen = new Set<string>();
    const involve = (role: string) => {
      const person = people[Math.floor(random() ** 2 * people.length)];
      if (chosen.has(person.id)) return;
      chosen.add(person.id);
      involvements.push({ id: uuid(random), incident_id: id, person_id: person.id, role });
    };
    const arrest = type === 'weapon_possession' || type === 'pwits_arrest';
    if (!arrest) involve('victim');
    const suspects = arrest || random() < 0.7 ? 1 + Math.floor(random() * 2) : 0;
    for (let s = 0; s < suspects; s++) involve('suspect');
    if (random() < 0.15) involve('witness');
    if (random() < 0.1) involve('associate');
  }
  return { incidents, shares, involvements };
}
