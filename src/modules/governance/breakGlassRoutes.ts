// Emergency access pages: asking for it (front-line roles), and the
// information governance officer's review queue with the audit rows behind
// each use. Routes read forms and render; breakGlass.ts decides.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { versionRead } from '../../platform/versions.ts';
import { saveChange } from '../../platform/changes.ts';
import { BREAK_GLASS_MINUTES, BREAK_GLASS_REASONS, REVIEW_DECISIONS, breakGlass, readBreakGlass, readReview, reviewBreakGlass } from './breakGlass.ts';

export function registerBreakGlass(app: FastifyInstance): void {
  const askPage = (reply: FastifyReply, values: Body, errors?: FormErrors) => reply.page('governance/views/emergency-access-new.njk', { values, errors, reasons: BREAK_GLASS_REASONS, minutes: BREAK_GLASS_MINUTES });

  declareRoute(app, { method: 'GET', url: '/emergency-access/new', access: 'break_glass.use', audit: null, handler: (_req, reply) => askPage(reply, {}) });

  declareRoute(app, {
    method: 'POST',
    url: '/emergency-access/new',
    access: 'break_glass.use',
    audit: 'break_glass.open',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readBreakGlass(body, errors);
      if (!input) return askPage(reply.code(400), body, errors);
      const actor = req.actor!;
      // breakGlass audits the grant itself (in red); asking about a reference that is not there is recorded too.
      const result = await transact(req, (trx) => breakGlass(trx, actor, input));
      if ('refused' in result) {
        for (const [field, message] of Object.entries(result.refused)) errors.add(field, message);
        return askPage(reply.code(400), body, errors);
      }
      return reply.redirect(result.page, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/emergency-access',
    access: 'break_glass.review',
    audit: 'break_glass.list',
    handler: async (req, reply) => {
      const uses = await transact(req, async (trx, audit) => {
        const rows = await trx
          .selectFrom('break_glass')
          .innerJoin('app_user as u', 'u.id', 'break_glass.user_id')
          .innerJoin('agency', 'agency.id', 'break_glass.agency_id')
          .leftJoin('app_user as r', 'r.id', 'break_glass.reviewed_by')
          .select(['break_glass.id', 'break_glass.reference', 'break_glass.reason', 'break_glass.opened_at', 'break_glass.expires_at', 'break_glass.decision', 'break_glass.reviewed_at', 'u.display_name as user_name', 'agency.name as agency_name', 'r.display_name as reviewer_name'])
          .orderBy('break_glass.opened_at', 'desc')
          .limit(500)
          .execute();
        await audit({ recordType: 'break_glass', detail: { rows: rows.length } });
        return rows;
      });
      return reply.page('governance/views/emergency-access.njk', { waiting: uses.filter((u) => !u.reviewed_at), reviewed: uses.filter((u) => u.reviewed_at), reasons: BREAK_GLASS_REASONS, decisions: REVIEW_DECISIONS });
    },
  });

  const find = (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id)
      ? app.db
          .selectFrom('break_glass')
          .innerJoin('app_user as u', 'u.id', 'break_glass.user_id')
          .innerJoin('agency', 'agency.id', 'break_glass.agency_id')
          .leftJoin('app_user as r', 'r.id', 'break_glass.reviewed_by')
          .selectAll('break_glass')
          .select(['u.display_name as user_name', 'u.email as user_email', 'agency.name as agency_name', 'r.display_name as reviewer_name'])
          .where('break_glass.id', '=', id)
          .executeTakeFirst()
      : Promise.resolve(undefined);
  };
  type Use = NonNullable<Awaited<ReturnType<typeof find>>>;

  const usePage = async (req: FastifyRequest, reply: FastifyReply, use: Use, extra: { errors?: FormErrors; values?: Body } = {}) => {
    // What was done under the grant: the user's audited reads and writes while it was open.
    const events = await transact(req, async (trx, audit) => {
      const rows = await trx
        .selectFrom('audit_event')
        .select(['seq', 'at', 'action', 'record_type', 'record_id', 'purpose', 'outcome'])
        .where('user_id', '=', use.user_id)
        .where('at', '>=', use.opened_at)
        .where('at', '<=', use.expires_at)
        .orderBy('seq')
        .limit(500)
        .execute();
      await audit({ action: 'break_glass.view', recordType: 'break_glass', recordId: use.id, detail: { events: rows.length } });
      return rows;
    });
    return reply.page('governance/views/emergency-access-use.njk', { use, events, reasons: BREAK_GLASS_REASONS, decisions: REVIEW_DECISIONS, values: extra.values ?? {}, errors: extra.errors });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/emergency-access/:id',
    access: 'break_glass.review',
    audit: 'break_glass.view',
    handler: async (req, reply) => {
      const use = await find(req);
      return use ? usePage(req, reply, use) : notFound(req, reply);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/emergency-access/:id/review',
    access: 'break_glass.review',
    audit: 'break_glass.review',
    handler: async (req, reply) => {
      const use = await find(req);
      if (!use) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const review = readReview(body, errors);
      if (!review) return usePage(req, reply.code(400), use, { errors, values: body });
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          const r = await reviewBreakGlass(trx, { userId: req.actor!.userId! }, use.id, versionRead(body), review);
          if (r === 'reviewed') await audit({ recordType: 'break_glass', recordId: use.id, detail: { decision: review.decision } });
          return r;
        },
        record: { type: 'break_glass', id: use.id, actions: ['break_glass.review'] },
        what: 'review',
        field: 'decision',
        errors,
        again: async (code, stale) => usePage(req, reply.code(code), stale ? (await find(req))! : use, { errors, values: body }),
        then: '/emergency-access',
      });
    },
  });
}
