// Legal holds (issue 21): while litigation, an inquiry or a complaint is
// live, records that would fall due for deletion are kept. A hold is on one
// person (by their record ID), on an incident (by its reference: the records
// of everyone involved in it), or on a whole kind of record (a matter such as
// a public inquiry). The retention query asks every open hold (`heldBy` in
// retention.ts); lifting one needs a reason and lets deletion go on.
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { FormErrors, choice, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';
import { INCIDENT_REFERENCE } from '../incidents/queries.ts';
import { RETENTION_KINDS, RETENTION_KIND_CODES, type RetentionKindCode } from './retention.ts';

export const HOLD_SCOPES = {
  person: 'One person’s records',
  incident: 'The records of everyone involved in an incident',
  kind: 'Every record of one kind',
} as const;
type Scope = keyof typeof HOLD_SCOPES;

export interface HoldInput {
  scope: Scope;
  personId?: string;
  incidentReference?: string;
  kind?: RetentionKindCode;
  matter: string;
  reason: string;
}

export function readHold(body: Body, errors: FormErrors): HoldInput | null {
  const scope = choice(body, 'scope', errors, Object.keys(HOLD_SCOPES) as Scope[], 'Select what the hold is on');
  const input: Partial<HoldInput> = { scope: scope ?? undefined };
  if (scope === 'person') {
    const id = str(body, 'personId');
    if (!id) errors.add('personId', 'Enter the person’s record ID');
    else if (!isUuid(id)) errors.add('personId', 'The person’s record ID must be a record ID, like 3f2b…');
    else input.personId = id;
  } else if (scope === 'incident') {
    const reference = str(body, 'incidentReference');
    if (!reference) errors.add('incidentReference', 'Enter the incident’s reference');
    else if (!INCIDENT_REFERENCE.test(reference)) errors.add('incidentReference', 'The incident’s reference must be like 2026-000123');
    else input.incidentReference = reference;
  } else if (scope === 'kind') input.kind = choice(body, 'kind', errors, RETENTION_KIND_CODES, 'Select the kind of record') ?? undefined;
  input.matter = text(body, 'matter', errors, { label: 'The matter', required: true, max: 200, missing: 'Enter the matter the hold is for, like the inquiry or claim' }) ?? undefined;
  input.reason = text(body, 'reason', errors, { label: 'Why', required: true, max: 2000, missing: 'Enter why the records must be kept' }) ?? undefined;
  return errors.any ? null : (input as HoldInput);
}

/** Places a hold; refuses, field by field, a person or incident that is not there. */
export async function placeHold(trx: Transaction<DB>, actor: { userId: string }, input: HoldInput): Promise<{ id: string } | { refused: Record<string, string> }> {
  let personId: string | null = null;
  let incidentId: string | null = null;
  if (input.scope === 'person') {
    const person = await trx.selectFrom('person').select('id').where('id', '=', input.personId!).executeTakeFirst();
    if (!person) return { refused: { personId: 'No person has that record ID' } };
    personId = person.id;
  }
  if (input.scope === 'incident') {
    const incident = await trx.selectFrom('incident').select('id').where('reference', '=', input.incidentReference!).executeTakeFirst();
    if (!incident) return { refused: { incidentReference: 'No incident has that reference' } };
    incidentId = incident.id;
  }
  const { id } = await trx
    .insertInto('legal_hold')
    .values({ person_id: personId, incident_id: incidentId, kind: input.scope === 'kind' ? input.kind! : null, matter: input.matter, reason: input.reason, placed_by: actor.userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id };
}

/** Lifts a hold from the version read, with the reason; a hold already lifted is refused. */
export async function liftHold(trx: Transaction<DB>, actor: { userId: string }, id: string, version: number | null, reason: string): Promise<'lifted' | { refused: Record<string, string> }> {
  const hold = await trx.selectFrom('legal_hold').select('lifted_at').where('id', '=', id).executeTakeFirstOrThrow();
  if (hold.lifted_at) return { refused: { liftReason: 'This hold has already been lifted' } };
  await claimVersion(trx, 'legal_hold', id, version);
  await trx.updateTable('legal_hold').set({ lifted_by: actor.userId, lifted_at: new Date(), lift_reason: reason }).where('id', '=', id).execute();
  return 'lifted';
}

/** What a hold is on, in words (a person by record ID only: the hold list names nobody). */
export function holdSubject(h: { person_id: string | null; incident_reference: string | null; kind: string | null }): string {
  if (h.person_id) return `Person ${h.person_id}`;
  if (h.incident_reference) return `Everyone involved in incident ${h.incident_reference}`;
  return `Every record: ${RETENTION_KINDS[h.kind as RetentionKindCode]?.label ?? h.kind}`;
}
