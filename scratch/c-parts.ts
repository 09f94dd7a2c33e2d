import { openDatabase } from '../src/db/database.ts';
import { ordersInForceFor, orderKinds } from '../src/modules/orders/queries.ts';
import { checkIncident } from '../src/modules/orders/checks.ts';
import { refuseIncidentSharing } from '../src/modules/sharing/decision.ts';
import { londonToday } from '../src/platform/time.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench_orders' });
const db = database.db;
const incidents = await db.selectFrom('possible_breach').select(['incident_id', 'person_id']).where('incident_id', 'is not', null).limit(300).execute();
const t = { orders: 0, kinds: 0, check: 0, share: 0, checkNoNew: 0 };
class Rollback extends Error {}
for (const [i, r] of incidents.entries()) {
  await db.transaction().execute(async (trx) => {
    let s = performance.now(); await ordersInForceFor(trx, [r.person_id], londonToday()); if (i > 50) t.orders += performance.now() - s;
    s = performance.now(); await orderKinds(trx); if (i > 50) t.kinds += performance.now() - s;
    s = performance.now(); await refuseIncidentSharing(trx, r.incident_id!); if (i > 50) t.share += performance.now() - s;
    s = performance.now(); await checkIncident(trx, {}, r.incident_id!); if (i > 50) t.checkNoNew += performance.now() - s;
    // a fresh raise: delete this incident's breaches first (rolled back)
    await trx.deleteFrom('notification').where('possible_breach_id', 'in', trx.selectFrom('possible_breach').select('id').where('incident_id', '=', r.incident_id!)).execute();
    await trx.deleteFrom('possible_breach').where('incident_id', '=', r.incident_id!).execute();
    s = performance.now(); await checkIncident(trx, {}, r.incident_id!); if (i > 50) t.check += performance.now() - s;
    throw new Rollback();
  }).catch((e) => { if (!(e instanceof Rollback)) throw e; });
}
const n = incidents.length - 51;
for (const [k, v] of Object.entries(t)) console.log(k.padEnd(12), (v / n).toFixed(2), 'ms');
await database.close();
