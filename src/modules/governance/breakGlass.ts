// Emergency access ("break-glass", issue 21). A front-line user who needs an
// urgent response, an incident or a casework episode outside their usual
// reach (another worker's case, another agency's) may open it to read, once,
// for BREAK_GLASS_MINUTES, giving a reason from the list and their own words.
// The grant is checked where each record's page is found; every read under it is
// audited with the purpose "break_glass" (shown in red in the audit), each
// information governance officer is notified, and the use waits in their
// review queue until they judge it appropriate or not, with a note.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAudit } from '../../platform/audit.ts';
import { FormErrors, choice, text, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';
import { NO_USER, type RequestActor } from '../../platform/routes.ts';
import { isUuid } from '../../platform/forms.ts';
import { INCIDENT_REFERENCE, findIncident } from '../incidents/queries.ts';
import { findEpisode } from '../episodes/queries.ts';
import { findResponse } from '../urgent-response/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** How long a grant lasts: long enough to act in an emergency, short enough to need asking again (the partnership's IG policy). */
export const BREAK_GLASS_MINUTES = 60;

export const BREAK_GLASS_REASONS = {
  immediate_risk: 'A young person is at immediate risk of serious harm',
  missing: 'A young person is missing and this record may help find them',
  out_of_hours: 'An out-of-hours safeguarding decision cannot wait for the record’s owner',
  custody: 'A young person is in custody or hospital now',
  other: 'Another urgent safeguarding reason (say what in your words)',
} as const;
export type BreakGlassReason = keyof typeof BREAK_GLASS_REASONS;

export const REVIEW_DECISIONS = { appropriate: 'Appropriate', not_appropriate: 'Not appropriate' } as const;
type Decision = keyof typeof REVIEW_DECISIONS;

/**
 * What emergency access opens, each by what people quote for it: an urgent
 * response's reference (UR-000123), an incident's (2026-000123), or a casework
 * episode's record ID (the one in its page's address). Each says how to find
 * the record, whether the user can already open it, and its page.
 */
export const GLASS_RECORDS = {
  urgent_response: {
    matches: (s: string) => /^UR-\d{6,}$/.test(s),
    find: (db: Db, reference: string) => db.selectFrom('urgent_response').select(['id', 'person_id']).where('reference', '=', reference).executeTakeFirst(),
    open: async (db: Db, actor: RequestActor, id: string) => Boolean(await findResponse(db, actor, id)),
    path: '/urgent-responses/',
  },
  incident: {
    // Read when asked, not when this module loads: the incident module may still be loading (they import each other).
    matches: (s: string) => INCIDENT_REFERENCE.test(s),
    find: (db: Db, reference: string) => db.selectFrom('incident').select(['id', sql<string | null>`NULL::uuid`.as('person_id')]).where('reference', '=', reference).executeTakeFirst(),
    open: async (db: Db, actor: RequestActor, id: string) => Boolean(await findIncident(db, actor.agencyId, id)),
    path: '/incidents/',
  },
  episode: {
    matches: (s: string) => isUuid(s.toLowerCase()),
    find: (db: Db, reference: string) => db.selectFrom('episode').select(['id', 'person_id']).where('id', '=', reference.toLowerCase()).executeTakeFirst(),
    open: async (db: Db, actor: RequestActor, id: string) => Boolean(await findEpisode(db, actor, id)),
    path: '/episodes/',
  },
} as const;
export type GlassRecord = keyof typeof GLASS_RECORDS;

/** The kind of record a reference names, if emergency access can open it. */
export function glassRecordOf(reference: string): GlassRecord | null {
  return (Object.keys(GLASS_RECORDS) as GlassRecord[]).find((k) => GLASS_RECORDS[k].matches(reference)) ?? null;
}

/** The user's open grant to this record, if any, by the one clock the caller reads (the page's red banner says until when). */
export function openGrant(db: Db, actor: Pick<RequestActor, 'userId'>, recordType: GlassRecord, recordId: string, now = new Date()) {
  return db
    .selectFrom('break_glass')
    .select(['id', 'expires_at'])
    .where('user_id', '=', actor.userId ?? NO_USER)
    .where('record_type', '=', recordType)
    .where('record_id', '=', recordId)
    .where('expires_at', '>', now)
    .orderBy('expires_at', 'desc')
    .executeTakeFirst();
}

/**
 * To read a record: as the user's own reach finds it, or else under an open
 * emergency-access grant of theirs, then with the grant (for the red banner
 * and the audit's purpose). Work on a record never comes through here.
 */
export async function readable<T>(db: Db, actor: RequestActor, kind: GlassRecord, id: string, find: { own: () => Promise<T | undefined>; any: () => Promise<T | undefined> }, now = new Date()) {
  const own = await find.own();
  if (own) return { record: own, grant: null };
  const grant = await openGrant(db, actor, kind, id, now);
  const record = grant && (await find.any());
  return record ? { record, grant } : undefined;
}

export interface BreakGlassInput {
  kind: GlassRecord;
  reference: string;
  reason: BreakGlassReason;
  words: string;
}

export function readBreakGlass(body: Body, errors: FormErrors): BreakGlassInput | null {
  const reference = text(body, 'reference', errors, { label: 'The reference', required: true, max: 40, missing: 'Enter the reference, like UR-000123 or 2026-000123, or the episode’s record ID' })?.toUpperCase();
  const kind = reference ? glassRecordOf(reference) : null;
  if (reference && !kind) errors.add('reference', 'The reference must be an urgent response’s (like UR-000123), an incident’s (like 2026-000123) or an episode’s record ID');
  const reason = choice(body, 'reason', errors, Object.keys(BREAK_GLASS_REASONS) as BreakGlassReason[], 'Select why you need emergency access');
  const words = text(body, 'words', errors, { label: 'What is happening', required: true, max: 2000, missing: 'Say in your own words what is happening and why it cannot wait' });
  return kind && reference && reason && words && !errors.any ? { kind, reference, reason, words } : null;
}

/**
 * Opens emergency access: refused for a reference that is not there; no
 * grant when the user can already open the record; otherwise a grant for
 * BREAK_GLASS_MINUTES, audited in red and notified to every information
 * governance officer in the same transaction.
 */
export async function breakGlass(trx: Transaction<DB>, actor: RequestActor, input: BreakGlassInput, now = new Date()): Promise<{ page: string; grantId: string | null } | { refused: Record<string, string> }> {
  const kind = GLASS_RECORDS[input.kind];
  const record = await kind.find(trx, input.reference);
  if (!record) {
    await recordAudit(trx, actor, { action: 'break_glass.open', recordType: input.kind, outcome: 'denied', purpose: 'break_glass', detail: { reference: input.reference, found: false } });
    return { refused: { reference: 'No record has that reference' } };
  }
  const page = `${kind.path}${record.id}`;
  if (await kind.open(trx, actor, record.id)) return { page, grantId: null };
  const { id } = await trx
    .insertInto('break_glass')
    .values({ user_id: actor.userId!, agency_id: actor.agencyId, record_type: input.kind, record_id: record.id, reference: input.reference, reason: input.reason, words: input.words, opened_at: now, expires_at: new Date(now.getTime() + BREAK_GLASS_MINUTES * 60_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const officers = await trx.selectFrom('app_user').select('id').where('disabled_at', 'is', null).where(sql<boolean>`'ig_officer' = ANY(roles)`).execute();
  if (officers.length) await trx.insertInto('notification').values(officers.map((o) => ({ break_glass_id: id, clock: 'emergency_access', event: 'break_glass', recipient_id: o.id, sent_via: 'outbox' }))).execute();
  await recordAudit(trx, actor, { action: 'break_glass.open', recordType: input.kind, recordId: record.id, personId: record.person_id, purpose: 'break_glass', detail: { grant: id, reason: input.reason, minutes: BREAK_GLASS_MINUTES } });
  return { page, grantId: id };
}

export function readReview(body: Body, errors: FormErrors): { decision: Decision; note: string | null } | null {
  const decision = choice(body, 'decision', errors, Object.keys(REVIEW_DECISIONS) as Decision[], 'Select whether the access was appropriate');
  const note = text(body, 'note', errors, { label: 'The note', max: 2000 });
  if (decision === 'not_appropriate' && !note) errors.add('note', 'Say why the access was not appropriate and what happens next');
  return decision && !errors.any ? { decision, note } : null;
}

/** Records the review from the version read; a use already reviewed is refused. */
export async function reviewBreakGlass(trx: Transaction<DB>, actor: { userId: string }, id: string, version: number | null, review: { decision: Decision; note: string | null }): Promise<'reviewed' | { refused: Record<string, string> }> {
  const use = await trx.selectFrom('break_glass').select('reviewed_at').where('id', '=', id).executeTakeFirstOrThrow();
  if (use.reviewed_at) return { refused: { decision: 'This use of emergency access has already been reviewed' } };
  await claimVersion(trx, 'break_glass', id, version);
  await trx.updateTable('break_glass').set({ decision: review.decision, review_note: review.note, reviewed_by: actor.userId, reviewed_at: new Date() }).where('id', '=', id).execute();
  return 'reviewed';
}
