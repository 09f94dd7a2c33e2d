// Demo rapid reviews: one closed, on a knife injury two to six months ago,
// with findings and recommendations tracked in the knife crime plan; one
// open, on the most recent knife injury with an urgent response, so the
// timeline of what agencies did has something in it.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { addDays } from '../../platform/workingDays.ts';
import { londonToday } from '../../platform/time.ts';
import { openReview, addFinding, addRecommendation, closeReview } from '../reviews/queries.ts';

const DAY = 86_400_000;

const CLOSED = {
  scope: 'How partners worked with the young people involved in the year before the stabbing, and how quickly each was reached afterwards. Council youth service, police, NHS trust, youth justice and schools took part.',
  findings: [
    'The move from primary to secondary school was a point where support stopped: the youth service did not know the young person had changed school.',
    'Contact was attempted within 48 hours, but only by phone; a home visit on the second day reached the family.',
  ],
  recommendations: [
    { statement: 'Share school transition lists with the youth service each July, so support follows the child to the new school.', number: '5.2.1', leads: ['Schools', 'Youth Service'], days: 120, status: 'in_progress' as const },
    { statement: 'Plan a home visit on the first day when the first phone call after an incident is not answered.', number: '5.2.2', leads: ['Community Safety'], days: 30, status: 'complete' as const },
  ],
};

export async function seedReviews(db: Kysely<DB>, now: Date): Promise<void> {
  const today = londonToday(now);
  const council = await db.selectFrom('agency').select('id').where('receives_incidents', '=', true).where('kind', '=', 'council').orderBy('name').executeTakeFirst();
  const user = council && (await db.selectFrom('app_user').select('id').where('agency_id', '=', council.id).where(sql<boolean>`'coordinator' = ANY(roles)`).executeTakeFirst());
  const plan = await db.selectFrom('strategy').select('id').where('name', '=', 'Knife Crime Action Plan').executeTakeFirst();
  if (!council || !user || !plan) return;
  const knifeInjury = (from: Date, to: Date) =>
    db
      .selectFrom('incident')
      .innerJoin('urgent_response_incident as link', 'link.incident_id', 'incident.id')
      .select('incident.id')
      .where('incident.type_code', '=', 'knife_injury')
      .where('incident.occurred_at', '>=', from)
      .where('incident.occurred_at', '<', to)
      .orderBy('incident.occurred_at', 'desc')
      .limit(1)
      .executeTakeFirst();
  const actor = { kind: 'user' as const, userId: user.id, apiClientId: null, agencyId: council.id, agencyName: '', roles: ['coordinator'], displayName: '' };
  const [older, recent] = await Promise.all([knifeInjury(new Date(now.getTime() - 180 * DAY), new Date(now.getTime() - 60 * DAY)), knifeInjury(new Date(now.getTime() - 14 * DAY), now)]);

  await db.transaction().execute(async (trx) => {
    if (older) {
      const review = await openReview(trx, actor, older.id, CLOSED.scope);
      for (const f of CLOSED.findings) await addFinding(trx, review.id, f, user.id);
      for (const r of CLOSED.recommendations) {
        const { actionId } = await addRecommendation(trx, review.id, { statement: r.statement, strategyId: plan.id, number: r.number, leadPartners: r.leads, dueOn: addDays(today, r.days) }, user.id);
        await trx.updateTable('strategy_action').set({ status: r.status, rag: r.status === 'complete' ? null : 'amber', rag_reason: r.status === 'complete' ? null : 'Transition lists agreed with two of three secondary schools.' }).where('id', '=', actionId).execute();
      }
      await closeReview(trx, review.id, 1, user.id);
    }
    if (recent) await openReview(trx, actor, recent.id, 'What partners knew about the young people involved and whether any of them was already known to be at risk. Scoping meeting held; partners are sending their chronologies.');
  });
}
