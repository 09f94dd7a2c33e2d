import { openDatabase } from '../src/db/database.ts';
import { ordersInForceFor } from '../src/modules/orders/queries.ts';
import { londonToday } from '../src/platform/time.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench_orders' });
const db = database.db;
const ids = (await db.selectFrom('order_condition').innerJoin('court_order', 'court_order.id', 'order_condition.order_id').select('court_order.person_id').where('order_condition.kind', '=', 'exclusion_zone').limit(900).execute()).map((r) => r.person_id!);
let t = 0; let n = 0;
for (let i = 0; i < 300; i++) {
  await db.transaction().execute(async (trx) => {
    const s = performance.now();
    await ordersInForceFor(trx, ids.slice(i * 3, i * 3 + 3), londonToday());
    if (i >= 50) { t += performance.now() - s; n++; }
  });
}
console.log('ordersInForceFor, 3 subjects', (t / n).toFixed(2), 'ms');
await database.close();
