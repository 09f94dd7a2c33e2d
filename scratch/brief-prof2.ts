import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { placeEvents } from '../src/modules/hotspots/events.ts';
import { hotSpotCells } from '../src/modules/hotspots/analysis.ts';
import { boroughsOnGrid } from '../src/analysis/geography.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench' });
const db = database.db;
const user = await db.selectFrom('app_user').select(['id', 'agency_id']).where(sql<boolean>`'police' = ANY(roles)`).executeTakeFirstOrThrow();
const b = boroughsOnGrid().find((x) => x.name === 'Hackney')!;
for (let i = 0; i < 2; i++) {
  let t0 = performance.now();
  const own = await placeEvents(db, user.agency_id, { from: '2025-12', to: '2026-12', ageBand: null, box: b.bbox, sources: ['partnership'], categories: [] });
  console.log('partnership', own.length, (performance.now() - t0).toFixed(0));
  t0 = performance.now();
  const istv = await placeEvents(db, user.agency_id, { from: '2025-12', to: '2026-12', ageBand: null, box: b.bbox, sources: ['istv'], categories: [] });
  console.log('istv', istv.length, (performance.now() - t0).toFixed(0));
  t0 = performance.now();
  const police = await placeEvents(db, user.agency_id, { from: '2025-12', to: '2026-12', ageBand: null, box: b.bbox, sources: ['police_street'], categories: ['Violence and sexual offences', 'Robbery', 'Possession of weapons'] });
  console.log('police', police.length, (performance.now() - t0).toFixed(0));
  t0 = performance.now();
  hotSpotCells([...own, ...istv, ...police], [b], { cellSize: 250, distance: 375, selfExcluded: false, correction: 'fdr' });
  console.log('gi', (performance.now() - t0).toFixed(0));
}
await database.close();
