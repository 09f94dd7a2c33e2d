// Incident pages: list, record, view, edit, and the people involved.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, dateInput, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { can, type Permission } from '../../platform/permissions.ts';
import { purposeOf } from '../../platform/purposes.ts';
import { readable } from '../governance/breakGlass.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { SharingRefused, orSharingRefused } from '../sharing/decision.ts';
import { notFound } from '../../platform/errors.ts';
import { listParams, pagination, sortHeaders } from '../../platform/lists.ts';
import { ageAt, formatDateTime, londonParts, londonToUtc } from '../../platform/time.ts';
import { recordAudits } from '../../platform/audit.ts';
import { londonBoroughs } from '../../analysis/geography.ts';
import { AGE_BANDS, INVOLVEMENT_ROLES, INVOLVEMENT_ROLE_CODES, WEAPONS, changedFields, readIncident, type AgeBand } from './rules.ts';
import * as q from './queries.ts';
import { createPerson } from '../people/queries.ts';
import { auditedCandidates, auditedSearch } from '../people/candidates.ts';
import type { IncidentFilters } from './queries.ts';
import { openAndAudit, openResponsesOf } from '../urgent-response/queries.ts';
import { ETHNICITIES, ETHNICITY_LABELS, SEXES, readPerson } from '../people/rules.ts';
import { personNamer } from '../people/naming.ts';

const id = (req: FastifyRequest) => (req.params as { id: string }).id;

export function registerIncidentPages(app: FastifyInstance): void {
  const choicesFor = async () => {
    const [types, agencies] = await Promise.all([q.incidentTypes(app.db), q.activeAgencies(app.db)]);
    return { types, agencies, known: { typeCodes: types.map((t) => t.code), agencyIds: agencies.map((a) => a.id) } };
  };

  const formPage = async (reply: FastifyReply, data: Record<string, unknown>) => {
    const { types, agencies } = await choicesFor();
    return reply.page('incidents/views/form.njk', { ...data, types, agencies, weapons: Object.entries(WEAPONS).map(([value, text]) => ({ value, text })) });
  };

  // Who is shown by name: without person.identify, people appear pseudonymised.
  const personView = async (req: FastifyRequest) => {
    const namer = await personNamer(req);
    return (p: { person_id: string; given_name: string; family_name: string }) => namer({ id: p.person_id, given_name: p.given_name, family_name: p.family_name });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/incidents',
    access: 'incident.read',
    audit: 'incident.list',
    handler: async (req, reply) => {
      const query = req.query as Body;
      const errors = new FormErrors();
      const filters = readListFilters(query, errors);
      const echo = Object.fromEntries(['from-day', 'from-month', 'from-year', 'to-day', 'to-month', 'to-year', 'type', 'borough', 'ageBand', 'custody'].map((k) => [k, str(query, k) || undefined]));
      const params = listParams(query, q.INCIDENT_SORTS, 'occurred', 'desc');
      const types = await q.incidentTypes(app.db);
      const view = { values: echo, types, boroughs: boroughOptions(), ageBands: Object.entries(AGE_BANDS).map(([value, b]) => ({ value, text: b.label })), canRecord: can(req.actor!.roles, 'incident.record') };
      if (errors.any) return reply.code(400).page('incidents/views/list.njk', { ...view, errors, rows: [], pagination: pagination('/incidents', echo, params, 0) });
      const result = await transact(req, async (trx, audit) => {
        const result = await q.listIncidents(trx, req.actor!.agencyId, filters, params.sort, params.order, params.limit, params.offset);
        await audit({ recordType: 'incident', detail: { page: params.page, shown: result.rows.length } });
        return result;
      });
      return reply.page('incidents/views/list.njk', {
        ...view,
        rows: result.rows,
        headers: sortHeaders('/incidents', echo, params, [
          { key: 'reference', text: 'Reference' },
          { key: 'occurred', text: 'When' },
          { key: 'type', text: 'Type' },
          { key: 'borough', text: 'Where' },
        ]),
        pagination: pagination('/incidents', echo, params, result.total, result.capped, result.hasNext),
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/incidents/new',
    access: 'incident.record',
    audit: null,
    handler: async (req, reply) => {
      const { agencies } = await choicesFor();
      const now = londonParts(new Date());
      return formPage(reply, {
        values: {
          submissionKey: randomUUID(),
          sourceAgencyId: req.actor!.agencyId,
          shareWith: agencies.filter((a) => a.receives_incidents && a.id !== req.actor!.agencyId).map((a) => a.id),
          'notifiedAt-day': now.day,
          'notifiedAt-month': now.month,
          'notifiedAt-year': now.year,
          'notifiedAt-time': `${String(now.hour).padStart(2, '0')}:${String(now.minute).padStart(2, '0')}`,
        },
      });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/incidents',
    access: 'incident.record',
    audit: 'incident.record',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const { known } = await choicesFor();
      const input = readIncident(body, errors, known, 'form');
      const submissionKey = str(body, 'submissionKey');
      if (!isUuid(submissionKey)) errors.add('type', 'The form was incomplete: reload the page and try again');
      if (!input || errors.any) return formPage(reply.code(400), { errors, values: { ...body, shareWith: [body.shareWith ?? []].flat() } });
      const actor = req.actor!;
      const incident = await transact(req, async (trx, audit) => {
        const incident = await q.createIncident(trx, { agencyId: actor.agencyId, userId: actor.userId, apiClientId: null }, input, submissionKey);
        if (incident.created) await audit({ recordType: 'incident', recordId: incident.id, detail: { shared: input.shareWith.length } });
        return incident;
      });
      return reply.redirect(`/incidents/${incident.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/incidents/:id',
    access: 'incident.read',
    audit: 'incident.view',
    handler: (req, reply) => showPage(req, reply),
  });

  /** The incident as its reader may see it; with errors when a change from it was refused. */
  async function showPage(req: FastifyRequest, reply: FastifyReply, extra: { errors?: FormErrors; status?: number } = {}) {
    if (!isUuid(id(req))) return notFound(req, reply);
    const actor = req.actor!;
    const name = await personView(req);
    const found = await transact(req, async (trx) => {
      // Reading (never changing) an incident may be under an emergency-access grant: then it is audited as such.
      const readableAs = await readable(trx, actor, 'incident', id(req), { own: () => q.findIncident(trx, actor.agencyId, id(req)), any: () => q.incidentQuery(trx).where('incident.id', '=', id(req)).executeTakeFirst() });
      if (!readableAs) return null;
      const { record: incident, grant } = readableAs;
      const [people, history, shares] = await Promise.all([q.involvementsOf(trx, incident.id), q.timeline(trx, incident.id), q.sharedWith(trx, incident.id)]);
      const entries = people.length ? people.map((p) => ({ personId: p.person_id })) : [{}];
      const purpose = grant ? 'break_glass' : purposeOf(req.routeOptions.url);
      await recordAudits(trx, actorOf(req), entries.map((e) => ({ ...e, action: 'incident.view', recordType: 'incident', recordId: incident.id, purpose })));
      return { incident, people, history, shares, grant };
    });
    if (!found) return notFound(req, reply);
    const { incident, people, history, shares, grant } = found;
    const agencies = await q.activeAgencies(app.db);
    const owner = incident.agency_id === actor.agencyId;
    // Under emergency access it is read, not worked on: no action is offered.
    const may = (permission: Permission) => !grant && can(actor.roles, permission);
    return reply.code(extra.status ?? 200).page('incidents/views/show.njk', {
      incident: { ...incident, narrative: can(actor.roles, 'incident.narrative.read') ? incident.narrative : undefined, weaponLabel: WEAPONS[incident.weapon as keyof typeof WEAPONS] },
      narrativeHidden: !can(actor.roles, 'incident.narrative.read') && Boolean(incident.narrative),
      people: people.map((p) => ({
        involvementId: p.id,
        name: name(p),
        role: INVOLVEMENT_ROLES[p.role as keyof typeof INVOLVEMENT_ROLES],
        age: ageAt(p.date_of_birth, incident.occurred_at),
        sex: SEXES[p.sex as keyof typeof SEXES],
        ethnicity: ETHNICITY_LABELS[p.ethnicity],
      })),
      history,
      sharedWith: agencies.filter((a) => shares.includes(a.id)).map((a) => a.name),
      canEdit: owner && can(actor.roles, 'incident.edit'),
      canOpen: may('urgent_response.manage'),
      canReview: may('review.conduct'),
      canNetwork: can(actor.roles, 'network.read'),
      canReadReviews: can(actor.roles, 'review.read'),
      review: await app.db.selectFrom('rapid_review').select(['id', 'reference']).where('incident_id', '=', incident.id).executeTakeFirst(),
      critical: await app.db.selectFrom('critical_incident').select(['id', 'reference']).where('incident_id', '=', incident.id).executeTakeFirst(),
      canReadCritical: can(actor.roles, 'critical.read'),
      canDeclare: may('critical.declare'),
      emergencyUntil: grant?.expires_at,
      responses: can(actor.roles, 'urgent_response.read') ? Object.fromEntries(await openResponsesOf(app.db, actor, people.map((p) => p.person_id))) : {},
      personIds: Object.fromEntries(people.map((p) => [p.id, p.person_id])),
      values: {},
      errors: extra.errors,
    });
  }

  const editable = async (req: FastifyRequest) => {
    if (!isUuid(id(req))) return null;
    const incident = await q.findIncident(app.db, req.actor!.agencyId, id(req));
    return incident && incident.agency_id === req.actor!.agencyId ? incident : null;
  };

  declareRoute(app, {
    method: 'GET',
    url: '/incidents/:id/edit',
    access: 'incident.edit',
    audit: 'incident.view',
    handler: async (req, reply) => {
      const incident = await editable(req);
      if (!incident) return notFound(req, reply);
      await transact(req, (_trx, audit) => audit({ recordType: 'incident', recordId: incident.id, detail: { for: 'edit' } }));
      const shares = await q.sharedWith(app.db, incident.id);
      return formPage(reply, { incident, values: formValues(incident, shares, can(req.actor!.roles, 'incident.narrative.read')) });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/incidents/:id',
    access: 'incident.edit',
    audit: 'incident.edit',
    handler: async (req, reply) => {
      const incident = await editable(req);
      if (!incident) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const { known } = await choicesFor();
      const canNarrative = can(req.actor!.roles, 'incident.narrative.read');
      // Someone who may not read the narrative cannot have changed it.
      const input = readIncident(canNarrative ? body : { ...body, narrative: incident.narrative ?? '' }, errors, known, 'form');
      if (!input) return formPage(reply.code(400), { incident, errors, values: { ...body, shareWith: [body.shareWith ?? []].flat() } });
      const version = Number(str(body, 'version'));
      const before = q.incidentColumns({ ...input, ...fromRow(incident) });
      const after = q.incidentColumns(input);
      const saved = await orSharingRefused(
        transact(req, async (trx, audit) => {
          const ok = await q.updateIncident(trx, incident.id, version, input, req.actor!.userId!, incident.agency_id);
          if (ok) await audit({ recordType: 'incident', recordId: incident.id, detail: { fields: changedFields(before, after) } });
          return ok;
        }),
      );
      if (saved instanceof SharingRefused) {
        errors.add('shareWith', saved.message);
        return formPage(reply.code(400), { incident, errors, values: { ...body, shareWith: [body.shareWith ?? []].flat() } });
      }
      if (!saved) {
        const current = (await q.findIncident(app.db, req.actor!.agencyId, incident.id))!;
        const conflict = new FormErrors();
        conflict.add('occurredAt-day', `${current.updated_by_name ?? 'Someone else'} changed this incident on ${formatDateTime(current.updated_at)} while you were editing it. Your changes have not been saved. The form now shows their version: make your changes again.`);
        return formPage(reply.code(409), { incident: current, errors: conflict, values: formValues(current, await q.sharedWith(app.db, current.id), canNarrative) });
      }
      return reply.redirect(`/incidents/${incident.id}`, 303);
    },
  });

  registerPeopleSteps(app, editable, formPersonPage, showPage);

  async function formPersonPage(reply: FastifyReply, incident: q.IncidentRow, data: Record<string, unknown>) {
    return reply.page('incidents/views/add-person.njk', {
      ...data,
      incident,
      roles: Object.entries(INVOLVEMENT_ROLES).map(([value, text]) => ({ value, text })),
      ethnicities: ETHNICITIES,
      sexes: Object.entries(SEXES).map(([value, text]) => ({ value, text })),
    });
  }
}

type EditableLoader = (req: FastifyRequest) => Promise<q.IncidentRow | null>;
type PersonPage = (reply: FastifyReply, incident: q.IncidentRow, data: Record<string, unknown>) => Promise<FastifyReply>;
type ShowPage = (req: FastifyRequest, reply: FastifyReply, extra: { errors?: FormErrors; status?: number }) => Promise<FastifyReply>;

/** Adding people to an incident without JavaScript: find (by POST, so no names in URLs), pick or create, give a role. */
function registerPeopleSteps(app: FastifyInstance, editable: EditableLoader, page: PersonPage, show: ShowPage): void {
  declareRoute(app, {
    method: 'GET',
    url: '/incidents/:id/people/new',
    access: 'incident.edit',
    audit: null,
    handler: async (req, reply) => {
      const incident = await editable(req);
      if (!incident) return notFound(req, reply);
      return page(reply, incident, { values: {} });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/incidents/:id/people/search',
    access: 'incident.edit',
    audit: 'person.search',
    handler: async (req, reply) => {
      const incident = await editable(req);
      if (!incident) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const name = text(body, 'searchName', errors, { label: 'Name', required: true, max: 100, missing: 'Enter a name to search for' });
      const dateOfBirth = dateInput(body, 'searchDob', errors, { label: 'Date of birth', notFuture: true, minYear: 1900 });
      if (!name || errors.any) return page(reply.code(400), incident, { errors, values: body });
      const results = await transact(req, (trx) => auditedSearch(trx, actorOf(req), { name, dateOfBirth, postcode: null, identifier: null }));
      return page(reply, incident, { values: body, results, searched: true });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/incidents/:id/people',
    access: 'incident.edit',
    audit: 'incident.add-person',
    handler: async (req, reply) => {
      const incident = await editable(req);
      if (!incident) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const existingId = str(body, 'personId');
      const role = choice(body, 'role', errors, INVOLVEMENT_ROLE_CODES, 'Select the person’s role in the incident');
      const actor = req.actor!;
      let person = null;
      if (existingId) {
        const visible = isUuid(existingId) && (await q.visiblePeople(app.db).select('person.id').where('person.id', '=', existingId).executeTakeFirst());
        if (!visible) errors.add('role', 'That person could not be found: search again');
      } else {
        person = readPerson(body, errors);
      }
      if (errors.any || !role || (!existingId && !person)) return page(reply.code(400), incident, { errors, values: body });
      // A new person is checked against the partnership's record first: the user picks one or confirms a new person.
      if (person && str(body, 'confirmNew') !== 'yes') {
        const candidates = await transact(req, (trx) => auditedCandidates(trx, actorOf(req), person));
        if (candidates.length) return page(reply, incident, { values: body, candidates });
      }
      const done = await orSharingRefused(
        transact(req, async (trx, audit) => {
          const personId = existingId || (await createPerson(trx, { agencyId: actor.agencyId, userId: actor.userId, apiClientId: null }, person!));
          if (!existingId) await audit({ action: 'person.record', recordType: 'person', recordId: personId, personId });
          const added = await q.addInvolvement(trx, incident.id, personId, role, actorOf(req));
          if (added) await audit({ recordType: 'incident', recordId: incident.id, personId, detail: { role } });
          // Seed 003: a young person involved in a serious incident gets an urgent response at once.
          await openAndAudit(trx, (entry) => audit(entry), incident.id, actor.userId);
        }),
      );
      if (done instanceof SharingRefused) {
        errors.add('role', done.message);
        return page(reply.code(400), incident, { errors, values: body });
      }
      return reply.redirect(`/incidents/${incident.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/incidents/:id/people/:involvementId/remove',
    access: 'incident.edit',
    audit: 'incident.remove-person',
    handler: async (req, reply) => {
      const incident = await editable(req);
      const involvementId = (req.params as { involvementId: string }).involvementId;
      if (!incident || !isUuid(involvementId)) return notFound(req, reply);
      const removed = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'incident', incident.id, versionRead(req.body as Body));
          const row = await trx.deleteFrom('involvement').where('id', '=', involvementId).where('incident_id', '=', incident.id).returning(['person_id', 'role']).executeTakeFirst();
          if (row) await audit({ recordType: 'incident', recordId: incident.id, personId: row.person_id, detail: { role: row.role } });
          return Boolean(row);
        }),
      );
      if (removed === STALE) {
        const errors = new FormErrors();
        errors.add('people', await staleError(app.db, { type: 'incident', id: incident.id, actions: ['incident.edit', 'incident.remove-person'] }, 'incident'));
        return show(req, reply, { errors, status: 409 });
      }
      if (!removed) return notFound(req, reply);
      return reply.redirect(`/incidents/${incident.id}`, 303);
    },
  });
}

function readListFilters(query: Body, errors: FormErrors): IncidentFilters {
  const filters: IncidentFilters = {};
  const from = dateInput(query, 'from', errors, { label: 'From date', minYear: 2000 });
  const to = dateInput(query, 'to', errors, { label: 'To date', minYear: 2000 });
  const day = (iso: string) => {
    const [year, month, d] = iso.split('-').map(Number);
    return londonToUtc({ year, month, day: d, hour: 0, minute: 0 })!;
  };
  if (from) filters.from = day(from);
  if (to) filters.to = new Date(day(to).getTime() + 86_400_000);
  if (from && to && from > to) errors.add('to-day', 'To date must be the same as or after from date');
  const type = str(query, 'type');
  if (type) filters.type = type;
  const borough = str(query, 'borough');
  if (borough) boroughOptions().some((b) => b.value === borough) ? (filters.borough = borough) : errors.add('borough', 'Select a borough from the list');
  const band = str(query, 'ageBand');
  if (band) band in AGE_BANDS ? (filters.ageBand = band as AgeBand) : errors.add('ageBand', 'Select an age band from the list');
  if (str(query, 'custody') === 'awaiting-mash') filters.awaitingMash = true;
  return filters;
}

function boroughOptions() {
  return londonBoroughs()
    .map((b) => ({ value: b.code, text: b.name }))
    .sort((a, b) => a.text.localeCompare(b.text));
}

function dateTimeFields(name: string, value: Date) {
  const p = londonParts(new Date(value));
  return { [`${name}-day`]: p.day, [`${name}-month`]: p.month, [`${name}-year`]: p.year, [`${name}-time`]: `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}` };
}

function formValues(incident: q.IncidentRow, shares: string[], withNarrative: boolean) {
  return {
    ...dateTimeFields('occurredAt', incident.occurred_at),
    ...dateTimeFields('notifiedAt', incident.notified_at),
    type: incident.type_code,
    weapon: incident.weapon,
    placeDescription: incident.place_description,
    latitude: incident.latitude ?? '',
    longitude: incident.longitude ?? '',
    sourceAgencyId: incident.source_agency_id,
    sourceReference: incident.source_reference ?? '',
    narrative: withNarrative ? (incident.narrative ?? '') : undefined,
    domesticAbuse: incident.domestic_abuse ? 'yes' : '',
    shareWith: shares,
    version: incident.version,
  };
}

function fromRow(incident: q.IncidentRow) {
  return {
    occurredAt: incident.occurred_at,
    notifiedAt: incident.notified_at,
    typeCode: incident.type_code,
    weapon: incident.weapon,
    placeDescription: incident.place_description,
    latitude: incident.latitude,
    longitude: incident.longitude,
    sourceAgencyId: incident.source_agency_id,
    sourceReference: incident.source_reference,
    narrative: incident.narrative,
    domesticAbuse: incident.domestic_abuse,
  };
}
