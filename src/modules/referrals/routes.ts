// Sending a referral (from a person, an urgent response or a case), and the
// receiving agency's side: incoming referrals as tasks with a due date, the
// decision, and starting the episode of work.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateInput, dateParts, isUuid, str, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { findPerson, type PersonRow } from '../people/queries.ts';
import { activeServices } from '../services/queries.ts';
import { CONSENT_BY, LAWFUL_BASES } from '../urgent-response/consent.ts';
import { agencyWorkers, startEpisode } from '../episodes/queries.ts';
import { DECIDABLE, DECISIONS, END_REASONS, REFERRAL_STATUSES, SHARING_BASES, STARTABLE, WITHDRAWABLE, readDecision, readReferral } from './rules.ts';
import { checkReferral, createReferral, findReferral, incomingReferrals, loadOrigin, sentReferrals, type LoadedOrigin, type ReferralRow } from './queries.ts';

const labels = { statuses: REFERRAL_STATUSES, endReasons: END_REASONS, decisions: DECISIONS, bases: SHARING_BASES, consentBy: CONSENT_BY, lawfulBases: LAWFUL_BASES };

export function registerReferrals(app: FastifyInstance): void {
  /** Where the referral comes from, read from the query (GET) or hidden fields (POST); undefined when it is not the caller's. */
  async function originOf(req: FastifyRequest, person: PersonRow, source: Body) {
    const urgentResponseId = str(source, 'urgentResponseId') || null;
    const fromEpisodeId = str(source, 'fromEpisodeId') || null;
    if ((urgentResponseId && !isUuid(urgentResponseId)) || (fromEpisodeId && !isUuid(fromEpisodeId))) return undefined;
    return loadOrigin(app.db, req.actor!, person.id, { urgentResponseId, fromEpisodeId });
  }

  async function form(req: FastifyRequest, reply: FastifyReply, person: PersonRow, from: LoadedOrigin, values: Body, errors?: FormErrors) {
    await transact(req, (_trx, audit) => audit({ action: 'referral.prepare', recordType: 'person', recordId: person.id, personId: person.id }));
    return reply.code(errors ? 400 : 200).page('referrals/views/new.njk', { person, response: from.response, episode: from.episode, services: await activeServices(app.db), values, errors, ...labels });
  }

  const personOf = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? findPerson(app.db, id) : undefined;
  };

  declareRoute(app, {
    method: 'GET',
    url: '/people/:id/refer',
    access: 'referral.send',
    audit: 'referral.prepare',
    handler: async (req, reply) => {
      const person = await personOf(req);
      if (!person) return notFound(req, reply);
      const q = req.query as Body;
      const source = { urgentResponseId: str(q, 'urgentResponse'), fromEpisodeId: str(q, 'episode') };
      const from = await originOf(req, person, source);
      if (!from) return notFound(req, reply);
      return form(req, reply, person, from, { ...source, submissionKey: randomUUID() });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/refer',
    access: 'referral.send',
    audit: 'referral.send',
    handler: async (req, reply) => {
      const person = await personOf(req);
      if (!person) return notFound(req, reply);
      const body = req.body as Body;
      const from = await originOf(req, person, body);
      if (!from) return notFound(req, reply);
      const errors = new FormErrors();
      const input = readReferral(body, errors, (name, label) => dateInput(body, name, errors, { label, required: true, notFuture: true, minYear: 2000 }), { transferable: Boolean(from.episode) });
      const basis = input && (await checkReferral(app.db, req.actor!.agencyId, person, input, from, errors));
      const submissionKey = str(body, 'submissionKey');
      if (!isUuid(submissionKey)) errors.add('serviceId', 'The form was incomplete: reload the page and try again');
      if (!input || !basis || errors.any) return form(req, reply, person, from, body, errors);
      const actor = req.actor!;
      const referral = await transact(req, async (trx, audit) => {
        const referral = await createReferral(trx, { agencyId: actor.agencyId, userId: actor.userId, apiClientId: null }, person.id, input, basis, from.ids, submissionKey);
        if (referral.created) await audit({ recordType: 'referral', recordId: referral.id, personId: person.id, detail: { service: input.serviceId, basis: basis.sharing_basis, transfer: input.transfer } });
        return referral;
      });
      return reply.redirect(`/referrals/${referral.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/referrals',
    access: 'referral.read',
    audit: 'referral.list',
    handler: async (req, reply) => {
      const actor = req.actor!;
      const receives = can(actor.roles, 'referral.receive');
      const { incoming, sent } = await transact(req, async (trx, audit) => {
        const incoming = receives ? await incomingReferrals(trx, actor.agencyId) : [];
        const sent = await sentReferrals(trx, actor.agencyId);
        await audit({ recordType: 'referral', detail: { incoming: incoming.length, sent: sent.length } });
        return { incoming, sent };
      });
      return reply.page('referrals/views/list.njk', { incoming, sent, receives, today: londonToday(), ...labels });
    },
  });

  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? findReferral(app.db, req.actor!, id) : undefined;
  };

  async function page(req: FastifyRequest, reply: FastifyReply, referral: ReferralRow, extra: { errors?: FormErrors; values?: Body; status?: number } = {}) {
    const actor = req.actor!;
    const receiving = referral.provider_agency_id === actor.agencyId && can(actor.roles, 'referral.receive');
    const sending = referral.from_agency_id === actor.agencyId && can(actor.roles, 'referral.send');
    await transact(req, (_trx, audit) => audit({ action: 'referral.view', recordType: 'referral', recordId: referral.id, personId: referral.person_id }));
    const today = londonToday();
    return reply.code(extra.status ?? (extra.errors ? 400 : 200)).page('referrals/views/referral.njk', {
      referral,
      today,
      can: { decide: receiving && DECIDABLE.includes(referral.status as never), start: receiving && STARTABLE.includes(referral.status as never), withdraw: sending && WITHDRAWABLE.includes(referral.status as never) },
      workers: receiving ? await agencyWorkers(app.db, actor.agencyId) : [],
      values: extra.values ?? { leadWorkerId: actor.userId, ...dateParts('startedOn', today), ...dateParts('reviewOn', addDays(today, 42)) },
      errors: extra.errors,
      ...labels,
    });
  }

  declareRoute(app, {
    method: 'GET',
    url: '/referrals/:id',
    access: 'referral.read',
    audit: 'referral.view',
    handler: async (req, reply) => {
      const referral = await load(req);
      return referral ? page(req, reply, referral) : notFound(req, reply);
    },
  });

  /** A step on a referral: only when the caller's agency holds that side of it and the referral is in a state that allows it. */
  function step(url: string, access: 'referral.receive' | 'referral.send', audit: string, side: 'provider_agency_id' | 'from_agency_id', allowed: readonly string[], act: (req: FastifyRequest, reply: FastifyReply, referral: ReferralRow, body: Body, errors: FormErrors) => Promise<string | undefined>) {
    declareRoute(app, {
      method: 'POST',
      url,
      access,
      audit,
      handler: async (req, reply) => {
        const referral = await load(req);
        if (!referral || referral[side] !== req.actor!.agencyId) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        if (!allowed.includes(referral.status) || Number(str(body, 'version')) !== referral.version) {
          errors.add('decision', `This referral is now ${REFERRAL_STATUSES[referral.status as keyof typeof REFERRAL_STATUSES].toLowerCase()}: someone else may have dealt with it. Check it below`);
          return page(req, reply, referral, { errors, values: body, status: 409 });
        }
        // A step that answers itself (a redirect elsewhere) says so with a URL. (It cannot return its reply
        // through the async step: a reply is thenable, awaiting it lost it, and the step answered twice.)
        const elsewhere = await act(req, reply, referral, body, errors);
        if (elsewhere) return reply.redirect(elsewhere, 303);
        if (errors.any) return page(req, reply, referral, { errors, values: body });
        return reply.redirect(`/referrals/${referral.id}`, 303);
      },
    });
  }

  step('/referrals/:id/decision', 'referral.receive', 'referral.decide', 'provider_agency_id', DECIDABLE, async (req, _reply, referral, body, errors) => {
    const d = readDecision(body, errors, referral.is_transfer);
    if (!d) return undefined;
    const actor = req.actor!;
    await transact(req, async (trx, audit) => {
      await trx
        .updateTable('referral')
        .set({ status: d.decision, status_reason: d.reason, decided_by: actor.userId, decided_at: new Date(), consent_confirmed_by: d.consentConfirmed && referral.is_transfer ? actor.userId : referral.consent_confirmed_by, version: referral.version + 1 })
        .where('id', '=', referral.id)
        .where('version', '=', referral.version)
        .execute();
      await audit({ recordType: 'referral', recordId: referral.id, personId: referral.person_id, detail: { decision: d.decision } });
    });
  });

  step('/referrals/:id/start', 'referral.receive', 'episode.open', 'provider_agency_id', STARTABLE, async (req, reply, referral, body, errors) => {
    const actor = req.actor!;
    const workers = await agencyWorkers(app.db, actor.agencyId);
    const leadWorkerId = str(body, 'leadWorkerId');
    if (!workers.some((w) => w.id === leadWorkerId)) errors.add('leadWorkerId', 'Select the lead worker');
    const startedOn = dateInput(body, 'startedOn', errors, { label: 'Start date', required: true, notFuture: true, minYear: 2000 });
    const reviewOn = dateInput(body, 'reviewOn', errors, { label: 'Review date', required: true, minYear: 2000 });
    if (startedOn && reviewOn && reviewOn <= startedOn) errors.add('reviewOn-day', 'Review date must be after the start date');
    if (errors.any || !startedOn || !reviewOn) return undefined;
    const episodeId = await transact(req, async (trx, audit) => {
      const id = await startEpisode(trx, referral, { leadWorkerId, startedOn, reviewOn });
      await audit({ recordType: 'episode', recordId: id, personId: referral.person_id, detail: { referral: referral.id, transfer: referral.is_transfer } });
      return id;
    });
    return `/episodes/${episodeId}`;
  });

  step('/referrals/:id/withdraw', 'referral.send', 'referral.withdraw', 'from_agency_id', WITHDRAWABLE, async (req, _reply, referral, body, errors) => {
    const reason = str(body, 'withdrawReason');
    if (!reason) errors.add('withdrawReason', 'Say why the referral is withdrawn');
    if (reason.length > 2000) errors.add('withdrawReason', 'Reason must be 2000 characters or fewer');
    if (errors.any) return undefined;
    await transact(req, async (trx, audit) => {
      await trx.updateTable('referral').set({ status: 'withdrawn', status_reason: reason, version: referral.version + 1 }).where('id', '=', referral.id).where('version', '=', referral.version).execute();
      await audit({ recordType: 'referral', recordId: referral.id, personId: referral.person_id });
    });
  });
}
