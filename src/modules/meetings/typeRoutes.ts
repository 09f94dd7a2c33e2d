// Meeting types, for administrators: the list, a new type from the library
// of agenda rules, and changing one (carrying the version it read).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { STALE, orStale, staleWords, versionRead, whoChanged } from '../../platform/versions.ts';
import { partnerAgencies } from '../actions/queries.ts';
import { incidentTypes } from '../incidents/queries.ts';
import { AGENDA_RULES } from './agenda.ts';
import { ruleLabel, settingsOf } from './agendaRule.ts';
import { describeRules, meetingTypeList, readMeetingType, saveMeetingType, typeValues, type MeetingTypeRow } from './types.ts';

const code = (req: FastifyRequest) => (req.params as { code: string }).code;
const CHANGES = ['meeting-type.create', 'meeting-type.update'];

export function registerMeetingTypes(app: FastifyInstance): void {
  const formPage = async (reply: FastifyReply, data: { type?: MeetingTypeRow; values: Body; errors?: FormErrors }) => {
    const [agencies, types] = await Promise.all([partnerAgencies(app.db), incidentTypes(app.db)]);
    // Each rule with its parameters' fields, described with the defaults so an administrator sees what each lists.
    const library = Object.entries(AGENDA_RULES).map(([ruleCode, rule]) => ({ code: ruleCode, label: ruleLabel(rule, settingsOf(rule, undefined, ruleCode)), params: rule.params ?? [] }));
    return reply.page('meetings/views/type.njk', { ...data, agencies, incidentTypes: types, library });
  };
  const known = async () => ({ agencyIds: (await partnerAgencies(app.db)).map((a) => a.id), incidentTypes: (await incidentTypes(app.db)).map((t) => t.code) });

  declareRoute(app, {
    method: 'GET',
    url: '/meeting-types',
    access: 'meeting_type.manage',
    audit: null,
    handler: async (_req, reply) => {
      const [types, agencies] = await Promise.all([meetingTypeList(app.db), partnerAgencies(app.db)]);
      const agencyName = Object.fromEntries(agencies.map((a) => [a.id, a.name]));
      return reply.page('meetings/views/types.njk', { types: types.map((t) => ({ ...t, rules: describeRules(t), chair: t.chair_agency_id ? agencyName[t.chair_agency_id] : null, members: t.member_agency_ids.map((id) => agencyName[id]).filter(Boolean) })) });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/meeting-types/new',
    access: 'meeting_type.manage',
    audit: null,
    handler: async (_req, reply) => formPage(reply, { values: { intervalDays: '28', defaultTime: '10:00', quorum: '0' } }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meeting-types',
    access: 'meeting_type.manage',
    audit: 'meeting-type.create',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readMeetingType(body, errors, await known());
      if (!input) return formPage(reply.code(400), { values: body, errors });
      await transact(req, async (trx, audit) => {
        const made = await saveMeetingType(trx, req.actor!.userId, input);
        await audit({ recordType: 'meeting_type', recordId: made, detail: { rules: input.rules } });
      });
      return reply.redirect('/meeting-types', 303);
    },
  });

  const load = (req: FastifyRequest) => meetingTypeList(app.db).then((types) => types.find((t) => t.code === code(req)));

  declareRoute(app, {
    method: 'GET',
    url: '/meeting-types/:code',
    access: 'meeting_type.manage',
    audit: null,
    handler: async (req, reply) => {
      const type = await load(req);
      if (!type) return notFound(req, reply);
      return formPage(reply, { type, values: typeValues(type) });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/meeting-types/:code',
    access: 'meeting_type.manage',
    audit: 'meeting-type.update',
    handler: async (req, reply) => {
      const type = await load(req);
      if (!type) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readMeetingType(body, errors, await known());
      if (!input) return formPage(reply.code(400), { type, values: body, errors });
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await saveMeetingType(trx, req.actor!.userId, input, { code: type.code, version: versionRead(body) });
          await audit({ recordType: 'meeting_type', recordId: type.code, detail: { rules: input.rules } });
        }),
      );
      if (saved === STALE) {
        const fresh = (await load(req))!;
        errors.add('name', staleWords(await whoChanged(app.db, 'meeting_type', type.code, CHANGES), 'meeting type'));
        return formPage(reply.code(409), { type: fresh, values: { ...body, version: String(fresh.version) }, errors });
      }
      return reply.redirect('/meeting-types', 303);
    },
  });
}
