// The reminder sweep (issue 3): every minute, each open urgent response's
// clocks are checked and one notification is raised per clock event (due
// soon, breached) for its worker and its agency's coordinators. Safe to run
// twice and on several instances: one sweep at a time holds an advisory lock,
// and a unique key refuses a second notification for the same event.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { clocksOf, responseQuery } from './queries.ts';

const SWEEP_LOCK = 727_002;

export async function runSweep(db: Kysely<DB>, now = new Date()): Promise<{ ran: boolean; raised: number }> {
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ ok: boolean }>`SELECT pg_try_advisory_xact_lock(${SWEEP_LOCK}) AS ok`.execute(trx);
    if (!rows[0].ok) return { ran: false, raised: 0 };
    const responses = await responseQuery(trx).where('urgent_response.status', '=', 'open').execute();
    if (!responses.length) return { ran: true, raised: 0 };
    const coordinators = await trx
      .selectFrom('app_user')
      .select(['id', 'agency_id'])
      .where('disabled_at', 'is', null)
      .where(sql<boolean>`'coordinator' = ANY(roles)`)
      .execute();
    const notifications = responses.flatMap((response) => {
      const recipients = new Set([...(response.owner_id ? [response.owner_id] : []), ...coordinators.filter((c) => c.agency_id === response.agency_id).map((c) => c.id)]);
      return clocksOf(response, now)
        .filter((clock) => clock.state === 'due_soon' || clock.state === 'breached')
        .flatMap((clock) => [...recipients].map((recipient_id) => ({ urgent_response_id: response.id, clock: clock.kind, event: clock.state, recipient_id })));
    });
    let raised = 0;
    for (let i = 0; i < notifications.length; i += 1000) {
      const inserted = await trx
        .insertInto('notification')
        .values(notifications.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(['urgent_response_id', 'clock', 'event', 'recipient_id']).doNothing())
        .returning('id')
        .execute();
      raised += inserted.length;
    }
    return { ran: true, raised };
  });
}

/** Runs the sweep on an interval until stopped; a failed sweep is logged and tried again next time. */
export function startSweeps(db: Kysely<DB>, intervalMs: number, log: { error(obj: unknown, msg: string): void }): () => void {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      await runSweep(db);
    } catch (error) {
      log.error({ err: error }, 'urgent response sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  void tick();
  return () => clearInterval(timer);
}
