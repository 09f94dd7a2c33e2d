// Benchmark (issue 5): networks at 500,000 people and 2,000,000 typed links
// on PostgreSQL, with incidents (two people each) and groups so that every
// kind of link "who else" walks is there to walk.
//   1. The 2-link "who else" list for a person, in process (the queries and
//      the paths, no HTTP): p50, p95, p99 over 300 people.
//   2. `reachable network measures` on the same 2,000,000 links (degree,
//      PageRank, Louvain, betweenness sampled from --sample people), timed,
//      then networkx on the same file with the same sample, timed, and the
//      two compared (degree identical, PageRank to 1e-4, modularity).
//   3. PageRank, Louvain and exact betweenness against igraph's C core on the
//      same files, in the same run (bench/igraph.ts): the times and ratios.
//
//   npx tsx bench/network.ts [--reuse] [--sample K] [--part igraph|who-else]   (--part igraph: only 3, no database; --part who-else: only 1)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { whoElse } from '../src/modules/network/whoElse.ts';
import { WALK_TYPE_CODES } from '../src/modules/network/rules.ts';
import { londonToday } from '../src/platform/time.ts';
import { addDays } from '../src/platform/workingDays.ts';
import { percentile } from './load.ts';
import { ownDatabase } from './setup.ts';
import { compareWithIgraph } from './igraph.ts';

const { values } = parseArgs({ strict: false, options: { reuse: { type: 'boolean' }, sample: { type: 'string' }, part: { type: 'string' } } });
// Against igraph first, while the machine is quiet; then the database parts unless only this was asked for.
if (values.part !== 'who-else') await compareWithIgraph();
if (values.part === 'igraph') process.exit(0);
const PEOPLE = 500_000;
const LINKS = 2_000_000;
const INCIDENTS = 100_000;
const GROUPS = 5_000;
const SAMPLE = Number(values.sample ?? 100);
const database = await ownDatabase('reachable_bench_network', values.reuse);
const db = database.db;

const { n } = await db.selectFrom('association').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
if (Number(n) === 0) {
  const t0 = performance.now();
  // Generated in SQL from a fixed seed: people in neighbourhoods of 50, most links within one (as real
  // networks cluster), a fifth anywhere; incidents pair a victim and a suspect; groups of ten.
  await sql`SELECT setseed(0.5)`.execute(db);
  const agency = await db.insertInto('agency').values({ name: 'Bench council', kind: 'council', receives_incidents: true }).returning('id').executeTakeFirstOrThrow();
  await sql`CREATE TEMP TABLE n AS SELECT g AS i, gen_random_uuid() AS id FROM generate_series(0, ${PEOPLE - 1}) g`.execute(db);
  await sql`CREATE UNIQUE INDEX ON n (i)`.execute(db);
  await sql`INSERT INTO person (id, agency_id, given_name, family_name, date_of_birth, sex, ethnicity)
    SELECT id, ${agency.id}, 'Person' || i, 'Bench', date '2004-01-01' + (i % 4000), 'male', 'not_stated' FROM n`.execute(db);
  await sql`INSERT INTO association (kind, link_type, person_id, other_person_id, agency_id, valid_from, reason, review_on)
    SELECT 'person_person', (ARRAY['friend','associate','family','co_offender','conflict'])[1 + (g % 5)], a.id, b.id, ${agency.id}, current_date - (g % 700), 'Bench link', current_date + 90
    FROM (SELECT g, floor(random() * ${PEOPLE})::int AS x, random() AS r, floor(random() * ${PEOPLE})::int AS y, floor(random() * 50)::int AS z FROM generate_series(1, ${LINKS}) g) s
    JOIN n a ON a.i = s.x
    JOIN n b ON b.i = CASE WHEN s.r < 0.8 THEN (s.x / 50) * 50 + (s.z + (CASE WHEN (s.x / 50) * 50 + s.z = s.x THEN 1 ELSE 0 END)) % 50 ELSE CASE WHEN s.y = s.x THEN (s.y + 1) % ${PEOPLE} ELSE s.y END END
    WHERE a.id <> b.id`.execute(db);
  await sql`INSERT INTO incident (reference, agency_id, occurred_at, notified_at, type_code, weapon, place_description, source_agency_id)
    SELECT 'B-' || g, ${agency.id}, now() - (g % 700) * interval '1 day', now() - (g % 700) * interval '1 day', 'knife_injury', 'knife', 'Bench', ${agency.id} FROM generate_series(1, ${INCIDENTS}) g`.execute(db);
  await sql`INSERT INTO involvement (incident_id, person_id, role)
    SELECT i.id, n.id, r.role FROM incident i CROSS JOIN (VALUES ('victim'), ('suspect')) r(role) JOIN n ON n.i = floor(random() * ${PEOPLE})::int`.execute(db);
  await sql`INSERT INTO network_group (name, kind, agency_id) SELECT 'Group ' || g, 'peer_group', ${agency.id} FROM generate_series(1, ${GROUPS}) g`.execute(db);
  await sql`INSERT INTO association (kind, link_type, person_id, group_id, agency_id, valid_from, reason, review_on)
    SELECT 'membership', 'member', n.id, grp.id, ${agency.id}, current_date - 100, 'Bench membership', current_date + 90
    FROM (SELECT id, row_number() OVER (ORDER BY id) AS k FROM network_group) grp CROSS JOIN generate_series(1, 10) m JOIN n ON n.i = ((grp.k * 97 + m * 50021) % ${PEOPLE})::int`.execute(db);
  await sql`ANALYZE`.execute(db);
  console.log(`Loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const counts = await sql<{ people: string; links: string; memberships: string; incidents: string }>`SELECT
  (SELECT count(*) FROM person) AS people,
  (SELECT count(*) FROM association WHERE kind = 'person_person') AS links,
  (SELECT count(*) FROM association WHERE kind = 'membership') AS memberships,
  (SELECT count(*) FROM incident) AS incidents`.execute(db);
const c = counts.rows[0];
console.log(`${Number(c.people).toLocaleString('en-GB')} people, ${Number(c.links).toLocaleString('en-GB')} typed links, ${Number(c.memberships).toLocaleString('en-GB')} memberships, ${Number(c.incidents).toLocaleString('en-GB')} incidents (two people each) on PostgreSQL`);

// 1. Who else, two links out, every kind of link, the last five years.
const agency = await db.selectFrom('agency').select('id').executeTakeFirstOrThrow();
const actor = { userId: null, agencyId: agency.id, roles: ['coordinator' as const] } as unknown as Parameters<typeof whoElse>[1];
const namer = Object.assign((p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`, { identifies: true });
const people = (await sql<{ id: string }>`SELECT id FROM person ORDER BY md5(id::text) LIMIT 300`.execute(db)).rows.map((r) => r.id);
const options = { types: new Set(WALK_TYPE_CODES), since: addDays(londonToday(), -5 * 365) };
for (const id of people.slice(0, 20)) await whoElse(db, actor, namer as never, [id], 2, options); // warm the caches
const ms: number[] = [];
let reached = 0;
for (const id of people) {
  const t0 = performance.now();
  const found = await whoElse(db, actor, namer as never, [id], 2, options);
  ms.push(performance.now() - t0);
  reached += found.contacts.length;
}
ms.sort((a, b) => a - b);
console.log(`\nwho else, 2 links, ${people.length} people (about ${Math.round(reached / people.length)} people reached each):  p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms  p99 ${percentile(ms, 99).toFixed(1)} ms  (target: p95 <= 20 ms, p99 <= 25 ms)`);
if (values.part === 'who-else') {
  await database.close();
  process.exit(0);
}

// 2. The measures command on the typed links, then networkx on the same file.
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reachable-network-'));
const linksFile = path.join(dir, 'links.csv');
const out = path.join(dir, 'people.csv');
const rows = await sql<{ a: string; b: string }>`SELECT person_id::text AS a, other_person_id::text AS b FROM association WHERE kind = 'person_person'`.execute(db);
fs.writeFileSync(linksFile, 'source,target\n' + rows.rows.map((r) => `${r.a},${r.b}`).join('\n') + '\n');
await database.close();
console.log(`\nnetwork measures on ${rows.rows.length.toLocaleString('en-GB')} links, betweenness sampled from ${SAMPLE} people (${os.cpus().length} CPUs):`);
const t0 = performance.now();
const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli.ts', 'network', 'measures', '--input', linksFile, '--out', out, '--sample', String(SAMPLE), '--seed', '1'], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (run.status !== 0) throw new Error(run.stderr);
console.log(`Reachable: ${((performance.now() - t0) / 1000).toFixed(1)} s for the whole command (reading the file and writing the answer included)\n  ${run.stderr.trim().replace(/\n/g, '\n  ')}`);
try {
  console.log(execFileSync('python3', ['bench/networkx_measures.py', linksFile, String(SAMPLE), '1', out], { encoding: 'utf8', maxBuffer: 1 << 26 }).trim());
} catch (error) {
  console.log(`networkx could not be run (apt-get install python3-networkx): ${(error as Error).message.split('\n')[0]}`);
}
fs.rmSync(dir, { recursive: true, force: true });
