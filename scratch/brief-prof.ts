import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.ts';
import { findCritical } from '../src/modules/critical-incidents/queries.ts';
import { briefing } from '../src/modules/critical-incidents/briefing.ts';
const database = await openDatabase({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/reachable_bench' });
const db = database.db;
const user = await db.selectFrom('app_user').select(['id', 'agency_id', 'roles']).where(sql<boolean>`'police' = ANY(roles)`).executeTakeFirstOrThrow();
const actor = { userId: user.id, agencyId: user.agency_id, roles: user.roles, apiClientId: null, displayName: 'x', agencyName: 'y' } as never;
const name = Object.assign((p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`, { identifies: true });
const cis = await db.selectFrom('critical_incident').select('id').limit(3).execute();
for (const c of cis) {
  const ci = (await findCritical(db, c.id))!;
  for (const k of ['involved', 'atRisk', 'groups', 'orders', 'place', 'nearRepeat', 'schools'] as const) {
    const t0 = performance.now();
    const b = await briefing(db, actor, name, ci, [k]);
    const extra = k === 'atRisk' ? ` contacts ${(b as any).atRisk.data?.contacts.length} more ${(b as any).atRisk.data?.more}` : '';
    console.log(ci.reference, k, (performance.now() - t0).toFixed(0), 'ms', extra);
  }
}
await database.close();
