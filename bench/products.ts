// Benchmark (issue 25): the monthly problem profile generated from its
// template, on PostgreSQL: for Waltham Forest at borough scale (the borough
// demo) and for all of London at London scale (the 33-borough demo, about
// 1,000,000 incidents), and for Waltham Forest out of the London data. Each run makes a draft through the domain operation
// an analyst's page calls and generates it as the background job does, every
// section computed afresh (nothing is cached between runs). Prints each
// run's time against the aims (30 s borough, 3 minutes London) and which
// sections took the time.
//
//   npx tsx bench/products.ts [--scale borough|london|both] [--reuse] [--times N]
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { generate, makeProduct, type Content } from '../src/modules/products/operations.ts';
import { addMonths } from '../src/modules/figures/figures.ts';
import { londonToday } from '../src/platform/time.ts';
import type { Database } from '../src/db/database.ts';
import { benchDatabase, boroughDatabase } from './setup.ts';
import { percentile } from './load.ts';

const { values } = parseArgs({ strict: false, options: { scale: { type: 'string' }, reuse: { type: 'boolean' }, times: { type: 'string' } } });
const SCALE = String(values.scale ?? 'both');
const TIMES = Number(values.times ?? 3);
const AIM_S = { borough: 30, london: 180 } as const;

async function measure(database: Database, scale: 'borough' | 'london', boroughs: string[]) {
  const analyst = await database.db.selectFrom('app_user').select(['id', 'agency_id']).where(sql<boolean>`'analyst' = ANY(roles)`).executeTakeFirstOrThrow();
  // The last whole month the demo has: the demo's incidents run up to the day it was loaded.
  const latest = await database.db.selectFrom('incident').select((eb) => eb.fn.max('occurred_at').as('at')).executeTakeFirstOrThrow();
  const month = addMonths(londonToday(new Date(latest.at as Date)).slice(0, 7), -1);
  const runs: number[] = [];
  const bySection = new Map<string, number[]>();
  try {
    for (let i = 0; i < TIMES; i++) {
      const made = await database.db.transaction().execute((trx) => makeProduct(trx, { userId: analyst.id, agencyId: analyst.agency_id }, { kind: 'problem_profile', month, boroughs, audience: 'restricted', agencyIds: [] }));
      if (!('id' in made)) throw new Error('refused');
      await database.db.updateTable('product').set({ state: 'generating' }).where('id', '=', made.id).execute();
      const t0 = performance.now();
      await generate(database.db, made.id, (kind, ms) => bySection.set(kind, [...(bySection.get(kind) ?? []), ms]));
      runs.push((performance.now() - t0) / 1000);
      process.stdout.write(`  run ${i + 1}: ${runs.at(-1)!.toFixed(1)} s\n`);
      if (i === 0) {
        // What was counted: the size of the month's picture, in the product's own words.
        const { content } = await database.db.selectFrom('product').select('content').where('id', '=', made.id).executeTakeFirstOrThrow();
        for (const section of (content as Content).sections.filter((x) => ['hot_spots', 'near_repeats', 'groups'].includes(x.kind))) console.log(`    ${section.title}: ${section.built.summary.slice(0, 2).join(' ')}`);
      }
    }
    const counts = await database.db.selectFrom('incident').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    runs.sort((a, b) => a - b);
    const aim = AIM_S[scale];
    console.log(`\n${scale === 'borough' ? 'Borough scale' : 'London scale'} (${boroughs.length ? boroughs.join(', ') : 'all 33 boroughs'}), PostgreSQL, ${Number(counts.n).toLocaleString('en-GB')} incidents, the problem profile for ${month} (${new Date().toISOString().slice(0, 10)}):`);
    console.log(`  generation, ${TIMES} runs   median ${percentile(runs, 50).toFixed(1)} s   slowest ${runs.at(-1)!.toFixed(1)} s   ${runs.at(-1)! <= aim ? 'within' : 'over'} the ${aim} s aim`);
    for (const [kind, ms] of bySection) console.log(`    ${kind.padEnd(20)} median ${(percentile([...ms].sort((a, b) => a - b), 50) / 1000).toFixed(2).padStart(6)} s`);
  } finally {
    await database.db.deleteFrom('product').where('created_by', '=', analyst.id).execute();
  }
}

if (SCALE === 'borough' || SCALE === 'both') {
  const { database } = await boroughDatabase(values.reuse);
  await measure(database, 'borough', ['Waltham Forest']).finally(() => database.close());
}
// At London scale, all of London, and one borough's profile out of the London data (its share of a million incidents).
if (SCALE === 'london' || SCALE === 'both') {
  const database = await benchDatabase();
  try {
    await measure(database, 'london', []);
    await measure(database, 'london', ['Waltham Forest']);
  } finally {
    await database.close();
  }
}
