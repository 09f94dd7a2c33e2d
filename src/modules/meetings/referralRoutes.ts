// Referring a young person to a panel from their record (issue 23): the
// reason goes on the next agenda of the agency that runs that panel.
import type { FastifyInstance } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, isUuid, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { findPerson } from '../people/queries.ts';
import { renderPerson } from '../people/routes.ts';
import { meetingTypes, referToPanel } from './queries.ts';

/** The reason and the meeting, read the same way wherever a referral starts. */
export async function readPanelReferral(db: FastifyInstance['db'], body: Body, errors: FormErrors) {
  const types = await meetingTypes(db);
  const typeCode = choice(body, 'meetingType', errors, types.map((t) => t.code), 'Select the meeting to refer to');
  const reason = text(body, 'referralReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why the meeting should discuss this' });
  return typeCode && reason ? { typeCode, reason } : null;
}

export function registerPanelReferrals(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/meeting-referral',
    access: 'panel.refer',
    audit: 'meeting.refer',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const person = isUuid(id) ? await findPerson(app.db, id) : undefined;
      if (!person) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const referral = await readPanelReferral(app.db, body, errors);
      if (!referral) return renderPerson(req, reply, person.id, { errors, values: body, status: 400 });
      await transact(req, async (trx, audit) => {
        await referToPanel(trx, { agencyId: req.actor!.agencyId, userId: req.actor!.userId }, { ...referral, personId: person.id });
        await audit({ recordType: 'person', recordId: person.id, personId: person.id, detail: { meetingType: referral.typeCode } });
      });
      return reply.redirect(`/people/${person.id}#exploitation`, 303);
    },
  });
}
