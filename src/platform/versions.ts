// Two people never silently overwrite each other (issue 18): a form that
// changes an existing record carries the version it read; the change claims
// that version (bumps it) in its transaction, or is refused because someone
// else changed the record since, with who and when, keeping the user's words.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';
import { str, type Body } from './forms.ts';
import { formatDateTime } from './time.ts';
import { recordHistory } from './audit.ts';

/** Every record a page changes: the record the page shows, whose version its forms carry. */
export type Versioned =
  | 'urgent_response'
  | 'action'
  | 'person'
  | 'episode'
  | 'family'
  | 'incident'
  | 'meeting'
  | 'context_assessment'
  | 'association'
  | 'strategy_action'
  | 'indicator'
  | 'app_user'
  | 'api_client'
  | 'passkey'
  | 'referral'
  | 'sharing_decision'
  | 'agency'
  | 'meeting_item'
  | 'rapid_review'
  | 'service'
  | 'court_order'
  | 'possible_breach'
  | 'critical_incident'
  | 'missing_episode'
  | 'nrm_referral'
  | 'product'
  | 'sharing_agreement'
  | 'retention_rule'
  | 'legal_hold'
  | 'break_glass'
  | 'subject_access_request'
  | 'rights_request'
  | 'audit_review_threshold';

export class StaleVersion extends Error {
  constructor() {
    super('The record changed since it was read');
  }
}

export const STALE = Symbol('stale');

/** The work's result, or STALE when it claimed a version someone else had moved on (its transaction rolled back). */
export function orStale<T>(work: Promise<T>): Promise<T | typeof STALE> {
  return work.catch((error: unknown) => {
    if (error instanceof StaleVersion) return STALE;
    throw error;
  });
}

/** The version a form says it read, or null when it carries none (refused like a stale one). */
export function versionRead(body: Body): number | null {
  const raw = str(body, 'version');
  return /^\d{1,9}$/.test(raw) ? Number(raw) : null;
}

/** Bumps the record's version from the one read; throws StaleVersion (rolling the transaction back) when it moved on. */
export async function claimVersion(trx: Transaction<DB>, table: Versioned, id: string, read: number | null): Promise<void> {
  if (read === null) throw new StaleVersion();
  const claimed = await trx
    .updateTable(table)
    .set((eb) => ({ version: eb('version', '+', 1) }))
    .where('id', '=', id)
    .where('version', '=', read)
    .executeTakeFirst();
  if (claimed.numUpdatedRows !== 1n) throw new StaleVersion();
}

/** "Sam Patel changed it on 21 November 2026 at 14:05": the record's latest change in the audit log, for the refusal's words. */
export async function whoChanged(db: Kysely<DB>, recordType: string, recordId: string, actions: string[]): Promise<string> {
  const [last] = await recordHistory(db, recordType, recordId, actions);
  return last ? `${last.display_name ?? last.client_name ?? 'Someone'} changed it on ${formatDateTime(last.at)}` : 'Someone else changed it';
}

/** The refusal for a record whose changes are audited under these actions, in the users' words. */
export async function staleError(db: Kysely<DB>, record: { type: string; id: string; actions: string[] }, what: string): Promise<string> {
  return staleWords(await whoChanged(db, record.type, record.id, record.actions), what);
}

/** For a one-button change (no words to keep): who changed the record since the page was read. */
export async function changedSince(db: Kysely<DB>, record: { type: string; id: string; actions: string[] }): Promise<string> {
  return `${await whoChanged(db, record.type, record.id, record.actions)}, after you opened the page.`;
}

/** The refusal, in the users' words. */
export const staleWords = (changed: string, what: string) => `${changed}, while you were editing this ${what}. Your changes were not saved: they are below. Check the ${what} and save again.`;
