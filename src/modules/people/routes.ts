// Finding, adding and viewing people on the partnership's shared record.
// Names travel in POST bodies only, never in URLs.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateTimeParts, isUuid, str, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { RELATIONSHIPS } from '../families/rules.ts';
import { ETHNICITIES, ETHNICITY_LABELS, SEXES, readPerson } from './rules.ts';
import { IDENTIFIER_SCHEMES } from './identifiers.ts';
import { auditedCandidates, auditedSearch } from './candidates.ts';
import { createPerson, ALIAS_KINDS } from './queries.ts';
import { loadPersonRecord } from './record.ts';
import { personOrders } from '../orders/queries.ts';
import { londonToday } from '../../platform/time.ts';
import { GENDERS, INVOLVEMENT_KINDS, MARKER_KINDS, readExtras, readNewIdentifiers, readSearchTerms } from './forms.ts';
import { STRANDS } from '../cohorts/rules.ts';
import { DECISION_KINDS, decideSharing, sharingDecisions } from '../sharing/decision.ts';
import { CONSENT_BY, LAWFUL_BASES } from '../urgent-response/consent.ts';
import { partnerAgencies } from '../actions/queries.ts';

export const personChoices = {
  sexes: Object.entries(SEXES).map(([value, text]) => ({ value, text })),
  ethnicities: ETHNICITIES,
  genders: GENDERS,
  schemes: IDENTIFIER_SCHEMES,
  aliasKinds: ALIAS_KINDS,
  markerKinds: MARKER_KINDS,
  involvementKinds: INVOLVEMENT_KINDS,
  strands: STRANDS,
  relationships: RELATIONSHIPS,
};

/** The person page, with a sub-form's errors when one was refused (400, nothing saved). */
import { exploitationOf } from '../exploitation/queries.ts';
import { EXPLOITATION_WORDS } from '../exploitation/rules.ts';
import { meetingTypes } from '../meetings/queries.ts';

export async function renderPerson(req: FastifyRequest, reply: FastifyReply, personId: string, extra: { errors?: FormErrors; values?: Body; status?: number; missing?: () => Promise<FastifyReply> } = {}) {
  const record = await transact(req, async (trx, audit) => {
    const record = await loadPersonRecord(trx, req.actor!, personId);
    if (record) await audit({ action: 'person.view', recordType: 'person', recordId: personId, personId });
    // That an order exists and whom to contact, for everyone who works with the person; its conditions on its own page, for those who enforce it.
    const orders = record && can(req.actor!.roles, 'order.read') ? await personOrders(trx, personId) : [];
    const exploitation = record ? await exploitationOf(trx, req.actor!.agencyId, personId) : null;
    return record && { ...record, orders, exploitation };
  });
  if (!record) return extra.missing ? extra.missing() : notFound(req, reply);
  const actor = req.actor!;
  const query = req.query as Record<string, string>;
  return reply.code(extra.status ?? 200).page('people/views/person.njk', {
    ...record,
    sharing: {
      decision: await decideSharing(req.server.db, personId, null),
      decisions: await sharingDecisions(req.server.db, personId),
      agencies: await partnerAgencies(req.server.db),
      kinds: DECISION_KINDS,
      consentBy: CONSENT_BY,
      bases: LAWFUL_BASES,
      done: query.sharingRecorded ? 'The sharing decision is recorded' : query.sharingConfirmed ? 'The lawful basis is confirmed' : query.sharingWithdrawn ? 'The decision is withdrawn' : null,
    },
    userId: actor.userId,
    today: londonToday(),
    ...personChoices,
    sexLabel: SEXES[record.person.sex as keyof typeof SEXES] ?? record.person.sex,
    ethnicityLabel: ETHNICITY_LABELS[record.person.ethnicity] ?? record.person.ethnicity,
    errors: extra.errors,
    values: extra.values ?? dateTimeParts('sharingAt'),
    can: {
      record: can(actor.roles, 'person.record'),
      merge: can(actor.roles, 'person.merge'),
      cohort: can(actor.roles, 'cohort.decide'),
      refer: can(actor.roles, 'referral.send'),
      family: can(actor.roles, 'family.manage'),
      network: can(actor.roles, 'network.read'),
      sharing: can(actor.roles, 'sharing.record'),
      approve: can(actor.roles, 'sharing.approve'),
      orders: can(actor.roles, 'order.read'),
      recordOrder: can(actor.roles, 'order.record'),
      missing: can(actor.roles, 'missing.read'),
      recordMissing: can(actor.roles, 'missing.record'),
      nrm: can(actor.roles, 'nrm.read'),
      recordNrm: can(actor.roles, 'nrm.record'),
      education: can(actor.roles, 'education.read'),
      recordEducation: can(actor.roles, 'education.record'),
      referToPanel: can(actor.roles, 'panel.refer'),
    },
    exploitationWords: EXPLOITATION_WORDS,
    panelTypes: await meetingTypes(req.server.db),
  });
}

export function registerPeople(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/people',
    access: 'person.read',
    audit: null,
    handler: async (_req, reply) => reply.page('people/views/search.njk', { values: {}, schemes: IDENTIFIER_SCHEMES }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people/search',
    access: 'person.read',
    audit: 'person.search',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const terms = readSearchTerms(body, errors);
      if (!terms) return reply.code(400).page('people/views/search.njk', { errors, values: body, schemes: IDENTIFIER_SCHEMES });
      const results = await transact(req, (trx) => auditedSearch(trx, actorOf(req), terms));
      return reply.page('people/views/search.njk', { values: body, results, searched: true, schemes: IDENTIFIER_SCHEMES });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/people/new',
    access: 'person.record',
    audit: null,
    handler: async (_req, reply) => reply.page('people/views/new.njk', { values: {}, ...personChoices }),
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people',
    access: 'person.record',
    audit: 'person.record',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const person = readPerson(body, errors);
      const identifiers = readNewIdentifiers(body, errors);
      const extras = readExtras(body, errors);
      if (!person || errors.any) return reply.code(400).page('people/views/new.njk', { errors, values: body, ...personChoices });
      const actor = req.actor!;
      const result = await transact(req, async (trx, audit) => {
        if (str(body, 'confirmNew') !== 'yes') {
          const candidates = await auditedCandidates(trx, actorOf(req), person, identifiers);
          if (candidates.length) return { candidates };
        }
        const id = await createPerson(trx, { agencyId: actor.agencyId, userId: actor.userId, apiClientId: null }, person, identifiers);
        await trx.updateTable('person').set(extras).where('id', '=', id).execute();
        await audit({ recordType: 'person', recordId: id, personId: id });
        return { id };
      });
      if ('candidates' in result) return reply.page('people/views/new.njk', { values: body, candidates: result.candidates, ...personChoices });
      return reply.redirect(`/people/${result.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/people/:id',
    access: 'person.read',
    audit: 'person.view',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!isUuid(id)) return notFound(req, reply);
      // A record merged into another sends the reader to the one kept (asked only when the record is not there to show).
      const missing = async () => {
        const merged = await app.db.selectFrom('person').select('merged_into').where('id', '=', id).where('merged_into', 'is not', null).executeTakeFirst();
        return merged?.merged_into ? reply.redirect(`/people/${merged.merged_into}`, 303) : notFound(req, reply);
      };
      return renderPerson(req, reply, id, { missing });
    },
  });
}
