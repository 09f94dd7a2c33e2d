// The incidents JSON API for partner systems (custody, hospital, incident
// feeds): the same checks, permissions and audit as the forms.
import { SharingRefused } from '../sharing/decision.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createPerson } from '../people/queries.ts';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { personIdFor } from '../people/naming.ts';
import { FormErrors, choice, isUuid, str, type Body } from '../../platform/forms.ts';
import { can } from '../../platform/permissions.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { ageAt } from '../../platform/time.ts';
import { readPerson, type PersonInput } from '../people/rules.ts';
import { INVOLVEMENT_ROLE_CODES, readIncident, type InvolvementRole } from './rules.ts';
import * as q from './queries.ts';
import { openAndAudit } from '../urgent-response/queries.ts';
import { apiDuplicates, possibleDuplicates } from '../people/api.ts';
import type { Candidate } from '../people/queries.ts';

/** People in one API call: enough for any real incident, small enough to keep a request short. */
const MAX_PEOPLE = 50;

type PersonRef = { personId: string; role: InvolvementRole } | { person: PersonInput; role: InvolvementRole; confirmNew: unknown };

function readPeople(body: Body, errors: FormErrors): PersonRef[] {
  const people = body.people ?? [];
  if (!Array.isArray(people) || people.length > MAX_PEOPLE) {
    errors.add('people', `people must be a list of at most ${MAX_PEOPLE}`);
    return [];
  }
  return people.flatMap((raw, index) => {
    const entry = (raw && typeof raw === 'object' ? raw : {}) as Body;
    const at = `people[${index}].`;
    const fieldErrors = new FormErrors();
    const role = choice(entry, 'role', fieldErrors, INVOLVEMENT_ROLE_CODES, `role must be one of ${INVOLVEMENT_ROLE_CODES.join(', ')}`);
    const personId = str(entry, 'personId');
    let ref: PersonRef | null = null;
    if (personId) {
      if (!isUuid(personId)) fieldErrors.add('personId', 'personId must be a Reachable person ID');
      else if (role) ref = { personId, role };
    } else {
      const person = readPerson(entry, fieldErrors, { isoDate: true });
      if (person && role) ref = { person, role, confirmNew: entry.confirmNew };
    }
    for (const [field, message] of Object.entries(fieldErrors.messages)) errors.add(at + field, message);
    return ref && !fieldErrors.any ? [ref] : [];
  });
}

function incidentJson(req: FastifyRequest, incident: q.IncidentRow, people: Awaited<ReturnType<typeof q.involvementsOf>>, personId: (id: string) => string) {
  const roles = req.actor!.roles;
  return {
    id: incident.id,
    reference: incident.reference,
    occurredAt: new Date(incident.occurred_at).toISOString(),
    notifiedAt: new Date(incident.notified_at).toISOString(),
    type: incident.type_code,
    weapon: incident.weapon,
    place: {
      description: incident.place_description,
      latitude: incident.latitude,
      longitude: incident.longitude,
      easting: incident.easting,
      northing: incident.northing,
      boroughCode: incident.borough_code,
      boroughName: incident.borough_name,
      lsoaCode: incident.lsoa_code,
    },
    sourceAgencyId: incident.source_agency_id,
    sourceReference: incident.source_reference,
    domesticAbuse: incident.domestic_abuse,
    ...(can(roles, 'incident.narrative.read') ? { narrative: incident.narrative } : {}),
    people: people.map((p) => ({
      personId: personId(p.person_id),
      role: p.role,
      ageAtIncident: ageAt(p.date_of_birth, incident.occurred_at),
      ...(can(roles, 'person.identify') ? { givenName: p.given_name, familyName: p.family_name, dateOfBirth: p.date_of_birth } : {}),
    })),
    version: incident.version,
  };
}

export function registerIncidentApi(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'POST',
    url: '/api/v1/incidents',
    access: 'incident.record',
    audit: 'incident.record',
    api: true,
    handler: async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
      const actor = req.actor!;
      const errors = new FormErrors();
      const [types, agencies] = await Promise.all([q.incidentTypes(app.db), q.activeAgencies(app.db)]);
      const known = { typeCodes: types.map((t) => t.code), agencyIds: agencies.map((a) => a.id) };
      // The API names the reporting agency only when it differs from the client's own.
      const input = readIncident({ sourceAgencyId: actor.agencyId, ...flattenPlace(body) }, errors, known, 'iso');
      const people = readPeople(body, errors);
      const key = req.headers['idempotency-key'];
      const submissionKey = typeof key === 'string' && key ? key.slice(0, 100) : null;
      if (!input || errors.any) return invalid(reply, 'The incident was not recorded: fix the fields listed.', errors);
      const by = { agencyId: actor.agencyId, userId: null, apiClientId: actor.apiClientId };
      // Each new person is checked for duplicates first, unless this is a retry of a call already recorded.
      if (!(await q.submitted(app.db, actor.agencyId, submissionKey))) {
        const found = await transact(req, async (trx) => {
          const out: Record<string, Candidate[]> = {};
          for (const [i, ref] of people.entries()) {
            if (!('person' in ref)) continue;
            const candidates = await apiDuplicates(trx, req, ref.person, [], ref.confirmNew);
            if (candidates.length) out[`people[${i}]`] = candidates;
          }
          return out;
        });
        if (Object.keys(found).length) return possibleDuplicates(reply, found);
      }
      const result = await transact(req, async (trx, audit) => {
        const incident = await q.createIncident(trx, by, input, submissionKey);
        if (!incident.created) return { incident, missing: false };
        // An unknown person undoes the whole call: the throw rolls the transaction back.
        await q.requireVisiblePeople(trx, people.flatMap((p) => ('personId' in p ? [p.personId] : [])));
        await audit({ recordType: 'incident', recordId: incident.id });
        const involved: { personId: string; role: InvolvementRole }[] = [];
        for (const ref of people) {
          const personId = 'personId' in ref ? ref.personId : await createPerson(trx, by, ref.person);
          if (!('personId' in ref)) await audit({ action: 'person.record', recordType: 'person', recordId: personId, personId });
          involved.push({ personId, role: ref.role });
        }
        // All at once, so the orders of those in it are tested once.
        await q.addInvolvements(trx, incident.id, involved, actorOf(req));
        for (const p of involved) await audit({ action: 'incident.add-person', recordType: 'incident', recordId: incident.id, personId: p.personId, detail: { role: p.role } });
        await openAndAudit(trx, (entry) => audit(entry), incident.id, null);
        return { incident, missing: false };
      }).catch((error) => {
        if (error instanceof q.UnknownPerson) return { incident: null, missing: true };
        if (error instanceof SharingRefused) return { incident: null, missing: false, refused: error.message };
        throw error;
      });
      if (result.missing) {
        return invalid(reply, 'The incident was not recorded: fix the fields listed.', { people: 'A personId is not a person your agency can see' });
      }
      if ('refused' in result && result.refused) return invalid(reply, 'The incident was not recorded: fix the fields listed.', { shareWith: result.refused });
      const incident = (await q.findIncident(app.db, actor.agencyId, result.incident!.id))!;
      const involved = await q.involvementsOf(app.db, incident.id);
      return reply.code(result.incident!.created ? 201 : 200).header('location', `/api/v1/incidents/${incident.id}`).send(incidentJson(req, incident, involved, await personIdFor(req)));
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/api/v1/incidents/:id',
    access: 'incident.read',
    audit: 'incident.view',
    api: true,
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!isUuid(id)) return notFound(req, reply);
      const found = await transact(req, async (trx, audit) => {
        const incident = await q.findIncident(trx, req.actor!.agencyId, id);
        if (!incident) return null;
        const people = await q.involvementsOf(trx, id);
        for (const p of people.length ? people : [null]) await audit({ recordType: 'incident', recordId: id, personId: p?.person_id ?? null });
        return { incident, people };
      });
      if (!found) return notFound(req, reply);
      return reply.send(incidentJson(req, found.incident, found.people, await personIdFor(req)));
    },
  });
}

/** The API nests the place; the shared rules read flat fields. */
function flattenPlace(body: Body): Body {
  const place = (body.place && typeof body.place === 'object' ? body.place : {}) as Body;
  const flat: Body = { ...body, placeDescription: place.description, latitude: place.latitude, longitude: place.longitude };
  if (body.sourceAgencyId === undefined) delete flat.sourceAgencyId;
  return flat;
}
