// The audit log: every read and write of personal data, in the same
// transaction as the action, in append-only hash chains. Each event holds the
// previous event's hash and SHA-256(previous hash + its own content), so an
// edited, deleted, inserted or reordered row breaks its chain.
//
// There are AUDIT_CHAINS chains ("lanes"). An append holds its lane's lock
// until its transaction commits; with one lane every request in the service
// queued behind that lock (about 100 list pages a second, bench/incidents.ts).
// A transaction takes the first free lane, so lanes only queue when all are busy.
import { createHash } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../db/schema.ts';

export const GENESIS_HASH = '0'.repeat(64);
export const AUDIT_CHAINS = 8;
// Advisory lock space for the lanes (two-key form: this class, lane number).
export const AUDIT_LOCK_CLASS = 727_001;

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
  chain: number;
  position: number;
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

// The lane a transaction already holds, so its later events follow on in the same lane.
const laneOf = new WeakMap<object, number>();

async function takeLane(trx: Transaction<DB>): Promise<number> {
  const held = laneOf.get(trx);
  if (held !== undefined) return held;
  // One round trip tries every lane in turn (a quiet service keeps to lane 0): the scan stops at the
  // first lane whose lock it gets (LIMIT 1), so only that lane is taken.
  const { rows } = await sql<{ lane: number }>`SELECT lane FROM generate_series(0, ${AUDIT_CHAINS - 1}) lane
    WHERE pg_try_advisory_xact_lock(${AUDIT_LOCK_CLASS}, lane) LIMIT 1`.execute(trx);
  let lane = rows.length ? Number(rows[0].lane) : null;
  if (lane === null) {
    // Every lane busy: wait for one, chosen at random so waiters spread out.
    lane = Math.floor(Math.random() * AUDIT_CHAINS);
    await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_CLASS}, ${lane})`.execute(trx);
  }
  laneOf.set(trx, lane);
  return lane;
}

/** Appends one event. Call it inside the transaction that does the audited work. */
export async function recordAudit(trx: Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  await recordAudits(trx, actor, [entry]);
}

export async function recordAudits(trx: Transaction<DB>, actor: Actor, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const chain = await takeLane(trx);
  // Read after the lock is held (a new statement, so a new snapshot): the lane's true last event, and the
  // events' sequence numbers in the same round trip.
  const { rows: head } = await sql<{ position: string | null; hash: string | null; seqs: (string | number)[] }>`SELECT
      (SELECT position FROM audit_event WHERE chain = ${chain} ORDER BY position DESC LIMIT 1) AS position,
      (SELECT hash FROM audit_event WHERE chain = ${chain} ORDER BY position DESC LIMIT 1) AS hash,
      ARRAY(SELECT nextval('audit_event_seq') FROM generate_series(1, ${entries.length})) AS seqs`.execute(trx);
  const last = head[0].position === null ? undefined : { position: head[0].position, hash: head[0].hash! };
  const seqs = head[0].seqs.map(Number);
  let position = last ? Number(last.position) : 0;
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date().toISOString();
  const rows = entries.map((entry, i) => {
    position += 1;
    const content: ChainedContent = {
      seq: seqs[i],
      chain,
      position,
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

export type VerifyResult =
  | { intact: true; count: number }
  | { intact: false; count: number; seq: number; chain: number; position: number; problem: string };

/** Where a lane starts after its oldest events were removed: the last event removed, whose hash the first kept event names. */
export interface LaneStart {
  position: number;
  hash: string;
}

/** A lane position recorded outside the database (auditAnchor.ts): the event there must still have this hash. */
export interface ChainAnchor {
  position: number;
  seq: number;
  hash: string;
  at: string;
}

/**
 * Walks every chain in order, in pages, recomputing every hash, and meets
 * each anchor on the way: an event that no longer has the hash a checkpoint
 * recorded was rewritten (hashes recomputed to hide it), and an anchor past a
 * lane's end means events were cut off.
 */
export async function verifyAuditChain(db: Kysely<DB>, options: { anchors?: Map<number, ChainAnchor[]>; cut?: Map<number, LaneStart>; pageSize?: number } = {}): Promise<VerifyResult> {
  const pageSize = options.pageSize ?? 5000;
  const anchors = options.anchors ?? new Map<number, ChainAnchor[]>();
  let count = 0;
  const inDb = (await db.selectFrom('audit_event').select('chain').distinct().orderBy('chain').execute()).map((r) => Number(r.chain));
  const chains = [...new Set([...inDb, ...anchors.keys()])].sort((a, b) => a - b);
  for (const chain of chains) {
    // A lane whose oldest events were removed under the retention schedule starts after the signed cut.
    const start = options.cut?.get(chain);
    let prevHash = start?.hash ?? GENESIS_HASH;
    let expected = (start?.position ?? 0) + 1;
    const pending = (anchors.get(chain) ?? []).filter((a) => a.position >= expected);
    for (;;) {
      const rows = await db
        .selectFrom('audit_event')
        .selectAll()
        .where('chain', '=', chain)
        .where('position', '>=', expected)
        .orderBy('position')
        .limit(pageSize)
        .execute();
      if (rows.length === 0) break;
      for (const row of rows) {
        const position = Number(row.position);
        const broken = (problem: string): VerifyResult => ({ intact: false, count, seq: Number(row.seq), chain, position, problem });
        if (position !== expected) return broken(`the event before it in chain ${chain} (position ${expected}) is missing`);
        if (row.prev_hash !== prevHash) return broken('its previous-hash does not match the event before it (an event was deleted, inserted or reordered)');
        const content: ChainedContent = {
          seq: Number(row.seq),
          chain,
          position,
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
        if (eventHash(prevHash, content) !== row.hash) return broken('its content does not match its hash (the row was edited)');
        if (pending[0]?.position === position) {
          const anchor = pending.shift()!;
          if (anchor.hash !== row.hash || anchor.seq !== Number(row.seq)) {
            return broken(`history was rewritten: this event no longer matches the checkpoint of ${anchor.at}, although the chain agrees with itself (its hashes were recomputed)`);
          }
        }
        prevHash = row.hash;
        expected += 1;
        count += 1;
      }
    }
    if (pending.length) {
      const last = pending.at(-1)!;
      const problem =
        inDb.length === 0
          ? `the audit log was emptied: the checkpoint of ${last.at} recorded events up to ${last.seq}, and none are left`
          : `the log was cut short: chain ${chain} ends at position ${expected - 1}, but the checkpoint of ${last.at} recorded ${last.position} events in it (up to event ${last.seq})`;
      return { intact: false, count, seq: pending[0].seq, chain, position: pending[0].position, problem };
    }
  }
  return { intact: true, count };
}

/** A record's history for its timeline: the audit log's allowed writes to it, newest first. */
export function recordHistory(db: Kysely<DB> | Transaction<DB>, recordType: string, recordId: string, actions: string[]) {
  return db
    .selectFrom('audit_event')
    .leftJoin('app_user', 'app_user.id', 'audit_event.user_id')
    .leftJoin('api_client', 'api_client.id', 'audit_event.api_client_id')
    .select(['audit_event.at', 'audit_event.action', 'audit_event.detail', 'app_user.display_name', 'api_client.name as client_name'])
    .where('audit_event.record_type', '=', recordType)
    .where('audit_event.record_id', '=', recordId)
    .where('audit_event.action', 'in', actions)
    .where('audit_event.outcome', '=', 'allowed')
    .orderBy('audit_event.seq', 'desc')
    .limit(100)
    .execute();
}
