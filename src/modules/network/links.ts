// The links between people that every picture, list and export walks: typed
// associations that are live (not removed, not ended), links that follow
// from incidents the reader's agency may see, and shared group membership.
// Police intelligence is filtered here, once: a C-coded link is absent for
// anyone not cleared for C; a P-coded link's detail is withheld from anyone
// not cleared for P.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { anyOf } from '../../db/anyOf.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { londonDayStart, londonToday } from '../../platform/time.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { PERSON_LINK_TYPES, incidentLinkLabel, type WalkType } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface Edge {
  a: string;
  b: string;
  /** 'withheld' for P-coded intelligence the reader may know exists but not read: its type is part of its detail. */
  type: WalkType | 'withheld';
  /** Plain words: "friend", "both suspects in incident 2026-0412", "both members of Hoe Street Boys". */
  label: string;
  /** When it was last true: the incident's date, or today for a live typed link. */
  on: string;
  /** The record behind it: an association, an incident or a group. */
  source: { kind: 'association' | 'incident' | 'group'; id: string };
  /** Exploitation: a exploits b. */
  directed: boolean;
  /** P-coded intelligence the reader may know exists but not read. */
  withheld: boolean;
}

export interface WalkOptions {
  types: ReadonlySet<WalkType>;
  /** Links last true on or after this day. */
  since: string;
}

/**
 * Associations the reader may see at all: not removed, not ended, and within
 * their intelligence clearance. Written for any alias of the table, since
 * shared membership joins it to itself.
 */
export function live(actor: Pick<RequestActor, 'roles'>, alias = 'association', today = londonToday()) {
  const ref = (column: string) => sql.ref(`${alias}.${column}`);
  return sql<boolean>`(${ref('removed_at')} IS NULL AND (${ref('valid_to')} IS NULL OR ${ref('valid_to')} >= ${today}) AND ${cleared(actor, alias)})`;
}

/** The intelligence rule alone: C-coded links exist only for those cleared for C, live or in history. */
export function cleared(actor: Pick<RequestActor, 'roles'>, alias = 'association') {
  return can(actor.roles, 'intelligence.c') ? sql<boolean>`true` : sql<boolean>`${sql.ref(`${alias}.handling_code`)} IS DISTINCT FROM 'C'`;
}

export const WITHHELD = 'a link recorded from police intelligence (detail withheld: ask the police)';

/** Whether the reader may read a link's detail (reason, source, grading), or only know it exists. */
export const detailWithheld = (actor: Pick<RequestActor, 'roles'>, handlingCode: string | null) => handlingCode === 'P' && !can(actor.roles, 'intelligence.p');

/** Every link from any of `from` to anyone, of the chosen types, last true on or after `since`. */
export async function linksFrom(db: Db, actor: RequestActor, from: string[], options: WalkOptions): Promise<Edge[]> {
  if (!from.length) return [];
  const today = londonToday();
  const typed = [...options.types].filter((t) => t in PERSON_LINK_TYPES);
  // A reader not cleared for P reads every type, so a withheld link is shown (as a link, nothing more) whatever types are chosen.
  const readTypes = typed.length && !can(actor.roles, 'intelligence.p') ? Object.keys(PERSON_LINK_TYPES) : typed;
  const [associations, incidents, groups] = await Promise.all([
    typed.length
      ? db
          .selectFrom('association')
          .select(['id', 'link_type', 'person_id', 'other_person_id', 'handling_code', 'valid_to'])
          .where('kind', '=', 'person_person')
          .where('link_type', 'in', readTypes)
          .where((eb) => eb.or([eb('person_id', '=', anyOf(from)), eb('other_person_id', '=', anyOf(from))]))
          .where(live(actor, 'association', today))
          .execute()
      : [],
    options.types.has('incident')
      ? db
          .selectFrom('involvement as mine')
          .innerJoin('involvement as theirs', (j) => j.onRef('theirs.incident_id', '=', 'mine.incident_id').onRef('theirs.person_id', '!=', 'mine.person_id'))
          .innerJoin('incident', 'incident.id', 'mine.incident_id')
          .select(['mine.person_id as a', 'mine.role as role_a', 'theirs.person_id as b', 'theirs.role as role_b', 'incident.id', 'incident.reference', sql<string>`to_char(incident.occurred_at AT TIME ZONE 'Europe/London', 'YYYY-MM-DD')`.as('on')])
          .where('mine.person_id', '=', anyOf(from))
          .where('incident.occurred_at', '>=', londonDayStart(options.since))
          .where(incidentVisibleTo(actor.agencyId))
          .execute()
      : [],
    options.types.has('group')
      ? db
          .selectFrom('association as mine')
          .innerJoin('association as theirs', (j) => j.onRef('theirs.group_id', '=', 'mine.group_id').onRef('theirs.person_id', '!=', 'mine.person_id'))
          .innerJoin('network_group as g', 'g.id', 'mine.group_id')
          .select(['mine.person_id as a', 'theirs.person_id as b', 'g.id', 'g.name', 'mine.handling_code as code_a', 'theirs.handling_code as code_b'])
          .where('mine.kind', '=', 'membership')
          .where('theirs.kind', '=', 'membership')
          .where('mine.person_id', '=', anyOf(from))
          .where(live(actor, 'mine', today))
          .where(live(actor, 'theirs', today))
          .execute()
      : [],
  ]);
  const edges: Edge[] = [];
  for (const l of associations) {
    const source = { kind: 'association' as const, id: l.id };
    if (detailWithheld(actor, l.handling_code)) edges.push({ a: l.person_id!, b: l.other_person_id!, type: 'withheld', label: WITHHELD, on: today, source, directed: false, withheld: true });
    else if (typed.includes(l.link_type as WalkType)) {
      const label = PERSON_LINK_TYPES[l.link_type as keyof typeof PERSON_LINK_TYPES].toLowerCase();
      edges.push({ a: l.person_id!, b: l.other_person_id!, type: l.link_type as WalkType, label, on: today, source, directed: l.link_type === 'exploitation', withheld: false });
    }
  }
  for (const l of incidents) edges.push({ a: l.a, b: l.b, type: 'incident', label: incidentLinkLabel(l.role_a, l.role_b, l.reference), on: l.on, source: { kind: 'incident', id: l.id }, directed: false, withheld: false });
  for (const l of groups) {
    const withheld = detailWithheld(actor, l.code_a) || detailWithheld(actor, l.code_b);
    edges.push({ a: l.a!, b: l.b!, type: withheld ? 'withheld' : 'group', label: withheld ? WITHHELD : `both members of ${l.name}`, on: today, source: { kind: 'group', id: withheld ? '' : l.id }, directed: false, withheld });
  }
  return edges;
}
