// Benchmark (issue 20): the critical incident briefing, at borough scale
// (the Waltham Forest demo) and at London scale (the 33-borough demo, about
// 1,000,000 incidents) on PostgreSQL. Twenty recent stabbings are declared
// critical through the domain operation; a police officer of the recording
// agency then opens each briefing as a user would: once cold (the first time
// anyone asks, so its near-repeat question is still to be worked out in the
// background), looking again every quarter second until the near-repeat
// window is shown, one incident at a time; then warm, ten times each. Prints
// p50/p95 of the time until the page has arrived, against the aims of 2 s
// (borough) and 5 s (London), and of the time until the window was there.
//
//   npx tsx bench/critical-incident.ts [--scale borough|london|both] [--reuse] [--times N]
import { sql } from 'kysely';
import { parseArgs } from 'node:util';
import { declareCritical } from '../src/modules/critical-incidents/queries.ts';
import type { Database } from '../src/db/database.ts';
import { base, benchDatabase, boroughDatabase, sessionsFor, startServer } from './setup.ts';
import { percentile } from './load.ts';

const { values } = parseArgs({ strict: false, options: { scale: { type: 'string' }, reuse: { type: 'boolean' }, times: { type: 'string' } } });
const SCALE = String(values.scale ?? 'both');
const TIMES = Number(values.times ?? 10);
const INCIDENTS = 20;
const AIM_MS = { borough: 2000, london: 5000 } as const;

/** Twenty recent stabbings with people and a place, recorded by the police agency the officer is in, declared critical. */
async function declareTwenty(database: Database, agencyId: string, userId: string): Promise<string[]> {
  const rows = await database.db
    .selectFrom('incident')
    .select('incident.id')
    .where('incident.agency_id', '=', agencyId)
    .where('incident.type_code', 'in', ['knife_injury', 'gun_discharge', 'homicide'])
    .where('incident.easting', 'is not', null)
    .where((eb) => eb.exists(eb.selectFrom('involvement').select(sql.lit(1).as('one')).whereRef('involvement.incident_id', '=', 'incident.id')))
    .orderBy('incident.occurred_at', 'desc')
    .limit(INCIDENTS)
    .execute();
  const ids: string[] = [];
  for (const r of rows) {
    const result = await database.db.transaction().execute((trx) => declareCritical(trx, { userId, agencyId }, r.id, { reason: 'young_person_harmed', reasonDetail: 'benchmark' }));
    ids.push('id' in result && result.id ? result.id : (await database.db.selectFrom('critical_incident').select('id').where('incident_id', '=', r.id).executeTakeFirstOrThrow()).id);
  }
  return ids;
}

async function measure(scale: 'borough' | 'london') {
  const { database, name } = scale === 'borough' ? await boroughDatabase(values.reuse) : { database: await benchDatabase(), name: 'reachable_bench' };
  const { user, cookies } = await sessionsFor(database, 'police', 1);
  const ids = await declareTwenty(database, user.agency_id, user.id);
  // Cold means nobody has asked these boroughs' near-repeat questions yet.
  await sql`DELETE FROM worked_out WHERE key LIKE 'near-repeats:%'`.execute(database.db);
  const server = await startServer(name);
  const open = async (id: string) => {
    const t0 = performance.now();
    const res = await fetch(`${base}/critical-incidents/${id}/briefing`, { headers: { cookie: cookies[0] } });
    const body = await res.text();
    if (res.status !== 200) throw new Error(`briefing answered ${res.status}`);
    return { ms: performance.now() - t0, nearRepeatReady: !body.includes('Being worked out') };
  };
  const cold: number[] = [];
  const toWindow: number[] = [];
  const warm: number[] = [];
  let ready = 0;
  try {
    // One critical incident at a time, as they are declared: the page, then how long until its near-repeat window is there.
    for (const id of ids) {
      const t0 = performance.now();
      const first = await open(id);
      cold.push(first.ms);
      if (first.nearRepeatReady) ready++;
      for (let seen = first.nearRepeatReady; !seen; ) {
        await new Promise((r) => setTimeout(r, 250));
        seen = (await open(id)).nearRepeatReady;
      }
      toWindow.push(performance.now() - t0);
    }
    for (let i = 0; i < TIMES; i++) for (const id of ids) warm.push((await open(id)).ms);
  } finally {
    server.kill();
    await database.close();
  }
  for (const xs of [cold, toWindow, warm]) xs.sort((a, b) => a - b);
  const aim = AIM_MS[scale];
  const line = (what: string, xs: number[]) => `  ${what.padEnd(34)} p50 ${percentile(xs, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(xs, 95).toFixed(0).padStart(5)} ms   ${percentile(xs, 95) <= aim ? 'within' : 'over'} the ${aim / 1000} s aim`;
  console.log(`\n${scale === 'borough' ? 'Borough' : 'London'} scale, PostgreSQL, ${ids.length} critical incidents (${new Date().toISOString().slice(0, 10)}):`);
  console.log(line('first opening (cold)', cold));
  console.log(line(`opened again (${TIMES} times each)`, warm));
  console.log(`  until the near-repeat window is shown    p50 ${percentile(toWindow, 50).toFixed(0).padStart(5)} ms   p95 ${percentile(toWindow, 95).toFixed(0).padStart(5)} ms   (worked out in the background; ${ready} of ${ids.length} had it at the first opening)`);
}

if (SCALE === 'borough' || SCALE === 'both') await measure('borough');
if (SCALE === 'london' || SCALE === 'both') await measure('london');
