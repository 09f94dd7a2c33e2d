// The Sharing section of a young person's record: consent given or refused,
// and lawful bases to share without it, each confirmed by a second person;
// a decision withdrawn from the version the user read. What every sharing
// entrance then asks is in decision.ts.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, choice, dateTimeInput, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { findPerson } from '../people/queries.ts';
import { renderPerson } from '../people/routes.ts';
import { CONSENT_BY, LAWFUL_BASES } from '../urgent-response/consent.ts';
import { partnerAgencies } from '../actions/queries.ts';
import { DECISION_KINDS } from './decision.ts';

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

export function registerSharing(app: FastifyInstance): void {
  const person = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? findPerson(app.db, id) : undefined;
  };
  const decision = async (req: FastifyRequest, personId: string) => {
    const itemId = (req.params as { itemId: string }).itemId;
    return isUuid(itemId) ? app.db.selectFrom('sharing_decision').selectAll().where('id', '=', itemId).where('person_id', '=', personId).executeTakeFirst() : undefined;
  };
  const back = (personId: string, done: string) => `/people/${personId}?${done}=1#sharing`;

  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/sharing',
    access: 'sharing.record',
    audit: 'sharing.record',
    handler: async (req, reply) => {
      const found = await person(req);
      if (!found) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const kind = choice(body, 'sharingKind', errors, keys(DECISION_KINDS), 'Select whether consent was given or refused, or the lawful basis for sharing without it');
      const agencies = await partnerAgencies(app.db);
      const to = str(body, 'toAgencyId');
      if (to && !agencies.some((a) => a.id === to)) errors.add('toAgencyId', 'Select an agency, or “Every partner agency”');
      const byWhom = kind === 'lawful_basis' ? null : choice(body, 'sharingBy', errors, keys(CONSENT_BY), 'Select who gave or refused consent');
      const basis = kind === 'lawful_basis' ? choice(body, 'sharingBasis', errors, keys(LAWFUL_BASES), 'Select the lawful basis for sharing without consent') : null;
      const reason = kind === 'lawful_basis' ? text(body, 'sharingReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why sharing without consent is necessary and proportionate' }) : null;
      const purpose = text(body, 'sharingPurpose', errors, { label: 'What it is for', required: true, max: 500, missing: 'Say what the sharing is for, like “referral to the A&E navigators”' });
      const decidedAt = dateTimeInput(body, 'sharingAt', errors, { label: 'When', required: true, notFuture: true, minYear: 2000 });
      if (errors.any || !kind || !purpose || !decidedAt) return renderPerson(req, reply, found.id, { errors, values: body, status: 400 });
      await transact(req, async (trx, audit) => {
        const row = await trx
          .insertInto('sharing_decision')
          .values({ person_id: found.id, to_agency_id: to || null, kind, by_whom: byWhom, decided_at: decidedAt, purpose, basis, reason, agency_id: req.actor!.agencyId, recorded_by: req.actor!.userId })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit({ recordType: 'sharing_decision', recordId: row.id, personId: found.id, detail: { kind, to: to || 'every partner' } });
      });
      return reply.redirect(back(found.id, 'sharingRecorded'), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/sharing/:itemId/confirm',
    access: 'sharing.approve',
    audit: 'sharing.confirm',
    handler: async (req, reply) => {
      const found = await person(req);
      const item = found && (await decision(req, found.id));
      if (!found || !item || item.kind !== 'lawful_basis') return notFound(req, reply);
      const errors = new FormErrors();
      if (item.recorded_by === req.actor!.userId) errors.add(`confirm-${item.id}`, 'A second person must confirm a lawful basis: you recorded this one');
      else if (item.confirmed_at || item.withdrawn_at || item.version !== Number(str(req.body as Body, 'version'))) errors.add(`confirm-${item.id}`, 'Someone else changed this decision while you were reading it: check it below');
      if (errors.any) return renderPerson(req, reply, found.id, { errors, status: 409 });
      await transact(req, async (trx, audit) => {
        await trx.updateTable('sharing_decision').set({ confirmed_by: req.actor!.userId, confirmed_at: new Date(), version: item.version + 1 }).where('id', '=', item.id).where('version', '=', item.version).execute();
        await audit({ recordType: 'sharing_decision', recordId: item.id, personId: found.id });
      });
      return reply.redirect(back(found.id, 'sharingConfirmed'), 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/sharing/:itemId/withdraw',
    access: 'sharing.record',
    audit: 'sharing.withdraw',
    handler: async (req, reply) => {
      const found = await person(req);
      const item = found && (await decision(req, found.id));
      if (!found || !item) return notFound(req, reply);
      const errors = new FormErrors();
      if (item.withdrawn_at || item.version !== Number(str(req.body as Body, 'version'))) errors.add(`withdraw-${item.id}`, 'Someone else changed this decision while you were reading it: check it below');
      if (errors.any) return renderPerson(req, reply, found.id, { errors, status: 409 });
      await transact(req, async (trx, audit) => {
        await trx.updateTable('sharing_decision').set({ withdrawn_by: req.actor!.userId, withdrawn_at: new Date(), version: item.version + 1 }).where('id', '=', item.id).where('version', '=', item.version).execute();
        await audit({ recordType: 'sharing_decision', recordId: item.id, personId: found.id, detail: { kind: item.kind } });
      });
      return reply.redirect(back(found.id, 'sharingWithdrawn'), 303);
    },
  });
}
