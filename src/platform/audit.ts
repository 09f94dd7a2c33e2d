// The audit log: every read and write of personal data, in the same
// transaction as the action, in an append-only hash chain. Each event holds
// the previous event's hash and SHA-256(previous hash + its own content), so
// an edited, deleted, inserted or reordered row breaks the chain.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);
// Serialises appends so that each event sees the one before it (any constant will do).
const AUDIT_LOCK_KEY = 727_001;

export interface Actor {
  userId?: string | null;
  agencyId?: string | null;
  apiClientId?: string | null;
  correlationId?: string | null;
}

export interface AuditEntry {
  action: string;
  recordType?: string | null;
  recordId?: string | null;
  personId?: string | null;
  purpose?: string | null;
  outcome?: 'allowed' | 'denied';
  /** Record ids, field names, counts: never names or other personal data. */
  detail?: Record<string, unknown>;
}

interface ChainedContent {
  seq: number;
  at: string;
  user_id: string | null;
  agency_id: string | null;
  api_client_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  person_id: string | null;
  purpose: string | null;
  outcome: 'allowed' | 'denied';
  detail: unknown;
  correlation_id: string | null;
}

/** JSON with object keys sorted, so the same content always hashes the same (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function eventHash(prevHash: string, content: ChainedContent): string {
  return createHash('sha256').update(prevHash).update(canonicalJson(content)).digest('hex');
}

/** Appends one event. Call it inside the transaction that does the audited work. */
export async function recordAudit(trx: Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAudits(trx, actor, [entry]);
}

export async function recordAudits(trx: Transaction<DB>, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_KEY})`.execute(trx);
  const last = await trx.selectFrom('audit_event').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = last ? Number(last.seq) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const rows = entries.map((entry) => {
    seq += 1;
    const content: ChainedContent = {
      seq,
      at,
      user_id: actor.userId ?? null,
      agency_id: actor.agencyId ?? null,
      api_client_id: actor.apiClientId ?? null,
      action: entry.action,
      record_type: entry.recordType ?? null,
      record_id: entry.recordId ?? null,
      person_id: entry.personId ?? null,
      purpose: entry.purpose ?? null,
      outcome: entry.outcome ?? 'allowed',
      detail: entry.detail ?? {},
      correlation_id: actor.correlationId ?? null,
    };
    const hash = eventHash(prevHash, content);
    const row = { ...content, detail: JSON.stringify(content.detail), prev_hash: prevHash, hash };
    prevHash = hash;
    return row;
  });
  await trx.insertInto('audit_event').values(rows).execute();
}

export type VerifyResult = { intact: true; count: number } | { intact: false; count: number; seq: number; problem: string };

/** Walks the whole chain in order, in pages, recomputing every hash. */
export async function verifyAuditChain(db: Kysely<DB>, pageSize = 5000): Promise<VerifyResult> {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let count = 0;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_event').selectAll().where('seq', '>', after).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) return { intact: true, count };
    for (const row of rows) {
      const seq = Number(row.seq);
      if (seq !== expectedSeq) {
        return { intact: false, count, seq, problem: seq > expectedSeq ? `event ${expectedSeq} is missing` : `event ${seq} is out of order` };
      }
      if (row.prev_hash !== prevHash) {
        return { intact: false, count, seq, problem: 'its previous-hash does not match the event before it (an event was deleted, inserted or reordered)' };
      }
      const content: ChainedContent = {
        seq,
        at: new Date(row.at).toISOString(),
        user_id: row.user_id,
        agency_id: row.agency_id,
        api_client_id: row.api_client_id,
        action: row.action,
        record_type: row.record_type,
        record_id: row.record_id,
        person_id: row.person_id,
        purpose: row.purpose,
        outcome: row.outcome,
        detail: row.detail,
        correlation_id: row.correlation_id,
      };
      if (eventHash(prevHash, content) !== row.hash) {
        return { intact: false, count, seq, problem: 'its content does not match its hash (the row was edited)' };
      }
      prevHash = row.hash;
      expectedSeq += 1;
      count += 1;
      after = seq;
    }
  }
}
