// The demo partnership's casework: two years of referrals into the seed's
// services, the episodes they led to (with contacts, goals and measures at
// the start and, for closed ones, the end), incoming referrals waiting for an
// answer, families with a champion, and young people in seed 002's strands
// with their review dates. Invented, and marked as demo data like the rest.
import { sql, type Insertable, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { addDays, addWorkingDays } from '../../platform/workingDays.ts';
import { pick, seededRandom, uuid, weighted, type Random } from './random.ts';

const day = (d: Date) => londonToday(d);
const daysAgo = (now: Date, n: number) => day(new Date(now.getTime() - n * 86_400_000));
const int = (random: Random, lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));

const CONTACTS = [
  'Met at the youth centre; talked about school and who they spend time with.',
  'Phone call: checked in after the weekend, no new concerns raised.',
  'Home visit with mum present; agreed the next steps on the plan.',
  'Met at college; attendance is improving and they want to start a course.',
  'Text exchange to arrange next week; did not attend today, will try again.',
  'Went with them to the GP appointment they had missed twice.',
];
const GOALS = ['Back in school full time', 'Register with a GP', 'Start a college course', 'Stay away from the high street after school', 'Join a football session weekly', 'Open a bank account'];

export async function seedCasework(db: Kysely<DB>, random: Random, now: Date) {
  const services = await db.selectFrom('service').select(['id', 'name', 'provider_agency_id', 'min_age', 'max_age', 'planned_weeks']).orderBy('name').execute();
  const users = await db.selectFrom('app_user').select(['id', 'agency_id', 'roles']).orderBy('email').execute();
  const workersOf = (agencyId: string) => users.filter((u) => u.agency_id === agencyId && u.roles.some((r) => r === 'caseworker' || r === 'coordinator'));
  const senders = await db.selectFrom('agency').select('id').where('kind', 'in', ['council', 'police']).orderBy('name').execute();
  const people = await db.selectFrom('person').select(['id', 'date_of_birth', 'family_name']).where('date_of_birth', 'is not', null).orderBy('id').execute();
  const today = day(now);
  // Gathered, then written a table at a time (a first start's cost was one statement per row); ids come
  // from a generator of their own so the demo stays the same for the same seed.
  const ids = seededRandom(Math.floor(random() * 2 ** 31));
  const rows = { referral: [] as (Omit<Insertable<DB['referral']>, 'reference'> & { reference: RawBuilder<string> })[], episode: [] as Insertable<DB['episode']>[], outcome_measure: [] as Insertable<DB['outcome_measure']>[], episode_note: [] as Insertable<DB['episode_note']>[], episode_goal: [] as Insertable<DB['episode_goal']>[] };
  const reference = sql<string>`'RF-' || lpad(nextval('referral_reference_seq')::text, 6, '0')`;

  for (const service of services) {
    const workers = workersOf(service.provider_agency_id);
    if (!workers.length) continue;
    // Rejection sampling: at London scale, filtering 300,000 people per episode would be slow.
    const eligible = (on: string) => {
      for (let tries = 0; tries < 500; tries++) {
        const p = pick(random, people);
        const age = ageAt(p.date_of_birth, `${on}T12:00:00Z`);
        if (age !== null && age >= service.min_age && age <= service.max_age) return p;
      }
      return undefined;
    };
    const episodes = int(random, 12, 22);
    for (let i = 0; i < episodes; i++) {
      const startedOn = daysAgo(now, int(random, 20, 600));
      const person = eligible(startedOn);
      if (!person) break;
      const sentOn = addDays(startedOn, -int(random, 3, 15));
      const weeks = service.planned_weeks ?? 20;
      const plannedEnd = addDays(startedOn, weeks * 7);
      const closes = plannedEnd < today || random() < 0.15;
      const endsOn = addDays(startedOn, int(random, 6, weeks) * 7);
      const closedOn = closes ? (endsOn < today ? endsOn : today) : null;
      const outcome = closes ? weighted(random, [['completed', 65], ['disengaged', 25], ['moved', 10]] as const) : null;
      const consent = random() < 0.85;
      const referralId = uuid(ids);
      rows.referral.push({
        id: referralId,
        reference,
        person_id: person.id,
        service_id: service.id,
        from_agency_id: pick(random, senders).id,
        reason: 'Referred after a violent incident; the young person agreed to meet a worker.',
        sharing_basis: consent ? 'consent' : 'lawful_basis',
        consent_by: consent ? pick(random, ['young_person', 'parent_carer'] as const) : null,
        consent_on: consent ? sentOn : null,
        lawful_basis: consent ? null : 'safeguarding_children',
        basis_reason: consent ? null : 'Immediate risk of harm: information shared to keep the child safe while consent is sought.',
        status: closes ? 'ended' : 'started',
        end_reason: outcome,
        response_due_on: addWorkingDays(sentOn, 5),
        sent_at: new Date(`${sentOn}T10:00:00Z`),
        decided_at: new Date(`${addDays(sentOn, 2)}T10:00:00Z`),
        decided_by: workers[0].id,
      });
      const lead = pick(random, workers).id;
      const episodeId = uuid(ids);
      rows.episode.push({ id: episodeId, person_id: person.id, service_id: service.id, agency_id: service.provider_agency_id, referral_id: referralId, lead_worker_id: lead, started_on: startedOn, planned_end_on: service.planned_weeks ? plannedEnd : null, review_on: closes ? addDays(startedOn, 42) : addDays(today, int(random, -10, 40)), closed_on: closedOn, outcome, closure_note: closes ? 'Work ended; summary shared with the referrer.' : null, closed_by: closes ? lead : null });
      const start = measures(random, ageAt(person.date_of_birth, `${startedOn}T12:00:00Z`)!);
      rows.outcome_measure.push({ episode_id: episodeId, stage: 'start', measured_on: startedOn, ...start, recorded_by: lead });
      if (closedOn && outcome !== 'moved') rows.outcome_measure.push({ episode_id: episodeId, stage: 'end', measured_on: closedOn, ...after(random, start, outcome === 'completed'), recorded_by: lead });
      const contacts = int(random, 2, 5);
      rows.episode_note.push(...Array.from({ length: contacts }, (_, k) => ({ episode_id: episodeId, kind: 'contact', method: pick(random, ['face_to_face', 'phone', 'message'] as const), happened_at: new Date(`${addDays(startedOn, k * 7 + 1)}T15:30:00Z`), body: pick(random, CONTACTS), visibility: random() < 0.85 ? 'all' : 'agency', author_id: lead })));
      rows.episode_goal.push({ episode_id: episodeId, description: pick(random, GOALS), status: closes ? (outcome === 'completed' ? 'achieved' : 'not_achieved') : 'in_progress', set_by: lead });
    }
    // Referrals waiting for this service's answer: the receiving agency's tasks, some overdue.
    for (let i = int(random, 1, 3); i > 0; i--) {
      const sentOn = daysAgo(now, int(random, 0, 12));
      const person = eligible(today);
      if (!person) break;
      rows.referral.push({ reference, person_id: person.id, service_id: service.id, from_agency_id: pick(random, senders).id, reason: 'Seen at the DRM meeting: would benefit from this service.', sharing_basis: 'consent', consent_by: 'young_person', consent_on: sentOn, status: random() < 0.2 ? 'waiting_list' : 'sent', response_due_on: addWorkingDays(sentOn, 5), sent_at: new Date(`${sentOn}T11:00:00Z`) });
    }
  }
  for (const table of ['referral', 'episode', 'outcome_measure', 'episode_note', 'episode_goal'] as const) {
    if (rows[table].length) await db.insertInto(table).values(rows[table] as never).execute();
  }

  // Families: a young person and others of the same family name, with a champion.
  const champions = users.filter((u) => u.roles.includes('caseworker'));
  const byName = new Map<string, typeof people>();
  for (const p of people) byName.set(p.family_name, [...(byName.get(p.family_name) ?? []), p]);
  const names = [...byName.keys()].sort().slice(0, 15);
  for (const name of names) {
    const members = byName.get(name)!.slice(0, 3);
    const champion = pick(random, champions);
    const family = await db.insertInto('family').values({ name: `The ${name} family`, agency_id: champion.agency_id, champion_id: champion.id, created_by: champion.id }).returning('id').executeTakeFirstOrThrow();
    await db.insertInto('family_member').values(members.map((m, k) => ({ family_id: family.id, person_id: m.id, relationship: k === 0 ? 'young_person' : 'sibling', added_by: champion.id }))).execute();
  }

  // Seed 002's strands, each a recorded judgement with a review date; a few already past it.
  const deciders = users.filter((u) => u.roles.some((r) => r === 'coordinator' || r === 'caseworker' || r === 'panel_chair'));
  const chosen = new Set<string>();
  const memberships: Insertable<DB['cohort_membership']>[] = [];
  for (let i = 0; i < 60; i++) {
    const person = pick(random, people);
    if (chosen.has(person.id)) continue;
    chosen.add(person.id);
    const decider = pick(random, deciders);
    const decidedOn = daysAgo(now, int(random, 10, 170));
    memberships.push({ person_id: person.id, strand: weighted(random, [['periphery', 5], ['at_risk', 3], ['involved', 2]] as const), reason: 'Agreed at the DRM meeting from what partners know of the young person and their peers.', agency_id: decider.agency_id, decided_on: decidedOn, decided_by: decider.id, review_on: addDays(decidedOn, int(random, 60, 180)) });
  }
  await db.insertInto('cohort_membership').values(memberships).execute();
}

function measures(random: Random, age: number) {
  const inSchool = age < 16;
  return {
    offences_6m: weighted(random, [[0, 4], [1, 3], [2, 2], [3, 1], [5, 1]] as const),
    victimisation_6m: weighted(random, [[0, 3], [1, 4], [2, 2], [3, 1]] as const),
    attendance_pct: inSchool ? Math.round((55 + random() * 40) * 10) / 10 : null,
    exclusions: inSchool ? weighted(random, [[0, 5], [1, 3], [2, 1]] as const) : null,
    ete_status: inSchool ? weighted(random, [['school', 8], ['excluded', 2]] as const) : weighted(random, [['college', 4], ['employment', 2], ['neet', 4]] as const),
    benefit_status: inSchool ? 'none' : weighted(random, [['none', 5], ['claiming', 3], ['not_known', 2]] as const),
  };
}

/** End measures: mostly a little better after work that was completed, mixed otherwise. */
function after(random: Random, start: ReturnType<typeof measures>, completed: boolean) {
  const shift = completed ? 0.7 : 0.3;
  const down = (n: number) => (random() < shift ? Math.max(0, n - int(random, 0, 2)) : n + int(random, 0, 1));
  return {
    offences_6m: down(start.offences_6m),
    victimisation_6m: down(start.victimisation_6m),
    attendance_pct: start.attendance_pct === null ? null : Math.min(100, Math.round((start.attendance_pct + (random() < shift ? random() * 15 : -random() * 8)) * 10) / 10),
    exclusions: start.exclusions === null ? null : down(start.exclusions),
    ete_status: start.ete_status === 'neet' && random() < shift ? 'college' : start.ete_status === 'excluded' && random() < shift ? 'school' : start.ete_status,
    benefit_status: start.benefit_status,
  };
}
