// Requests to correct, erase, restrict or object to processing (issue 21;
// UK GDPR Articles 16, 17, 18 and 21). Each is recorded with the same
// one-month clock as a subject access request, then decided (agreed, partly
// agreed or refused) with the reason and, when agreed, what was changed:
// the record a complaint to the ICO would be answered from.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { FormErrors, choice, dateInput, text, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';
import { londonToday } from '../../platform/time.ts';
import { dueOn } from './subjectAccess.ts';

export const RIGHTS = {
  rectification: 'Rectification: correct what is wrong (Article 16)',
  erasure: 'Erasure: delete it (Article 17)',
  restriction: 'Restriction: keep it but stop using it (Article 18)',
  objection: 'Objection: stop processing it (Article 21)',
} as const;
type Right = keyof typeof RIGHTS;

export const RIGHTS_DECISIONS = { agreed: 'Agreed', partly_agreed: 'Partly agreed', refused: 'Refused' } as const;
type Decision = keyof typeof RIGHTS_DECISIONS;

export interface RightsInput {
  kind: Right;
  requesterName: string;
  about: string;
  asked: string;
  receivedOn: string;
}

export function readRightsRequest(body: Body, errors: FormErrors, now = new Date()): RightsInput | null {
  const kind = choice(body, 'kind', errors, Object.keys(RIGHTS) as Right[], 'Select what they are asking for');
  const requesterName = text(body, 'requesterName', errors, { label: 'Who asked', required: true, max: 200, missing: 'Enter the name of the person who asked' });
  const about = text(body, 'about', errors, { label: 'Who it is about', required: true, max: 300, missing: 'Enter who the request is about, with a date of birth or record ID' });
  const asked = text(body, 'asked', errors, { label: 'What they asked', required: true, max: 5000, missing: 'Say what they asked to be done, and to which records' });
  const receivedOn = dateInput(body, 'receivedOn', errors, { label: 'The date it was received', required: true, minYear: 2000 }, now);
  if (receivedOn && receivedOn > londonToday(now)) errors.add('receivedOn-day', 'The date it was received must be today or in the past');
  return kind && requesterName && about && asked && receivedOn && !errors.any ? { kind, requesterName, about, asked, receivedOn } : null;
}

export async function recordRightsRequest(trx: Transaction<DB>, actor: { userId: string }, input: RightsInput): Promise<string> {
  const { rows } = await sql<{ n: string }>`SELECT nextval('rights_request_reference_seq') AS n`.execute(trx);
  const { id } = await trx
    .insertInto('rights_request')
    .values({ reference: `DR-${String(rows[0].n).padStart(6, '0')}`, kind: input.kind, requester_name: input.requesterName, about: input.about, asked: input.asked, received_on: input.receivedOn, due_on: dueOn(input.receivedOn, null, false), recorded_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

export interface RightsDecision {
  decision: Decision;
  reason: string;
  changed: string | null;
  decidedOn: string;
}

export function readRightsDecision(body: Body, errors: FormErrors, now = new Date()): RightsDecision | null {
  const decision = choice(body, 'decision', errors, Object.keys(RIGHTS_DECISIONS) as Decision[], 'Select the decision');
  const reason = text(body, 'reason', errors, { label: 'The reason', required: true, max: 5000, missing: 'Give the reason for the decision, as it will be told to them' });
  const changed = text(body, 'changed', errors, { label: 'What was changed', max: 5000 });
  if (decision && decision !== 'refused' && !changed) errors.add('changed', 'Say what was changed, deleted or restricted, and in which records');
  const decidedOn = dateInput(body, 'decidedOn', errors, { label: 'The date of the decision', required: true, minYear: 2000 }, now);
  if (decidedOn && decidedOn > londonToday(now)) errors.add('decidedOn-day', 'The date of the decision must be today or in the past');
  return decision && reason && decidedOn && !errors.any ? { decision, reason, changed, decidedOn } : null;
}

/** Records the decision from the version read; a request already decided is refused. */
export async function decideRightsRequest(trx: Transaction<DB>, actor: { userId: string }, id: string, version: number | null, d: RightsDecision): Promise<'decided' | { refused: Record<string, string> }> {
  const request = await trx.selectFrom('rights_request').select('decision').where('id', '=', id).executeTakeFirstOrThrow();
  if (request.decision) return { refused: { decision: 'This request has already been decided' } };
  await claimVersion(trx, 'rights_request', id, version);
  await trx.updateTable('rights_request').set({ decision: d.decision, decision_reason: d.reason, changed: d.changed, decided_on: d.decidedOn, decided_by: actor.userId }).where('id', '=', id).execute();
  return 'decided';
}
