// Benchmark (issue 21): a year's worth of expiry at London scale, decided
// and applied, while the service goes on answering. On a copy of the London
// demo (1,000,000 incidents, 300,000 people), a year of records past their
// time is added at the volumes a 33-borough partnership would hold:
//   33,000 closed episodes (10 notes, 3 goals, 2 outcome measures each),
//   50,000 declined referrals, 30,000 network links not confirmed for two
//   years, 10,000 graded intelligence links last added to seven years ago,
//   30,000 closed urgent responses (3 contact attempts each) of young people
//   now past 25, 100,000 of the demo's incidents moved back seven years (to
//   be anonymised), and twelve months of police.uk crime (1,000,000 rows),
//   stop and search (150,000) and A&E assaults (12,000) older than 36 months.
// (The audit log's own months are removed by the database owner's command,
// not the sweep, and are not timed here.)
// Then, as the information governance officer and the sweep would:
//   1. what is due (the sweep's daily look, which the Retention page shows);
//   2. approval of every kind;
//   3. removal by the sweep, a batch per transaction, while Reachable
//      serves a coordinator's pages to 10 clients: their latency before and
//      during removal is the measure of "without blocking the service";
//   4. `audit verify` over the whole log afterwards.
//
//   npx tsx bench/retention.ts [--seconds 20]
import pg from 'pg';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { approveDue, checkRetention, lastCheck, removeApproved, RETENTION_KIND_CODES } from '../src/modules/governance/retention.ts';
import { verifyAuditChain } from '../src/platform/audit.ts';
import { benchDatabase, base, options, sessionsFor, startServer } from './setup.ts';
import { report, runLoad } from './load.ts';

const NAME = 'reachable_bench_retention';
const SECONDS = Number(options.seconds ?? 20);
const adminUrl = process.env.BENCH_DATABASE_URL || process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

// The London demo, loaded once (or reused), copied afresh for each run: removal changes it.
const london = await benchDatabase();
await london.close();
const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS ${NAME} WITH (FORCE)`);
let t0 = performance.now();
await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'reachable_bench' AND pid <> pg_backend_pid()`);
await admin.query(`CREATE DATABASE ${NAME} TEMPLATE reachable_bench`);
await admin.end();
console.log(`copied the London demo in ${s(performance.now() - t0)}`);
const own = new URL(adminUrl);
own.pathname = `/${NAME}`;
const database = await openDatabase({ databaseUrl: own.toString() });
await migrate(database.db);
const db = database.db;

// A year of records past their time, at London volumes.
t0 = performance.now();
const { rows: [ctx] } = await sql<{ service_id: string; agency_id: string; worker_id: string; ig_id: string }>`SELECT s.id AS service_id, s.provider_agency_id AS agency_id,
    NULL::uuid AS worker_id,
    (SELECT id FROM app_user WHERE 'ig_officer' = ANY(roles) LIMIT 1) AS ig_id
  FROM service s WHERE EXISTS (SELECT 1 FROM app_user u WHERE u.agency_id = s.provider_agency_id) ORDER BY s.name LIMIT 1`.execute(db);
// The expired year's casework was led by a worker who has since left: no one whose pages are timed below leads it.
ctx.worker_id = (await db.insertInto('app_user').values({ agency_id: ctx.agency_id, email: 'former.worker@bench.invalid', display_name: 'Former worker', roles: ['caseworker'], disabled_at: new Date() }).returning('id').executeTakeFirstOrThrow()).id;
const ago = (months: number) => sql`(current_date - make_interval(months => ${months}))`;
await sql`CREATE TEMP TABLE bench_people AS SELECT id, row_number() OVER (ORDER BY id) AS n FROM person`.execute(db);
const people = Number((await sql<{ n: string }>`SELECT count(*) AS n FROM bench_people`.execute(db)).rows[0].n);
await sql`INSERT INTO referral (reference, person_id, service_id, from_agency_id, reason, sharing_basis, consent_by, consent_on, status, status_reason, response_due_on, sent_at, decided_at)
  SELECT 'RT-' || lpad(g::text, 7, '0'), p.id, ${ctx.service_id}, ${ctx.agency_id}, 'Referred for mentoring', 'consent', 'young_person', (${ago(85)})::date,
    CASE WHEN g <= 33000 THEN 'ended' ELSE 'declined' END, CASE WHEN g <= 33000 THEN NULL ELSE 'No capacity' END, (${ago(84)})::date,
    ${ago(87)} + (g % 365) * interval '1 day', ${ago(86)} + (g % 365) * interval '1 day'
  FROM generate_series(1, 83000) g JOIN bench_people p ON p.n = 1 + (g::bigint * 7919) % ${people}`.execute(db);
await sql`INSERT INTO episode (person_id, service_id, agency_id, referral_id, lead_worker_id, started_on, review_on, closed_on, outcome, closure_note)
  SELECT r.person_id, r.service_id, ${ctx.agency_id}, r.id, ${ctx.worker_id}, r.decided_at::date, r.decided_at::date + 42, (r.decided_at + interval '60 days')::date, 'completed', 'Goals met'
  FROM referral r WHERE r.reference LIKE 'RT-%' AND r.status = 'ended'`.execute(db);
await sql`INSERT INTO episode_note (episode_id, kind, method, happened_at, body, visibility, author_id)
  SELECT e.id, 'contact', 'face_to_face', e.started_on + g * interval '9 days', 'Met at the youth centre; talked about school and what happens next.', 'all', ${ctx.worker_id}
  FROM episode e JOIN referral r ON r.id = e.referral_id AND r.reference LIKE 'RT-%', generate_series(1, 10) g`.execute(db);
await sql`INSERT INTO episode_goal (episode_id, description, status) SELECT e.id, 'Goal ' || g, 'achieved' FROM episode e JOIN referral r ON r.id = e.referral_id AND r.reference LIKE 'RT-%', generate_series(1, 3) g`.execute(db);
await sql`INSERT INTO outcome_measure (episode_id, stage, measured_on, offences_6m, victimisation_6m, ete_status, benefit_status)
  SELECT e.id, st, e.started_on, 1, 0, 'in_education', 'none' FROM episode e JOIN referral r ON r.id = e.referral_id AND r.reference LIKE 'RT-%', unnest(ARRAY['start', 'end']) st`.execute(db);
await sql`INSERT INTO association (kind, link_type, person_id, other_person_id, agency_id, recorded_at, valid_from, reason, review_on)
  SELECT 'person_person', 'associate', a.id, b.id, ${ctx.agency_id}, ${ago(36)} + (g % 365) * interval '1 day', (${ago(36)})::date, 'Seen together (police)', (${ago(30)})::date
  FROM generate_series(1, 30000) g JOIN bench_people a ON a.n = 1 + (g::bigint * 104729) % ${people} JOIN bench_people b ON b.n = 1 + (g::bigint * 15485863 + 1) % ${people} WHERE a.id <> b.id`.execute(db);
// Urgent responses for young people now past 25 (closed eleven years ago), with three contact attempts each.
await sql`CREATE TEMP TABLE bench_former AS SELECT gen_random_uuid() AS id, g FROM generate_series(1, 30000) g`.execute(db);
await sql`INSERT INTO person (id, given_name, family_name, date_of_birth, sex, ethnicity, agency_id)
  SELECT f.id, 'Former', 'Client ' || f.g, date '1996-01-01' + (f.g % 365), 'male', 'not_stated', ${ctx.agency_id} FROM bench_former f`.execute(db);
await sql`INSERT INTO urgent_response (reference, person_id, agency_id, status, source, notified_at, opened_at, opened_how, closed_at, closure_reason)
  SELECT 'UT-' || lpad(f.g::text, 7, '0'), f.id, ${ctx.agency_id}, 'closed', 'community', ${ago(132)} + (f.g % 365) * interval '1 day', ${ago(132)} + (f.g % 365) * interval '1 day',
    'by hand', ${ago(131)} + (f.g % 365) * interval '1 day', 'supported' FROM bench_former f`.execute(db);
await sql`INSERT INTO contact_attempt (urgent_response_id, attempted_at, with_whom, channel, outcome)
  SELECT r.id, r.opened_at + g * interval '6 hours', 'young_person', 'phone', CASE WHEN g = 3 THEN 'reached' ELSE 'no_answer' END
  FROM urgent_response r, generate_series(1, 3) g WHERE r.reference LIKE 'UT-%'`.execute(db);
// 100,000 of the demo's incidents, none with an open urgent response, moved back seven years: past six years, so anonymised.
await sql`UPDATE incident SET occurred_at = occurred_at - interval '7 years', notified_at = notified_at - interval '7 years'
  WHERE id IN (SELECT i.id FROM incident i WHERE NOT EXISTS (SELECT 1 FROM urgent_response_incident ui JOIN urgent_response r ON r.id = ui.urgent_response_id WHERE ui.incident_id = i.id AND r.status = 'open') ORDER BY i.id LIMIT 100000)`.execute(db);
// 10,000 graded police intelligence links last added to seven years ago.
await sql`INSERT INTO association (kind, link_type, person_id, other_person_id, agency_id, recorded_at, valid_from, reason, review_on, source_evaluation, intelligence_assessment, handling_code)
  SELECT 'person_person', 'associate', a.id, b.id, ${ctx.agency_id}, ${ago(84)} + (g % 365) * interval '1 day', (${ago(84)})::date, 'Intelligence report', (${ago(78)})::date, 2, 'B', 'P'
  FROM generate_series(1, 10000) g JOIN bench_people a ON a.n = 1 + (g::bigint * 7907) % ${people} JOIN bench_people b ON b.n = 1 + (g::bigint * 6700417 + 3) % ${people} WHERE a.id <> b.id`.execute(db);
const { rows: [run] } = await sql<{ id: string }>`INSERT INTO import_run (kind, file_name, rows_read, rows_added) VALUES ('police_street', 'bench-year.csv', 1000000, 1000000) RETURNING id`.execute(db);
await sql`INSERT INTO crime_record (id, month, reported_by, falls_within, easting, northing, crime_type, import_id)
  SELECT gen_random_uuid(), date_trunc('month', ${ago(48)} + (g % 12) * interval '1 month')::date, 'Metropolitan Police Service', 'Metropolitan Police Service', 530000 + g % 20000, 180000 + g % 15000, 'Violence and sexual offences', ${run.id}
  FROM generate_series(1, 1000000) g`.execute(db);
await sql`INSERT INTO stop_search (id, search_type, searched_at, import_id) SELECT gen_random_uuid(), 'Person search', ${ago(48)} + (g % 360) * interval '1 day', ${run.id} FROM generate_series(1, 150000) g`.execute(db);
await sql`INSERT INTO ae_attendance (id, site_code, reporting_period, arrived_at, match_status, import_id)
  SELECT gen_random_uuid(), 'RQX', date_trunc('month', ${ago(48)} + (g % 12) * interval '1 month')::date, ${ago(48)} + (g % 360) * interval '1 day', 'none', ${run.id} FROM generate_series(1, 12000) g`.execute(db);
await sql`ANALYZE`.execute(db);
console.log(`added a year of expired records in ${s(performance.now() - t0)}\n`);

// Reachable on the copy, its sweep told it has looked today and to wait a day: the bench does the sweep's work itself, step by step.
process.env.SWEEP_INTERVAL_SECONDS = '86400';
await db.insertInto('retention_check').values({ day: new Date().toISOString().slice(0, 10), found: 0, took_ms: 0 }).onConflict((oc) => oc.column('day').doNothing()).execute();
const server = await startServer(NAME);

// 1. What is due: the sweep's daily look, which the Retention page shows, made afresh (the row above only kept the server's sweep from making it).
await db.deleteFrom('retention_check').execute();
t0 = performance.now();
await checkRetention(db);
const decided = performance.now() - t0;
console.log(`1. what is due, every kind (the sweep's daily look): ${s(decided)}`);
for (const k of (await lastCheck(db)).kinds) console.log(`     ${k.rule.kind.padEnd(20)} ${(k.counted?.due ?? 0).toLocaleString('en-GB').padStart(10)} due`);

// 2. Approval of every kind.
t0 = performance.now();
let approved = 0;
for (const kind of RETENTION_KIND_CODES) approved += await db.transaction().execute((trx) => approveDue(trx, { userId: ctx.ig_id }, kind));
console.log(`2. approval of ${approved.toLocaleString('en-GB')} records: ${s(performance.now() - t0)}`);

// 3. Removal while Reachable serves a coordinator's pages.
try {
  // A coordinator's record pages: the incident list, the urgent responses, one urgent response and notifications. (The home page's
  // indicators take minutes at London scale whatever removal does, so they would measure nothing here.)
  const { cookies } = await sessionsFor(database, 'coordinator', 10);
  const coordinatorAgency = (await db.selectFrom('app_user').select('agency_id').where(sql<boolean>`'coordinator' = ANY(roles)`).executeTakeFirstOrThrow()).agency_id;
  const ur = await db.selectFrom('urgent_response').select('id').where('agency_id', '=', coordinatorAgency).orderBy('opened_at', 'desc').executeTakeFirstOrThrow();
  const pages = ['/incidents', '/urgent-responses', `/urgent-responses/${ur.id}`, '/notifications'];
  const load = () => runLoad({ connections: 10, seconds: SECONDS, request: (c, n) => ({ url: `${base}${pages[(c + n) % pages.length]}`, init: { headers: { cookie: cookies[c] } } }) });
  report('   pages before removal', await load());
  // The same load in back-to-back windows for as long as removal runs, so every part of it is measured.
  let removing = true;
  const windows: Awaited<ReturnType<typeof load>>[] = [];
  const during = (async () => {
    while (removing) windows.push(await load());
  })();
  t0 = performance.now();
  let batches = 0;
  const removed = await removeApproved(db, new Date(), () => batches++);
  const took = performance.now() - t0;
  removing = false;
  await during;
  windows.forEach((w, i) => report(`   pages during removal, ${i * SECONDS}-${(i + 1) * SECONDS} s`, w));
  console.log(`3. removal: ${removed.toLocaleString('en-GB')} records in ${batches.toLocaleString('en-GB')} transactions, ${s(took)} (${Math.round(removed / (took / 1000)).toLocaleString('en-GB')} records a second)`);
  const left = await sql<{ n: string }>`SELECT (SELECT count(*) FROM episode e JOIN referral r ON r.id = e.referral_id AND r.reference LIKE 'RT-%') + (SELECT count(*) FROM crime_record WHERE import_id = ${run.id})
    + (SELECT count(*) FROM urgent_response WHERE reference LIKE 'UT-%') + (SELECT count(*) FROM incident i WHERE i.occurred_at < now() - interval '6 years' AND EXISTS (SELECT 1 FROM involvement v WHERE v.incident_id = i.id)) AS n`.execute(db);
  console.log(`   left of the expired year: ${left.rows[0].n}`);
} finally {
  server.kill();
}

// 4. The audit log still verifies.
t0 = performance.now();
const verified = await verifyAuditChain(db);
console.log(`4. audit verify: ${verified.intact ? 'intact' : `BROKEN: ${(verified as { problem: string }).problem}`}, ${verified.count.toLocaleString('en-GB')} events in ${s(performance.now() - t0)}`);
await database.close();
