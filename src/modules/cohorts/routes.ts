// Recording and ending a person's strand, and the list of strands past their
// review date: nobody stays on a list because nobody looked again.
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { text } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';
import { subForm } from '../people/editRoutes.ts';
import { STRANDS, readStrandDecision } from './rules.ts';

export function registerCohorts(app: FastifyInstance): void {
  subForm(app, {
    url: '/people/:id/cohort',
    access: 'cohort.decide',
    audit: 'cohort.decide',
    read: (body, errors) => readStrandDecision(body, errors),
    anchor: 'cohort',
    // A new strand ends the one the page showed: someone else's change since is not ended unseen.
    edits: { field: 'strand' },
    save: async (trx, personId, d, actor) => {
      const today = londonToday();
      await trx.updateTable('cohort_membership').set({ ended_on: today, ended_by: actor.userId, end_reason: 'Strand changed' }).where('person_id', '=', personId).where('ended_on', 'is', null).execute();
      const row = await trx
        .insertInto('cohort_membership')
        .values({ person_id: personId, strand: d.strand, reason: d.reason, agency_id: actor.agencyId, decided_on: today, decided_by: actor.userId!, review_on: d.reviewOn })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
  });

  subForm(app, {
    url: '/people/:id/cohort/end',
    access: 'cohort.decide',
    audit: 'cohort.end',
    read: (body, errors) => text(body, 'endReason', errors, { label: 'Reason', required: true, max: 500, missing: 'Say why they are leaving the strand' }),
    anchor: 'cohort',
    edits: { field: 'endReason' },
    save: (trx, personId, reason, actor) =>
      trx
        .updateTable('cohort_membership')
        .set({ ended_on: londonToday(), ended_by: actor.userId, end_reason: reason })
        .where('person_id', '=', personId)
        .where('ended_on', 'is', null)
        .executeTakeFirst()
        .then((r) => r.numUpdatedRows > 0n),
  });

  declareRoute(app, {
    method: 'GET',
    url: '/cohorts/reviews',
    access: 'cohort.decide',
    audit: 'cohort.reviews',
    handler: async (req, reply) => {
      const today = londonToday();
      const due = await transact(req, async (trx, audit) => {
        const rows = await trx
          .selectFrom('cohort_membership')
          .innerJoin('person', 'person.id', 'cohort_membership.person_id')
          .innerJoin('app_user', 'app_user.id', 'cohort_membership.decided_by')
          .innerJoin('agency', 'agency.id', 'cohort_membership.agency_id')
          .select(['person.id as person_id', 'person.given_name', 'person.family_name', 'cohort_membership.strand', 'cohort_membership.reason', 'cohort_membership.review_on', 'cohort_membership.decided_on', 'app_user.display_name as decided_by_name', 'agency.name as agency_name'])
          .where('cohort_membership.ended_on', 'is', null)
          .where('cohort_membership.review_on', '<', today)
          .where('person.merged_into', 'is', null)
          .orderBy('cohort_membership.review_on')
          .limit(500)
          .execute();
        await audit({ recordType: 'cohort_membership', detail: { shown: rows.length } });
        return rows;
      });
      return reply.page('cohorts/views/reviews.njk', { due, strands: STRANDS });
    },
  });
}
