// Times each statement of recording one incident in scenario C (three subjects inside a zone).
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { createIncident, addInvolvements } from '../src/modules/incidents/queries.ts';
import { recordAudits } from '../src/platform/audit.ts';
import { fromBritishNationalGrid } from '../src/analysis/geography.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench_orders' });
const db = database.db;
const police = (await db.selectFrom('agency').select('id').where('name', '=', 'Bench police').executeTakeFirstOrThrow()).id;
const officer = (await db.selectFrom('app_user').select('id').where('email', '=', 'bench-orders@example.gov.uk').executeTakeFirstOrThrow()).id;
const zoned = await db.selectFrom('order_condition').innerJoin('court_order', 'court_order.id', 'order_condition.order_id').select(['court_order.person_id', 'order_condition.min_easting', 'order_condition.max_easting', 'order_condition.min_northing', 'order_condition.max_northing']).where('order_condition.kind', '=', 'exclusion_zone').limit(400).execute();
const log: { sql: string; ms: number }[] = [];
const orig = (db as any).executor;
let total = 0;
for (let i = 0; i < 200; i++) {
  const people = [zoned[i % 400], zoned[(i * 7 + 1) % 400], zoned[(i * 13 + 2) % 400]];
  const x = (people[0].min_easting! + people[0].max_easting!) / 2, y = (people[0].min_northing! + people[0].max_northing!) / 2;
  const [longitude, latitude] = fromBritishNationalGrid(x, y);
  const t0 = performance.now();
  await db.transaction().execute(async (trx) => {
    const at = new Date(Date.now() - 3_600_000);
    const timed = async <T>(label: string, f: () => Promise<T>) => { const s = performance.now(); const r = await f(); if (i >= 50) log.push({ sql: label, ms: performance.now() - s }); return r; };
    const incident = await timed('createIncident', () => createIncident(trx, { agencyId: police, userId: officer, apiClientId: null }, { occurredAt: at, notifiedAt: at, typeCode: 'knife_injury', weapon: 'knife', placeDescription: 'x', latitude, longitude, sourceAgencyId: police, sourceReference: null, narrative: null, shareWith: [] }, null));
    await timed('addInvolvements', () => addInvolvements(trx, incident.id, people.map((p, k) => ({ personId: p.person_id!, role: k === 0 ? 'suspect' : 'associate' })), { userId: officer, agencyId: police }));
    await timed('audits', () => recordAudits(trx, { userId: officer, agencyId: police }, [{ action: 'incident.record' }]));
  });
  if (i >= 50) total += performance.now() - t0;
}
const by = new Map<string, number[]>();
for (const l of log) by.set(l.sql, [...(by.get(l.sql) ?? []), l.ms]);
for (const [k, v] of by) console.log(k.padEnd(20), (v.reduce((a, b) => a + b, 0) / v.length).toFixed(2), 'ms mean');
console.log('total mean', (total / 150).toFixed(2));
await database.close();
