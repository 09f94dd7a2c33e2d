// Who is counted: the people in each of Reachable's groups over a period
// (each person once), by ethnicity, sex and age at the event, and the
// resident population the partnership has loaded.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { anyOf } from '../../db/anyOf.ts';
import { ETHNICITIES } from '../people/rules.ts';
import { isKnifeInjury } from '../strategy/indicatorQueries.ts';

/** The groups of people a partnership asks about (issue 7, item 4), and the words that finish "… times as likely to …". */
export const SUBJECTS = {
  knife_victims: { label: 'Knife-injury victims', verb: 'be knife-injury victims' },
  suspects: { label: 'Suspects in incidents', verb: 'be recorded as suspects' },
  urgent_responses: { label: 'Urgent responses opened', verb: 'have an urgent response opened' },
  referrals: { label: 'Referrals to services', verb: 'be referred to a service' },
  cohort: { label: 'Cohort strands (Reachable’s lists)', verb: 'be placed on a cohort strand' },
  group_members: { label: 'Group members (Reachable’s lists)', verb: 'be recorded as a member of a group' },
  network_links: { label: 'People in recorded links (Reachable’s network)', verb: 'be recorded in a link to another person' },
  order_subjects: { label: 'Subjects of orders (Reachable’s lists)', verb: 'be made subject to an order' },
} as const;
export type Subject = keyof typeof SUBJECTS;
export const SUBJECT_CODES = Object.keys(SUBJECTS) as Subject[];

/** ONS 2021 high-level ethnic groups: detailed census counts are too small to compare borough by borough. */
export const BROAD_GROUPS: Record<string, string> = { asian: 'Asian', black: 'Black', mixed: 'Mixed', white: 'White', other: 'Other ethnic group', not_stated: 'Ethnicity not stated' };
export const broadGroup = (code: string) => {
  const group = ETHNICITIES.find((e) => e.code === code)?.group ?? 'Not stated';
  return group.startsWith('Asian') ? 'asian' : group.startsWith('Black') ? 'black' : group.startsWith('Mixed') ? 'mixed' : group === 'White' ? 'white' : group.startsWith('Other') ? 'other' : 'not_stated';
};

export interface Counted {
  ethnicity: string;
  sex: string;
  dateOfBirth: string | null;
  at: Date;
}

/** Each person once: their first event of the kind in [from, to), and who they are as the kept record says. */
export async function subjectPeople(db: Kysely<DB>, subject: Subject, from: Date, to: Date): Promise<Counted[]> {
  const events: { person_id: string; at: Date | string }[] = await (() => {
    switch (subject) {
      case 'knife_victims':
      case 'suspects':
        return db
          .selectFrom('involvement as v')
          .innerJoin('incident as i', 'i.id', 'v.incident_id')
          .select(['v.person_id', 'i.occurred_at as at'])
          .where('v.role', '=', subject === 'suspects' ? 'suspect' : 'victim')
          .$if(subject === 'knife_victims', (q) => q.where(isKnifeInjury))
          .where('i.occurred_at', '>=', from)
          .where('i.occurred_at', '<', to)
          .execute();
      case 'urgent_responses':
        return db.selectFrom('urgent_response').select(['person_id', 'notified_at as at']).where('notified_at', '>=', from).where('notified_at', '<', to).execute();
      case 'referrals':
        return db.selectFrom('referral').select(['person_id', 'sent_at as at']).where('sent_at', '>=', from).where('sent_at', '<', to).execute();
      case 'cohort':
        return db.selectFrom('cohort_membership').select(['person_id', sql<Date>`decided_on::timestamptz`.as('at')]).where('decided_on', '>=', from.toISOString().slice(0, 10)).where('decided_on', '<', to.toISOString().slice(0, 10)).execute();
      case 'group_members':
      case 'network_links':
        return onNetworkLists(db, subject, from, to);
      case 'order_subjects':
        // Counted from when the order took effect: a person on any order against them (place-based powers name nobody).
        return db
          .selectFrom('court_order')
          .select(['person_id', sql<Date>`in_force_from::timestamptz`.as('at')])
          .where('person_id', 'is not', null)
          .where('in_force_from', '>=', from.toISOString().slice(0, 10))
          .where('in_force_from', '<', to.toISOString().slice(0, 10))
          .execute() as Promise<{ person_id: string; at: Date }[]>;
    }
  })();
  const first = new Map<string, Date>();
  for (const e of events) {
    const at = new Date(e.at);
    const had = first.get(e.person_id);
    if (!had || at < had) first.set(e.person_id, at);
  }
  if (!first.size) return [];
  const people = await db
    .selectFrom('person as p')
    .leftJoin('person as kept', 'kept.id', 'p.merged_into')
    .select((eb) => [
      'p.id',
      eb.fn.coalesce('kept.id', 'p.id').as('person_id'),
      eb.fn.coalesce('kept.ethnicity', 'p.ethnicity').as('ethnicity'),
      eb.fn.coalesce('kept.sex', 'p.sex').as('sex'),
      eb.fn.coalesce('kept.date_of_birth', 'p.date_of_birth').as('date_of_birth'),
    ])
    .where('p.id', '=', anyOf([...first.keys()]))
    .execute();
  // Each child once, however many records they had before a merge: their first event counts.
  const byPerson = new Map<string, Counted>();
  for (const p of people) {
    const at = first.get(p.id)!;
    const had = byPerson.get(p.person_id);
    if (!had || at < had.at) byPerson.set(p.person_id, { ethnicity: p.ethnicity, sex: p.sex, dateOfBirth: p.date_of_birth, at });
  }
  return [...byPerson.values()];
}

export function populationRows(db: Kysely<DB>) {
  return db.selectFrom('population').select(['ethnicity', 'sex', 'age_from', 'age_to', 'people', 'source', 'loaded_at']).orderBy('age_from').execute();
}

export type PopulationRows = Awaited<ReturnType<typeof populationRows>>;

/**
 * Everyone on one of the network's lists at any time in the period: a
 * membership, or either end of a link between two people, that was true in
 * it and not taken off before it began. Counted from when it was recorded,
 * so a list that grows shows in the months it grew.
 */
async function onNetworkLists(db: Kysely<DB>, subject: 'group_members' | 'network_links', from: Date, to: Date) {
  const first = from.toISOString().slice(0, 10);
  const last = to.toISOString().slice(0, 10);
  const rows = await db
    .selectFrom('association')
    .select(['person_id', 'other_person_id', sql<Date>`greatest(valid_from::timestamptz, ${from})`.as('at')])
    .where('kind', '=', subject === 'group_members' ? 'membership' : 'person_person')
    .where('valid_from', '<', last)
    .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', first)]))
    .where((eb) => eb.or([eb('removed_at', 'is', null), eb('removed_at', '>=', from)]))
    .execute();
  return rows.flatMap((r) => [r.person_id, r.other_person_id].filter((id): id is string => Boolean(id)).map((person_id) => ({ person_id, at: r.at })));
}
