// The services directory: find a service by domain and age, see how full it
// is and the evidence behind it; the partnership keeps it up to date.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { activeAgencies } from '../incidents/queries.ts';
import { DOMAINS, YEF_EVIDENCE, YEF_IMPACT, readService } from './rules.ts';
import { findService, listServices, updateService } from './queries.ts';

export function registerServices(app: FastifyInstance): void {
  const choices = async () => ({ agencies: await activeAgencies(app.db), domains: DOMAINS, impacts: YEF_IMPACT, evidence: YEF_EVIDENCE });
  const form = async (reply: FastifyReply, values: Body, extra: Record<string, unknown> = {}) => reply.page('services/views/form.njk', { values, ...(await choices()), ...extra });
  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? findService(app.db, id) : undefined;
  };

  declareRoute(app, {
    method: 'GET',
    url: '/services',
    access: 'service.read',
    audit: null,
    handler: async (req, reply) => {
      const query = req.query as Body;
      const domain = str(query, 'domain');
      const ageRaw = str(query, 'age');
      const errors = new FormErrors();
      const age = /^\d{1,2}$/.test(ageRaw) ? Number(ageRaw) : undefined;
      if (ageRaw && age === undefined) errors.add('age', 'Age must be a whole number, like 15');
      const services = await listServices(app.db, { domain: domain in DOMAINS ? domain : undefined, age });
      return reply.code(errors.any ? 400 : 200).page('services/views/list.njk', { services, errors, values: { domain, age: ageRaw }, domains: DOMAINS, impacts: YEF_IMPACT, evidence: YEF_EVIDENCE, canManage: can(req.actor!.roles, 'service.manage') });
    },
  });

  declareRoute(app, { method: 'GET', url: '/services/new', access: 'service.manage', audit: null, handler: async (_req, reply) => form(reply, { yefImpact: 'not_rated', yefEvidence: '0' }) });

  declareRoute(app, {
    method: 'POST',
    url: '/services',
    access: 'service.manage',
    audit: 'service.record',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const { agencies } = await choices();
      const input = readService(body, errors, agencies.map((a) => a.id));
      const taken = input && (await app.db.selectFrom('service').select('id').where('name', '=', input.name).executeTakeFirst());
      if (taken) errors.add('name', 'A service with this name is already in the directory');
      if (!input || errors.any) return form(reply.code(400), body, { errors });
      const id = await transact(req, async (trx, audit) => {
        const row = await trx.insertInto('service').values(input).returning('id').executeTakeFirstOrThrow();
        await audit({ recordType: 'service', recordId: row.id });
        return row.id;
      });
      return reply.redirect(`/services/${id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/services/:id',
    access: 'service.read',
    audit: null,
    handler: async (req, reply) => {
      const service = await load(req);
      if (!service) return notFound(req, reply);
      return reply.page('services/views/service.njk', { service, domains: DOMAINS, impacts: YEF_IMPACT, evidence: YEF_EVIDENCE, canManage: can(req.actor!.roles, 'service.manage') });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/services/:id/edit',
    access: 'service.manage',
    audit: null,
    handler: async (req, reply) => {
      const s = await load(req);
      if (!s) return notFound(req, reply);
      const values = { name: s.name, providerAgencyId: s.provider_agency_id, domain: s.domain, description: s.description, minAge: String(s.min_age), maxAge: String(s.max_age), capacity: String(s.capacity), plannedWeeks: s.planned_weeks ? String(s.planned_weeks) : '', referralCriteria: s.referral_criteria, contact: s.contact, yefImpact: s.yef_impact, yefEvidence: String(s.yef_evidence), version: String(s.version) };
      return form(reply, values, { service: s });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/services/:id',
    access: 'service.manage',
    audit: 'service.edit',
    handler: async (req, reply) => {
      const service = await load(req);
      if (!service) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const { agencies } = await choices();
      const input = readService(body, errors, agencies.map((a) => a.id));
      if (!input || errors.any) return form(reply.code(400), body, { errors, service });
      const saved = await transact(req, async (trx, audit) => {
        const saved = await updateService(trx, service.id, Number(str(body, 'version')), input);
        if (saved) await audit({ recordType: 'service', recordId: service.id });
        return saved;
      });
      if (!saved) {
        errors.add('name', 'Someone else changed this service while you were editing: your changes are below; check them against the directory and save again');
        return form(reply.code(409), { ...body, version: String(service.version) }, { errors, service });
      }
      return reply.redirect(`/services/${service.id}`, 303);
    },
  });
}
