// Removing audit events past their time (issue 21), without breaking the
// log's proof. The retention schedule keeps the audit log for a period; the
// information governance officer approves the months that are due on the
// Retention page; then the database owner removes them with `reachable audit
// expire`, because the service's own role may only add to the log (and the
// append-only trigger stops even the owner, except inside this one
// transaction).
//
// The chains are hash-linked from their first event, so removing the oldest
// events would look like tampering. First the whole log is verified; then a
// signed checkpoint names, in each lane, the last event removed (its position
// and hash): `audit verify` starts each lane there, so the first event kept
// must still name that hash. Each lane keeps at least its newest event, so
// new events always follow on. A forged or moved cut is not signed by the
// deployment's key and is refused like any changed checkpoint.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { recordAudit } from './audit.ts';
import { verifyAudit, writeCheckpoint, type AnchorConfig, type LaneHead } from './auditAnchor.ts';

export type Expiry = { removed: number; lanes: number } | { refused: string };

/** Removes every audit event recorded before `before`, except each lane's newest; refused (nothing removed) unless the log verifies first. */
export async function expireAudit(db: Kysely<DB>, config: AnchorConfig, before: Date, now = new Date()): Promise<Expiry> {
  const verdict = await verifyAudit(db, config);
  if (!verdict.intact) return { refused: `the audit log does not verify, so no cut is signed: ${verdict.problem}` };
  const { rows } = await sql<{ chain: number; position: string; seq: string; hash: string }>`
    SELECT e.chain, e.position, e.seq, e.hash FROM audit_event e
    JOIN (SELECT chain, max(position) FILTER (WHERE at < ${before}) AS last_due, max(position) AS head FROM audit_event GROUP BY chain) l
      ON l.chain = e.chain AND e.position = LEAST(l.last_due, l.head - 1)
    WHERE l.last_due IS NOT NULL`.execute(db);
  const cut: LaneHead[] = rows.map((r) => ({ chain: Number(r.chain), position: Number(r.position), seq: Number(r.seq), hash: r.hash }));
  if (cut.length === 0) return { removed: 0, lanes: 0 };
  // Signed before anything goes: if removal then fails, the events past the cut still verify from it.
  await writeCheckpoint(db, config, now, cut);
  return db.transaction().execute(async (trx) => {
    await sql`ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update`.execute(trx);
    let removed = 0;
    for (const lane of cut) removed += Number((await trx.deleteFrom('audit_event').where('chain', '=', lane.chain).where('position', '<=', lane.position).executeTakeFirst()).numDeletedRows);
    await sql`ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update`.execute(trx);
    await recordAudit(trx, {}, { action: 'audit.expire', recordType: 'audit_event', purpose: 'governance', detail: { before: before.toISOString(), removed, lanes: cut.length } });
    return { removed, lanes: cut.length };
  });
}
