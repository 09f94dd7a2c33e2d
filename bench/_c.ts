import { openDatabase } from '../src/db/database.ts';
import { loadSnapshot } from '../src/db/snapshot.ts';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { sql } from 'kysely';
for (const hours of [0, 6, 12, 18]) {
  const d = await openDatabase({ dataDir: 'memory://', loadDataDir: loadSnapshot() });
  await seedDemo(d.db, { scale: 'borough', seed: 11, people: 150, incidents: 300, now: new Date(Date.now() + hours * 3600e3) });
  const r = await sql<any>`SELECT status, count(*) n FROM urgent_response GROUP BY 1`.execute(d.db);
  const inc = await sql<any>`SELECT count(*) n FROM incident WHERE notified_at > now() - interval '14 days'`.execute(d.db);
  console.log(hours, JSON.stringify(r.rows), 'recent incidents', inc.rows[0].n);
  await d.close();
}
