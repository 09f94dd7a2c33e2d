// Benchmark (issue 2): load the London-scale demo (about 300,000 people and
// 1,000,000 incidents) into PostgreSQL, start Reachable against it, and
// measure the incident list page and incident creation under 20 concurrent
// signed-in clients. Prints p50, p95, p99 and requests per second.
//
//   BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npm run bench
//   options: --reuse (keep an already-loaded bench database), --seconds N, --connections N, --workers N
//   (bench/setup.ts)
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { createApiClient } from '../src/modules/access/accounts.ts';
import { runLoad, report } from './load.ts';
import { base, benchDatabase, connections, formState, seconds, sessionsFor, startServer, workers } from './setup.ts';

async function prepare() {
  const database = await benchDatabase();
  // 20 signed-in police officers, each with a session of their own.
  const { user, cookies } = await sessionsFor(database, 'police');
  const tokens = cookies.map((c) => c.split('=')[1]);
  const { secret } = await createApiClient(database.db, { agencyId: user.agency_id, name: 'bench', role: 'police', createdBy: null });
  const agencies = await database.db.selectFrom('agency').select(['id', 'kind']).execute();
  await database.close();
  return { tokens, secret, policeId: user.agency_id, councilId: agencies.find((a) => a.kind === 'council')!.id };
}


function incidentForm(state: { csrf: string }, policeId: string, councilId: string) {
  const now = new Date(Date.now() - 3_600_000);
  const f = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', year: 'numeric', month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  const p = Object.fromEntries(f.formatToParts(now).map((x) => [x.type, x.value]));
  return new URLSearchParams({
    _csrf: state.csrf,
    submissionKey: randomUUID(),
    type: 'knife_injury',
    'occurredAt-day': p.day, 'occurredAt-month': p.month, 'occurredAt-year': p.year, 'occurredAt-time': `${p.hour}:${p.minute}`,
    'notifiedAt-day': p.day, 'notifiedAt-month': p.month, 'notifiedAt-year': p.year, 'notifiedAt-time': `${p.hour}:${p.minute}`,
    weapon: 'knife',
    placeDescription: 'Bench Street',
    latitude: '51.5830',
    longitude: '-0.0199',
    sourceAgencyId: policeId,
    shareWith: councilId,
  }).toString();
}

const { tokens, secret, policeId, councilId } = await prepare();
const server = await startServer();
try {
  const states = await Promise.all(tokens.map((t) => formState(t, '/incidents/new')));
  // Warm up: plans cached, pages compiled.
  await runLoad({ connections, seconds: 3, request: (c) => ({ url: `${base}/incidents`, init: { headers: { cookie: states[c].cookie } } }) });
  report('GET /incidents, one client alone', await runLoad({ connections: 1, seconds: 5, request: () => ({ url: `${base}/incidents`, init: { headers: { cookie: states[0].cookie } } }) }));
  console.log(`\n${connections} concurrent signed-in clients, ${seconds} s each, ${workers} worker process${workers > 1 ? 'es' : ''}, PostgreSQL at London scale, on this ${os.cpus().length}-core machine:`);
  report('GET /incidents (list, first page)', await runLoad({ connections, seconds, request: (c) => ({ url: `${base}/incidents`, init: { headers: { cookie: states[c].cookie } } }) }));
  report('GET /incidents?type&borough (filter)', await runLoad({ connections, seconds, request: (c) => ({ url: `${base}/incidents?type=knife_injury&borough=E09000031`, init: { headers: { cookie: states[c].cookie } } }) }));
  report('GET /incidents?page=40 (deep page)', await runLoad({ connections, seconds, request: (c) => ({ url: `${base}/incidents?page=40`, init: { headers: { cookie: states[c].cookie } } }) }));
  report('POST /incidents (record, form)', await runLoad({
    connections,
    seconds,
    request: (c) => ({ url: `${base}/incidents`, init: { method: 'POST', body: incidentForm(states[c], policeId, councilId), headers: { cookie: states[c].cookie, 'content-type': 'application/x-www-form-urlencoded' } } }),
  }));
  report('POST /api/v1/incidents (record, API)', await runLoad({
    connections,
    seconds,
    request: () => ({
      url: `${base}/api/v1/incidents`,
      init: {
        method: 'POST',
        headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
        body: JSON.stringify({ occurredAt: new Date(Date.now() - 7_200_000).toISOString(), notifiedAt: new Date(Date.now() - 3_600_000).toISOString(), type: 'knife_injury', weapon: 'knife', place: { description: 'Bench Street', latitude: 51.583, longitude: -0.0199 }, people: [{ role: 'victim', givenName: 'Bench', familyName: 'Person', dateOfBirth: '2009-01-01', sex: 'male', ethnicity: 'not_stated' }] }),
      },
    }),
  }));
  console.log('(POST /incidents answers 303 on success; the API 201.)');
} finally {
  server.kill();
}
