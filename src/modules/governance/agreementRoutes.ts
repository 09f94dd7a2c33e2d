// The data sharing agreements register's pages: the list (in force, due for
// review, ended), recording one, and changing one from the version read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, dateParts, isUuid, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { versionRead } from '../../platform/versions.ts';
import { saveChange } from '../../platform/changes.ts';
import { partnerAgencies } from '../actions/queries.ts';
import { ARTICLE10, ARTICLE6, ARTICLE9, DATA_CATEGORIES, DOCUMENT_LIMIT_MB, REVIEW_WARNING_DAYS, SCHEDULE1, SHARING_PURPOSES, attachDocument, changeAgreement, documentOf, readAgreement, readDocument, recordAgreement } from './agreements.ts';
import { addDays } from '../../platform/workingDays.ts';

const CHOICES = { purposes: SHARING_PURPOSES, dataCategories: DATA_CATEGORIES, article6: ARTICLE6, article9: ARTICLE9, article10: ARTICLE10, schedule1: SCHEDULE1 };

/** An agreement's columns as its form's fields. */
function formValues(a: { title: string; party_agency_ids: string[]; purposes: string[]; data_categories: string[]; article6: string; article9: string | null; article10: string | null; schedule1: string | null; starts_on: string; review_on: string; ends_on: string | null; signatories: string; document: string }): Body {
  return {
    title: a.title,
    partyAgencyIds: a.party_agency_ids,
    purposes: a.purposes,
    dataCategories: a.data_categories,
    article6: a.article6,
    article9: a.article9 ?? '',
    article10: a.article10 ?? '',
    schedule1: a.schedule1 ?? '',
    ...dateParts('startsOn', a.starts_on),
    ...dateParts('reviewOn', a.review_on),
    ...(a.ends_on ? dateParts('endsOn', a.ends_on) : {}),
    signatories: a.signatories,
    document: a.document,
  };
}

export function registerAgreements(app: FastifyInstance): void {
  const formPage = async (reply: FastifyReply, data: { values: Body; errors?: FormErrors; agreement?: { id: string; version: number } }) =>
    reply.page('governance/views/agreement.njk', { ...data, agencies: await partnerAgencies(app.db), choices: CHOICES, signed: data.agreement ? await documentOf(app.db, data.agreement.id) : null, limitMb: DOCUMENT_LIMIT_MB });
  const find = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? app.db.selectFrom('sharing_agreement').selectAll().where('id', '=', id).executeTakeFirst() : Promise.resolve(undefined);
  };

  declareRoute(app, {
    method: 'GET',
    url: '/sharing-agreements',
    access: 'agreement.read',
    audit: null,
    handler: async (req, reply) => {
      const today = londonToday();
      const [rows, agencies] = await Promise.all([app.db.selectFrom('sharing_agreement').selectAll().orderBy('review_on').execute(), partnerAgencies(app.db)]);
      const name = Object.fromEntries(agencies.map((a) => [a.id, a.name]));
      const shown = rows.map((a) => ({ ...a, parties: a.party_agency_ids.map((id) => name[id]).filter(Boolean), purposeWords: a.purposes.map((p) => SHARING_PURPOSES[p as keyof typeof SHARING_PURPOSES] ?? p) }));
      const ended = (a: (typeof shown)[number]) => a.ends_on !== null && a.ends_on < today;
      const notYet = (a: (typeof shown)[number]) => a.starts_on > today;
      return reply.page('governance/views/agreements.njk', {
        due: shown.filter((a) => !ended(a) && a.review_on <= addDays(today, REVIEW_WARNING_DAYS)),
        inForce: shown.filter((a) => !ended(a) && !notYet(a)),
        notYet: shown.filter(notYet),
        ended: shown.filter(ended),
        today,
        warningDays: REVIEW_WARNING_DAYS,
        canManage: can(req.actor!.roles, 'agreement.manage'),
      });
    },
  });

  declareRoute(app, { method: 'GET', url: '/sharing-agreements/new', access: 'agreement.manage', audit: null, handler: (_req, reply) => formPage(reply, { values: { article6: 'e' } }) });

  declareRoute(app, {
    method: 'POST',
    url: '/sharing-agreements',
    access: 'agreement.manage',
    audit: 'agreement.record',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readAgreement(body, errors, (await partnerAgencies(app.db)).map((a) => a.id));
      if (!input) return formPage(reply.code(400), { values: body, errors });
      await transact(req, async (trx, audit) => {
        const id = await recordAgreement(trx, req.actor!.userId, input);
        await audit({ recordType: 'sharing_agreement', recordId: id, detail: { parties: input.partyAgencyIds.length, purposes: input.purposes } });
      });
      return reply.redirect('/sharing-agreements', 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/sharing-agreements/:id',
    access: 'agreement.read',
    audit: null,
    handler: async (req, reply) => {
      const a = await find(req);
      if (!a) return notFound(req, reply);
      if (!can(req.actor!.roles, 'agreement.manage')) {
        const agencies = await partnerAgencies(app.db);
        return reply.page('governance/views/agreement-show.njk', { a, parties: agencies.filter((x) => a.party_agency_ids.includes(x.id)).map((x) => x.name), choices: CHOICES, signed: await documentOf(app.db, a.id) });
      }
      return formPage(reply, { values: formValues(a), agreement: a });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sharing-agreements/:id',
    access: 'agreement.manage',
    audit: 'agreement.change',
    handler: async (req, reply) => {
      const a = await find(req);
      if (!a) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readAgreement(body, errors, (await partnerAgencies(app.db)).map((x) => x.id));
      if (!input) return formPage(reply.code(400), { values: body, errors, agreement: a });
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          await changeAgreement(trx, a.id, versionRead(body), input);
          await audit({ recordType: 'sharing_agreement', recordId: a.id, detail: { parties: input.partyAgencyIds.length, purposes: input.purposes, endsOn: input.endsOn } });
        },
        record: { type: 'sharing_agreement', id: a.id, actions: ['agreement.change'] },
        what: 'agreement',
        field: 'title',
        errors,
        again: async (code, stale) => formPage(reply.code(code), { values: body, errors, agreement: stale ? (await find(req))! : a }),
        then: '/sharing-agreements',
      });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/sharing-agreements/:id/document',
    access: 'agreement.manage',
    audit: 'agreement.document',
    handler: async (req, reply) => {
      const a = await find(req);
      if (!a) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const pdf = readDocument(body, errors);
      // The form's other fields are the agreement as saved: the upload keeps nothing else of the user's.
      const again = async (code: number, agreement = a) => formPage(reply.code(code), { values: formValues(agreement), errors, agreement });
      if (!pdf) return again(400);
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          const sha256 = await attachDocument(trx, { userId: req.actor!.userId! }, a.id, versionRead(body), pdf);
          await audit({ recordType: 'sharing_agreement', recordId: a.id, detail: { bytes: pdf.length, sha256 } });
        },
        record: { type: 'sharing_agreement', id: a.id, actions: ['agreement.change', 'agreement.document'] },
        what: 'agreement',
        field: 'signed',
        errors,
        again: async (code, stale) => again(code, stale ? (await find(req))! : a),
        then: `/sharing-agreements/${a.id}`,
      });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/sharing-agreements/:id/document',
    access: 'agreement.read',
    audit: 'agreement.document.read',
    handler: async (req, reply) => {
      const a = await find(req);
      const doc =
        a &&
        (await transact(req, async (trx, audit) => {
          const d = await trx.selectFrom('sharing_agreement_document').select(['content', 'sha256']).where('agreement_id', '=', a.id).executeTakeFirst();
          if (d) await audit({ recordType: 'sharing_agreement', recordId: a.id, detail: { sha256: d.sha256 } });
          return d;
        }));
      if (!a || !doc) return notFound(req, reply);
      return reply
        .type('application/pdf')
        .header('content-disposition', 'attachment; filename="signed-data-sharing-agreement.pdf"')
        .header('digest', `sha-256=${Buffer.from(doc.sha256, 'hex').toString('base64')}`)
        .send(Buffer.from(doc.content));
    },
  });
}
