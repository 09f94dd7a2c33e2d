// Routes for the plan side of an urgent response: needs assessment, the
// multi-agency plan's actions, referral to a meeting, and the custody clock.
import { claimVersion, orStale, STALE, staleError, versionRead } from '../../platform/versions.ts';
import { RESPONSE_CHANGES } from './page.ts';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { referToPanel } from '../meetings/queries.ts';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, dateTimeInput, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { loadOpenResponsePage, loadResponsePage, renderResponsePage, sectionUrl } from './page.ts';
import { changedNeeds, currentNeeds, NEED_DOMAINS, NEED_LEVELS, readNeeds } from './needs.ts';
import { readAction } from '../actions/rules.ts';
import { giveAction, partnerAgencies } from '../actions/queries.ts';

const id = (req: FastifyRequest) => (req.params as { id: string }).id;

export function registerPlan(app: FastifyInstance): void {
  const open = (req: FastifyRequest) => loadOpenResponsePage(app.db, req);

  const needsForm = (values: Body) => ({ domains: NEED_DOMAINS, levels: NEED_LEVELS, values });
  const needsValues = (needs: Awaited<ReturnType<typeof currentNeeds>>) =>
    Object.fromEntries(needs.flatMap((n) => [[`${n.domain}-level`, n.current?.level ?? 'not_assessed'], [`${n.domain}-strengths`, n.current?.strengths ?? ''], [`${n.domain}-notes`, n.current?.notes ?? '']]));

  declareRoute(app, {
    method: 'GET',
    url: '/urgent-responses/:id/needs/edit',
    access: 'urgent_response.work',
    audit: 'urgent-response.view',
    handler: async (req, reply) => {
      const page = await transact(req, async (trx, audit) => {
        const page = await loadResponsePage(trx, req.actor!, id(req));
        if (page?.response.status === 'open') await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { part: 'needs' } });
        return page?.response.status === 'open' ? page : undefined;
      });
      if (!page) return notFound(req, reply);
      return reply.page('urgent-response/views/needs.njk', { response: page.response, version: page.response.version, ...needsForm(needsValues(page.needs)) });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/needs',
    access: 'urgent_response.work',
    audit: 'urgent-response.needs',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const errors = new FormErrors();
      const body = req.body as Body;
      const needs = readNeeds(body, errors);
      if (!needs) return reply.code(400).page('urgent-response/views/needs.njk', { response: page.response, version: str(body, 'version'), errors, ...needsForm(body) });
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          // The whole assessment was read at one version: a save from an older one would put back what someone else changed.
          await claimVersion(trx, 'urgent_response', page.response.id, versionRead(body));
          const changed = changedNeeds(needs, await currentNeeds(trx, page.response.id));
          if (!changed.length) return;
          await trx
            .insertInto('needs_assessment')
            .values(changed.map((n) => ({ urgent_response_id: page.response.id, domain: n.domain, level: n.level, strengths: n.strengths, notes: n.notes, recorded_by: req.actor!.userId })))
            .execute();
          await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { domains: changed.map((n) => n.domain) } });
        }),
      );
      if (saved === STALE) {
        errors.add(`${Object.keys(NEED_DOMAINS)[0]}-level`, await staleError(app.db, { type: 'urgent_response', id: page.response.id, actions: RESPONSE_CHANGES }, 'needs assessment'));
        return reply.code(409).page('urgent-response/views/needs.njk', { response: page.response, version: page.response.version, errors, ...needsForm(body) });
      }
      return reply.redirect(sectionUrl(page.response.id, 'needs'), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/actions',
    access: 'urgent_response.work',
    audit: 'urgent-response.plan-action',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const errors = new FormErrors();
      const agencies = await partnerAgencies(app.db);
      const action = readAction(req.body as Body, errors, agencies.map((a) => a.id));
      if (!action) return renderResponsePage(app, req, reply.code(400), page, { errors, values: req.body }, 'plan');
      const saved = await transact(req, async (trx, audit) => {
        const given = await giveAction(trx, action, { agencyId: page.response.agency_id, urgentResponseId: page.response.id }, req.actor!.userId);
        const detail = 'refused' in given ? { reason: given.refused === 'agreement' ? 'no data sharing agreement' : 'no consent or confirmed lawful basis', ownerAgency: action.ownerAgencyId } : { action: given.reference, ownerAgency: action.ownerAgencyId };
        await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, outcome: 'refused' in given ? 'denied' : 'allowed', detail });
        return given;
      });
      if ('refused' in saved) {
        errors.add('actionAgency', saved.refused === 'agreement' ? `Nothing was saved: ${saved.words}` : 'Nothing was saved: giving an action to another agency shares the young person with it, so record consent, or a lawful basis confirmed by a second person, first');
        return renderResponsePage(app, req, reply.code(400), page, { errors, values: req.body }, 'plan');
      }
      return reply.redirect(sectionUrl(page.response.id, 'plan'), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/meeting-referral',
    access: 'urgent_response.work',
    audit: 'urgent-response.refer-to-meeting',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const types = await app.db.selectFrom('meeting_type').select('code').execute();
      const typeCode = choice(body, 'meetingType', errors, types.map((t) => t.code), 'Select the meeting to refer to');
      const reason = text(body, 'referralReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why the meeting should discuss this young person' });
      if (!typeCode || !reason) return renderResponsePage(app, req, reply.code(400), page, { errors, values: body }, 'plan');
      await transact(req, async (trx, audit) => {
        const added = await referToPanel(trx, { agencyId: page.response.agency_id, userId: req.actor!.userId }, { typeCode, reason, urgentResponseId: page.response.id, personId: page.response.person_id });
        if (added) await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { meetingType: typeCode } });
      });
      return reply.redirect(sectionUrl(page.response.id, 'plan'), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/custody',
    access: 'urgent_response.work',
    audit: 'urgent-response.custody',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const bookedAt = dateTimeInput(body, 'bookedAt', errors, { label: 'Booking-in time', required: true, notFuture: true, minYear: 2000 });
      const suite = text(body, 'custodySuite', errors, { label: 'Custody suite', max: 120 });
      const notifiedAt = dateTimeInput(body, 'mashToldAt', errors, { label: 'When MASH was told', notFuture: true, minYear: 2000 });
      if (bookedAt && notifiedAt && notifiedAt < bookedAt) errors.add('mashToldAt-day', 'When MASH was told must be after the booking-in time');
      if (errors.any || !bookedAt) return renderResponsePage(app, req, reply.code(400), page, { errors, values: body });
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          await claimVersion(trx, 'urgent_response', page.response.id, versionRead(body));
          await trx
            .updateTable('urgent_response')
            .set({ source: 'custody', custody_booked_at: bookedAt, custody_suite: suite, custody_notified_at: notifiedAt })
            .where('id', '=', page.response.id)
            .execute();
          await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { bookedAt, notifiedAt } });
        }),
      );
      if (saved === STALE) {
        errors.add('bookedAt-day', await staleError(app.db, { type: 'urgent_response', id: page.response.id, actions: RESPONSE_CHANGES }, 'urgent response'));
        return renderResponsePage(app, req, reply.code(409), page, { errors, values: body });
      }
      return reply.redirect(sectionUrl(page.response.id, 'summary'), 303);
    },
  });
}
