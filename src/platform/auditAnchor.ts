// Anchors for the audit log outside its own database (issue 17). The hash
// chains catch an edited, deleted or inserted row, but someone with the
// database owner's rights could rewrite a lane and recompute every later
// hash, cut its tail off, or empty it, and the chains would still agree with
// themselves. So the head of every lane is written out regularly, and at every
// `audit verify`, as a checkpoint: a statement signed with an Ed25519 key the
// database never holds, saved as a new file (never overwritten) in a folder
// outside the database, each naming the one before it. Verifying then asks
// the database to still hold every event a checkpoint recorded, with the
// same hash.
//
// What it cannot do: see a change made after the latest checkpoint and before
// the next (checkpoints are every AUDIT_CHECKPOINT_MINUTES), or protect
// anyone who holds both the signing key and the checkpoint folder.
import fs from 'node:fs';
import path from 'node:path';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { canonicalJson, verifyAuditChain, type ChainAnchor as Anchor, type LaneStart } from './audit.ts';

export interface AnchorConfig {
  /** Folder the checkpoints are written to (append-only: files are created, never rewritten). */
  checkpointDir: string;
  /** File holding the Ed25519 private key (PEM), made on first use when missing. */
  keyFile: string;
  /** The key itself (PEM), from the environment: used instead of the file when set. */
  key?: string;
}

export interface LaneHead {
  chain: number;
  position: number;
  seq: number;
  hash: string;
}

export interface Checkpoint {
  version: 1;
  at: string;
  /** SHA-256 of the previous checkpoint file, so a checkpoint taken out of the middle is noticed. */
  previous: string | null;
  events: number;
  lanes: LaneHead[];
  /** Audit events removed under the retention schedule (auditExpiry.ts): in each lane named, every event up to and including this one. */
  cut?: LaneHead[];
}

export interface StoredCheckpoint {
  file: string;
  checkpoint: Checkpoint;
  digest: string;
}

// One checkpoint writer at a time across processes sharing a database, so each names the one before it.
const CHECKPOINT_LOCK = 727_003;

export function signingKey(config: AnchorConfig): KeyObject {
  if (config.key) return createPrivateKey(config.key);
  if (!fs.existsSync(config.keyFile)) {
    const { privateKey } = generateKeyPairSync('ed25519');
    fs.mkdirSync(path.dirname(config.keyFile), { recursive: true });
    // 'wx': two processes starting at once never replace each other's key.
    try {
      fs.writeFileSync(config.keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { flag: 'wx', mode: 0o600 });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return createPrivateKey(fs.readFileSync(config.keyFile));
}

/** The committed head of every lane, and the number of events. */
async function laneHeads(db: Kysely<DB>): Promise<{ lanes: LaneHead[]; events: number }> {
  const { rows } = await sql<{ chain: number; position: string; seq: string; hash: string }>`
    SELECT DISTINCT ON (chain) chain, position, seq, hash FROM audit_event ORDER BY chain, position DESC`.execute(db);
  const lanes = rows.map((r) => ({ chain: Number(r.chain), position: Number(r.position), seq: Number(r.seq), hash: r.hash }));
  return { lanes, events: lanes.reduce((n, l) => n + l.position, 0) };
}

export function readCheckpoints(config: AnchorConfig): { checkpoints: StoredCheckpoint[]; problem: string | null } {
  if (!fs.existsSync(config.checkpointDir)) return { checkpoints: [], problem: null };
  const publicKey = createPublicKey(signingKey(config));
  const files = fs.readdirSync(config.checkpointDir).filter((f) => /^checkpoint-.+\.json$/.test(f)).sort();
  const checkpoints: StoredCheckpoint[] = [];
  let previous: string | null = null;
  for (const file of files) {
    const text = fs.readFileSync(path.join(config.checkpointDir, file), 'utf8');
    let parsed: { checkpoint: Checkpoint; signature: string };
    try {
      parsed = JSON.parse(text);
    } catch {
      return { checkpoints, problem: `checkpoint ${file} cannot be read` };
    }
    const signed = verify(null, Buffer.from(canonicalJson(parsed.checkpoint)), publicKey, Buffer.from(String(parsed.signature), 'base64'));
    if (!signed) return { checkpoints, problem: `checkpoint ${file} is not signed by this deployment's audit key (it was changed, or made with another key)` };
    if (parsed.checkpoint.previous !== previous) return { checkpoints, problem: `the checkpoint before ${file} is missing or was changed (checkpoints must follow one another)` };
    previous = createHash('sha256').update(text).digest('hex');
    checkpoints.push({ file, checkpoint: parsed.checkpoint, digest: previous });
  }
  return { checkpoints, problem: null };
}

/** Signs the lanes' heads as they stand and adds the statement to the folder. */
export async function writeCheckpoint(db: Kysely<DB>, config: AnchorConfig, now = new Date(), cut?: LaneHead[]): Promise<Checkpoint> {
  const key = signingKey(config);
  return db.transaction().execute(async (trx) => {
    await sql`SELECT pg_advisory_xact_lock(${CHECKPOINT_LOCK})`.execute(trx);
    const { checkpoints, problem } = readCheckpoints(config);
    if (problem) throw new Error(`audit checkpoints: ${problem}`);
    const heads = await laneHeads(trx as unknown as Kysely<DB>);
    const checkpoint: Checkpoint = { version: 1, at: now.toISOString(), previous: checkpoints.at(-1)?.digest ?? null, ...heads, ...(cut?.length ? { cut } : {}) };
    const signature = sign(null, Buffer.from(canonicalJson(checkpoint)), key).toString('base64');
    fs.mkdirSync(config.checkpointDir, { recursive: true });
    const name = `checkpoint-${checkpoint.at.replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}.json`;
    fs.writeFileSync(path.join(config.checkpointDir, name), JSON.stringify({ checkpoint, signature }, null, 1) + '\n', { flag: 'wx', mode: 0o444 });
    return checkpoint;
  });
}

/** Every lane position a checkpoint recorded, oldest first, for the chain walk to meet. */
export function anchorsOf(checkpoints: StoredCheckpoint[]): Map<number, Anchor[]> {
  const anchors = new Map<number, Anchor[]>();
  for (const { checkpoint } of checkpoints) {
    for (const lane of checkpoint.lanes) {
      const list = anchors.get(lane.chain) ?? [];
      if (!list.some((a) => a.position === lane.position)) list.push({ position: lane.position, seq: lane.seq, hash: lane.hash, at: checkpoint.at });
      anchors.set(lane.chain, list);
    }
  }
  for (const list of anchors.values()) list.sort((a, b) => a.position - b.position);
  return anchors;
}

/** Where each lane now starts: the furthest cut any signed checkpoint made in it (cuts only move forward). */
export function cutOf(checkpoints: StoredCheckpoint[]): Map<number, LaneStart> {
  const cut = new Map<number, LaneStart>();
  for (const { checkpoint } of checkpoints) {
    for (const lane of checkpoint.cut ?? []) if ((cut.get(lane.chain)?.position ?? 0) < lane.position) cut.set(lane.chain, { position: lane.position, hash: lane.hash });
  }
  return cut;
}

// The append-only guard as the migration made it. A change to audit_event's
// triggers (disabled, dropped, or the function rewritten to let rows through)
// leaves no row behind, so verify and start-up check the guard itself.
const GUARD_TRIGGERS = ['audit_event_no_truncate', 'audit_event_no_update'];

export async function appendOnlyGuardProblem(db: Kysely<DB>): Promise<string | null> {
  const { rows } = await sql<{ tgname: string; tgenabled: string; prosrc: string }>`
    SELECT t.tgname, t.tgenabled, p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
    WHERE t.tgrelid = 'audit_event'::regclass AND NOT t.tgisinternal`.execute(db);
  for (const name of GUARD_TRIGGERS) {
    const trigger = rows.find((r) => r.tgname === name);
    if (!trigger) return `the append-only trigger ${name} on audit_event has been dropped`;
    // 'O' fires normally and 'A' always; 'D' is disabled and 'R' fires only in replication.
    if (trigger.tgenabled !== 'O' && trigger.tgenabled !== 'A') return `the append-only trigger ${name} on audit_event is disabled`;
    if (!/RAISE\s+EXCEPTION\s+'audit_event is append-only'/.test(trigger.prosrc) || /RETURN/i.test(trigger.prosrc)) return `the function behind ${name} has been changed and may let rows be altered`;
  }
  return null;
}

export type AuditVerdict = ({ intact: true; count: number } | { intact: false; count: number; seq?: number; chain?: number; position?: number; problem: string }) & {
  checkpoints: number;
  written?: Checkpoint;
};

/**
 * The whole check `reachable audit verify` makes: the append-only guard is in
 * place, the checkpoints are this deployment's and follow one another, and
 * every lane's chain is intact and still holds every checkpointed event. When
 * all is well (and `checkpoint` is asked for) a new checkpoint is written.
 */
export async function verifyAudit(db: Kysely<DB>, config: AnchorConfig, options: { checkpoint?: boolean } = {}): Promise<AuditVerdict> {
  const guard = await appendOnlyGuardProblem(db);
  const { checkpoints, problem } = readCheckpoints(config);
  if (problem) return { intact: false, count: 0, problem, checkpoints: checkpoints.length };
  const chain = await verifyAuditChain(db, { anchors: anchorsOf(checkpoints), cut: cutOf(checkpoints) });
  if (!chain.intact) return { ...chain, checkpoints: checkpoints.length };
  if (guard) return { intact: false, count: chain.count, problem: guard, checkpoints: checkpoints.length };
  const written = options.checkpoint ? await writeCheckpoint(db, config) : undefined;
  return { ...chain, checkpoints: checkpoints.length, written };
}
