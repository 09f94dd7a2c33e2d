// The orders API for the police and court feeds (issue 19): an order with
// its conditions in one call, kept once per Idempotency-Key, and a person's
// orders. The same reading, law checks and audit as the forms; conditions and
// breaches only for the roles that enforce orders.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { actorOf, declareRoute, transact } from '../../platform/routes.ts';
import { FormErrors, isUuid, str, type Body } from '../../platform/forms.ts';
import { can } from '../../platform/permissions.ts';
import { invalid, notFound } from '../../platform/errors.ts';
import { personIdFor } from '../people/naming.ts';
import { readCondition, type ConditionDetail, type ConditionInput } from './conditions.ts';
import { readOrder } from './rules.ts';
import { addCondition, breachQuery, conditionsOf, lastDay, orderName, orderKinds, orderQuery, ordersOfPerson, recordOrder, reviewsOf, type OrderRow } from './queries.ts';

/** Conditions in one call: enough for any real order. */
const MAX_CONDITIONS = 30;

/** The API names fields as the form does; points of a drawn zone may come as [latitude, longitude] pairs. */
function conditionFields(raw: unknown): Body {
  const c = (raw && typeof raw === 'object' ? raw : {}) as Body;
  const points = Array.isArray(c.zonePoints) ? c.zonePoints.map((p) => (Array.isArray(p) ? p.join(', ') : String(p))).join('\n') : c.zonePoints;
  const hours = (name: string) => (Array.isArray(c[name]) ? (c[name] as unknown[]).map(String) : c[name]);
  return { ...c, conditionKind: c.kind, zonePoints: points, curfewDays: hours('curfewDays'), zoneDays: hours('zoneDays'), electronicMonitoring: c.electronicMonitoring === true ? 'yes' : c.electronicMonitoring === false ? 'no' : c.electronicMonitoring };
}

export function registerOrderApi(app: FastifyInstance): void {
  declareRoute(app, {
    method: 'POST',
    url: '/api/v1/orders',
    access: 'order.record',
    audit: 'order.record',
    api: true,
    handler: async (req, reply) => {
      const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
      const actor = req.actor!;
      const errors = new FormErrors();
      const kinds = await orderKinds(app.db);
      const agencies = (await app.db.selectFrom('agency').select('id').where('disabled_at', 'is', null).execute()).map((a) => a.id);
      const lead = (body.leadOfficer && typeof body.leadOfficer === 'object' ? body.leadOfficer : {}) as Body;
      const read = readOrder({ applyingAgencyId: actor.agencyId, ...body, interim: body.interim === true ? 'interim' : body.interim === false ? 'full' : body.interim, leadOfficerName: lead.name, leadOfficerContact: lead.contact }, errors, { kinds, agencies }, 'iso');
      const personId = str(body, 'personId');
      if (!isUuid(personId)) errors.add('personId', 'personId must be a Reachable person ID');
      const rawConditions = body.conditions ?? [];
      if (!Array.isArray(rawConditions) || rawConditions.length > MAX_CONDITIONS) errors.add('conditions', `conditions must be a list of at most ${MAX_CONDITIONS}`);
      const named = (Array.isArray(rawConditions) ? rawConditions : []).flatMap((c) => (c && typeof c === 'object' && Array.isArray((c as Body).personIds) ? ((c as Body).personIds as unknown[]).map(String).filter(isUuid) : []));
      const people = new Set((named.length ? await app.db.selectFrom('person').select('id').where('id', 'in', named).where('merged_into', 'is', null).execute() : []).map((p) => p.id));
      const known = { places: await app.db.selectFrom('place').select(['id', 'name', 'latitude', 'longitude']).execute(), groups: await app.db.selectFrom('network_group').select(['id', 'name']).execute(), services: await app.db.selectFrom('service').select(['id', 'name']).execute(), people };
      const conditions: ConditionInput[] = [];
      (Array.isArray(rawConditions) ? rawConditions : []).forEach((raw, i) => {
        const fieldErrors = new FormErrors();
        const c = readCondition(conditionFields(raw), fieldErrors, known);
        for (const [field, message] of Object.entries(fieldErrors.messages)) errors.add(`conditions[${i}].${field === 'conditionKind' ? 'kind' : field}`, message);
        if (c) conditions.push(c);
      });
      if (!read || errors.any) return invalid(reply, 'The order was not recorded: fix the fields listed.', errors);
      const key = req.headers['idempotency-key'];
      const submissionKey = typeof key === 'string' && key ? key.slice(0, 100) : null;
      const by = { ...actorOf(req), agencyId: actor.agencyId };
      const result = await transact(req, async (trx, audit) => {
        const recorded = await recordOrder(trx, by, { ...read, personId, area: null }, submissionKey);
        if ('errors' in recorded || !recorded.created) return recorded;
        await audit({ recordType: 'order', recordId: recorded.id, personId, detail: { kind: read.kindCode, conditions: conditions.length } });
        for (const [i, c] of conditions.entries()) {
          const added = await addCondition(trx, by, { id: recorded.id, kind_code: read.kindCode }, c);
          // A condition the law refuses undoes the whole call.
          if ('errors' in added) throw new Refused(Object.fromEntries(Object.entries(added.errors.messages).map(([f, m]) => [`conditions[${i}].${f}`, m])));
        }
        return recorded;
      }).catch((error) => {
        if (error instanceof Refused) return { errors: error.fields };
        throw error;
      });
      if ('errors' in result) {
        const fields = result.errors instanceof FormErrors ? result.errors.toJSON() : result.errors;
        // Another agency's person, a merged record and no record at all answer alike.
        return invalid(reply, 'The order was not recorded: fix the fields listed.', fields);
      }
      const order = await loadForApi(app, result.id);
      return reply.code(result.created ? 201 : 200).send(await orderJson(req, order!, await transact(req, (trx) => conditionsOf(trx, result.id))));
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/api/v1/people/:id/orders',
    access: 'order.read',
    audit: 'order.view',
    api: true,
    handler: async (req, reply) => {
      const id = (req.params as { id: string }).id;
      if (!isUuid(id)) return notFound(req, reply);
      const detail = can(req.actor!.roles, 'order.detail');
      const found = await transact(req, async (trx, audit) => {
        const person = await trx.selectFrom('person').select('id').where('id', '=', id).where('merged_into', 'is', null).executeTakeFirst();
        if (!person) return null;
        const orders = await ordersOfPerson(trx, id);
        const withConditions = await Promise.all(orders.map(async (o) => ({ o, conditions: detail ? await conditionsOf(trx, o.id) : [], reviews: await reviewsOf(trx, o.id), breaches: detail ? await breachQuery(trx).where('possible_breach.order_id', '=', o.id).execute() : [] })));
        await audit({ recordType: 'person', recordId: id, personId: id, detail: { orders: orders.length, detail } });
        return withConditions;
      });
      if (!found) return notFound(req, reply);
      const personId = await personIdFor(req);
      return reply.send({
        personId: personId(id),
        orders: await Promise.all(found.map(async ({ o, conditions, reviews, breaches }) => ({
          ...(await orderJson(req, o, conditions)),
          reviews: reviews.map((r) => ({ dueFrom: r.due_from, dueBy: r.due_by, why: r.why, source: r.source, heldOn: r.held_on })),
          ...(detail ? { possibleBreaches: breaches.map((b) => ({ id: b.id, raisedAt: new Date(b.raised_at).toISOString(), evidence: b.evidence, decision: b.decision, action: b.action })) } : {}),
        }))),
      });
    },
  });
}

class Refused extends Error {
  constructor(readonly fields: Record<string, string>) {
    super('refused');
  }
}

const loadForApi = (app: FastifyInstance, id: string) => orderQuery(app.db).where('court_order.id', '=', id).executeTakeFirst();

/** An order as the API answers it: conditions (their typed facts) only for those who enforce orders. */
async function orderJson(req: FastifyRequest, o: OrderRow, conditions: { id: string; kind: string; wording: string; detail: unknown }[]) {
  const kinds = await orderKinds(req.server.db);
  const detail = can(req.actor!.roles, 'order.detail');
  return {
    id: o.id,
    kind: o.kind_code,
    title: orderName(kinds, o),
    court: o.court,
    caseReference: o.case_reference,
    madeOn: o.made_on,
    inForceFrom: o.in_force_from,
    until: o.until,
    lastDay: lastDay(o),
    interim: o.interim,
    applyingAgency: { id: o.applying_agency_id, name: o.applying_agency },
    leadOfficer: { name: o.lead_officer_name, contact: o.lead_officer_contact },
    ...(detail ? { conditions: conditions.map((c) => ({ id: c.id, kind: c.kind, wording: c.wording, facts: c.detail as ConditionDetail })) } : {}),
    version: o.version,
  };
}
