// An episode for a partner system (say, the referrer's case management
// system): its state and the notes the calling agency may see. A credential
// acts for an agency, never a person, so restricted notes never leave here.
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { isUuid } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { findEpisode, notesFor } from './queries.ts';

export function registerEpisodeApi(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/api/v1/episodes/:id',
    access: 'episode.read',
    audit: 'episode.view',
    api: true,
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!isUuid(id)) return notFound(req, reply);
      const found = await transact(req, async (trx, audit) => {
        const episode = await findEpisode(trx, req.actor!, id);
        if (!episode) return null;
        const notes = await notesFor(trx, req.actor!, id);
        await audit({ recordType: 'episode', recordId: id, personId: episode.person_id, detail: { notes: notes.length } });
        return { episode, notes };
      });
      if (!found) return notFound(req, reply);
      const { episode: e, notes } = found;
      return reply.send({
        id: e.id,
        personId: e.person_id,
        service: e.service_name,
        agency: e.agency_name,
        leadWorker: e.worker_name,
        referral: e.referral_reference,
        startedOn: e.started_on,
        plannedEndOn: e.planned_end_on,
        reviewOn: e.review_on,
        closedOn: e.closed_on,
        outcome: e.outcome,
        notes: notes.map((n) => ({ id: n.id, kind: n.kind, method: n.method, happenedAt: new Date(n.happened_at).toISOString(), visibility: n.visibility, author: n.author_name, agency: n.author_agency, text: n.body })),
      });
    },
  });
}
