// Benchmark (issues 22 and 24), at borough scale on PostgreSQL:
// 1. the five key pages a caseworker lives in (the incident list, the urgent
//    response list, the DRM agenda, a person, an episode) with 1, 5 and 20
//    signed-in clients: p50, p95 and p99, requests a second, and the CPU each
//    request cost in Node and in PostgreSQL (from /proc, bench/cpu.ts);
// 2. every page of the analyst's, the board's and the network journeys, one
//    request at a time as a user clicks, each asked ten times after one
//    warm-up: p50 and p95 against the aim of under a second at p95.
//
//   npm run bench:pages [-- --reuse] [-- --times 10] [-- --seconds 5] [-- --part key|journeys]
//   (BENCH_DATABASE_URL or DATABASE_URL, else local PostgreSQL; --workers N as in bench/setup.ts)
import os from 'node:os';
import { sql } from 'kysely';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { base, options, ownDatabase, sessionsFor, startServer } from './setup.ts';
import { percentile, runLoad } from './load.ts';
import { cpuNow } from './cpu.ts';

const NAME = 'reachable_pages';
const TIMES = Number(options.times ?? 10);
const AIM_MS = 1000;

const database = await ownDatabase(NAME, options.reuse);
const loaded = await database.db.selectFrom('incident').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
if (Number(loaded.n) === 0) {
  const t0 = performance.now();
  await seedDemo(database.db, { scale: 'borough', seed: 1 });
  console.log(`borough demo loaded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
const one = async <T>(q: Promise<{ rows: T[] }>) => (await q).rows[0];
const person = await one(sql<{ id: string }>`SELECT p.id FROM person p JOIN association a ON a.person_id = p.id GROUP BY p.id ORDER BY count(*) DESC, p.id LIMIT 1`.execute(database.db));
const group = await one(sql<{ id: string }>`SELECT id FROM network_group ORDER BY name LIMIT 1`.execute(database.db));
const incident = await one(sql<{ id: string }>`SELECT i.id FROM incident i JOIN involvement v ON v.incident_id = i.id GROUP BY i.id ORDER BY count(*) DESC, i.id LIMIT 1`.execute(database.db));

const JOURNEYS: { role: string; pages: string[] }[] = [
  { role: 'analyst', pages: ['/', '/hot-spots', '/hot-times', '/near-repeats', '/tasking', '/disproportionality', '/figures', '/outcomes', '/indicators', '/strategy', '/imports'] },
  { role: 'board_member', pages: ['/', '/board', '/indicators', '/strategy', '/figures', '/outcomes', '/disproportionality', '/reviews'] },
  { role: 'coordinator', pages: ['/', '/network', `/network/person/${person.id}`, `/network/group/${group.id}`, `/people/${person.id}/who-else`, `/incidents/${incident.id}/who-else`, `/people/${person.id}/links`, '/links/review'] },
];

const meeting = await one(sql<{ id: string }>`SELECT id FROM meeting WHERE type_code = 'drm' AND status = 'planned' ORDER BY starts_at LIMIT 1`.execute(database.db));
const episode = await one(sql<{ id: string }>`SELECT e.id FROM episode e JOIN episode_note n ON n.episode_id = e.id GROUP BY e.id ORDER BY count(*) DESC, e.id LIMIT 1`.execute(database.db));
const KEY_PAGES = ['/incidents', '/urgent-responses', `/meetings/${meeting.id}`, `/people/${person.id}`, `/episodes/${episode.id}`];
const CLIENTS = [1, 5, 20];
const SECONDS = Number(options.seconds ?? 5);
const part = String(options.part ?? 'all');

const server = await startServer(NAME);
const rows: { role: string; page: string; status: number; p50: number; p95: number }[] = [];
const loads: { page: string; clients: number; p50: number; p95: number; p99: number; rps: number; errors: number; node: number; postgres: number }[] = [];
let background = '';
try {
  if (part !== 'journeys') {
    const { cookies } = await sessionsFor(database, 'coordinator', Math.max(...CLIENTS));
    for (const page of KEY_PAGES) {
      const request = (c: number) => ({ url: `${base}${page}`, init: { headers: { cookie: cookies[c] } } });
      await runLoad({ connections: 5, seconds: 1, request }); // warm-up
      for (const clients of CLIENTS) {
        const before = cpuNow(server.pid!);
        const result = await runLoad({ connections: clients, seconds: SECONDS, request });
        const after = cpuNow(server.pid!);
        const per = (seconds: number) => (seconds * 1000) / result.requests;
        loads.push({ page: page.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id'), clients, p50: result.p50, p95: result.p95, p99: result.p99, rps: result.rps, errors: result.errors, node: per(after.node - before.node), postgres: per(after.postgres - before.postgres) });
      }
    }
  }
  if (part !== 'key') {
    // Near repeats are worked out in the background once per question (platform/background.ts): time a new
    // question (a seed not asked before) from the first request to the page showing its answer, asking as a user would.
    {
      const { cookies } = await sessionsFor(database, 'analyst', 1);
      const seed = 1000 + Math.floor(Math.random() * 1e6);
      const t0 = performance.now();
      let asked = 0;
      for (;;) {
        asked++;
        const body = await (await fetch(`${base}/near-repeats?seed=${seed}`, { headers: { cookie: cookies[0] } })).text();
        if (body.includes('Worked out')) break;
        if (!body.includes('Working this out')) throw new Error('near repeats gave neither an answer nor its progress');
      }
      background = `near repeats, a new question (seed ${seed}, 999 shuffles): answered ${(performance.now() - t0).toFixed(0)} ms after the first request, in ${asked} request${asked === 1 ? '' : 's'}`;
    }
    for (const journey of JOURNEYS) {
      const { cookies } = await sessionsFor(database, journey.role, 1);
      for (const page of journey.pages) {
        const times: number[] = [];
        let status = 0;
        for (let i = 0; i <= TIMES; i++) {
          const t0 = performance.now();
          const res = await fetch(`${base}${page}`, { headers: { cookie: cookies[0] }, redirect: 'manual' });
          await res.arrayBuffer();
          status = res.status;
          if (i > 0) times.push(performance.now() - t0);
        }
        times.sort((a, b) => a - b);
        rows.push({ role: journey.role, page: page.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ':id'), status, p50: percentile(times, 50), p95: percentile(times, 95) });
      }
    }
  }
} finally {
  server.kill();
  await database.close();
}

if (loads.length) {
  console.log(`\nKey pages, signed in as a coordinator, ${SECONDS} s per row, borough scale, PostgreSQL, ${os.cpus().length} cores, ${options.workers ?? 2} worker processes (${new Date().toISOString().slice(0, 10)}):`);
  console.log(`${'page'.padEnd(22)} clients  req/s   p50 ms   p95 ms   p99 ms   Node CPU ms/req   PostgreSQL CPU ms/req`);
  for (const l of loads) {
    console.log(`${l.page.padEnd(22)} ${String(l.clients).padStart(7)} ${l.rps.toFixed(0).padStart(6)} ${l.p50.toFixed(1).padStart(8)} ${l.p95.toFixed(1).padStart(8)} ${l.p99.toFixed(1).padStart(8)} ${l.node.toFixed(2).padStart(17)} ${l.postgres.toFixed(2).padStart(23)}${l.errors ? `  ${l.errors} errors` : ''}`);
  }
}
if (rows.length) console.log(`\n${'role'.padEnd(13)} ${'page'.padEnd(32)} status   p50 ms   p95 ms`);
for (const r of rows) console.log(`${r.role.padEnd(13)} ${r.page.padEnd(32)} ${String(r.status).padStart(6)} ${r.p50.toFixed(0).padStart(8)} ${r.p95.toFixed(0).padStart(8)}${r.p95 > AIM_MS ? '  over 1 s' : ''}`);
if (rows.length) {
  console.log(`\n${background}`);
  const over = rows.filter((r) => r.p95 > AIM_MS);
  console.log(`\n${rows.length - over.length} of ${rows.length} pages under ${AIM_MS} ms at p95 (borough scale, PostgreSQL, one request at a time, ${TIMES} requests a page)`);
}
