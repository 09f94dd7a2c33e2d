// Retention (issue 21), on the demo partnership: an episode closed six years
// ago today is due and one closed a day later is not; a legal hold on the
// young person keeps it out of the approval; a hold placed after approval
// still stops removal; once approved and removed by the sweep, nothing of it
// is left in any page, export, search or table (its id only in the audit
// log, which still verifies). A month of imported crime data goes the same
// way once the information governance officer shortens its period, refused
// field by field and when stale first.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemo } from '../../src/modules/demo/seed.ts';
import { dueQuery, removeApproved, checkRetention, type Rule } from '../../src/modules/governance/retention.ts';
import { verifyAuditChain } from '../../src/platform/audit.ts';
import { londonToday } from '../../src/platform/time.ts';
import { signedIn, submit, testApp, testDatabase, type Client, type TestApp } from '../support/app.ts';
import type { Database } from '../../src/db/database.ts';

let database: Database;
let t: TestApp;
let ig: Client;
let admin: Client;
let coordinator: Client;
let worker: Client;
const today = londonToday();
const MARKER = 'Retention marker: the blue heron note';
let due: { id: string; person_id: string };
let notYet: { id: string };

const demoUser = (local: string) => t.db.selectFrom('app_user').select(['id', 'agency_id']).where('email', 'like', `${local}@%`).executeTakeFirstOrThrow();
const rule = (kind: string) => t.db.selectFrom('retention_rule').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow() as Promise<Rule & { id: string; version: number }>;
const dueKeys = async (kind: string) => (await dueQuery(t.db, await rule(kind), today)).map((r) => r.key);

beforeAll(async () => {
  database = await testDatabase();
  await seedDemo(database.db, { scale: 'borough', seed: 5, people: 150, incidents: 300 });
  t = await testApp({}, database);
  ig = await signedIn(t, await demoUser('ig'));
  admin = await signedIn(t, await demoUser('admin'));
  coordinator = await signedIn(t, await demoUser('coordinator'));
  // Two of the demo's episodes, closed on the two sides of the 72-month edge; the first with a note that can be looked for.
  const [a, b] = await t.db.selectFrom('episode').select(['id', 'person_id', 'lead_worker_id']).orderBy('id').limit(2).execute();
  await sql`UPDATE episode SET closed_on = (${today}::date - interval '72 months')::date, outcome = 'completed', closure_note = 'Goals met' WHERE id = ${a.id}`.execute(t.db);
  await sql`UPDATE episode SET closed_on = (${today}::date - interval '72 months' + interval '1 day')::date, outcome = 'completed', closure_note = 'Goals met' WHERE id = ${b.id}`.execute(t.db);
  await t.db.insertInto('episode_note').values({ episode_id: a.id, kind: 'note', happened_at: new Date('2020-11-01T10:00:00Z'), body: MARKER, visibility: 'all', author_id: a.lead_worker_id }).execute();
  due = a;
  notYet = b;
  worker = await signedIn(t, { id: a.lead_worker_id });
}, 180_000);
afterAll(async () => {
  await t.close();
  await database.close();
});

describe('retention of casework episodes', () => {
  it('is due on the day its period ends after closure, not the day before', async () => {
    const keys = await dueKeys('episode');
    expect(keys).toContain(due.id);
    expect(keys).not.toContain(notYet.id);
    // The 25th birthday trigger: the later of closure and the birthday.
    await sql`UPDATE retention_rule SET trigger = 'birthday_25', months = 0 WHERE kind = 'episode'`.execute(t.db);
    await sql`UPDATE person SET date_of_birth = (${today}::date - interval '25 years')::date WHERE id = ${due.person_id}`.execute(t.db);
    expect(await dueKeys('episode')).toContain(due.id);
    await sql`UPDATE person SET date_of_birth = (${today}::date - interval '25 years' + interval '1 day')::date WHERE id = ${due.person_id}`.execute(t.db);
    expect(await dueKeys('episode')).not.toContain(due.id);
    await sql`UPDATE retention_rule SET trigger = 'closed', months = 72 WHERE kind = 'episode'`.execute(t.db);
  });

  it('is shown to the information governance officer and administrators, not to others', async () => {
    const page = await ig.get('/retention');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Casework episodes, with their notes, goals and outcome measures');
    expect(page.body).toContain('How this is worked out');
    expect((await admin.get('/retention/episode')).body).not.toContain('Approve removal');
    expect((await coordinator.get('/retention')).statusCode).toBe(403);
    expect((await coordinator.post('/retention/episode/approve', {})).statusCode).toBe(403);
    expect((await ig.get('/retention/nothing')).statusCode).toBe(404);
  });

  it('shows the sweep’s daily look on the schedule, and looks again when a rule changes', async () => {
    expect((await ig.get('/retention')).body).toContain('The sweep has not looked yet');
    const found = await checkRetention(t.db);
    const check = await t.db.selectFrom('retention_check').selectAll().executeTakeFirstOrThrow();
    const live = (await dueKeys('episode')).length;
    expect(check.by_kind.episode.due).toBe(live);
    expect(found).toBe(Object.values(check.by_kind).reduce((n, k) => n + k.due - k.approved, 0));
    const page = (await ig.get('/retention')).body;
    expect(page).not.toContain('Not looked yet');
    expect(page).toContain(`found ${found} record`);
    // A second look the same day changes nothing; a changed rule sends the sweep to look again.
    expect(await checkRetention(t.db)).toBeNull();
    const rule = await t.db.selectFrom('retention_rule').select(['version', 'months', 'policy']).where('kind', '=', 'referral').executeTakeFirstOrThrow();
    expect((await submit(ig, '/retention/referral', '/retention/referral/rule', { months: String(rule.months), trigger: 'closed', policy: rule.policy })).statusCode).toBe(303);
    expect(await t.db.selectFrom('retention_check').select('day').execute()).toHaveLength(0);
  });

  it('keeps a held record out of the approval: a hold refused field by field first', async () => {
    const empty = await ig.post('/legal-holds', {});
    expect(empty.statusCode).toBe(400);
    for (const message of ['Select what the hold is on', 'Enter the matter the hold is for', 'Enter why the records must be kept']) expect(empty.body).toContain(message);
    const unknown = await ig.post('/legal-holds', { scope: 'person', personId: crypto.randomUUID(), matter: 'Claim 2026/114', reason: 'Civil claim' });
    expect(unknown.body).toContain('No person has that record ID');
    expect(await t.db.selectFrom('legal_hold').select('id').execute()).toHaveLength(0);

    const placed = await submit(ig, '/legal-holds', '/legal-holds', { scope: 'person', personId: due.person_id, matter: 'Claim 2026/114', reason: 'A civil claim about the support given' });
    expect(placed.statusCode).toBe(303);
    const kindPage = (await ig.get('/retention/episode')).body;
    expect(kindPage).toContain('Held');
    expect(kindPage).toContain('Claim 2026/114');
    // Nothing is approvable, so the page offers no approval; posting it anyway approves nothing held.
    expect(kindPage).not.toContain('Approve removal');
    expect((await ig.post('/retention/episode/approve', {})).statusCode).toBe(303);
    expect(await t.db.selectFrom('retention_due').select('key').where('key', '=', due.id).execute()).toHaveLength(0);

    // Lifting needs a reason, and the version read.
    const hold = await t.db.selectFrom('legal_hold').select(['id', 'version']).executeTakeFirstOrThrow();
    expect((await ig.post(`/legal-holds/${hold.id}/lift`, { version: String(hold.version), liftReason: '' })).body).toContain('Enter why the hold is lifted');
    const stale = await ig.post(`/legal-holds/${hold.id}/lift`, { version: String(hold.version + 1), liftReason: 'Claim settled' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Claim settled');
    expect((await submit(ig, '/legal-holds', `/legal-holds/${hold.id}/lift`, { liftReason: 'Claim settled' })).statusCode).toBe(303);
  });

  it('is not removed when a hold is placed after approval', async () => {
    expect((await submit(ig, '/retention/episode', '/retention/episode/approve')).statusCode).toBe(303);
    expect(await t.db.selectFrom('retention_due').select('key').where('key', '=', due.id).execute()).toHaveLength(1);
    expect((await submit(ig, '/legal-holds', '/legal-holds', { scope: 'kind', kind: 'episode', matter: 'Independent inquiry', reason: 'Preserve all casework' })).statusCode).toBe(303);
    await removeApproved(t.db);
    expect(await t.db.selectFrom('episode').select('id').where('id', '=', due.id).execute()).toHaveLength(1);
    // The approval is dropped: the record comes back to the list for a fresh decision.
    expect(await t.db.selectFrom('retention_due').select('key').where('kind', '=', 'episode').execute()).toHaveLength(0);
    const hold = await t.db.selectFrom('legal_hold').select(['id']).where('kind', '=', 'episode').executeTakeFirstOrThrow();
    expect((await submit(ig, '/legal-holds', `/legal-holds/${hold.id}/lift`, { liftReason: 'Inquiry closed' })).statusCode).toBe(303);
  });

  it('after approval, leaves no trace of the episode in any page, export, search or table, and the audit log verifies', async () => {
    const person = `/people/${due.person_id}`;
    expect((await worker.get(`/episodes/${due.id}`)).body).toContain(MARKER);
    expect((await submit(ig, '/retention/episode', '/retention/episode/approve')).statusCode).toBe(303);
    expect(await checkRetention(t.db)).toBeGreaterThanOrEqual(0);
    const removed = await removeApproved(t.db);
    expect(removed).toBeGreaterThanOrEqual(1);

    expect((await worker.get(`/episodes/${due.id}`)).statusCode).toBe(404);
    expect((await worker.get(`/episodes/${due.id}/notes.csv`)).statusCode).toBe(404);
    expect((await worker.post(`/episodes/${due.id}/notes/search`, { q: 'heron' })).statusCode).toBe(404);
    for (const page of [person, '/caseload', '/caseload/team', '/home']) {
      const res = await worker.get(page);
      expect(res.body).not.toContain(due.id);
      expect(res.body).not.toContain(MARKER);
    }
    expect((await coordinator.get(person)).body).not.toContain(due.id);
    // The episode that was not due is still there.
    expect(await t.db.selectFrom('episode').select('id').where('id', '=', notYet.id).execute()).toHaveLength(1);

    // Every row of every table, as text: the note's words nowhere, the episode's id only in the audit log.
    const { rows: tables } = await sql<{ table_name: string }>`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`.execute(t.db);
    for (const { table_name } of tables) {
      const { rows } = await sql<{ words: number; id: number }>`SELECT count(*) FILTER (WHERE t::text LIKE ${'%' + MARKER + '%'})::int AS words, count(*) FILTER (WHERE t::text LIKE ${'%' + due.id + '%'})::int AS id FROM ${sql.table(table_name)} t`.execute(t.db);
      expect({ table_name, words: rows[0].words }).toEqual({ table_name, words: 0 });
      if (table_name !== 'audit_event') expect({ table_name, id: rows[0].id }).toEqual({ table_name, id: 0 });
    }
    const event = await t.db.selectFrom('audit_event').selectAll().where('action', '=', 'retention.remove').where('record_id', '=', due.id).executeTakeFirstOrThrow();
    expect(event.record_type).toBe('episode');
    expect(event.detail).toMatchObject({ rule: { months: 72, trigger: 'closed' }, rows: { episode: 1, episode_note: expect.any(Number) } });
    expect(event.user_id).toBe((await demoUser('ig')).id);
    expect(await verifyAuditChain(t.db)).toMatchObject({ intact: true });
  });
});

describe('retention of imported crime data', () => {
  it('refuses a bad or stale rule field by field, then removes the oldest month once due and approved', async () => {
    const r = await rule('crime_record');
    const bad = await ig.post('/retention/crime_record/rule', { version: String(r.version), months: 'eleven', trigger: 'closed', policy: '' });
    expect(bad.statusCode).toBe(400);
    for (const message of ['Select what the period runs from', 'Enter the policy the period comes from']) expect(bad.body).toContain(message);
    expect(bad.body).toMatch(/The period in months must be a number/);
    const stale = await ig.post('/retention/crime_record/rule', { version: String(r.version + 1), months: '12', trigger: 'recorded', policy: 'Shortened for the test of the oldest month' });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Shortened for the test of the oldest month');
    expect((await rule('crime_record')).months).toBe(36);

    const months = (await sql<{ m: string }>`SELECT DISTINCT to_char(month, 'YYYY-MM') AS m FROM crime_record ORDER BY 1`.execute(t.db)).rows.map((x) => x.m);
    expect(months).toHaveLength(12);
    expect(await dueKeys('crime_record')).toEqual([]);
    // Twelve months: the oldest of the demo's twelve months began twelve months ago today, so it is due; the rest are not.
    expect((await submit(ig, '/retention/crime_record', '/retention/crime_record/rule', { months: '12', trigger: 'recorded', policy: 'Shortened for the test of the oldest month' })).statusCode).toBe(303);
    expect(await dueKeys('crime_record')).toEqual([months[0]]);
    expect((await submit(ig, '/retention/crime_record', '/retention/crime_record/approve')).statusCode).toBe(303);
    const before = await t.db.selectFrom('crime_record').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    const removed = await removeApproved(t.db);
    const after = await t.db.selectFrom('crime_record').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(Number(before.n) - Number(after.n)).toBe(removed);
    expect((await sql<{ m: string }>`SELECT DISTINCT to_char(month, 'YYYY-MM') AS m FROM crime_record ORDER BY 1`.execute(t.db)).rows.map((x) => x.m)).toEqual(months.slice(1));
    const event = await t.db.selectFrom('audit_event').select(['detail']).where('action', '=', 'retention.remove').where('record_id', '=', months[0]).executeTakeFirstOrThrow();
    expect(event.detail).toMatchObject({ rows: { crime_record: removed } });
  });
});
