// The casework JSON API for partner systems: create a person (after the same
// duplicate check as the forms), find people by name and date of birth (each
// match with its reasons), and send a referral (with the same consent, age
// and permission rules as the form). Every match shown is audited.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { invalid } from '../../platform/errors.ts';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, isoDay, str, type Body } from '../../platform/forms.ts';
import { readPerson, type PersonInput } from './rules.ts';
import { readNewIdentifiers } from './forms.ts';
import { auditedCandidates, auditedSearch } from './candidates.ts';
import { createPerson, findPerson, type Candidate, type NewIdentifier } from './queries.ts';
import { readReferral } from '../referrals/rules.ts';
import { checkReferral, createReferral, findReferral, loadOrigin } from '../referrals/queries.ts';

export function candidateJson(c: Candidate) {
  return { personId: c.id, givenName: c.given_name, familyName: c.family_name, dateOfBirth: c.date_of_birth, postcode: c.postcode, score: c.score, strength: c.strength, reasons: c.reasons, agenciesWorkingWithThem: c.agencies };
}

/**
 * The duplicate check a partner system's new person goes through: the
 * possible matches (audited as shown), or none when the caller has already
 * looked and sent `confirmNew: true`.
 */
export async function apiDuplicates(trx: Transaction<DB>, req: FastifyRequest, person: PersonInput, identifiers: NewIdentifier[], confirmNew: unknown): Promise<Candidate[]> {
  if (confirmNew === true || confirmNew === 'true') return [];
  return auditedCandidates(trx, actorOf(req), person, identifiers);
}

/** 409: who the person may already be, and how to go on. */
export function possibleDuplicates(reply: FastifyReply, candidates: Record<string, Candidate[]>) {
  return reply.code(409).send({
    error: 'possible_duplicates',
    message: 'Nothing was recorded: this person may already be in Reachable. Send the personId of the match, or send again with confirmNew: true if none of them is this person.',
    candidates: Object.fromEntries(Object.entries(candidates).map(([at, list]) => [at, list.map(candidateJson)])),
  });
}

export function registerCaseworkApi(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'POST',
    url: '/api/v1/people',
    access: 'person.record',
    audit: 'person.record',
    api: true,
    handler: async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
      const errors = new FormErrors();
      const person = readPerson(body, errors, { isoDate: true });
      const identifiers = readNewIdentifiers(body, errors);
      if (!person || errors.any) return invalid(reply, 'The person was not recorded: fix the fields listed.', errors);
      const actor = req.actor!;
      const result = await transact(req, async (trx, audit) => {
        const candidates = await apiDuplicates(trx, req, person, identifiers, body.confirmNew);
        if (candidates.length) return { candidates };
        const id = await createPerson(trx, { agencyId: actor.agencyId, userId: null, apiClientId: actor.apiClientId }, person, identifiers);
        await audit({ recordType: 'person', recordId: id, personId: id });
        return { id };
      });
      if (result.candidates) return possibleDuplicates(reply, { person: result.candidates });
      return reply.code(201).header('location', `/people/${result.id}`).send({ personId: result.id });
    },
  });

  // The contract puts the name in the query string; the request log keeps the path only.
  declareRoute(app, {
    method: 'GET',
    url: '/api/v1/people',
    access: 'person.read',
    audit: 'person.search',
    api: true,
    handler: async (req, reply) => {
      const query = req.query as Body;
      const errors = new FormErrors();
      const name = str(query, 'name').slice(0, 100) || null;
      const rawDob = str(query, 'dateOfBirth');
      const dateOfBirth = rawDob ? isoDay(rawDob, { label: 'Date of birth', notFuture: true, minYear: 1900 }) : null;
      if (rawDob && !dateOfBirth) errors.add('dateOfBirth', 'dateOfBirth must be a real date in the past, as YYYY-MM-DD');
      if (!name && !rawDob) errors.add('name', 'Give a name, a dateOfBirth, or both');
      if (errors.any) return invalid(reply, 'Fix the fields listed.', errors);
      const results = await transact(req, (trx) => auditedSearch(trx, actorOf(req), { name, dateOfBirth, postcode: null, identifier: null }));
      return reply.send({ matches: results.map(candidateJson) });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/api/v1/referrals',
    access: 'referral.send',
    audit: 'referral.send',
    api: true,
    handler: async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
      const actor = req.actor!;
      const errors = new FormErrors();
      const personId = str(body, 'personId');
      const person = isUuid(personId) ? await findPerson(app.db, personId) : undefined;
      if (!person) errors.add('personId', 'personId must be a person in Reachable');
      const input = readReferral(body, errors, isoDate(body, errors), { transferable: false });
      const urgentResponseId = str(body, 'urgentResponseId') || null;
      if (urgentResponseId && !isUuid(urgentResponseId)) errors.add('urgentResponseId', 'urgentResponseId must be a Reachable urgent response ID');
      const origin = person && !errors.any ? await loadOrigin(app.db, actor, person.id, { urgentResponseId, fromEpisodeId: null }) : undefined;
      if (person && !errors.any && !origin) errors.add('serviceId', 'The urgent response this referral comes from is not one you can refer from');
      const basis = person && input && origin && !errors.any ? await checkReferral(app.db, req.actor!.agencyId, person, input, origin, errors) : null;
      if (!person || !input || !origin || !basis || errors.any) return invalid(reply, 'The referral was not recorded: fix the fields listed.', errors);
      const key = req.headers['idempotency-key'];
      const submissionKey = typeof key === 'string' && key ? `api:${key.slice(0, 90)}` : null;
      const sent = await transact(req, async (trx, audit) => {
        const referral = await createReferral(trx, { agencyId: actor.agencyId, userId: null, apiClientId: actor.apiClientId }, person.id, input, basis, origin.ids, submissionKey);
        if (referral.created) await audit({ recordType: 'referral', recordId: referral.id, personId: person.id, detail: { service: input.serviceId, basis: basis.sharing_basis } });
        return referral;
      });
      return reply.code(sent.created ? 201 : 200).header('location', `/referrals/${sent.id}`).send(referralJson((await findReferral(app.db, actor, sent.id))!));
    },
  });
}

/** The API's consent date: ISO 8601 (YYYY-MM-DD), today or earlier. */
function isoDate(body: Body, errors: FormErrors) {
  return (name: string, label: string) => {
    const raw = str(body, name);
    if (!raw) {
      errors.add(name, `Enter ${label.toLowerCase()}, as YYYY-MM-DD`);
      return null;
    }
    const day = isoDay(raw, { label, notFuture: true, minYear: 2000 });
    if (!day) errors.add(name, `${label} must be a real date, today or earlier, as YYYY-MM-DD`);
    return day;
  };
}

function referralJson(r: NonNullable<Awaited<ReturnType<typeof findReferral>>>) {
  return { id: r.id, reference: r.reference, personId: r.person_id, serviceId: r.service_id, service: r.service_name, provider: r.provider_name, status: r.status, sharingBasis: r.sharing_basis, responseDueOn: r.response_due_on, sentAt: new Date(r.sent_at).toISOString() };
}

