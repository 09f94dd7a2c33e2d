// Who is told when a critical incident is declared (issue 20): the
// partnership's critical incident contacts, kept by administrators. Until
// any are named, every agency's coordinators are told, and the page says so.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, type Body } from '../../platform/forms.ts';

export function registerCriticalContacts(app: FastifyInstance): void {
  const users = () =>
    app.db
      .selectFrom('app_user')
      .innerJoin('agency', 'agency.id', 'app_user.agency_id')
      .leftJoin('critical_incident_contact as c', 'c.user_id', 'app_user.id')
      .select(['app_user.id', 'app_user.display_name', 'app_user.email', 'agency.name as agency_name', 'c.user_id as contact'])
      .where('app_user.disabled_at', 'is', null)
      .orderBy('agency.name')
      .orderBy('app_user.display_name')
      .execute();
  const page = async (reply: FastifyReply, values: Body = {}, errors?: FormErrors) => {
    const all = await users();
    return reply.code(errors ? 400 : 200).page('critical-incidents/views/contacts.njk', { contacts: all.filter((u) => u.contact), others: all.filter((u) => !u.contact), values, errors });
  };
  declareRoute(app, { method: 'GET', url: '/admin/critical-incident-contacts', access: 'critical.contacts', audit: null, handler: (_req, reply) => page(reply) });
  declareRoute(app, {
    method: 'POST',
    url: '/admin/critical-incident-contacts',
    access: 'critical.contacts',
    audit: 'critical.contacts',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const all = await users();
      const change = choice(body, 'change', errors, ['add', 'remove'] as const, 'Select whether to add or remove the contact');
      const userId = choice(body, 'userId', errors, all.map((u) => u.id), 'Select a user');
      if (!change || !userId) return page(reply, body, errors);
      await transact(req, async (trx, audit) => {
        if (change === 'add') await trx.insertInto('critical_incident_contact').values({ user_id: userId, added_by: req.actor!.userId }).onConflict((oc) => oc.doNothing()).execute();
        else await trx.deleteFrom('critical_incident_contact').where('user_id', '=', userId).execute();
        await audit({ recordType: 'app_user', recordId: userId, detail: { change } });
      });
      return reply.redirect('/admin/critical-incident-contacts', 303);
    },
  });
}
