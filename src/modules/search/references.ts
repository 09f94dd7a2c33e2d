// Finding a record by the reference people quote on the phone and in
// emails (issue 22): an incident (2026-000123), an urgent response
// (UR-000045), a referral (RF-000016), an action (A-000007) or a rapid review
// (RR-2026-003). Each kind is looked up through its own module's visibility
// rule and only for a role that may read it, so a record the user may not see
// answers exactly as one that does not exist.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { INCIDENT_REFERENCE, visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { visibleTo as responseVisibleTo } from '../urgent-response/queries.ts';
import { referralVisibleTo } from '../referrals/queries.ts';
import { actionVisibleTo } from '../actions/queries.ts';
import { findMeeting } from '../meetings/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

interface Kind {
  pattern: RegExp;
  permission: Permission;
  /** The record's page, when the actor may see it. */
  find: (db: Db, actor: RequestActor, reference: string) => Promise<string | null>;
}

const KINDS: Kind[] = [
  {
    pattern: INCIDENT_REFERENCE,
    permission: 'incident.read',
    find: async (db, actor, reference) => {
      const row = await db.selectFrom('incident').select('id').where('reference', '=', reference).where(incidentVisibleTo(actor.agencyId)).executeTakeFirst();
      return row ? `/incidents/${row.id}` : null;
    },
  },
  {
    pattern: /^UR-\d{6,}$/,
    permission: 'urgent_response.read',
    find: async (db, actor, reference) => {
      const row = await db.selectFrom('urgent_response').select('id').where('reference', '=', reference).where(responseVisibleTo(actor)).executeTakeFirst();
      return row ? `/urgent-responses/${row.id}` : null;
    },
  },
  {
    pattern: /^RF-\d{6,}$/,
    permission: 'referral.read',
    find: async (db, actor, reference) => {
      const row = await db.selectFrom('referral').select('id').where('reference', '=', reference).where(referralVisibleTo(actor.agencyId)).executeTakeFirst();
      return row ? `/referrals/${row.id}` : null;
    },
  },
  {
    pattern: /^A-\d{6,}$/,
    permission: 'action.read',
    // An action lives on the urgent response or meeting that agreed it; a partner who cannot open those finds it on the actions list.
    find: async (db, actor, reference) => {
      const row = await db
        .selectFrom('action')
        .leftJoin('meeting_item', 'meeting_item.id', 'action.meeting_item_id')
        .select(['action.urgent_response_id', 'meeting_item.meeting_id', 'meeting_item.id as item_id'])
        .where('action.reference', '=', reference)
        .where(actionVisibleTo(actor))
        .executeTakeFirst();
      if (!row) return null;
      if (row.urgent_response_id && can(actor.roles, 'urgent_response.read')) {
        const visible = await db.selectFrom('urgent_response').select('id').where('id', '=', row.urgent_response_id).where(responseVisibleTo(actor)).executeTakeFirst();
        if (visible) return `/urgent-responses/${visible.id}`;
      }
      if (row.meeting_id && can(actor.roles, 'meeting.read')) {
        const meeting = await findMeeting(db, actor, row.meeting_id);
        if (meeting) return `/meetings/${meeting.id}#item-${row.item_id}`;
      }
      return '/actions';
    },
  },
  {
    pattern: /^RR-\d{4}-\d{3,}$/,
    permission: 'review.read',
    // The learning is the partnership's: every role that reads reviews reads them all.
    find: async (db, _actor, reference) => {
      const row = await db.selectFrom('rapid_review').select('id').where('reference', '=', reference).executeTakeFirst();
      return row ? `/reviews/${row.id}` : null;
    },
  },
];

/** Whether the words are shaped like a reference (whatever record, if any, is behind it). */
export function isReference(words: string): boolean {
  const ref = words.trim().toUpperCase();
  return KINDS.some((k) => k.pattern.test(ref));
}

/** The page of the record with this reference, or null when there is none the actor may see. */
export async function findByReference(db: Db, actor: RequestActor, words: string): Promise<string | null> {
  const reference = words.trim().toUpperCase();
  const kind = KINDS.find((k) => k.pattern.test(reference));
  return kind && can(actor.roles, kind.permission) ? kind.find(db, actor, reference) : null;
}
