import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/schema.ts';
import { AUDIT_CHAINS, AUDIT_LOCK_CLASS, canonicalJson, recordAudit, verifyAuditChain } from '../../src/platform/audit.ts';
import { testDatabase, engine } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';

let database: Database;
let db: Kysely<DB>;

beforeAll(async () => {
  database = await testDatabase();
  db = database.db;
});
afterAll(() => database.close());

async function append(n: number) {
  for (let i = 0; i < n; i++) {
    await db.transaction().execute((trx) =>
      recordAudit(trx, { userId: null, agencyId: null, correlationId: `c${i}` }, { action: 'test.event', recordType: 'incident', recordId: `r${i}`, detail: { b: 1, a: [i, 'x'] } }),
    );
  }
}

/** Tampers as a database superuser would: with triggers (the append-only guard) switched off. */
async function tamper(statement: string) {
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL session_replication_role = replica`.execute(trx);
    await sql.raw(statement).execute(trx);
  });
}

describe('audit chain', () => {
  it('hashes canonical JSON, whatever order keys arrive in', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('verifies an intact chain and counts its events', async () => {
    await append(5);
    const result = await verifyAuditChain(db);
    expect(result).toEqual({ intact: true, count: 5 });
  });

  it('refuses UPDATE, DELETE and TRUNCATE, even from the table owner', async () => {
    await expect(sql`UPDATE audit_event SET action = 'x' WHERE seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM audit_event WHERE seq = 1`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE audit_event`.execute(db)).rejects.toThrow(/append-only/);
  });

  it('catches an edited row and names it', async () => {
    await tamper(`UPDATE audit_event SET record_id = 'forged' WHERE seq = 3`);
    const result = await verifyAuditChain(db);
    expect(result).toMatchObject({ intact: false, seq: 3, count: 2 });
    await tamper(`UPDATE audit_event SET record_id = 'r2' WHERE seq = 3`);
    expect((await verifyAuditChain(db)).intact).toBe(true);
  });

  it('catches an edited timestamp or outcome', async () => {
    await tamper(`UPDATE audit_event SET outcome = 'denied' WHERE seq = 2`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, seq: 2 });
    await tamper(`UPDATE audit_event SET outcome = 'allowed' WHERE seq = 2`);
    await tamper(`UPDATE audit_event SET at = at + interval '1 second' WHERE seq = 4`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, seq: 4 });
    await tamper(`UPDATE audit_event SET at = at - interval '1 second' WHERE seq = 4`);
    expect((await verifyAuditChain(db)).intact).toBe(true);
  });

  it('catches a deleted row', async () => {
    const copy = await db.selectFrom('audit_event').selectAll().where('seq', '=', 2).executeTakeFirstOrThrow();
    await tamper(`DELETE FROM audit_event WHERE seq = 2`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, seq: 3 });
    await db.transaction().execute(async (trx) => {
      await sql`SET LOCAL session_replication_role = replica`.execute(trx);
      await trx.insertInto('audit_event').values({ ...copy, detail: JSON.stringify(copy.detail) } as never).execute();
    });
    expect((await verifyAuditChain(db)).intact).toBe(true);
  });

  it('catches an inserted row, even one with a correct hash of its own', async () => {
    // Move events 4.. along by one and slip a forged event in at position 4: event 5 no longer follows it.
    await tamper(`UPDATE audit_event SET position = position + 1000 WHERE chain = 0 AND position >= 4`);
    await tamper(`UPDATE audit_event SET position = position - 999 WHERE chain = 0 AND position >= 1004`);
    const prev = await db.selectFrom('audit_event').select('hash').where('chain', '=', 0).where('position', '=', 3).executeTakeFirstOrThrow();
    await tamper(`INSERT INTO audit_event (seq, chain, position, at, action, outcome, detail, prev_hash, hash) VALUES (999, 0, 4, now(), 'forged', 'allowed', '{}', '${prev.hash}', '${'f'.repeat(64)}')`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, chain: 0, position: 4, seq: 999 });
    await tamper(`DELETE FROM audit_event WHERE seq = 999`);
    await tamper(`UPDATE audit_event SET position = position + 1000 WHERE chain = 0 AND position >= 5`);
    await tamper(`UPDATE audit_event SET position = position - 1001 WHERE chain = 0 AND position >= 1005`);
    expect((await verifyAuditChain(db)).intact).toBe(true);
  });

  it('keeps every chain intact when many transactions append at once', async () => {
    const before = (await verifyAuditChain(db)).count;
    await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        db.transaction().execute(async (trx) => {
          await recordAudit(trx, { correlationId: `p${i}` }, { action: 'test.parallel' });
          await recordAudit(trx, { correlationId: `p${i}` }, { action: 'test.parallel.second' });
        }),
      ),
    );
    expect(await verifyAuditChain(db)).toEqual({ intact: true, count: before + 80 });
    // Both events of one transaction sit in one chain.
    const chains = await sql<{ n: number }>`SELECT count(DISTINCT chain)::int AS n FROM audit_event WHERE correlation_id = 'p7'`.execute(db);
    expect(chains.rows[0].n).toBe(1);
  });

  // Lanes held by another transaction (another connection; the embedded database is one session, where
  // a lock is always its own).
  it.runIf(engine === 'postgresql')('takes exactly one free lane when others are busy, and waits for one when none is free', async () => {
    const hold = (lanes: number[]) => {
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      let ready!: () => void;
      const held = new Promise<void>((r) => (ready = r));
      const done = db.transaction().execute(async (holder) => {
        for (const lane of lanes) await sql`SELECT pg_advisory_xact_lock(${AUDIT_LOCK_CLASS}, ${lane})`.execute(holder);
        ready();
        await released;
      });
      return { held, release, done };
    };
    // Two lanes free: the first of them is taken, and only it.
    const busy = hold(Array.from({ length: AUDIT_CHAINS - 2 }, (_, i) => i));
    await busy.held;
    const taken = await db.transaction().execute(async (trx) => {
      await recordAudit(trx, { correlationId: 'one-free-lane' }, { action: 'test.lane' });
      return (await sql<{ n: number }>`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = ${AUDIT_LOCK_CLASS} AND pid = pg_backend_pid()`.execute(trx)).rows[0].n;
    });
    expect(taken).toBe(1);
    const lane = await sql<{ chain: number }>`SELECT chain FROM audit_event WHERE correlation_id = 'one-free-lane'`.execute(db);
    expect(lane.rows[0].chain).toBe(AUDIT_CHAINS - 2);
    busy.release();
    await busy.done;

    const all = hold(Array.from({ length: AUDIT_CHAINS }, (_, i) => i));
    await all.held;
    let appended = false;
    const waiting = db.transaction().execute((trx) => recordAudit(trx, { correlationId: 'waited' }, { action: 'test.lane' })).then(() => (appended = true));
    await new Promise((r) => setTimeout(r, 300));
    expect(appended).toBe(false);
    all.release();
    await all.done;
    await waiting;
    expect((await verifyAuditChain(db)).intact).toBe(true);
  });

  it('catches reordered rows', async () => {
    await tamper(`UPDATE audit_event SET position = 100000 WHERE chain = 0 AND position = 2`);
    await tamper(`UPDATE audit_event SET position = 2 WHERE chain = 0 AND position = 3`);
    await tamper(`UPDATE audit_event SET position = 3 WHERE chain = 0 AND position = 100000`);
    expect(await verifyAuditChain(db)).toMatchObject({ intact: false, chain: 0, position: 2 });
  });

  it.runIf(engine === 'postgresql')('lets the service role only INSERT and SELECT audit rows (PostgreSQL)', async () => {
    const role = `reachable_app_test_${Math.random().toString(36).slice(2, 8)}`;
    await sql.raw(`CREATE ROLE ${role}`).execute(db);
    await sql.raw(`GRANT SELECT, INSERT ON audit_event TO ${role}`).execute(db);
    await db.transaction().execute(async (trx) => {
      await sql.raw(`SET LOCAL ROLE ${role}`).execute(trx);
      await sql`SELECT count(*) FROM audit_event`.execute(trx);
      await expect(sql`SAVEPOINT s; UPDATE audit_event SET action = 'x' WHERE seq = 1`.execute(trx)).rejects.toThrow(/permission denied/);
    });
    await sql.raw(`DROP OWNED BY ${role}; DROP ROLE ${role}`).execute(db);
  });
});
