// Actions in SQL. An agency sees the actions in its own records (plans of its
// urgent responses, items of its meetings) and the actions it owns; a
// caseworker also sees those on the urgent responses they lead.
import { agreementCovering } from '../governance/agreements.ts';
import { sql, type ExpressionBuilder, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NO_USER, type RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import type { ActionInput } from './rules.ts';
import { decideSharing } from '../sharing/decision.ts';

type Db = Kysely<DB> | Transaction<DB>;

export function actionVisibleTo(actor: Pick<RequestActor, 'agencyId' | 'userId' | 'roles'>) {
  return (eb: ExpressionBuilder<DB, 'action'>) =>
    eb.or([
      eb('action.owner_agency_id', '=', actor.agencyId),
      ...(can(actor.roles, 'urgent_response.read_all') ? [eb('action.agency_id', '=', actor.agencyId)] : []),
      eb.exists(
        eb
          .selectFrom('urgent_response')
          .select(sql.lit(1).as('one'))
          .whereRef('urgent_response.id', '=', 'action.urgent_response_id')
          .where('urgent_response.owner_id', '=', actor.userId ?? NO_USER),
      ),
    ]);
}

function actionQuery(db: Db) {
  return db
    .selectFrom('action')
    .innerJoin('agency as owner', 'owner.id', 'action.owner_agency_id')
    .leftJoin('urgent_response', 'urgent_response.id', 'action.urgent_response_id')
    .leftJoin('meeting_item', 'meeting_item.id', 'action.meeting_item_id')
    .leftJoin('meeting', 'meeting.id', 'meeting_item.meeting_id')
    .leftJoin('meeting_type', 'meeting_type.code', 'meeting.type_code')
    .leftJoin('critical_incident', 'critical_incident.id', 'action.critical_incident_id')
    .selectAll('action')
    .select([
      'owner.name as owner_agency_name',
      'urgent_response.reference as response_reference',
      'meeting_item.title as item_title',
      'meeting_item.meeting_id',
      'meeting.starts_at as meeting_starts_at',
      'meeting_type.name as meeting_name',
      'critical_incident.reference as critical_reference',
    ]);
}
export type ActionRow = Awaited<ReturnType<ReturnType<typeof actionQuery>['execute']>>[number];

export async function actionsOfResponse(db: Db, responseId: string) {
  return actionQuery(db).where('action.urgent_response_id', '=', responseId).orderBy('action.due_on').orderBy('action.created_at').execute();
}

export async function actionsOfMeeting(db: Db, meetingId: string) {
  return actionQuery(db).where('meeting_item.meeting_id', '=', meetingId).orderBy('action.created_at').execute();
}

export async function findAction(db: Db, actor: RequestActor, id: string) {
  return actionQuery(db).where('action.id', '=', id).where(actionVisibleTo(actor)).executeTakeFirst();
}

export async function openActions(db: Db, actor: RequestActor, filters: { ownerAgencyId?: string; overdue?: boolean; today: string }) {
  let q = actionQuery(db).where('action.status', 'in', ['not_started', 'in_progress']).where(actionVisibleTo(actor));
  if (filters.ownerAgencyId) q = q.where('action.owner_agency_id', '=', filters.ownerAgencyId);
  if (filters.overdue) q = q.where('action.due_on', '<', filters.today);
  return q.orderBy('owner.name').orderBy('action.due_on').orderBy('action.reference').limit(1000).execute();
}

/** Why an action for another agency was not given: no agreement covering it (its words say which), or no consent or confirmed lawful basis. */
export type ActionRefusal = { refused: 'consent' } | { refused: 'agreement'; words: string };

/**
 * Adds an action, unless giving it to another agency would share a young
 * person's information with it without a data sharing agreement in force
 * for actions between the two agencies (issue 21) or without the sharing
 * decision's yes (consent, or a lawful basis a second person confirmed):
 * then nothing is saved and it answers why.
 */
export async function giveAction(trx: Transaction<DB>, input: ActionInput, on: { agencyId: string; urgentResponseId?: string | null; personId?: string | null; meetingItemId?: string; criticalIncidentId?: string }, userId: string | null): Promise<{ id: string; reference: string } | ActionRefusal> {
  if (input.ownerAgencyId !== on.agencyId) {
    const personId = on.personId ?? (on.urgentResponseId ? (await trx.selectFrom('urgent_response').select('person_id').where('id', '=', on.urgentResponseId).executeTakeFirstOrThrow()).person_id : null);
    if (personId) {
      const coverage = await agreementCovering(trx, on.agencyId, input.ownerAgencyId, 'action');
      if (!coverage.covered) return { refused: 'agreement', words: coverage.words };
      if (!(await decideSharing(trx, personId, input.ownerAgencyId)).allowed) return { refused: 'consent' };
    }
  }
  return addAction(trx, input, on, userId);
}

async function addAction(trx: Transaction<DB>, input: ActionInput, on: { agencyId: string; urgentResponseId?: string | null; meetingItemId?: string; criticalIncidentId?: string }, userId: string | null) {
  return trx
    .insertInto('action')
    .values({
      reference: sql<string>`'A-' || lpad(nextval('action_reference_seq')::text, 6, '0')`,
      urgent_response_id: on.urgentResponseId ?? null,
      meeting_item_id: on.meetingItemId ?? null,
      critical_incident_id: on.criticalIncidentId ?? null,
      agency_id: on.agencyId,
      description: input.description,
      owner_agency_id: input.ownerAgencyId,
      owner_name: input.ownerName,
      due_on: input.dueOn,
      created_by: userId,
    })
    .returning(['id', 'reference'])
    .executeTakeFirstOrThrow();
}

/** Agencies an action can be given to: every active partner. */
export async function partnerAgencies(db: Db) {
  return db.selectFrom('agency').select(['id', 'name']).where('disabled_at', 'is', null).orderBy('name').execute();
}
