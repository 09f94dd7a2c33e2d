// Administration of the partnership's agencies.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { AGENCY_KINDS, AGENCY_KIND_CODES, findAgencyByName } from './accounts.ts';

export function registerAgencyAdmin(app: FastifyInstance): void {
  const kinds = Object.entries(AGENCY_KINDS).map(([value, text]) => ({ value, text }));
  const formPage = (reply: FastifyReply, data: Record<string, unknown>) => reply.page('access/views/agency-form.njk', { ...data, kinds });

  async function readForm(body: Body, errors: FormErrors, exceptId?: string) {
    const name = text(body, 'name', errors, { label: 'Name', required: true, max: 200, missing: 'Enter the agency’s name' });
    const kind = choice(body, 'kind', errors, AGENCY_KIND_CODES, 'Select the kind of agency');
    if (name) {
      const existing = await findAgencyByName(app.db, name);
      if (existing && existing.id !== exceptId) errors.add('name', 'An agency with this name already exists');
    }
    if (errors.any || !name || !kind) return null;
    return { name, kind, receives_incidents: str(body, 'receivesIncidents') === 'yes' };
  }

  declareRoute(app, {
    method: 'GET',
    url: '/admin/agencies',
    access: 'admin.agencies',
    audit: null,
    handler: async (_req, reply) => {
      const agencies = await app.db
        .selectFrom('agency')
        .leftJoin('app_user', 'app_user.agency_id', 'agency.id')
        .select(['agency.id', 'agency.name', 'agency.kind', 'agency.receives_incidents', 'agency.disabled_at'])
        .select((eb) => eb.fn.count<number>('app_user.id').as('users'))
        .groupBy('agency.id')
        .orderBy('agency.name')
        .execute();
      return reply.page('access/views/agencies.njk', { agencies: agencies.map((a) => ({ ...a, kindLabel: AGENCY_KINDS[a.kind as keyof typeof AGENCY_KINDS] })) });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/admin/agencies/new',
    access: 'admin.agencies',
    audit: null,
    handler: async (_req, reply) => formPage(reply, { values: {} }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/agencies',
    access: 'admin.agencies',
    audit: 'agency.create',
    handler: async (req, reply) => {
      const errors = new FormErrors();
      const form = await readForm(req.body as Body, errors);
      if (!form) return formPage(reply.code(400), { errors, values: req.body });
      await transact(req, async (trx, audit) => {
        const row = await trx.insertInto('agency').values(form).returning('id').executeTakeFirstOrThrow();
        await audit({ recordType: 'agency', recordId: row.id });
      });
      return reply.redirect('/admin/agencies', 303);
    },
  });

  const load = (id: string) => app.db.selectFrom('agency').selectAll().where('id', '=', id).executeTakeFirst();

  declareRoute(app, {
    method: 'GET',
    url: '/admin/agencies/:id',
    access: 'admin.agencies',
    audit: null,
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const agency = isUuid(id) ? await load(id) : undefined;
      if (!agency) return notFound(req, reply);
      return formPage(reply, { agency, values: { name: agency.name, kind: agency.kind, receivesIncidents: agency.receives_incidents ? 'yes' : '', version: agency.version } });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/admin/agencies/:id',
    access: 'admin.agencies',
    audit: 'agency.update',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const agency = isUuid(id) ? await load(id) : undefined;
      if (!agency) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const form = await readForm(body, errors, id);
      if (!form) return formPage(reply.code(400), { agency, errors, values: body });
      const disable = str(body, 'status') === 'disabled';
      const saved = await transact(req, async (trx, audit) => {
        const result = await trx
          .updateTable('agency')
          .set({ ...form, disabled_at: disable ? (agency.disabled_at ?? new Date()) : null, updated_at: new Date(), version: agency.version + 1 })
          .where('id', '=', id)
          .where('version', '=', Number(str(body, 'version')))
          .executeTakeFirst();
        if (result.numUpdatedRows === 0n) return false;
        // Disabling an agency signs out everyone in it.
        if (disable) await trx.deleteFrom('session').where('user_id', 'in', trx.selectFrom('app_user').select('id').where('agency_id', '=', id)).execute();
        await audit({ recordType: 'agency', recordId: id, detail: { disabled: disable } });
        return true;
      });
      if (!saved) {
        errors.add('name', 'Someone else changed this agency while you were editing. Your changes were not saved.');
        return formPage(reply.code(409), { agency, errors, values: body });
      }
      return reply.redirect('/admin/agencies', 303);
    },
  });
}
