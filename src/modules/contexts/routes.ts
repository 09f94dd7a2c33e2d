// Contextual safeguarding pages: the list of context assessments (those past
// their review date first), a new assessment of a peer group, school or
// location, and one assessment's page with its interventions, reviews and
// the people and incidents in the context. Anyone with a part in contextual
// safeguarding reads an assessment; only the agency leading it changes it
// (for any other agency its change routes answer as missing).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { actorOf, declareRoute, transact, type Auditor } from '../../platform/routes.ts';
import { FormErrors, choice, dateParts, isUuid, list, str, text, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { auditedSearch } from '../people/candidates.ts';
import { readSearchTerms } from '../people/forms.ts';
import { personNamer } from '../people/naming.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { groups, places } from '../network/queries.ts';
import { meetingTypes, referToPanel } from '../meetings/queries.ts';
import { readPanelReferral } from '../meetings/referralRoutes.ts';
import { PERSON_PLACE_TYPES } from '../network/rules.ts';
import { REVIEW_DAYS, CONTEXT_KINDS, HARM_INDICATORS, INTERVENTION_KINDS, INTERVENTION_STATUSES, PROTECTIVE_FACTORS, keys, readAssessment, readIntervention, readReview } from './rules.ts';
import {
  addIntervention,
  assessment,
  assessments,
  createAssessment,
  details,
  linkToContext,
  linkedNow,
  recordReview,
  setInterventionStatus,
  suggestedPeople,
  unlinkFromContext,
  type Assessment,
} from './queries.ts';

const labels = { contextKinds: CONTEXT_KINDS, harmIndicators: HARM_INDICATORS, protectiveFactors: PROTECTIVE_FACTORS, interventionKinds: INTERVENTION_KINDS, interventionStatuses: INTERVENTION_STATUSES };
const LINK_WORDS: Record<string, string> = { member: 'Member of the group', ...PERSON_PLACE_TYPES };

export function registerContexts(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'GET',
    url: '/contexts',
    access: 'context.read',
    audit: null,
    handler: async (req, reply) =>
      reply.page('contexts/views/list.njk', {
        open: await assessments(app.db, { open: true }),
        closed: await assessments(app.db, { open: false }),
        today: londonToday(),
        canManage: can(req.actor!.roles, 'context.manage'),
        ...labels,
      }),
  });

  const newPage = async (reply: FastifyReply, values: Body, errors?: FormErrors) =>
    reply.page('contexts/views/new.njk', { values, errors, groups: await groups(app.db), places: await places(app.db), ...labels });

  // A new assessment starts dated today and due for review in three months; both can be changed.
  const fresh = () => ({ ...dateParts('assessedOn', londonToday()), ...dateParts('reviewOn', addDays(londonToday(), REVIEW_DAYS)) });
  declareRoute(app, { method: 'GET', url: '/contexts/new', access: 'context.manage', audit: null, handler: (_req, reply) => newPage(reply, fresh()) });

  declareRoute(app, {
    method: 'POST',
    url: '/contexts',
    access: 'context.manage',
    audit: 'context.change',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readAssessment(body, errors);
      if (input?.groupId && !(await app.db.selectFrom('network_group').select('id').where('id', '=', input.groupId).executeTakeFirst())) errors.add('groupId', 'Select the peer group');
      if (input?.placeId && !(await app.db.selectFrom('place').select('id').where('id', '=', input.placeId).executeTakeFirst())) errors.add('placeId', 'Select the school or location');
      if (!input || errors.any) return newPage(reply.code(400), body, errors);
      const id = await transact(req, async (trx, audit) => {
        const id = await createAssessment(trx, req.actor!, input);
        await audit({ recordType: 'context_assessment', recordId: id, detail: { created: input.contextKind } });
        return id;
      });
      return reply.redirect(`/contexts/${id}`, 303);
    },
  });

  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? assessment(app.db, id) : undefined;
  };

  /** The assessment's page: each person shown is recorded in the audit log in the same transaction as the read. */
  const page = async (req: FastifyRequest, reply: FastifyReply, a: Assessment, extra: Record<string, unknown> = {}) => {
    const actor = req.actor!;
    const name = await personNamer(req);
    const leads = a.agency_id === actor.agencyId && can(actor.roles, 'context.manage') && !a.closed_at;
    const today = londonToday();
    const { found, suggestions } = await transact(req, async (trx, audit) => {
      const found = await details(trx, actor, a.id);
      const suggestions = leads ? await suggestedPeople(trx, actor, a) : [];
      for (const p of [...found.people, ...suggestions]) await audit({ recordType: 'context_assessment', recordId: a.id, personId: 'person_id' in p ? p.person_id : p.id });
      return { found, suggestions };
    });
    const person = (p: { id: string; given_name: string; family_name: string; date_of_birth: string | null }) => ({ name: name(p), age: ageAt(p.date_of_birth, today) });
    return reply.page('contexts/views/assessment.njk', {
      a,
      ...found,
      people: found.people.map((p) => ({ ...p, ...person({ ...p, id: p.person_id }) })),
      suggestions: suggestions.map((p) => ({ ...p, ...person(p), how: LINK_WORDS[p.link_type] ?? p.link_type })),
      leads,
      overdue: !a.closed_at && a.review_on < today,
      agencies: leads ? await app.db.selectFrom('agency').select(['id', 'name']).orderBy('name').execute() : [],
      panelTypes: can(actor.roles, 'panel.refer') ? await meetingTypes(app.db) : [],
      values: {},
      ...labels,
      ...extra,
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/contexts/:id',
    access: 'context.read',
    audit: 'context.view',
    handler: async (req, reply) => {
      const a = await load(req);
      return a ? page(req, reply, a) : notFound(req, reply);
    },
  });

  /**
   * A change to an open assessment by the agency leading it: read the form
   * (or show the page again with its errors, 400), then save and audit in one
   * transaction. One that changes what is there (not adds to it) claims the
   * assessment's version the page was read at. Returning false from save, or
   * a stale version, means someone changed it first (409, the user's words kept).
   */
  // A context referred to a panel (issue 23): the reason goes on the next agenda of the agency that runs it.
  declareRoute(app, {
    method: 'POST',
    url: '/contexts/:id/meeting-referral',
    access: 'panel.refer',
    audit: 'meeting.refer',
    handler: async (req, reply) => {
      const a = await load(req);
      if (!a) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const referral = await readPanelReferral(app.db, body, errors);
      if (!referral) return page(req, reply.code(400), a, { errors, values: body });
      await transact(req, async (trx, audit) => {
        await referToPanel(trx, { agencyId: req.actor!.agencyId, userId: req.actor!.userId }, { ...referral, contextAssessmentId: a.id });
        await audit({ recordType: 'context_assessment', recordId: a.id, detail: { meetingType: referral.typeCode } });
      });
      return reply.redirect(`/contexts/${a.id}`, 303);
    },
  });

  function change(path: string, apply: (req: FastifyRequest, a: Assessment, body: Body, errors: FormErrors) => Promise<((trx: Transaction<DB>, audit: Auditor) => Promise<boolean | void>) | null>, anchor: string, edits?: { field: string }) {
    declareRoute(app, {
      method: 'POST',
      url: `/contexts/:id/${path}`,
      access: 'context.manage',
      audit: 'context.change',
      handler: async (req, reply) => {
        const a = await load(req);
        if (!a || a.agency_id !== req.actor!.agencyId) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        if (a.closed_at) {
          errors.add('summary', 'This assessment is closed: start a new one if the context needs assessing again');
          return page(req, reply.code(409), a, { errors });
        }
        const save = await apply(req, a, body, errors);
        if (!save || errors.any) return page(req, reply.code(400), a, { errors, values: body });
        const saved = await orStale(
          transact(req, async (trx, audit) => {
            if (edits) await claimVersion(trx, 'context_assessment', a.id, versionRead(body));
            return save(trx, audit);
          }),
        );
        if (saved === false || saved === STALE) {
          const fresh = await load(req);
          if (!fresh) return notFound(req, reply);
          errors.add(edits?.field ?? 'summary', await staleError(app.db, { type: 'context_assessment', id: a.id, actions: ['context.change'] }, 'assessment'));
          return page(req, reply.code(409), fresh, { errors, values: body });
        }
        return reply.redirect(`/contexts/${a.id}#${anchor}`, 303);
      },
    });
  }

  change(
    'interventions',
    async (req, a, body, errors) => {
      const agencies = (await app.db.selectFrom('agency').select('id').execute()).map((r) => r.id);
      const input = readIntervention(body, errors, agencies);
      return input && (async (trx, audit) => {
        await addIntervention(trx, req.actor!, a.id, input);
        await audit({ recordType: 'context_assessment', recordId: a.id, detail: { intervention: input.kind } });
      });
    },
    'interventions',
  );

  change(
    'interventions/status',
    async (_req, a, body, errors) => {
      const id = str(body, 'interventionId');
      if (!isUuid(id)) errors.add('interventionId', 'Select the intervention');
      const status = choice(body, 'status', errors, keys(INTERVENTION_STATUSES), 'Select the status');
      return status && isUuid(id)
        ? async (trx, audit) => {
            if (!(await setInterventionStatus(trx, a.id, id, status))) return false;
            await audit({ recordType: 'context_intervention', recordId: id, detail: { status } });
          }
        : null;
    },
    'interventions',
    { field: 'status' },
  );

  change(
    'review',
    async (req, a, body, errors) => {
      const input = readReview(body, errors);
      return input && (async (trx, audit) => {
        if (!(await recordReview(trx, req.actor!, a.id, Number(str(body, 'version')), input))) return false;
        await audit({ recordType: 'context_assessment', recordId: a.id, detail: { reviewed: true, closed: input.close } });
      });
    },
    'reviews',
  );

  const reasonFor = (body: Body, errors: FormErrors, field = 'reason') => text(body, field, errors, { label: 'The reason', required: true, max: 1000, missing: 'Enter why they belong to this context and what it is based on' });

  change(
    'people',
    async (req, a, body, errors) => {
      const ids = list(body, 'personIds').filter(isUuid);
      if (!ids.length) errors.add('personIds', 'Select the people to link to this context');
      const reason = reasonFor(body, errors);
      const found = ids.length ? await app.db.selectFrom('person').select('id').where('id', 'in', ids).where('merged_into', 'is', null).execute() : [];
      if (found.length !== ids.length) errors.add('personIds', 'Select the people to link to this context');
      const already = (await linkedNow(app.db, a.id)).people;
      const fresh = ids.filter((id) => !already.has(id));
      return reason && ids.length
        ? async (trx, audit) => {
            for (const personId of fresh) {
              await linkToContext(trx, req.actor!, a.id, { personId }, reason);
              await audit({ recordType: 'context_assessment', recordId: a.id, personId, detail: { linked: 'person' } });
            }
          }
        : null;
    },
    'people',
  );

  // Finding someone by name is a POST: names stay out of URLs and logs. The results come back on the page to be linked.
  declareRoute(app, {
    method: 'POST',
    url: '/contexts/:id/people/search',
    access: 'context.manage',
    audit: 'person.search',
    handler: async (req, reply) => {
      const a = await load(req);
      if (!a || a.agency_id !== req.actor!.agencyId) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const terms = readSearchTerms(body, errors);
      if (!terms) return page(req, reply.code(400), a, { errors, searchValues: body });
      const name = await personNamer(req);
      const results = await transact(req, (trx) => auditedSearch(trx, actorOf(req), terms));
      return page(req, reply, a, { results: results.map((r) => ({ ...r, name: name(r) })), searchValues: body });
    },
  });

  change(
    'incidents',
    async (req, a, body, errors) => {
      const reference = text(body, 'reference', errors, { label: 'The incident reference', required: true, max: 40, missing: 'Enter the incident reference, like 2026-000123' });
      const reason = reasonFor(body, errors, 'incidentReason');
      // Another agency's unshared incident answers as if there were none.
      const incident = reference ? await app.db.selectFrom('incident').select('id').where('reference', '=', reference).where(incidentVisibleTo(req.actor!.agencyId)).executeTakeFirst() : undefined;
      if (reference && !incident) errors.add('reference', 'There is no incident with that reference that you can see');
      else if (incident && (await linkedNow(app.db, a.id)).incidents.has(incident.id)) errors.add('reference', 'That incident is already linked to this context');
      return incident && reason
        ? async (trx, audit) => {
            await linkToContext(trx, req.actor!, a.id, { incidentId: incident.id }, reason);
            await audit({ recordType: 'context_assessment', recordId: a.id, detail: { linked: 'incident', incident: incident.id } });
          }
        : null;
    },
    'incidents',
  );

  change(
    'links/remove',
    async (req, a, body, errors) => {
      const linkId = str(body, 'linkId');
      if (!isUuid(linkId)) errors.add('linkId', 'Select who or what to take off this context');
      const reason = text(body, 'removalReason', errors, { label: 'The reason', required: true, max: 1000, missing: 'Enter why they are no longer part of this context' });
      return reason && isUuid(linkId)
        ? async (trx, audit) => {
            const removed = await unlinkFromContext(trx, req.actor!, a.id, linkId, reason);
            if (!removed) return false;
            await audit({ recordType: 'context_assessment', recordId: a.id, personId: removed.person_id ?? undefined, detail: { unlinked: removed.person_id ? 'person' : 'incident' } });
          }
        : null;
    },
    'linked',
    { field: 'removalReason' },
  );
}
