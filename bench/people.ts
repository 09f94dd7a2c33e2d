// Benchmark (issue 4): person search at London scale (300,000 people) on
// PostgreSQL. Searches are made from real records with the slips workers
// make (a letter dropped, first and last names swapped, a short form), with
// and without a date of birth, and by postcode; plus the duplicate check a
// new person goes through. Prints p50, p95, p99 and requests per second: the
// database part alone (in process), then over HTTP for one client and for
// 20 concurrent signed-in workers.
//
//   npm run bench:people [-- --reuse --seconds N --connections N --workers N]
import os from 'node:os';
import { runLoad, report, percentile } from './load.ts';
import { base, benchDatabase, connections, formState, seconds, sessionsFor, startServer, workers } from './setup.ts';
import { findCandidates, searchPeople } from '../src/modules/people/queries.ts';

const database = await benchDatabase();
const people = await database.db
  .selectFrom('person')
  .select(['given_name', 'family_name', 'date_of_birth', 'postcode', 'sex'])
  .where('merged_into', 'is', null)
  .orderBy('id')
  .limit(500)
  .execute();
const total = await database.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
console.log(`${Number(total.n).toLocaleString('en-GB')} people on the record; searching for 500 of them.`);

// The slips: drop the second letter of the last name, swap the names, or use the first three letters.
const slips = people.map((p, i) => {
  const family = p.family_name.length > 4 ? p.family_name[0] + p.family_name.slice(2) : p.family_name;
  return i % 3 === 0 ? `${p.given_name} ${family}` : i % 3 === 1 ? `${p.family_name} ${p.given_name}` : `${p.given_name.slice(0, 3)} ${p.family_name}`;
});

async function timed(label: string, work: (i: number) => Promise<unknown>, n = 300) {
  const ms: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await work(i % people.length);
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  console.log(`${label.padEnd(58)} p50 ${percentile(ms, 50).toFixed(1)} ms  p95 ${percentile(ms, 95).toFixed(1)} ms  p99 ${percentile(ms, 99).toFixed(1)} ms`);
}

console.log('\nIn process (database and scoring, no HTTP):');
const none = { dateOfBirth: null, postcode: null, identifier: null };
await timed('search: misspelt or swapped name', (i) => searchPeople(database.db, { ...none, name: slips[i] }));
await timed('search: misspelt name and date of birth', (i) => searchPeople(database.db, { ...none, name: slips[i], dateOfBirth: people[i].date_of_birth }));
await timed('search: postcode', (i) => searchPeople(database.db, { ...none, name: null, postcode: people[i].postcode ?? 'E17 4PP' }));
await timed('duplicate check for a new person', (i) =>
  findCandidates(database.db, { names: [{ given: people[i].given_name, family: people[i].family_name }], dateOfBirth: people[i].date_of_birth, sex: people[i].sex, postcodes: people[i].postcode ? [people[i].postcode!] : [], identifiers: [] }),
);

const { cookies } = await sessionsFor(database, 'coordinator');
await database.close();

const server = await startServer();
try {
  const states = await Promise.all(cookies.map((c) => formState(c.split('=')[1], '/people')));
  const search = (form: (i: number) => Record<string, string>) => (c: number, n: number) => {
    const i = (c * 37 + n) % people.length;
    return {
      url: `${base}/people/search`,
      init: { method: 'POST', headers: { cookie: states[c].cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: states[c].csrf, ...form(i) }).toString() },
    };
  };
  const byName = search((i) => ({ name: slips[i] }));
  const byNameAndDob = search((i) => {
    const [y, m, d] = (people[i].date_of_birth ?? '2008-01-01').split('-');
    return { name: slips[i], 'dob-day': d, 'dob-month': m, 'dob-year': y };
  });
  await runLoad({ connections, seconds: 3, request: byName });
  report('POST /people/search (name), one client alone', await runLoad({ connections: 1, seconds: 5, request: byName }));
  report('POST /people/search (name and date of birth), one client alone', await runLoad({ connections: 1, seconds: 5, request: byNameAndDob }));
  console.log(`\n${connections} concurrent signed-in workers, ${seconds} s each, ${workers} worker process${workers > 1 ? 'es' : ''}, PostgreSQL at London scale, on this ${os.cpus().length}-core machine:`);
  report('POST /people/search (misspelt or swapped name)', await runLoad({ connections, seconds, request: byName }));
  report('POST /people/search (name and date of birth)', await runLoad({ connections, seconds, request: byNameAndDob }));
} finally {
  server.kill();
}
