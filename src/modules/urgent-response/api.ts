// The partner-system API for urgent responses (issue 3, item 7): a police
// custody system posts a booking-in, a hospital system or A&E navigator an
// attendance with a violence injury. Reachable records the incident and the
// person (or links a known one) and opens or links the urgent response, in
// one transaction, with the incident API's checks, audit and idempotency.
import type { FastifyInstance } from 'fastify';
import { invalid } from '../../platform/errors.ts';
import * as people from '../people/queries.ts';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, isoInstant, str, text, type Body } from '../../platform/forms.ts';
import type { Access } from '../../platform/permissions.ts';
import { readPerson, type PersonInput } from '../people/rules.ts';
import { apiDuplicates, possibleDuplicates } from '../people/api.ts';
import { readIncident, type InvolvementRole } from '../incidents/rules.ts';
import * as incidents from '../incidents/queries.ts';
import { openForIncident } from './queries.ts';
import type { Source } from './rules.ts';

interface Kind {
  url: string;
  access: Access;
  audit: string;
  /** The time the partner system is telling us about, which the incident happened by. */
  timeField: string;
  timeLabel: string;
  /** Where: the custody suite or the hospital. */
  siteField: string;
  siteLabel: string;
  /** What: the offence, or the injury. */
  whatField: string;
  whatLabel: string;
  role: InvolvementRole;
  defaultType: string;
  source: Source;
  openedHow: string;
}

export const CUSTODY: Kind = {
  url: '/api/v1/custody-notifications',
  access: 'custody.notify',
  audit: 'urgent-response.custody-notification',
  timeField: 'bookedInAt',
  timeLabel: 'Booking-in time',
  siteField: 'custodySuite',
  siteLabel: 'Custody suite',
  whatField: 'offence',
  whatLabel: 'Offence',
  role: 'suspect',
  defaultType: 'weapon_possession',
  source: 'custody',
  openedHow: 'custody notification',
};

export const HOSPITAL: Kind = {
  url: '/api/v1/hospital-referrals',
  access: 'hospital.refer',
  audit: 'urgent-response.hospital-referral',
  timeField: 'arrivedAt',
  timeLabel: 'Arrival at A&E',
  siteField: 'hospital',
  siteLabel: 'Hospital',
  whatField: 'injury',
  whatLabel: 'Injury',
  role: 'victim',
  defaultType: 'ae_violence_injury',
  source: 'ae',
  openedHow: 'hospital referral',
};

type PersonRef = { personId: string } | { person: PersonInput; confirmNew: unknown };

function readOnePerson(body: Body, errors: FormErrors): PersonRef | null {
  const personId = str(body, 'personId');
  if (personId) {
    if (!isUuid(personId)) errors.add('personId', 'personId must be a Reachable person ID');
    return isUuid(personId) ? { personId } : null;
  }
  const raw = (body.person && typeof body.person === 'object' ? body.person : null) as Body | null;
  if (!raw) {
    errors.add('person', 'Give the person’s details, or the personId of a person your agency can see');
    return null;
  }
  const personErrors = new FormErrors();
  const person = readPerson(raw, personErrors, { isoDate: true });
  for (const [field, message] of Object.entries(personErrors.messages)) errors.add(`person.${field}`, message);
  return person ? { person, confirmNew: raw.confirmNew } : null;
}

export function registerReferralApi(app: FastifyInstance): void {
  for (const kind of [CUSTODY, HOSPITAL]) {
    declareRoute(app, {
      method: 'POST',
      url: kind.url,
      access: kind.access,
      audit: kind.audit,
      api: true,
      handler: async (req, reply) => {
        const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
        const actor = req.actor!;
        const errors = new FormErrors();
        const now = new Date();
        const [types, agencies] = await Promise.all([incidents.incidentTypes(app.db), incidents.activeAgencies(app.db)]);
        const at = str(body, kind.timeField);
        const site = text(body, kind.siteField, errors, { label: kind.siteLabel, required: true, max: 200, missing: `Enter the ${kind.siteLabel.toLowerCase()}` });
        const what = text(body, kind.whatField, errors, { label: kind.whatLabel, required: true, max: 500, missing: `Enter the ${kind.whatLabel.toLowerCase()}` });
        const place = (body.place && typeof body.place === 'object' ? body.place : {}) as Body;
        // The incident these facts make: it happened by the booking-in or arrival, and the partnership learned of it
        // when the partner system says (notifiedAt), or else at the booking-in or arrival itself: never at the time of
        // the call, so a late or batched feed cannot give away hours of the 48 (issue 18).
        const input = readIncident(
          {
            occurredAt: str(body, 'occurredAt') || at,
            notifiedAt: str(body, 'notifiedAt') || at,
            type: str(body, 'type') || kind.defaultType,
            weapon: str(body, 'weapon') || 'not_known',
            placeDescription: place.description ?? site,
            latitude: place.latitude,
            longitude: place.longitude,
            sourceAgencyId: actor.agencyId,
            sourceReference: body.reference,
            // The point of the call is to tell the partnership: shared with the agencies told of every incident.
            shareWith: agencies.filter((a) => a.receives_incidents).map((a) => a.id),
            narrative: [`${kind.whatLabel}: ${what ?? ''}`, `${kind.siteLabel}: ${site ?? ''}`, str(body, 'narrative')].filter(Boolean).join('\n'),
          },
          errors,
          { typeCodes: types.map((t) => t.code), agencyIds: agencies.map((a) => a.id) },
          'iso',
          now,
        );
        const atTime = isoInstant(body, kind.timeField, kind.timeLabel, errors, now);
        const mashAt = kind === CUSTODY && str(body, 'mashNotifiedAt') ? isoInstant(body, 'mashNotifiedAt', 'When MASH was told', errors, now) : null;
        const who = readOnePerson(body, errors);
        if (!input || !who || !atTime || errors.any) return invalid(reply, 'Nothing was recorded: fix the fields listed.', errors);
        const key = req.headers['idempotency-key'];
        const submissionKey = typeof key === 'string' && key ? `${kind.source}:${key.slice(0, 90)}` : null;
        const by = { agencyId: actor.agencyId, userId: null, apiClientId: actor.apiClientId };
        if ('person' in who && !(await incidents.submitted(app.db, actor.agencyId, submissionKey))) {
          const candidates = await transact(req, (trx) => apiDuplicates(trx, req, who.person, [], who.confirmNew));
          if (candidates.length) return possibleDuplicates(reply, { person: candidates });
        }
        const result = await transact(req, async (trx, audit) => {
          const incident = await incidents.createIncident(trx, by, input, submissionKey);
          if (incident.created) {
            let personId: string;
            if ('personId' in who) {
              await incidents.requireVisiblePeople(trx, [who.personId]);
              personId = who.personId;
            } else {
              personId = await people.createPerson(trx, by, who.person);
              await audit({ action: 'person.record', recordType: 'person', recordId: personId, personId });
            }
            await audit({ action: 'incident.record', recordType: 'incident', recordId: incident.id });
            await incidents.addInvolvement(trx, incident.id, personId, kind.role, actorOf(req));
            await audit({ action: 'incident.add-person', recordType: 'incident', recordId: incident.id, personId, detail: { role: kind.role } });
            for (const r of await openForIncident(trx, incident.id, { userId: null, how: kind.openedHow })) {
              await trx
                .updateTable('urgent_response')
                .set({
                  source: kind.source,
                  ...(kind === CUSTODY ? { custody_booked_at: atTime, custody_suite: site, custody_notified_at: mashAt } : {}),
                })
                .where('id', '=', r.id)
                .execute();
              await audit({ action: r.opened ? 'urgent-response.open' : 'urgent-response.link', recordType: 'urgent_response', recordId: r.id, personId: r.personId, detail: { incident: incident.id, via: kind.openedHow } });
            }
          }
          const linked = await trx
            .selectFrom('urgent_response_incident')
            .innerJoin('urgent_response', 'urgent_response.id', 'urgent_response_incident.urgent_response_id')
            .innerJoin('involvement', (j) => j.onRef('involvement.person_id', '=', 'urgent_response.person_id').onRef('involvement.incident_id', '=', 'urgent_response_incident.incident_id'))
            .select(['urgent_response.id', 'urgent_response.reference', 'urgent_response.person_id', 'urgent_response.status'])
            .where('urgent_response_incident.incident_id', '=', incident.id)
            .executeTakeFirst();
          const person = linked?.person_id ?? (await trx.selectFrom('involvement').select('person_id').where('incident_id', '=', incident.id).executeTakeFirst())?.person_id;
          return { incident, linked, person };
        }).catch((error) => {
          if (error instanceof incidents.UnknownPerson) return null;
          throw error;
        });
        if (!result) return invalid(reply, 'Nothing was recorded: fix the fields listed.', { personId: 'Not a person your agency can see' });
        return reply
          .code(result.incident.created ? 201 : 200)
          .send({
            incident: { id: result.incident.id, reference: result.incident.reference },
            personId: result.person ?? null,
            urgentResponse: result.linked ? { id: result.linked.id, reference: result.linked.reference, status: result.linked.status } : null,
            message: result.linked ? `Urgent response ${result.linked.reference} is open for this young person` : 'Recorded; no urgent response: the person is not under the urgent response age',
          });
      },
    });
  }
}
