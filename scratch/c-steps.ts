import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { ordersInForceFor } from '../src/modules/orders/queries.ts';
import { recordAudits } from '../src/platform/audit.ts';
import { londonToday } from '../src/platform/time.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench_orders' });
const db = database.db;
const rows = await db.selectFrom('possible_breach').selectAll().where('incident_id', 'is not', null).limit(300).execute();
const t: Record<string, number> = {};
const time = async <T>(k: string, i: number, f: () => Promise<T>) => { const s = performance.now(); const r = await f(); if (i > 50) t[k] = (t[k] ?? 0) + performance.now() - s; return r; };
class Rollback extends Error {}
for (const [i, b] of rows.entries()) {
  await db.transaction().execute(async (trx) => {
    await time('facts', i, () => trx.selectFrom('incident').leftJoin('involvement', 'involvement.incident_id', 'incident.id').leftJoin('person', 'person.id', 'involvement.person_id').select(['incident.id', 'person.given_name']).where('incident.id', '=', b.incident_id!).execute());
    await time('orders', i, () => ordersInForceFor(trx, [b.person_id], londonToday()));
    await trx.deleteFrom('notification').where('possible_breach_id', '=', b.id).execute();
    await trx.deleteFrom('possible_breach').where('id', '=', b.id).execute();
    const ins = await time('insert', i, () => trx.insertInto('possible_breach').values({ order_id: b.order_id, condition_id: b.condition_id, person_id: b.person_id, incident_id: b.incident_id, evidence: b.evidence }).onConflict((oc) => oc.expression(sql`condition_id, person_id, coalesce(incident_id, association_id), coalesce(with_person_id, '00000000-0000-0000-0000-000000000000'::uuid)`).doNothing()).returning(['id']).execute());
    await time('audit', i, () => recordAudits(trx, {}, [{ action: 'order.breach-raised', recordType: 'possible_breach', recordId: ins[0].id }]));
    throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
}
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(10), (v / (rows.length - 51)).toFixed(2), 'ms');
await database.close();
