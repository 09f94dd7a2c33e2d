// The audit log against someone with its database owner's rights (issue 17):
// every hashed column tampered in turn, a history rewritten with its hashes
// recomputed, the tail cut off, the log emptied, the append-only guard turned
// off, and the checkpoints themselves edited or taken away.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { eventHash, recordAudit, verifyAuditChain } from '../../src/platform/audit.ts';
import { verifyAudit, writeCheckpoint, type AnchorConfig } from '../../src/platform/auditAnchor.ts';
import { expireAudit } from '../../src/platform/auditExpiry.ts';
import { testDatabase } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';

let database: Database;
let db: Kysely<DB>;
let anchors: AnchorConfig;

beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
});
afterAll(() => database.close());

/** A fresh log and a fresh checkpoint folder for each case. */
beforeEach(async () => {
  await owner(`DELETE FROM audit_event`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-anchor-'));
  anchors = { checkpointDir: path.join(dir, 'checkpoints'), keyFile: path.join(dir, 'key.pem') };
  await append(30);
});

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db.transaction().execute((trx) =>
      recordAudit(trx, { userId: '11111111-1111-4111-8111-111111111111', agencyId: '22222222-2222-4222-8222-222222222222', apiClientId: null, correlationId: `c${i}` }, {
        action: 'person.view',
        recordType: 'person',
        recordId: `r${i}`,
        personId: '33333333-3333-4333-8333-333333333333',
        purpose: 'casework',
        detail: { page: i },
      }),
    );
  }
}

/** As the database owner with the append-only guard switched off for the statement, as issue 17 measured. */
async function owner(statement: string) {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql.raw(statement).execute(trx);
  });
}

// Every column the hash covers, and a value to put in it.
const HASHED: [string, string][] = [
  ['seq', 'seq + 100000'],
  ['chain', 'chain + 50'],
  ['position', 'position + 100000'],
  ['at', "at + interval '1 second'"],
  ['user_id', "'44444444-4444-4444-8444-444444444444'"],
  ['agency_id', "'44444444-4444-4444-8444-444444444444'"],
  ['api_client_id', "'44444444-4444-4444-8444-444444444444'"],
  ['action', "'nothing.to.see'"],
  ['record_type', "'incident'"],
  ['record_id', "'forged'"],
  ['person_id', "'44444444-4444-4444-8444-444444444444'"],
  ['purpose', "'curiosity'"],
  ['outcome', "'denied'"],
  ['detail', `'{"page": -1}'`],
  ['correlation_id', "'forged'"],
  ['prev_hash', `'${'0'.repeat(64)}'`],
  ['hash', `'${'f'.repeat(64)}'`],
];

describe('each hashed column', () => {
  it.each(HASHED)('%s changed by hand makes verify fail', async (column, value) => {
    expect((await verifyAudit(db, anchors)).intact).toBe(true);
    const { seq } = await db.selectFrom('audit_event').select('seq').orderBy('seq').offset(5).limit(1).executeTakeFirstOrThrow();
    await owner(`UPDATE audit_event SET ${column} = ${value} WHERE seq = ${seq}`);
    const result = await verifyAudit(db, anchors);
    expect(result.intact).toBe(false);
  });
});

/** Changes one event and recomputes its hash and every later one in its lane, as an owner could. */
async function rewrite(seq: number) {
  const target = await db.selectFrom('audit_event').selectAll().where('seq', '=', seq).executeTakeFirstOrThrow();
  const lane = await db.selectFrom('audit_event').selectAll().where('chain', '=', target.chain).where('position', '>=', target.position).orderBy('position').execute();
  let prev = target.prev_hash;
  for (const row of lane) {
    const content = {
      seq: Number(row.seq), chain: Number(row.chain), position: Number(row.position), at: new Date(row.at).toISOString(), user_id: row.user_id, agency_id: row.agency_id,
      api_client_id: row.api_client_id, action: Number(row.seq) === seq ? 'nothing.to.see' : row.action, record_type: row.record_type, record_id: row.record_id,
      person_id: row.person_id, purpose: row.purpose, outcome: row.outcome, detail: row.detail, correlation_id: row.correlation_id,
    };
    const hash = eventHash(prev, content);
    await owner(`UPDATE audit_event SET action = '${content.action}', prev_hash = '${prev}', hash = '${hash}' WHERE seq = ${row.seq}`);
    prev = hash;
  }
}

describe('against checkpoints kept outside the database', () => {
  it('passes an untouched log and writes a signed checkpoint each time', async () => {
    const first = await verifyAudit(db, anchors, { checkpoint: true });
    expect(first).toMatchObject({ intact: true, count: 30, checkpoints: 0 });
    await append(3);
    expect(await verifyAudit(db, anchors, { checkpoint: true })).toMatchObject({ intact: true, count: 33, checkpoints: 1 });
    expect(fs.readdirSync(anchors.checkpointDir)).toHaveLength(2);
  });

  it('catches a history rewritten with every later hash recomputed, naming the first event that no longer matches', async () => {
    const { seq } = await db.selectFrom('audit_event').select('seq').orderBy('seq').offset(7).limit(1).executeTakeFirstOrThrow();
    const checkpointed = await writeCheckpoint(db, anchors);
    await append(2);
    await rewrite(Number(seq));
    // The chain alone is fooled: that is the attack.
    expect((await verifyAuditChain(db)).intact).toBe(true);
    const result = await verifyAudit(db, anchors);
    expect(result.intact).toBe(false);
    if (result.intact) return;
    expect(result.problem).toMatch(/history was rewritten/);
    // The first event a checkpoint holds that no longer matches: the head of the rewritten lane.
    const { chain } = await db.selectFrom('audit_event').select('chain').where('seq', '=', seq).executeTakeFirstOrThrow();
    expect(result.seq).toBe(checkpointed.lanes.find((l) => l.chain === Number(chain))!.seq);
  });

  it('catches the last 20 events deleted', async () => {
    await writeCheckpoint(db, anchors);
    await owner(`DELETE FROM audit_event WHERE seq IN (SELECT seq FROM audit_event ORDER BY seq DESC LIMIT 20)`);
    expect((await verifyAuditChain(db)).intact).toBe(true);
    const result = await verifyAudit(db, anchors);
    expect(result).toMatchObject({ intact: false, problem: expect.stringMatching(/cut short/) });
  });

  it('catches the log emptied', async () => {
    await writeCheckpoint(db, anchors);
    await owner(`DELETE FROM audit_event`);
    expect(await verifyAuditChain(db)).toEqual({ intact: true, count: 0 });
    const result = await verifyAudit(db, anchors);
    expect(result).toMatchObject({ intact: false, count: 0, problem: expect.stringMatching(/emptied/) });
  });

  it('catches a checkpoint edited, or one taken out of the middle', async () => {
    await writeCheckpoint(db, anchors, new Date(Date.now() - 2000));
    await writeCheckpoint(db, anchors, new Date(Date.now() - 1000));
    await writeCheckpoint(db, anchors);
    const files = fs.readdirSync(anchors.checkpointDir).sort();
    const middle = path.join(anchors.checkpointDir, files[1]);
    const text = fs.readFileSync(middle, 'utf8');
    fs.chmodSync(middle, 0o644);
    fs.writeFileSync(middle, text.replace(/"events": 30/, '"events": 29'));
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: false, problem: expect.stringMatching(/not signed by this deployment/) });
    fs.rmSync(middle);
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: false, problem: expect.stringMatching(/before .* is missing or was changed/) });
  });

  it('refuses checkpoints signed with another key', async () => {
    await writeCheckpoint(db, anchors);
    const other = { ...anchors, keyFile: `${anchors.keyFile}.other` };
    expect(await verifyAudit(db, other)).toMatchObject({ intact: false, problem: expect.stringMatching(/not signed by this deployment/) });
  });
});

describe('the append-only guard', () => {
  it.each([
    ['disabled by the table owner', 'ALTER TABLE audit_event DISABLE TRIGGER USER', 'ALTER TABLE audit_event ENABLE TRIGGER USER', /is disabled/],
    ['dropped', 'DROP TRIGGER audit_event_no_update ON audit_event', 'CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()', /dropped/],
    [
      'made to let rows through',
      `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END; $$`,
      `CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$`,
      /has been changed/,
    ],
  ])('is checked by verify: %s', async (_what, change, undo, problem) => {
    await sql.raw(change).execute(db);
    try {
      expect(await verifyAudit(db, anchors)).toMatchObject({ intact: false, problem: expect.stringMatching(problem) });
    } finally {
      await sql.raw(undo).execute(db);
    }
    expect((await verifyAudit(db, anchors)).intact).toBe(true);
  });
});

describe('removing the oldest events under the retention schedule', () => {
  const lanes = async () => (await db.selectFrom('audit_event').select('chain').distinct().execute()).length;
  const count = async () => Number((await db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('removes everything before the date but each lane’s newest event, behind a signed cut that verify starts from', async () => {
    await writeCheckpoint(db, anchors);
    const kept = await lanes();
    const result = await expireAudit(db, anchors, new Date(Date.now() + 1000));
    // Only the expiry's own event was added: every lane keeps its newest, and the rest of the 30 went.
    expect(result).toEqual({ removed: 30 - kept, lanes: kept });
    expect(await count()).toBe(kept + 1);
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: true });
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false });
    await append(5);
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: true });
    // The guard is back on: the owner cannot delete without switching it off again.
    await expect(db.deleteFrom('audit_event').execute()).rejects.toThrow(/append-only/);
  });

  it('keeps events recorded on or after the date, and cuts nothing in a lane with nothing before it', async () => {
    const before = new Date();
    await new Promise((r) => setTimeout(r, 5));
    await append(3);
    const result = await expireAudit(db, anchors, before);
    expect('removed' in result && result.removed).toBeGreaterThan(0);
    const left = await db.selectFrom('audit_event').select('correlation_id').where('action', '=', 'person.view').execute();
    for (const id of ['c0', 'c1', 'c2']) expect(left.filter((e) => e.correlation_id === id).length).toBeGreaterThanOrEqual(1);
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: true });
  });

  it('catches one event more removed by hand past the cut, and a prefix removed with no signed cut', async () => {
    await expireAudit(db, anchors, new Date(Date.now() + 1000));
    await append(4);
    const first = await db.selectFrom('audit_event').select(['chain', 'position']).orderBy('position').limit(1).executeTakeFirstOrThrow();
    await owner(`DELETE FROM audit_event WHERE chain = ${first.chain} AND position = ${first.position}`);
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: false, problem: expect.stringContaining('is missing') });

    await owner(`DELETE FROM audit_event`);
    await append(10);
    await owner(`DELETE FROM audit_event WHERE position <= 2`);
    expect((await verifyAudit(db, anchors)).intact).toBe(false);
  });

  it('refuses to sign a cut over a log that does not verify, removing nothing; a cut edited by hand is refused', async () => {
    await owner(`UPDATE audit_event SET action = 'nothing.to.see' WHERE position = 2`);
    const before = await count();
    expect(await expireAudit(db, anchors, new Date(Date.now() + 1000))).toMatchObject({ refused: expect.stringContaining('does not verify') });
    expect(await count()).toBe(before);

    await owner(`DELETE FROM audit_event`);
    await append(10);
    await expireAudit(db, anchors, new Date(Date.now() + 1000));
    const file = fs.readdirSync(anchors.checkpointDir).filter((f) => f.startsWith('checkpoint-')).sort().at(-1)!;
    const stored = JSON.parse(fs.readFileSync(path.join(anchors.checkpointDir, file), 'utf8'));
    stored.checkpoint.cut[0].position += 1;
    fs.chmodSync(path.join(anchors.checkpointDir, file), 0o644);
    fs.writeFileSync(path.join(anchors.checkpointDir, file), JSON.stringify(stored));
    expect(await verifyAudit(db, anchors)).toMatchObject({ intact: false, problem: expect.stringContaining('not signed') });
  });
});
