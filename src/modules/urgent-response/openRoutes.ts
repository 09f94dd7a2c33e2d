// Opening an urgent response by hand, from the incident page: for someone
// the opening rules did not cover (a witness at risk, a young adult).
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, isUuid, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { findIncident, involvementsOf } from '../incidents/queries.ts';
import { openByHand } from './queries.ts';

export function registerOpenByHand(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'POST',
    url: '/incidents/:id/urgent-responses',
    access: 'urgent_response.manage',
    audit: 'urgent-response.open',
    handler: async (req, reply) => {
      const incidentId = (req.params as { id: string }).id;
      const actor = req.actor!;
      const incident = isUuid(incidentId) ? await findIncident(app.db, actor.agencyId, incidentId) : undefined;
      if (!incident) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const people = await involvementsOf(app.db, incident.id);
      const involvementId = choice(body, 'involvementId', errors, people.map((p) => p.id), 'Select the person to open an urgent response for');
      const reason = text(body, 'openReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why this person needs an urgent response' });
      if (!involvementId || !reason) {
        const choices = people.map((p) => ({ involvementId: p.id, name: `${p.given_name} ${p.family_name}` }));
        return reply.code(400).page('urgent-response/views/open.njk', { incident, people: choices, errors, values: body });
      }
      const personId = people.find((p) => p.id === involvementId)!.person_id;
      const opened = await transact(req, async (trx, audit) => {
        const r = await openByHand(trx, incident.id, personId, { agencyId: actor.agencyId, userId: actor.userId }, reason);
        await audit({ action: r.opened ? 'urgent-response.open' : 'urgent-response.link', recordType: 'urgent_response', recordId: r.id, personId, detail: { incident: incident.id, how: 'by hand' } });
        return r;
      });
      return reply.redirect(`/urgent-responses/${opened.id}`, 303);
    },
  });
}
