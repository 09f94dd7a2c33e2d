import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { placeEvents } from '../src/modules/hotspots/events.ts';
import { boroughsOnGrid } from '../src/analysis/geography.ts';
import { knoxSteps } from '../src/analysis/knox.ts';
import { dayNumber } from '../src/analysis/nearRepeats.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench' });
const db = database.db;
const user = await db.selectFrom('app_user').select(['id', 'agency_id']).where(sql<boolean>`'police' = ANY(roles)`).executeTakeFirstOrThrow();
const b = boroughsOnGrid().find((x) => x.name === 'Hackney')!;
const own = await placeEvents(db, user.agency_id, { from: '2025-12', to: '2026-12', ageBand: null, box: b.bbox, sources: ['partnership', 'istv'], categories: [] });
const cx = (b.bbox[0] + b.bbox[2]) / 2, cy = (b.bbox[1] + b.bbox[3]) / 2;
for (const R of [1000, 2000]) {
  const ev = own.filter((e) => e.day && Math.hypot(e.x - cx, e.y - cy) <= R).map((e) => ({ x: e.x, y: e.y, day: dayNumber(e.day!)! }));
  const t0 = performance.now();
  const g = knoxSteps(ev, { spaceBands: [100, 200, 300, 400], timeBands: [7, 14, 21, 28], iterations: 99, seed: 1, metric: 'euclidean' });
  let first = 0; let steps = 0; let max = 0; let last = performance.now();
  for (;;) { const r = g.next(); const now = performance.now(); if (!first) first = now - t0; else max = Math.max(max, now - last); last = now; steps++; if (r.done) break; }
  console.log(`R=${R} events=${ev.length} first step ${first.toFixed(0)} ms, longest later step ${max.toFixed(0)} ms, total ${(performance.now() - t0).toFixed(0)} ms, steps ${steps}`);
}
await database.close();
