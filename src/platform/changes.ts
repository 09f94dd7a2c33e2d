// The end of every change a page makes to a versioned record, written once:
// run the domain operation in one audited transaction from the version the
// form read; a stale save is refused with who changed it and the user's words
// kept (409), a refusal by the rule is shown field by field (400), and a saved
// change goes on to its page (303). Routes only say what to run and where.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { FormErrors } from './forms.ts';
import { transact, type Auditor } from './routes.ts';
import { STALE, orStale, staleError } from './versions.ts';

/** What a domain operation answers: anything but a refusal means it was done. */
export type Refusal = { refused: Record<string, string> };
const isRefusal = (out: unknown): out is Refusal => typeof out === 'object' && out !== null && 'refused' in out;

export interface Change<T> {
  /** The operation and its audit event, in one transaction; throws StaleVersion when the version read has moved on. */
  run: (trx: Transaction<DB>, audit: Auditor) => Promise<T | Refusal>;
  /** The record as the audit log names it, and its change actions, for "who changed it" words. */
  record: { type: string; id: string; actions: string[] };
  /** The record in the users' words ("request") and the field the stale refusal is shown against. */
  what: string;
  field: string;
  errors: FormErrors;
  /** The page again with the errors and the words kept: `stale` when it must read the record afresh. */
  again: (code: 400 | 409, stale: boolean) => Promise<unknown> | unknown;
  /** Where a saved change goes. */
  then: string;
}

export async function saveChange<T>(req: FastifyRequest, reply: FastifyReply, change: Change<T>): Promise<unknown> {
  const result = await orStale(transact(req, change.run));
  if (result === STALE) {
    change.errors.add(change.field, await staleError(req.server.db, change.record, change.what));
    return change.again(409, true);
  }
  if (isRefusal(result)) {
    for (const [field, message] of Object.entries(result.refused)) change.errors.add(field, message);
    return change.again(400, false);
  }
  return reply.redirect(change.then, 303);
}
