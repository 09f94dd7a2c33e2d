// The retention pages: the schedule with what is due under each rule, a
// kind's due records with its rule's form and the approval, and the legal
// holds. Routes read forms and render; retention.ts and holds.ts decide.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, text, type Body } from '../../platform/forms.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { londonToday } from '../../platform/time.ts';
import { pageOfRows } from '../../platform/lists.ts';
import { versionRead } from '../../platform/versions.ts';
import { saveChange } from '../../platform/changes.ts';
import { RETENTION_KINDS, RETENTION_KIND_CODES, TRIGGERS, approveDue, changeRule, dueQuery, lastCheck, readRule, type RetentionKindCode, type Rule } from './retention.ts';
import { HOLD_SCOPES, holdSubject, liftHold, placeHold, readHold } from './holds.ts';

const kindParam = (req: FastifyRequest): RetentionKindCode | null => {
  const kind = (req.params as { kind: string }).kind;
  return (RETENTION_KIND_CODES as string[]).includes(kind) ? (kind as RetentionKindCode) : null;
};

const records = (rows: { records: number }[]) => rows.reduce((n, r) => n + r.records, 0);

export function registerRetention(app: FastifyInstance): void {
  const findRule = (kind: RetentionKindCode) => app.db.selectFrom('retention_rule').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow();

  const kindPage = async (req: FastifyRequest, reply: FastifyReply, kind: RetentionKindCode, extra: { errors?: FormErrors; values?: Body } = {}) => {
    const rule = await findRule(kind);
    const due = await dueQuery(app.db, rule as Rule, londonToday());
    const page = pageOfRows(due, req.query as Body, 'page', (n) => `/retention/${kind}?page=${n}`);
    return reply.page('governance/views/retention-kind.njk', {
      kind,
      k: RETENTION_KINDS[kind],
      rule,
      page,
      due: { total: records(due), held: records(due.filter((r) => r.held_by)), approved: records(due.filter((r) => r.approved_at)), approvable: records(due.filter((r) => !r.held_by && !r.approved_at)) },
      triggers: RETENTION_KINDS[kind].triggers.map((t) => ({ value: t, text: TRIGGERS[t] })),
      triggerWords: TRIGGERS[rule.trigger],
      values: extra.values ?? { months: String(rule.months), trigger: rule.trigger, policy: rule.policy },
      errors: extra.errors,
      canManage: can(req.actor!.roles, 'retention.manage'),
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/retention',
    access: 'retention.read',
    audit: null,
    handler: async (req, reply) => {
      const [{ check, kinds }, holds] = await Promise.all([
        lastCheck(app.db),
        app.db.selectFrom('legal_hold').select((eb) => eb.fn.countAll<string>().as('n')).where('lifted_at', 'is', null).executeTakeFirstOrThrow(),
      ]);
      return reply.page('governance/views/retention.njk', { kinds: kinds.map((k) => ({ ...k, code: k.rule.kind, triggerWords: TRIGGERS[k.rule.trigger] })), lastCheck: check, openHolds: Number(holds.n), canManage: can(req.actor!.roles, 'retention.manage') });
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/retention/:kind',
    access: 'retention.read',
    audit: null,
    handler: async (req, reply) => {
      const kind = kindParam(req);
      return kind ? kindPage(req, reply, kind) : notFound(req, reply);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/retention/:kind/rule',
    access: 'retention.manage',
    audit: 'retention.rule',
    handler: async (req, reply) => {
      const kind = kindParam(req);
      if (!kind) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readRule(body, errors, kind);
      if (!input) return kindPage(req, reply.code(400), kind, { errors, values: body });
      const rule = await findRule(kind);
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          await changeRule(trx, { userId: req.actor!.userId! }, rule.id, versionRead(body), input);
          await audit({ recordType: 'retention_rule', recordId: rule.id, detail: { kind, months: input.months, trigger: input.trigger } });
        },
        record: { type: 'retention_rule', id: rule.id, actions: ['retention.rule'] },
        what: 'retention rule',
        field: 'months',
        errors,
        again: (code) => kindPage(req, reply.code(code), kind, { errors, values: body }),
        then: `/retention/${kind}`,
      });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/retention/:kind/approve',
    access: 'retention.manage',
    audit: 'retention.approve',
    handler: async (req, reply) => {
      const kind = kindParam(req);
      if (!kind) return notFound(req, reply);
      await transact(req, async (trx, audit) => {
        const records = await approveDue(trx, { userId: req.actor!.userId! }, kind);
        await audit({ recordType: 'retention_rule', detail: { kind, records } });
      });
      return reply.redirect(`/retention/${kind}`, 303);
    },
  });

  const holdsPage = async (reply: FastifyReply, extra: { errors?: FormErrors; values?: Body; canManage: boolean; liftingId?: string }) => {
    const holds = await app.db
      .selectFrom('legal_hold')
      .leftJoin('incident', 'incident.id', 'legal_hold.incident_id')
      .innerJoin('app_user as placer', 'placer.id', 'legal_hold.placed_by')
      .leftJoin('app_user as lifter', 'lifter.id', 'legal_hold.lifted_by')
      .select(['legal_hold.id', 'legal_hold.person_id', 'legal_hold.kind', 'legal_hold.matter', 'legal_hold.reason', 'legal_hold.placed_at', 'legal_hold.lifted_at', 'legal_hold.lift_reason', 'legal_hold.version', 'incident.reference as incident_reference', 'placer.display_name as placed_by', 'lifter.display_name as lifted_by'])
      .orderBy('legal_hold.placed_at', 'desc')
      .execute();
    const shown = holds.map((h) => ({ ...h, subject: holdSubject(h) }));
    return reply.page('governance/views/holds.njk', {
      open: shown.filter((h) => !h.lifted_at),
      lifted: shown.filter((h) => h.lifted_at),
      scopes: HOLD_SCOPES,
      kinds: RETENTION_KIND_CODES.map((k) => ({ value: k, text: RETENTION_KINDS[k].label })),
      values: extra.values ?? {},
      errors: extra.errors,
      canManage: extra.canManage,
      liftingId: extra.liftingId,
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/legal-holds',
    access: 'retention.read',
    audit: 'legal_hold.list',
    handler: async (req, reply) => {
      // The list names people by record ID: looking at it is recorded.
      await transact(req, (_trx, audit) => audit({ recordType: 'legal_hold' }));
      return holdsPage(reply, { canManage: can(req.actor!.roles, 'retention.manage') });
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/legal-holds',
    access: 'retention.manage',
    audit: 'legal_hold.place',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const input = readHold(body, errors);
      if (!input) return holdsPage(reply.code(400), { errors, values: body, canManage: true });
      const result = await transact(req, async (trx, audit) => {
        const r = await placeHold(trx, { userId: req.actor!.userId! }, input);
        if ('id' in r) await audit({ recordType: 'legal_hold', recordId: r.id, personId: input.personId ?? null, detail: { scope: input.scope, kind: input.kind } });
        return r;
      });
      if ('refused' in result) {
        for (const [field, message] of Object.entries(result.refused)) errors.add(field, message);
        return holdsPage(reply.code(400), { errors, values: body, canManage: true });
      }
      return reply.redirect('/legal-holds', 303);
    },
  });

  declareRoute(app, {
    method: 'POST',
    url: '/legal-holds/:id/lift',
    access: 'retention.manage',
    audit: 'legal_hold.lift',
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      const hold = isUuid(id) ? await app.db.selectFrom('legal_hold').select(['id', 'person_id']).where('id', '=', id).executeTakeFirst() : undefined;
      if (!hold) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const reason = text(body, 'liftReason', errors, { label: 'Why the hold is lifted', required: true, max: 2000, missing: 'Enter why the hold is lifted' });
      if (!reason) return holdsPage(reply.code(400), { errors, values: body, canManage: true, liftingId: hold.id });
      return saveChange(req, reply, {
        run: async (trx, audit) => {
          const r = await liftHold(trx, { userId: req.actor!.userId! }, hold.id, versionRead(body), reason);
          if (r === 'lifted') await audit({ recordType: 'legal_hold', recordId: hold.id, personId: hold.person_id });
          return r;
        },
        record: { type: 'legal_hold', id: hold.id, actions: ['legal_hold.lift'] },
        what: 'legal hold',
        field: 'liftReason',
        errors,
        again: (code) => holdsPage(reply.code(code), { errors, values: body, canManage: true, liftingId: hold.id }),
        then: '/legal-holds',
      });
    },
  });
}
