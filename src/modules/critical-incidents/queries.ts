// Critical incidents in SQL, and the operations every entrance calls:
// declaring one (which tells the partnership's contacts and opens its
// assessment), saving an assessment or a review (each kept as a version),
// the record of contact, reassurance actions and closing. Only the leading
// agency changes an assessment; every change claims the version it read.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { claimVersion } from '../../platform/versions.ts';
import { findIncident } from '../incidents/queries.ts';
import { giveAction } from '../actions/queries.ts';
import { addCriticalToNextMeetings } from '../meetings/agenda.ts';
import type { ActionInput } from '../actions/rules.ts';
import { REASSURANCE_KINDS, type AssessmentInput, type ContactInput, type Declaration, type Indicator, type ReassuranceKind } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Who acts: a signed-in user of an agency. */
export interface By {
  userId: string | null;
  agencyId: string;
}

/** A critical incident with what its pages show of the incident: what, when and where, never who. */
export function criticalQuery(db: Db) {
  return db
    .selectFrom('critical_incident as ci')
    .innerJoin('incident', 'incident.id', 'ci.incident_id')
    .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
    .innerJoin('agency as lead', 'lead.id', 'ci.agency_id')
    .leftJoin('app_user as declarer', 'declarer.id', 'ci.declared_by')
    .selectAll('ci')
    .select([
      'incident.reference as incident_reference',
      'incident.occurred_at',
      'incident.place_description',
      'incident.borough_name',
      'incident.borough_code',
      'incident.easting',
      'incident.northing',
      'incident.latitude',
      'incident.longitude',
      'incident.weapon',
      'incident_type.label as type_label',
      'lead.name as lead_agency_name',
      'declarer.display_name as declared_by_name',
      sql<number>`(SELECT count(*) FROM community_impact_assessment a WHERE a.critical_incident_id = ci.id)::int`.as('assessments'),
      sql<number | null>`(SELECT a.tension_level FROM community_impact_assessment a WHERE a.critical_incident_id = ci.id ORDER BY a.number DESC LIMIT 1)`.as('tension_level'),
    ]);
}
export type CriticalRow = NonNullable<Awaited<ReturnType<ReturnType<typeof criticalQuery>['executeTakeFirst']>>>;

export const findCritical = (db: Db, id: string) => criticalQuery(db).where('ci.id', '=', id).executeTakeFirst();

export async function assessmentsOf(db: Db, criticalIncidentId: string) {
  const rows = await db
    .selectFrom('community_impact_assessment as a')
    .leftJoin('app_user as u', 'u.id', 'a.recorded_by')
    .selectAll('a')
    .select('u.display_name as recorded_by_name')
    .where('a.critical_incident_id', '=', criticalIncidentId)
    .orderBy('a.number')
    .execute();
  return rows.map((r) => ({ ...r, indicators: (r.indicators ?? []) as Indicator[] }));
}
export type AssessmentRow = Awaited<ReturnType<typeof assessmentsOf>>[number];

export function contactsOf(db: Db, criticalIncidentId: string) {
  return db.selectFrom('community_contact').selectAll().where('critical_incident_id', '=', criticalIncidentId).orderBy('happened_at').orderBy('recorded_at').execute();
}

export function reassuranceOf(db: Db, criticalIncidentId: string) {
  return db
    .selectFrom('action')
    .innerJoin('agency as owner', 'owner.id', 'action.owner_agency_id')
    .selectAll('action')
    .select('owner.name as owner_agency_name')
    .where('action.critical_incident_id', '=', criticalIncidentId)
    .orderBy('action.due_on')
    .orderBy('action.reference')
    .execute();
}

/** Who is told of a declaration: the partnership's critical incident contacts, or, until an administrator names them, every agency's coordinators. */
export async function contactsToTell(db: Db): Promise<string[]> {
  const named = await db
    .selectFrom('critical_incident_contact')
    .innerJoin('app_user', 'app_user.id', 'critical_incident_contact.user_id')
    .select('app_user.id')
    .where('app_user.disabled_at', 'is', null)
    .execute();
  if (named.length) return named.map((u) => u.id);
  const coordinators = await db.selectFrom('app_user').select('id').where('disabled_at', 'is', null).where(sql<boolean>`'coordinator' = ANY(roles)`).execute();
  return coordinators.map((u) => u.id);
}

export type Refusal = { refused: 'missing' | 'closed' | 'declared'; id?: string };

/**
 * Declares an incident critical: the incident must be one the declaring
 * agency may see, and is declared once (a second declaration answers with
 * the first). Tells the contacts and puts it at the top of the next DRM
 * agendas in the same transaction.
 */
export async function declareCritical(trx: Transaction<DB>, by: By, incidentId: string, declaration: Declaration): Promise<{ id: string; reference: string; told: number } | Refusal> {
  const incident = await findIncident(trx, by.agencyId, incidentId);
  if (!incident) return { refused: 'missing' };
  const existing = await trx.selectFrom('critical_incident').select('id').where('incident_id', '=', incidentId).executeTakeFirst();
  if (existing) return { refused: 'declared', id: existing.id };
  const row = await trx
    .insertInto('critical_incident')
    .values({
      reference: sql<string>`'CI-' || to_char(now() AT TIME ZONE 'Europe/London', 'YYYY') || '-' || lpad(nextval('critical_incident_reference_seq')::text, 4, '0')`,
      incident_id: incidentId,
      reason: declaration.reason,
      reason_detail: declaration.reasonDetail,
      agency_id: by.agencyId,
      declared_by: by.userId,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
  const recipients = await contactsToTell(trx);
  if (recipients.length)
    await trx
      .insertInto('notification')
      .values(recipients.map((recipient_id) => ({ critical_incident_id: row.id, clock: 'critical', event: 'critical_incident', recipient_id })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  await addCriticalToNextMeetings(trx, by.userId);
  return { ...row, told: recipients.length };
}

/** Whether an agency may change the assessment: the leading agency's, while it is open. Pages offer the forms by it; every change checks it. */
export const mayChange = (ci: Pick<CriticalRow, 'agency_id' | 'closed_at'>, agencyId: string) => ci.agency_id === agencyId && !ci.closed_at;

/** The incident as a change finds it: refused as missing for any agency but the leading one, and as closed once closed. */
async function changeable(trx: Transaction<DB>, by: By, id: string, version: number | null): Promise<CriticalRow | Refusal> {
  const ci = await findCritical(trx, id);
  if (!ci || ci.agency_id !== by.agencyId) return { refused: 'missing' };
  if (!mayChange(ci, by.agencyId)) return { refused: 'closed' };
  await claimVersion(trx, 'critical_incident', id, version);
  return ci;
}

/** Saves the first assessment or a review as a new version; the earlier ones are kept as they were. */
export async function saveAssessment(trx: Transaction<DB>, by: By, id: string, version: number | null, input: AssessmentInput): Promise<{ number: number } | Refusal> {
  const ci = await changeable(trx, by, id, version);
  if ('refused' in ci) return ci;
  const number = ci.assessments;
  await trx
    .insertInto('community_impact_assessment')
    .values({
      critical_incident_id: id,
      number,
      tension_level: input.tensionLevel,
      tension_reason: input.tensionReason,
      wards: input.wards,
      communities: input.communities,
      place_ids: input.placeIds,
      indicators: JSON.stringify(input.indicators),
      risks: input.risks,
      holding_line: input.holdingLine,
      spokesperson: input.spokesperson,
      recorded_by: by.userId,
    })
    .execute();
  return { number };
}

export async function addContact(trx: Transaction<DB>, by: By, id: string, version: number | null, input: ContactInput): Promise<{ id: string } | Refusal> {
  const ci = await changeable(trx, by, id, version);
  if ('refused' in ci) return ci;
  return trx
    .insertInto('community_contact')
    .values({ critical_incident_id: id, kind: input.kind, party: input.party, party_kind: input.partyKind, happened_at: input.happenedAt, by_whom: input.byWhom, what: input.what, recorded_by: by.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** A reassurance action on the one actions list, owned by any partner agency (it names no young person, so no sharing decision is needed). */
export async function giveReassurance(trx: Transaction<DB>, by: By, id: string, version: number | null, kind: ReassuranceKind, action: ActionInput): Promise<{ id: string; reference: string } | Refusal> {
  const ci = await changeable(trx, by, id, version);
  if ('refused' in ci) return ci;
  const given = await giveAction(trx, { ...action, description: `${REASSURANCE_KINDS[kind]}: ${action.description}` }, { agencyId: ci.agency_id, criticalIncidentId: id }, by.userId);
  // A reassurance action names nobody, so shares no one: it is never refused.
  if ('refused' in given) throw new Error('A reassurance action names nobody and cannot be refused for sharing');
  return given;
}

export async function closeCritical(trx: Transaction<DB>, by: By, id: string, version: number | null, reason: string): Promise<{ closed: true } | Refusal> {
  const ci = await changeable(trx, by, id, version);
  if ('refused' in ci) return ci;
  await trx.updateTable('critical_incident').set({ closed_at: new Date(), closed_by: by.userId, closure_reason: reason }).where('id', '=', id).execute();
  return { closed: true };
}

/** Open critical incidents, newest first; and those closed in the last `closedDays`. */
export function openCritical(db: Db) {
  return criticalQuery(db).where('ci.closed_at', 'is', null).orderBy('ci.declared_at', 'desc').execute();
}
export function recentlyClosed(db: Db, since: Date) {
  return criticalQuery(db).where('ci.closed_at', '>=', since).orderBy('ci.closed_at', 'desc').execute();
}

/** Named places within `metres` of a grid point (of one kind, if given), nearest first, each with its distance to the metre. */
export async function placesNear(db: Db, point: { easting: number; northing: number }, metres: number, kind?: string) {
  const rows = await db
    .selectFrom('place')
    .select(['id', 'name', 'kind', 'easting', 'northing'])
    .where('easting', '>=', point.easting - metres)
    .where('easting', '<=', point.easting + metres)
    .where('northing', '>=', point.northing - metres)
    .where('northing', '<=', point.northing + metres)
    .$if(Boolean(kind), (q) => q.where('kind', '=', kind!))
    .execute();
  return rows
    .map((p) => ({ id: p.id, name: p.name, kind: p.kind, exact: Math.hypot(p.easting! - point.easting, p.northing! - point.northing) }))
    .filter((p) => p.exact <= metres)
    .sort((a, b) => a.exact - b.exact)
    .map(({ exact, ...p }) => ({ ...p, metres: Math.round(exact) }));
}

/** Every assessment in a ward since a day: the list of tension by ward over time reads these. */
export function wardAssessments(db: Db, since: Date) {
  return db
    .selectFrom('community_impact_assessment as a')
    .innerJoin('critical_incident as ci', 'ci.id', 'a.critical_incident_id')
    .select(['a.critical_incident_id', 'a.tension_level', 'a.recorded_at', 'a.wards', 'ci.reference'])
    .where('a.recorded_at', '>=', since)
    .orderBy('a.recorded_at')
    .execute();
}
