import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { placeEvents } from '../src/modules/hotspots/events.ts';
import { boroughsOnGrid } from '../src/analysis/geography.ts';
import { knoxSteps } from '../src/analysis/knox.ts';
import { hotSpotCells } from '../src/modules/hotspots/analysis.ts';
import { dayNumber } from '../src/analysis/nearRepeats.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench' });
const db = database.db;
const user = await db.selectFrom('app_user').select(['id', 'agency_id']).where(sql<boolean>`'police' = ANY(roles)`).executeTakeFirstOrThrow();
const cis = await db.selectFrom('critical_incident as ci').innerJoin('incident', 'incident.id', 'ci.incident_id').select(['ci.reference', 'incident.easting', 'incident.northing', 'incident.borough_code']).limit(8).execute();
for (const c of cis) {
  const b = boroughsOnGrid().find((x) => x.code === c.borough_code)!;
  let t0 = performance.now();
  const own = await placeEvents(db, user.agency_id, { from: '2025-12', to: '2026-12', ageBand: null, box: b.bbox, sources: ['partnership', 'istv'], categories: [] });
  const load = performance.now() - t0;
  t0 = performance.now();
  hotSpotCells(own, [b], { cellSize: 250, distance: 375, selfExcluded: false, correction: 'fdr' });
  const gi = performance.now() - t0;
  const ev = own.filter((e) => e.day && Math.hypot(e.x - c.easting!, e.y - c.northing!) <= 1000).map((e) => ({ x: e.x, y: e.y, day: dayNumber(e.day!)! }));
  t0 = performance.now();
  const g = knoxSteps(ev, { spaceBands: [100, 200, 300, 400], timeBands: [7, 14, 21, 28], iterations: 99, seed: 1, metric: 'euclidean' });
  let first = 0;
  for (;;) { const r = g.next(); if (!first) first = performance.now() - t0; if (r.done) break; }
  console.log(`${c.reference} ${b.name} load ${load.toFixed(0)} gi ${gi.toFixed(0)} events1km=${ev.length} knox first ${first.toFixed(0)} total ${(performance.now() - t0).toFixed(0)} ms`);
}
await database.close();
