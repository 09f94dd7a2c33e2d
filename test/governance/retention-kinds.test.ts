// Retention of the rest of the case record (issue 21), on the demo
// partnership, each at both edges of its rule: an urgent response is kept
// until the young person's 25th birthday (due on it, not the day before) and
// then deleted with everything hanging off it; an incident six years after it
// happened (due on the day, not the day after) is anonymised, keeping its
// type, time and place for the statistics but no one in it; police
// intelligence (a graded link) six years after anything was last added to
// it, under its own rule and not the ungraded links' one; a context
// assessment six years after it closed.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { dueQuery, removeApproved, removeApprovedAudit, type Rule } from '../../src/modules/governance/retention.ts';
import { verifyAudit } from '../../src/platform/auditAnchor.ts';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { londonToday } from '../../src/platform/time.ts';
import { signedIn, submit, testApp, testDatabase, type Client, type TestApp } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';

let database: Database;
let t: TestApp;
let ig: Client;
let coordinator: Client;
const today = londonToday();

const demoUser = (local: string) => t.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', 'like', `${local}@%`).executeTakeFirstOrThrow();
const rule = (kind: string) => t.db.selectFrom('retention_rule').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow() as Promise<Rule>;
const dueKeys = async (kind: string) => (await dueQuery(t.db, await rule(kind), today)).map((r) => r.key);
const yearsAgo = (years: number, days = 0) => sql<string>`(${today}::date - make_interval(years => ${years}) + make_interval(days => ${days}))::date`;

/** Approves everything due of the kind from its page, and runs the sweep's removal. */
async function approveAndRemove(kind: string) {
  expect((await submit(ig, `/retention/${kind}`, `/retention/${kind}/approve`)).statusCode).toBe(303);
  return removeApproved(t.db);
}

/** The tables (other than the audit log) whose rows, read as text, still hold this id. */
async function tablesHolding(id: string) {
  const { rows: tables } = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'audit_event'`.execute(t.db);
  const holding = [];
  for (const { table_name } of tables) {
    const { rows } = await sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table_name)} x WHERE x::text LIKE ${'%' + id + '%'}`.execute(t.db);
    if (rows[0].n) holding.push(table_name);
  }
  return holding;
}

beforeAll(async () => {
  database = await testDatabase();
  await seedDemo(database.db, { scale: 'borough', seed: 11, people: 150, incidents: 300 });
  t = await testApp({}, database);
  ig = await signedIn(t, await demoUser('ig'));
  coordinator = await signedIn(t, await demoUser('coordinator'));
}, 180_000);
afterAll(async () => {
  await t.close();
  await database.close();
});

describe('retention of urgent responses', () => {
  it('keeps a closed one until the young person’s 25th birthday, then deletes it with what hangs off it', async () => {
    const [due, kept] = await t.db.selectFrom('urgent_response').select(['id', 'person_id', 'reference']).where('status', '=', 'closed').orderBy('id').limit(2).execute();
    await sql`UPDATE person SET date_of_birth = ${yearsAgo(25)} WHERE id = ${due.person_id}`.execute(t.db);
    await sql`UPDATE person SET date_of_birth = ${yearsAgo(25, 1)} WHERE id = ${kept.person_id}`.execute(t.db);
    const keys = await dueKeys('urgent_response');
    expect(keys).toContain(due.id);
    expect(keys).not.toContain(kept.id);
    expect((await coordinator.get(`/urgent-responses/${due.id}`)).statusCode).toBe(200);

    await approveAndRemove('urgent_response');
    expect((await coordinator.get(`/urgent-responses/${due.id}`)).statusCode).toBe(404);
    expect((await coordinator.get(`/people/${due.person_id}`)).body).not.toContain(due.reference);
    expect(await tablesHolding(due.id)).toEqual([]);
    expect(await t.db.selectFrom('urgent_response').select('id').where('id', '=', kept.id).execute()).toHaveLength(1);
    const event = await t.db.selectFrom('audit_event').select(['record_type', 'detail']).where('action', '=', 'retention.remove').where('record_id', '=', due.id).executeTakeFirstOrThrow();
    expect(event).toMatchObject({ record_type: 'urgent_response', detail: { rule: { months: 0, trigger: 'birthday_25' }, rows: { urgent_response: 1 } } });
  });
});

describe('retention of incidents', () => {
  it('anonymises one six years after it happened (not a day sooner): no one is left in it, and its type, time and place stay', async () => {
    const candidates = await sql<{ id: string; reference: string }>`SELECT i.id, i.reference FROM incident i
      WHERE EXISTS (SELECT 1 FROM involvement v WHERE v.incident_id = i.id)
        AND NOT EXISTS (SELECT 1 FROM urgent_response_incident ui JOIN urgent_response r ON r.id = ui.urgent_response_id WHERE ui.incident_id = i.id AND r.status <> 'closed')
      ORDER BY i.id LIMIT 2`.execute(t.db);
    const [due, kept] = candidates.rows;
    await sql`UPDATE incident SET occurred_at = (${yearsAgo(6)} + time '12:00') AT TIME ZONE 'Europe/London', narrative = 'Retention marker: the grey wagtail' WHERE id = ${due.id}`.execute(t.db);
    await sql`UPDATE incident SET occurred_at = (${yearsAgo(6, 1)} + time '00:30') AT TIME ZONE 'Europe/London' WHERE id = ${kept.id}`.execute(t.db);
    const keys = await dueKeys('incident');
    expect(keys).toContain(due.id);
    expect(keys).not.toContain(kept.id);
    const people = (await t.db.selectFrom('involvement').select('person_id').where('incident_id', '=', due.id).execute()).map((p) => p.person_id);
    const before = await t.db.selectFrom('incident').select(['type_code', 'occurred_at', 'latitude', 'longitude', 'borough_code']).where('id', '=', due.id).executeTakeFirstOrThrow();

    await approveAndRemove('incident');
    expect(await t.db.selectFrom('involvement').select('id').where('incident_id', '=', due.id).execute()).toHaveLength(0);
    const after = await t.db.selectFrom('incident').selectAll().where('id', '=', due.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ ...before, narrative: null, source_reference: null });
    for (const personId of people) expect((await coordinator.get(`/people/${personId}`)).body).not.toContain(due.reference);
    expect(JSON.stringify(await t.db.selectFrom('incident').selectAll().execute())).not.toContain('grey wagtail');
    // Anonymised once: it is not due again.
    expect(await dueKeys('incident')).not.toContain(due.id);
    expect(await t.db.selectFrom('involvement').select('id').where('incident_id', '=', kept.id).execute()).not.toHaveLength(0);
  });
});

describe('retention of police intelligence and context assessments', () => {
  it('removes a graded link six years after it was last added to, under its own rule, and leaves ungraded links to theirs', async () => {
    const [graded, plain] = await t.db.selectFrom('association').select('id').orderBy('id').limit(2).execute();
    await sql`UPDATE association SET source_evaluation = '1', intelligence_assessment = 'B', handling_code = 'P', recorded_at = ${yearsAgo(6)}, reviewed_at = NULL, removed_at = NULL, valid_to = NULL WHERE id = ${graded.id}`.execute(t.db);
    await sql`UPDATE association SET source_evaluation = NULL, intelligence_assessment = NULL, handling_code = NULL, recorded_at = ${yearsAgo(6)}, reviewed_at = NULL, removed_at = NULL, valid_to = NULL WHERE id = ${plain.id}`.execute(t.db);
    expect(await dueKeys('intelligence')).toContain(graded.id);
    expect(await dueKeys('intelligence')).not.toContain(plain.id);
    expect(await dueKeys('association')).toContain(plain.id);
    expect(await dueKeys('association')).not.toContain(graded.id);
    // Reviewed a day later than six years ago: not yet due.
    await sql`UPDATE association SET reviewed_at = ${yearsAgo(6, 1)} WHERE id = ${graded.id}`.execute(t.db);
    expect(await dueKeys('intelligence')).not.toContain(graded.id);
    await sql`UPDATE association SET reviewed_at = NULL WHERE id = ${graded.id}`.execute(t.db);
    await approveAndRemove('intelligence');
    expect(await t.db.selectFrom('association').select('id').where('id', 'in', [graded.id, plain.id]).execute()).toEqual([{ id: plain.id }]);
  });

  it('deletes a context assessment six years after it closed, with its links, reviews and interventions', async () => {
    const lead = await demoUser('coordinator');
    const place = await t.db.insertInto('place').values({ name: 'Retention Park', kind: 'park' }).returning('id').executeTakeFirstOrThrow();
    const made = await t.db
      .insertInto('context_assessment')
      .values({ context_kind: 'location', place_id: place.id, agency_id: lead.agency_id, assessed_on: '2019-01-10', harm_indicators: ['exploitation'], harm_detail: 'Older men seen approaching pupils', protective_factors: [], consulted: 'The school and the park warden', plan: 'Patrols and a detached youth worker', review_on: '2019-04-10', created_by: lead.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    const person = await t.db.selectFrom('person').select('id').limit(1).executeTakeFirstOrThrow();
    await t.db.insertInto('context_link').values({ assessment_id: made.id, person_id: person.id, reason: 'Seen there', added_by: lead.id }).execute();
    await sql`UPDATE context_assessment SET closed_at = (${yearsAgo(6, 1)} + time '09:00') AT TIME ZONE 'Europe/London', closed_reason = 'Harm reduced' WHERE id = ${made.id}`.execute(t.db);
    expect(await dueKeys('context_assessment')).not.toContain(made.id);
    await sql`UPDATE context_assessment SET closed_at = (${yearsAgo(6)} + time '09:00') AT TIME ZONE 'Europe/London' WHERE id = ${made.id}`.execute(t.db);
    expect(await dueKeys('context_assessment')).toContain(made.id);
    await approveAndRemove('context_assessment');
    expect(await tablesHolding(made.id)).toEqual([]);
    expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true });
  });
});

describe('retention of products that name people', () => {
  it('deletes a product made for named agencies two years after the last month it covers begins (not a month sooner), and keeps whole-partnership ones', async () => {
    const maker = await demoUser('coordinator');
    const make = (audience: 'restricted' | 'partnership', monthsAgo: number) =>
      sql<{ id: string }>`INSERT INTO product (kind, title, period_from, period_to, audience, agency_ids, sections, state, content, agency_id)
        VALUES ('intelligence_pack', 'Retention pack', date_trunc('month', ${today}::date - make_interval(months => ${monthsAgo + 2}))::date, date_trunc('month', ${today}::date - make_interval(months => ${monthsAgo}))::date,
          ${audience}, ${audience === 'restricted' ? sql`ARRAY[${maker.agency_id}]::uuid[]` : sql`'{}'::uuid[]`}, '[]', 'generated', '{"sections": []}', ${maker.agency_id}) RETURNING id`.execute(t.db).then((r) => r.rows[0].id);
    const due = await make('restricted', 24);
    const notYet = await make('restricted', 23);
    const partnership = await make('partnership', 60);
    const keys = await dueKeys('product');
    expect(keys).toContain(due);
    expect(keys).not.toContain(notYet);
    expect(keys).not.toContain(partnership);
    await approveAndRemove('product');
    expect((await t.db.selectFrom('product').select('id').where('id', 'in', [due, notYet, partnership]).execute()).map((r) => r.id).sort()).toEqual([notYet, partnership].sort());
  });
});

describe('retention of the audit log', () => {
  it('removes approved months only by the owner’s command, behind a signed cut, and the log still verifies', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-expiry-'));
    const anchors = { checkpointDir: path.join(dir, 'checkpoints'), keyFile: path.join(dir, 'key.pem') };
    expect(await dueKeys('audit_event')).toEqual([]);
    // Kept for no months: this month is due at once (the demo's events are all this month).
    expect((await submit(ig, '/retention/audit_event', '/retention/audit_event/rule', { months: '0', trigger: 'recorded', policy: 'Shortened for the test' })).statusCode).toBe(303);
    const month = today.slice(0, 7);
    expect(await dueKeys('audit_event')).toEqual([month]);
    const before = Number((await t.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    await approveAndRemove('audit_event');
    // The sweep leaves the audit log alone: the service may only add to it.
    expect(Number((await t.db.selectFrom('audit_event').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBeGreaterThan(before);
    const result = await removeApprovedAudit(t.db, anchors);
    expect(result).toMatchObject({ months: [month], removed: expect.any(Number) });
    expect(result && 'removed' in result && result.removed).toBeGreaterThan(0);
    expect(await verifyAudit(t.db, anchors)).toMatchObject({ intact: true });
    expect(await t.db.selectFrom('retention_due').select('key').where('kind', '=', 'audit_event').execute()).toEqual([]);
    expect(await removeApprovedAudit(t.db, anchors)).toBeNull();
  });
});
