// Benchmark (issue 3): the coordinator's home page (open urgent responses,
// most urgent clock first) and tomorrow's Daily Risk Management agenda, at
// London scale on PostgreSQL, under 20 concurrent signed-in coordinators.
// Prints p50, p95, p99 and requests per second.
//
//   npm run bench:urgent-response [-- --reuse --seconds N --connections N --workers N]
import os from 'node:os';
import { runLoad, report } from './load.ts';
import { base, benchDatabase, connections, seconds, sessionsFor, startServer, workers } from './setup.ts';

const database = await benchDatabase();
const { user, cookies } = await sessionsFor(database, 'coordinator');
const open = await database.db.selectFrom('urgent_response').select((eb) => eb.fn.countAll<number>().as('n')).where('status', '=', 'open').where('agency_id', '=', user.agency_id).executeTakeFirstOrThrow();
const meeting = await database.db.selectFrom('meeting').select('id').where('status', '=', 'planned').where('agency_id', '=', user.agency_id).orderBy('starts_at', 'desc').executeTakeFirstOrThrow();
const items = await database.db.selectFrom('meeting_item').select((eb) => eb.fn.countAll<number>().as('n')).where('meeting_id', '=', meeting.id).executeTakeFirstOrThrow();
await database.close();
console.log(`The coordinating agency has ${Number(open.n).toLocaleString('en-GB')} open urgent responses; tomorrow's DRM agenda has ${Number(items.n).toLocaleString('en-GB')} items.`);

const server = await startServer();
try {
  const get = (path: string) => (c: number) => ({ url: `${base}${path}`, init: { headers: { cookie: cookies[c] } } });
  await runLoad({ connections, seconds: 3, request: get('/urgent-responses') });
  await runLoad({ connections, seconds: 3, request: get(`/meetings/${meeting.id}`) });
  report('GET /urgent-responses, one client alone', await runLoad({ connections: 1, seconds: 5, request: get('/urgent-responses') }));
  report('GET /meetings/:id (agenda), one client alone', await runLoad({ connections: 1, seconds: 5, request: get(`/meetings/${meeting.id}`) }));
  console.log(`\n${connections} concurrent signed-in coordinators, ${seconds} s each, ${workers} worker process${workers > 1 ? 'es' : ''}, PostgreSQL at London scale, on this ${os.cpus().length}-core machine:`);
  report('GET /urgent-responses (coordinator home)', await runLoad({ connections, seconds, request: get('/urgent-responses') }));
  report('GET /urgent-responses?state=breached', await runLoad({ connections, seconds, request: get('/urgent-responses?state=breached') }));
  report('GET /meetings/:id (tomorrow’s DRM agenda)', await runLoad({ connections, seconds, request: get(`/meetings/${meeting.id}`) }));
} finally {
  server.kill();
}
