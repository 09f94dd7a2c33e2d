// Drill (issue 24): PostgreSQL restarted under load. Partner systems keep
// posting incidents through the API while the local PostgreSQL cluster is
// restarted; then the server must still answer, and every incident it
// acknowledged (201) must be in the database. Prints what each request got.
// It restarts the machine's PostgreSQL: run it when nothing else needs it.
//
//   npm run drill:restart [-- --seconds 20] [-- --connections 5]
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { sql } from 'kysely';
import { createApiClient } from '../src/modules/access/accounts.ts';
import { base, ownDatabase, startServer } from './setup.ts';
import { options } from './setup.ts';

const NAME = 'reachable_drill';
const SECONDS = Number(options.seconds ?? 20);
const CLIENTS = Number(options.connections ?? 5);
const RESTART_AT_MS = 5_000;

const database = await ownDatabase(NAME, false);
const [police] = await database.db.insertInto('agency').values([{ name: 'Drill Police', kind: 'police' }]).returning('id').execute();
await database.db.insertInto('agency').values({ name: 'Drill Council', kind: 'council', receives_incidents: true }).execute();
const { secret } = await createApiClient(database.db, { agencyId: police.id, name: 'custody system', role: 'police', createdBy: null });
await database.close();

const server = await startServer(NAME);
const acknowledged: string[] = [];
const got = new Map<string, number>();
let firstAfterRestart: number | null = null;
let restartedAt = 0;
const started = performance.now();
const count = (what: string) => got.set(what, (got.get(what) ?? 0) + 1);

async function client(n: number) {
  for (let i = 0; performance.now() - started < SECONDS * 1000; i++) {
    const key = `drill-${n}-${i}`;
    try {
      const res = await fetch(`${base}/api/v1/incidents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ occurredAt: new Date(Date.now() - 7_200_000).toISOString(), notifiedAt: new Date(Date.now() - 3_600_000).toISOString(), type: 'weapon_possession', weapon: 'knife', place: { description: 'Hoe Street, Walthamstow', latitude: 51.5852, longitude: -0.0171 }, sourceReference: key, people: [] }),
      });
      count(String(res.status));
      if (res.status === 201) {
        acknowledged.push((await res.json()).id);
        if (restartedAt && firstAfterRestart === null) firstAfterRestart = performance.now() - restartedAt;
      } else await res.arrayBuffer();
    } catch {
      count('no answer');
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const restart = (async () => {
  await new Promise((r) => setTimeout(r, RESTART_AT_MS));
  const version = fs.readdirSync('/etc/postgresql')[0];
  restartedAt = performance.now();
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'restart'], { stdio: 'inherit' });
  console.log(`PostgreSQL ${version} restarted in ${((performance.now() - restartedAt) / 1000).toFixed(1)} s`);
})();

try {
  await Promise.all([...Array.from({ length: CLIENTS }, (_, n) => client(n)), restart]);
  const health = await fetch(`${base}/health`);
  const check = await ownDatabase(NAME, true);
  const found = acknowledged.length ? Number((await sql<{ n: number }>`SELECT count(*)::int AS n FROM incident WHERE id = ANY(${acknowledged}::uuid[])`.execute(check.db)).rows[0].n) : 0;
  await check.close();
  console.log(`\n${SECONDS} s, ${CLIENTS} partner systems posting incidents, PostgreSQL restarted at ${RESTART_AT_MS / 1000} s`);
  for (const [what, n] of [...got].sort()) console.log(`  ${what.padEnd(10)} ${n}`);
  console.log(`first acknowledged save after the restart began: ${firstAfterRestart === null ? 'none' : `${(firstAfterRestart / 1000).toFixed(1)} s`}`);
  console.log(`/health afterwards: ${health.status}`);
  console.log(`acknowledged ${acknowledged.length}, in the database ${found}, lost ${acknowledged.length - found}`);
  if (health.status !== 200 || found !== acknowledged.length) process.exitCode = 1;
} finally {
  server.kill();
}
