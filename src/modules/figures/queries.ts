// The facts about urgent responses that the figures, the indicators and the board report count.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { clockFactColumns } from '../urgent-response/queries.ts';
import type { ResponseFacts } from './figures.ts';

const date = (v: Date | string | null) => (v ? new Date(v) : null);

/** Every urgent response notified in [from, to), with the times its clocks are decided by. */
export async function responseFacts(db: Kysely<DB>, from: Date, to: Date): Promise<ResponseFacts[]> {
  const rows = await db
    .selectFrom('urgent_response')
    .select(['urgent_response.source', 'urgent_response.notified_at', 'urgent_response.custody_booked_at', 'urgent_response.custody_notified_at', 'urgent_response.closure_reason'])
    .select((eb) => clockFactColumns(eb))
    .where('urgent_response.notified_at', '>=', from)
    .where('urgent_response.notified_at', '<', to)
    .execute();
  return rows.map((r) => ({
    ...r,
    notified_at: new Date(r.notified_at),
    custody_booked_at: date(r.custody_booked_at),
    custody_notified_at: date(r.custody_notified_at),
    first_attempt_at: date(r.first_attempt_at),
    contact_made_at: date(r.contact_made_at),
    professional_contact_at: date(r.professional_contact_at),
  }));
}
