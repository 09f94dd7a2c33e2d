// Meetings in SQL: an agency's meetings are seen and run by its coordinators
// and panel chairs; the items and actions are read with the meeting.
import type { Insertable, Kysely, Transaction } from 'kysely';
import type { DB, MeetingItemTable } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { partnerAgencies } from '../actions/queries.ts';
import { agreementCovering } from '../governance/agreements.ts';

type Db = Kysely<DB> | Transaction<DB>;

function meetingQuery(db: Db) {
  return db
    .selectFrom('meeting')
    .innerJoin('meeting_type', 'meeting_type.code', 'meeting.type_code')
    .leftJoin('app_user as chair', 'chair.id', 'meeting.chair_id')
    .selectAll('meeting')
    .select(['meeting_type.name as type_name', 'meeting_type.agenda_rules', 'meeting_type.rule_settings', 'meeting_type.interval_days', 'meeting_type.member_agency_ids', 'meeting_type.quorum', 'chair.display_name as chair_name']);
}
export type MeetingRow = Awaited<ReturnType<ReturnType<typeof meetingQuery>['execute']>>[number];

export async function findMeeting(db: Db, actor: RequestActor, id: string) {
  return meetingQuery(db).where('meeting.id', '=', id).where('meeting.agency_id', '=', actor.agencyId).executeTakeFirst();
}

export async function listMeetings(db: Db, actor: RequestActor, typeCode?: string) {
  let q = meetingQuery(db)
    .select((eb) => eb.selectFrom('meeting_item').select((e) => e.fn.countAll<number>().as('n')).whereRef('meeting_item.meeting_id', '=', 'meeting.id').as('items'))
    .where('meeting.agency_id', '=', actor.agencyId);
  if (typeCode) q = q.where('meeting.type_code', '=', typeCode);
  return q.orderBy('meeting.starts_at', 'desc').limit(100).execute();
}

export async function itemsOf(db: Db, meetingId: string) {
  return db
    .selectFrom('meeting_item')
    .leftJoin('urgent_response', 'urgent_response.id', 'meeting_item.urgent_response_id')
    .select([
      'meeting_item.id',
      'meeting_item.position',
      'meeting_item.rule',
      'meeting_item.title',
      'meeting_item.why',
      'meeting_item.summary',
      'meeting_item.decisions',
      'meeting_item.urgent_response_id',
      'meeting_item.incident_id',
      'meeting_item.person_id',
      'meeting_item.version',
      'urgent_response.status as response_status',
    ])
    .where('meeting_item.meeting_id', '=', meetingId)
    .orderBy('meeting_item.position')
    .execute();
}
export type ItemRow = Awaited<ReturnType<typeof itemsOf>>[number];

/** The agencies expected (the type's members, or every partner), each with what was recorded and whether an agreement lets it attend; anyone else recorded is kept too. */
export async function attendanceOf(db: Db, meeting: { id: string; agency_id: string; member_agency_ids: string[] }) {
  const agencies = await partnerAgencies(db);
  const rows = await db.selectFrom('meeting_attendance').selectAll().where('meeting_id', '=', meeting.id).execute();
  const expected = meeting.member_agency_ids.length ? agencies.filter((a) => meeting.member_agency_ids.includes(a.id) || rows.some((r) => r.agency_id === a.id)) : agencies;
  return Promise.all(expected.map(async (a) => ({ ...a, record: rows.find((r) => r.agency_id === a.id) ?? null, coverage: await agreementCovering(db, meeting.agency_id, a.id, 'meeting') })));
}

/** Agencies recorded present, against the type's quorum: a meeting is held only when quorate. */
export const quorate = (attendance: { record: { status: string } | null }[], quorum: number) => attendance.filter((a) => a.record?.status === 'present').length >= quorum;

export async function meetingTypes(db: Db) {
  return db.selectFrom('meeting_type').selectAll().orderBy('name').execute();
}

/** An item added by hand (the chair, or from "who else may be at risk"): placed after the last one. */
export async function appendItem(trx: Transaction<DB>, meetingId: string, item: Omit<Insertable<MeetingItemTable>, 'meeting_id' | 'position'>) {
  const last = await trx.selectFrom('meeting_item').select((eb) => eb.fn.max('position').as('max')).where('meeting_id', '=', meetingId).executeTakeFirst();
  return trx
    .insertInto('meeting_item')
    .values({ ...item, meeting_id: meetingId, position: Number(last?.max ?? 0) + 1 })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export interface PanelReferral {
  typeCode: string;
  reason: string;
  personId?: string | null;
  urgentResponseId?: string | null;
  contextAssessmentId?: string | null;
}

/**
 * Refers a young person (from their record or an urgent response) or a
 * context to a meeting type: it goes on the next agenda of the agency that
 * runs it (the type's chair agency, or the referrer's own). An urgent
 * response is referred to a type once. Returns whether it was added.
 */
export async function referToPanel(trx: Transaction<DB>, by: { agencyId: string; userId: string | null }, r: PanelReferral): Promise<boolean> {
  const type = await trx.selectFrom('meeting_type').select(['code', 'chair_agency_id']).where('code', '=', r.typeCode).executeTakeFirstOrThrow();
  const added = await trx
    .insertInto('meeting_referral')
    .values({ type_code: type.code, agency_id: type.chair_agency_id ?? by.agencyId, person_id: r.personId ?? null, urgent_response_id: r.urgentResponseId ?? null, context_assessment_id: r.contextAssessmentId ?? null, reason: r.reason, referred_by: by.userId })
    .onConflict((oc) => oc.columns(['type_code', 'urgent_response_id']).where('urgent_response_id', 'is not', null).doNothing())
    .executeTakeFirst();
  return Number(added.numInsertedOrUpdatedRows ?? 0n) > 0;
}
