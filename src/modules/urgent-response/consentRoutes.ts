// Routes for consent, lawful basis (with its second-person approval) and the
// MASH referral, which is refused on the server without one or the other.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { RESPONSE_CHANGES, loadOpenResponsePage, renderResponsePage, sectionUrl } from './page.ts';
import { readConsent, readLawfulBasis, readMashReferral, sharingAllowed } from './consent.ts';

export function registerConsent(app: FastifyInstance): void {
  const open = (req: FastifyRequest) => loadOpenResponsePage(app.db, req);
  const back = (responseId: string) => sectionUrl(responseId, 'consent');

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/consent',
    access: 'urgent_response.work',
    audit: 'urgent-response.consent',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const errors = new FormErrors();
      const consent = readConsent(req.body as Body, errors);
      if (!consent) return renderResponsePage(app, req, reply.code(400), page, { errors, values: req.body }, 'consent');
      await transact(req, async (trx, audit) => {
        await trx
          .insertInto('consent')
          .values({ urgent_response_id: page.response.id, status: consent.status, by_whom: consent.byWhom, decided_at: consent.decidedAt, note: consent.note, recorded_by: req.actor!.userId })
          .execute();
        await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { status: consent.status } });
      });
      return reply.redirect(back(page.response.id), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/lawful-basis',
    access: 'urgent_response.work',
    audit: 'urgent-response.lawful-basis',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const errors = new FormErrors();
      const basis = readLawfulBasis(req.body as Body, errors);
      if (!basis) return renderResponsePage(app, req, reply.code(400), page, { errors, values: req.body }, 'consent');
      await transact(req, async (trx, audit) => {
        const row = await trx
          .insertInto('lawful_basis')
          .values({ urgent_response_id: page.response.id, basis: basis.basis, reason: basis.reason, recorded_by: req.actor!.userId! })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { basis: basis.basis, lawfulBasis: row.id } });
      });
      return reply.redirect(back(page.response.id), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/lawful-basis/:basisId/approve',
    access: 'sharing.approve',
    audit: 'urgent-response.approve-lawful-basis',
    handler: async (req, reply) => {
      const page = await open(req);
      const basisId = (req.params as { basisId: string }).basisId;
      const basis = page && isUuid(basisId) ? page.bases.find((b) => b.id === basisId) : undefined;
      if (!page || !basis) return notFound(req, reply);
      const errors = new FormErrors();
      if (basis.recorded_by === req.actor!.userId) errors.add('basis', 'A lawful basis must be confirmed by a second person: someone other than the one who recorded it');
      else if (basis.approved_by) errors.add('basis', 'This lawful basis has already been confirmed');
      if (errors.any) return renderResponsePage(app, req, reply.code(400), page, { errors }, 'consent');
      const approved = await orStale(
        transact(req, async (trx, audit) => {
          // The second person confirms the response as they read it: a change since is read before confirming.
          await claimVersion(trx, 'urgent_response', page.response.id, versionRead(req.body as Body));
          await trx.updateTable('lawful_basis').set({ approved_by: req.actor!.userId, approved_at: new Date() }).where('id', '=', basis.id).where('approved_by', 'is', null).execute();
          await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, detail: { lawfulBasis: basis.id } });
        }),
      );
      if (approved === STALE) {
        const fresh = await open(req);
        if (!fresh) return notFound(req, reply);
        errors.add('basis', await staleError(app.db, { type: 'urgent_response', id: page.response.id, actions: RESPONSE_CHANGES }, 'urgent response'));
        return renderResponsePage(app, req, reply.code(409), fresh, { errors }, 'consent');
      }
      return reply.redirect(back(page.response.id), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/urgent-responses/:id/mash-referral',
    access: 'urgent_response.work',
    audit: 'urgent-response.mash-referral',
    handler: async (req, reply) => {
      const page = await open(req);
      if (!page) return notFound(req, reply);
      const errors = new FormErrors();
      const referral = readMashReferral(req.body as Body, errors);
      if (!referral) return renderResponsePage(app, req, reply.code(400), page, { errors, values: req.body }, 'consent');
      const saved = await transact(req, async (trx, audit) => {
        // Checked here, in the transaction, whatever the form sent.
        if (!(await sharingAllowed(trx, page.response.id))) {
          await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id, outcome: 'denied', detail: { reason: 'no consent or confirmed lawful basis' } });
          return false;
        }
        await trx
          .insertInto('mash_referral')
          .values({ urgent_response_id: page.response.id, concern: referral.concern, referred_at: referral.referredAt, reference: referral.reference, outcome: referral.outcome, recorded_by: req.actor!.userId })
          .execute();
        await audit({ recordType: 'urgent_response', recordId: page.response.id, personId: page.response.person_id });
        return true;
      });
      if (!saved) {
        errors.add('concern', 'Nothing was shared: record the young person’s or family’s consent, or a lawful basis for sharing without it confirmed by a second person, first');
        return renderResponsePage(app, req, reply.code(400), page, { errors, values: req.body }, 'consent');
      }
      return reply.redirect(back(page.response.id), 303);
    },
  });
}
