// Incidents in SQL. Every read goes through `visibleTo`: an agency sees the
// incidents it recorded and those shared with it, and nothing else.
import { awaitingMash } from '../urgent-response/queries.ts';
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { boroughAt, toBritishNationalGrid } from '../../analysis/geography.ts';
import { AGE_BANDS, type AgeBand, type IncidentInput, type InvolvementRole } from './rules.ts';
import { recordHistory, type Actor } from '../../platform/audit.ts';
import { checkIncident } from '../orders/checks.ts';
import { refuseIncidentSharing } from '../sharing/decision.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** An incident's reference as people quote it: the year it was recorded and its number (2026-000123). */
export const INCIDENT_REFERENCE = /^\d{4}-\d{6,}$/;

export function visibleTo(agencyId: string) {
  return (eb: ExpressionBuilder<DB, 'incident'>) =>
    eb.or([
      eb('incident.agency_id', '=', agencyId),
      eb.exists(eb.selectFrom('incident_share').select(sql.lit(1).as('one')).whereRef('incident_share.incident_id', '=', 'incident.id').where('incident_share.agency_id', '=', agencyId)),
    ]);
}

export async function findIncident(db: Db, agencyId: string, id: string) {
  return incidentQuery(db).where('incident.id', '=', id).where(visibleTo(agencyId)).executeTakeFirst();
}

/** An incident with what its page shows, whoever holds it: callers say whose reach it is read under. */
export function incidentQuery(db: Db) {
  return db
    .selectFrom('incident')
    .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
    .innerJoin('agency as source', 'source.id', 'incident.source_agency_id')
    .innerJoin('agency as owner', 'owner.id', 'incident.agency_id')
    .leftJoin('app_user as editor', 'editor.id', 'incident.updated_by')
    .selectAll('incident')
    .select(['incident_type.label as type_label', 'source.name as source_name', 'owner.name as owner_name', 'editor.display_name as updated_by_name']);
}
export type IncidentRow = NonNullable<Awaited<ReturnType<typeof findIncident>>>;

export async function sharedWith(db: Db, incidentId: string): Promise<string[]> {
  const rows = await db.selectFrom('incident_share').select('agency_id').where('incident_id', '=', incidentId).execute();
  return rows.map((r) => r.agency_id);
}

export async function involvementsOf(db: Db, incidentId: string) {
  return db
    .selectFrom('involvement')
    .innerJoin('person', 'person.id', 'involvement.person_id')
    .select([
      'involvement.id',
      'involvement.role',
      'person.id as person_id',
      'person.given_name',
      'person.family_name',
      'person.date_of_birth',
      'person.sex',
      'person.ethnicity',
      'person.postcode',
    ])
    .where('involvement.incident_id', '=', incidentId)
    .orderBy('involvement.created_at')
    .execute();
}

export interface IncidentFilters {
  from?: Date;
  to?: Date;
  type?: string;
  borough?: string;
  ageBand?: AgeBand;
  /** Only the agency's custody booking-ins with MASH not yet told (the police home's line). */
  awaitingMash?: boolean;
}

export const INCIDENT_SORTS = ['occurred', 'type', 'borough', 'reference'] as const;
export type IncidentSort = (typeof INCIDENT_SORTS)[number];
const SORT_COLUMNS = { occurred: 'incident.occurred_at', type: 'incident_type.label', borough: 'incident.borough_name', reference: 'incident.reference' } as const;

/**
 * Counting past this is not worth it for a page of 25: the list says "more
 * than 1,000" and offers Previous and Next. Counting a million visible rows
 * cost 10 to 70 ms of database time per page (bench/incidents.ts).
 */
export const COUNT_CAP = 1_000;

export async function listIncidents(db: Db, agencyId: string, f: IncidentFilters, sort: IncidentSort, order: 'asc' | 'desc', limit: number, offset: number) {
  let base = db.selectFrom('incident').where(visibleTo(agencyId));
  if (f.from) base = base.where('incident.occurred_at', '>=', f.from);
  if (f.to) base = base.where('incident.occurred_at', '<', f.to);
  if (f.type) base = base.where('incident.type_code', '=', f.type);
  if (f.borough) base = base.where('incident.borough_code', '=', f.borough);
  if (f.awaitingMash) base = base.where(awaitingMash(agencyId));
  if (f.ageBand) {
    const band = AGE_BANDS[f.ageBand];
    base = base.where((eb) =>
      eb.exists(
        eb
          .selectFrom('involvement')
          .innerJoin('person', 'person.id', 'involvement.person_id')
          .select(sql.lit(1).as('one'))
          .whereRef('involvement.incident_id', '=', 'incident.id')
          .where(sql<number>`date_part('year', age((incident.occurred_at AT TIME ZONE 'Europe/London')::date, person.date_of_birth))`, '>=', band.min)
          .where(sql<number>`date_part('year', age((incident.occurred_at AT TIME ZONE 'Europe/London')::date, person.date_of_birth))`, '<=', band.max),
      ),
    );
  }
  // How many match, up to the cap, in list order so the scan stops at the cap instead of gathering every match.
  const capped = base.select('incident.id').orderBy('incident.occurred_at', 'desc').limit(COUNT_CAP + 1);
  const rows = await base
    .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
    .select([
      'incident.id',
      'incident.reference',
      'incident.occurred_at',
      'incident.borough_name',
      'incident.place_description',
      'incident.weapon',
      'incident_type.label as type_label',
      (eb) => eb.selectFrom('involvement').select((e) => e.fn.countAll<number>().as('n')).whereRef('involvement.incident_id', '=', 'incident.id').as('people'),
      // The count rides with the page's rows (one round trip); asked alone only for a page past the end.
      (eb) => eb.selectFrom(capped.as('capped')).select((e) => e.fn.countAll<number>().as('n')).as('total'),
    ])
    .orderBy(SORT_COLUMNS[sort], order)
    .orderBy('incident.id', order)
    .limit(limit + 1)
    .offset(offset)
    .execute();
  const hasNext = rows.length > limit;
  const total = Number(rows.length ? rows[0].total : (await db.selectFrom(capped.as('capped')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return { rows: rows.slice(0, limit).map(({ total: _, ...row }) => row), total: Math.min(total, COUNT_CAP), capped: total > COUNT_CAP, hasNext };
}

function placeColumns(input: IncidentInput) {
  if (input.latitude === null || input.longitude === null) {
    return { latitude: null, longitude: null, easting: null, northing: null, borough_code: null, borough_name: null };
  }
  const grid = toBritishNationalGrid(input.longitude, input.latitude);
  const borough = boroughAt(input.longitude, input.latitude);
  return { latitude: input.latitude, longitude: input.longitude, ...grid, borough_code: borough?.code ?? null, borough_name: borough?.name ?? null };
}

export function incidentColumns(input: IncidentInput) {
  return {
    occurred_at: input.occurredAt,
    notified_at: input.notifiedAt,
    type_code: input.typeCode,
    weapon: input.weapon,
    place_description: input.placeDescription,
    ...placeColumns(input),
    source_agency_id: input.sourceAgencyId,
    source_reference: input.sourceReference,
    narrative: input.narrative,
    domestic_abuse: input.domesticAbuse,
  };
}

export interface Recorder {
  agencyId: string;
  userId: string | null;
  apiClientId: string | null;
}

/**
 * Records an incident once per submission key: a second submit of the same
 * form (or a retried API call with the same Idempotency-Key) finds the first.
 */
export async function createIncident(trx: Transaction<DB>, by: Recorder, input: IncidentInput, submissionKey: string | null): Promise<{ id: string; reference: string; created: boolean }> {
  const inserted = await trx
    .insertInto('incident')
    .values({
      ...incidentColumns(input),
      // Year and a partnership-wide number, at least six digits (lpad alone would cut a seventh).
      reference: sql<string>`(SELECT to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' || CASE WHEN n < 1000000 THEN lpad(n::text, 6, '0') ELSE n::text END
        FROM (SELECT nextval('incident_reference_seq') AS n) AS next)`,
      agency_id: by.agencyId,
      submission_key: submissionKey,
      created_by: by.userId,
      created_by_client: by.apiClientId,
      updated_by: by.userId,
    })
    .onConflict((oc) => oc.columns(['agency_id', 'submission_key']).doNothing())
    .returning(['id', 'reference'])
    .executeTakeFirst();
  if (!inserted) {
    const existing = await trx.selectFrom('incident').select(['id', 'reference']).where('agency_id', '=', by.agencyId).where('submission_key', '=', submissionKey).executeTakeFirstOrThrow();
    return { ...existing, created: false };
  }
  const share = input.shareWith.filter((id) => id !== by.agencyId);
  if (share.length) await trx.insertInto('incident_share').values(share.map((agency_id) => ({ incident_id: inserted.id, agency_id }))).execute();
  return { ...inserted, created: true };
}

/** Whether an incident was already recorded under this submission key (a retry). */
export async function submitted(db: Db, agencyId: string, submissionKey: string | null): Promise<boolean> {
  if (!submissionKey) return false;
  return Boolean(await db.selectFrom('incident').select('id').where('agency_id', '=', agencyId).where('submission_key', '=', submissionKey).executeTakeFirst());
}

/** Saves only over the version the editor saw (false if someone saved in between); then tests the orders of those in it against its new facts. */
export async function updateIncident(trx: Transaction<DB>, id: string, version: number, input: IncidentInput, userId: string, ownerAgencyId: string): Promise<boolean> {
  const result = await trx
    .updateTable('incident')
    .set({ ...incidentColumns(input), updated_by: userId, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await trx.deleteFrom('incident_share').where('incident_id', '=', id).execute();
  const share = input.shareWith.filter((agencyId) => agencyId !== ownerAgencyId);
  if (share.length) await trx.insertInto('incident_share').values(share.map((agency_id) => ({ incident_id: id, agency_id }))).execute();
  await refuseIncidentSharing(trx, id);
  await checkIncident(trx, { userId, agencyId: ownerAgencyId }, id);
  return true;
}

/** Adds a person to an incident (see addInvolvements). */
export async function addInvolvement(trx: Transaction<DB>, incidentId: string, personId: string, role: InvolvementRole, by: Actor): Promise<boolean> {
  return (await addInvolvements(trx, incidentId, [{ personId, role }], by))[0];
}

/**
 * Adds people to an incident, then tests every order in force for those in
 * it once (a possible breach of theirs, or of another's non-association).
 * Answers, for each, whether it was new.
 */
export async function addInvolvements(trx: Transaction<DB>, incidentId: string, people: { personId: string; role: InvolvementRole }[], by: Actor): Promise<boolean[]> {
  const added: boolean[] = [];
  for (const p of people) {
    const row = await trx
      .insertInto('involvement')
      .values({ incident_id: incidentId, person_id: p.personId, role: p.role, created_by: by.userId ?? null })
      .onConflict((oc) => oc.columns(['incident_id', 'person_id', 'role']).doNothing())
      .returning('id')
      .executeTakeFirst();
    added.push(Boolean(row));
  }
  await refuseIncidentSharing(trx, incidentId);
  if (added.some(Boolean)) await checkIncident(trx, by, incidentId);
  return added;
}

/**
 * People an agency may pick for an incident: anyone on the partnership's
 * person record (merged-away records excepted). The record is shared so that
 * partners stop keying the same child twice (people/queries.ts).
 */
export function visiblePeople(db: Db) {
  return db.selectFrom('person').where('person.merged_into', 'is', null);
}

/** Thrown in a transaction when a call names a person the agency cannot see: the rollback undoes the whole call. */
export class UnknownPerson extends Error {}

/** Every named person must be one the agency can see, else UnknownPerson. */
export async function requireVisiblePeople(trx: Transaction<DB>, personIds: string[]): Promise<void> {
  if (!personIds.length) return;
  const visible = new Set((await visiblePeople(trx).select('person.id').where('person.id', 'in', personIds).execute()).map((v) => v.id));
  if (personIds.some((id) => !visible.has(id))) throw new UnknownPerson();
}

// The maintained list of incident types changes a few times a year: kept for a minute rather than read on every page.
const TYPES_TTL_MS = 60_000;
let typesCache: { at: number; db: Db; types: Promise<{ code: string; label: string }[]> } | undefined;

export function incidentTypes(db: Db) {
  if (!typesCache || typesCache.db !== db || Date.now() - typesCache.at > TYPES_TTL_MS) {
    const types = db.selectFrom('incident_type').select(['code', 'label']).where('active', '=', true).orderBy('sort').execute();
    typesCache = { at: Date.now(), db, types };
    types.catch(() => (typesCache = undefined));
  }
  return typesCache.types;
}

export async function activeAgencies(db: Db) {
  return db.selectFrom('agency').select(['id', 'name', 'receives_incidents']).where('disabled_at', 'is', null).orderBy('name').execute();
}

/** The incident's history, from the audit log's writes (never its reads). */
export function timeline(db: Db, incidentId: string) {
  return recordHistory(db, 'incident', incidentId, ['incident.record', 'incident.edit', 'incident.add-person', 'incident.remove-person']);
}
