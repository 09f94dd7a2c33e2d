// Orders and sanctions pages (issue 19): the lists, recording an order
// against a person (or a place-based power over a place), an order's page
// with its conditions and reviews, deciding a possible breach, and the kinds
// an administrator adds. Those who enforce orders (police, council
// enforcement) see conditions and breaches; everyone else who works with the
// person sees that an order exists and whom to contact. Only the recording
// agency changes an order: for any other its change routes answer as missing.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { actorOf, declareRoute, transact, type Auditor } from '../../platform/routes.ts';
import { FormErrors, choice, dateParts, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { STALE, claimVersion, orStale, staleError, versionRead } from '../../platform/versions.ts';
import { notFound } from '../../platform/errors.ts';
import { can } from '../../platform/permissions.ts';
import { ageAt, londonToday } from '../../platform/time.ts';
import { londonBoroughs } from '../../analysis/geography.ts';
import { auditedSearch } from '../people/candidates.ts';
import { readSearchTerms } from '../people/forms.ts';
import { personNamer } from '../people/naming.ts';
import { CONDITION_KINDS, NOT_CHECKED, CHECKED_KINDS, WEEKDAYS, ZONE_SHAPES, MAX_ZONE_POINTS, hoursWords, readCondition, readZone, type ConditionChoices, type ConditionDetail } from './conditions.ts';
import { BREACH_ACTIONS, END_REASONS, readOrder, type OrderInput } from './rules.ts';
import { addCondition, breachQuery, conditionsOf, decidesFor, inForceOn, lastDay, orderKinds, orderName, orderLists, orderQuery, recordOrder, reviewsOf, type OrderRow } from './queries.ts';
import { decideBreach, endOrder, holdReview, readDecision } from './decisions.ts';
import { drawingMap, ordersOnMap, zoneMap } from './map.ts';

const DATE_FIELDS = ['madeOn', 'inForceFrom', 'until', 'courtReviewOn'];
/** Errors on a date found after reading (an order of dates, the law's term) go on the date input's first box. */
const onForm = (errors: FormErrors) => {
  const mapped = new FormErrors();
  for (const [field, message] of Object.entries(errors.messages)) mapped.add(DATE_FIELDS.includes(field) ? `${field}-day` : field, message);
  return mapped;
};

const labels = { conditionKinds: CONDITION_KINDS, weekdays: WEEKDAYS, zoneShapes: ZONE_SHAPES, breachActions: BREACH_ACTIONS, endReasons: END_REASONS, maxZonePoints: MAX_ZONE_POINTS };

export function registerOrders(app: FastifyInstance): void {
  const agencies = () => app.db.selectFrom('agency').select(['id', 'name']).where('disabled_at', 'is', null).orderBy('name').execute();

  declareRoute(app, {
    method: 'GET',
    url: '/orders',
    access: 'order.read',
    audit: 'order.view',
    handler: async (req, reply) => {
      const detail = can(req.actor!.roles, 'order.detail');
      const name = await personNamer(req);
      const [lists, kinds] = await Promise.all([orderLists(app.db), orderKinds(app.db)]);
      const waiting = detail ? lists.waiting : [];
      const people = new Set([...lists.inForce, ...lists.ending].map((o) => o.person_id).filter(Boolean).concat(waiting.map((b) => b.person_id)));
      await transact(req, (_trx, audit) => audit({ recordType: 'order', detail: { list: true, people: people.size } }));
      const who = (o: { person_id: string | null; given_name: string | null; family_name: string | null; area_label?: string | null }) => (o.person_id ? name({ id: o.person_id, given_name: o.given_name!, family_name: o.family_name! }) : (o.area_label ?? 'A place'));
          const byKind = kinds.map((k) => ({ kind: k, orders: lists.inForce.filter((o) => o.kind_code === k.code).map((o) => ({ ...o, who: who(o), last: lastDay(o) })) })).filter((g) => g.orders.length);
      return reply.page('orders/views/list.njk', {
        byKind,
        reviews: lists.reviews.map((r) => ({ ...r, who: who(r), title: orderName(kinds, r) })),
        ending: lists.ending.map((o) => ({ ...o, who: who(o), title: orderName(kinds, o) })),
        waiting: waiting.map((b) => ({ ...b, who: name({ id: b.person_id, given_name: b.given_name, family_name: b.family_name }), title: orderName(kinds, b) })),
        detail,
        today: londonToday(),
        canRecord: can(req.actor!.roles, 'order.record'),
      });
    },
  });

  // ---- Recording an order -------------------------------------------------
  const subjectOf = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? app.db.selectFrom('person').select(['id', 'given_name', 'family_name', 'date_of_birth']).where('id', '=', id).where('merged_into', 'is', null).executeTakeFirst() : undefined;
  };
  const newPage = async (req: FastifyRequest, reply: FastifyReply, subject: { id: string; given_name: string; family_name: string } | null, values: Body, errors?: FormErrors) => {
    const kinds = (await orderKinds(app.db)).filter((k) => k.placeBased === !subject);
    return reply.page('orders/views/new.njk', { subject: subject && { id: subject.id, name: (await personNamer(req))(subject) }, kinds, agencies: await agencies(), boroughs: londonBoroughs().map((b) => ({ code: b.code, name: b.name })), places: await placeChoices(), drawMap: subject ? null : await drawingMap(app), values, errors, ...labels });
  };
  const fresh = (req: FastifyRequest) => ({ ...dateParts('madeOn', londonToday()), ...dateParts('inForceFrom', londonToday()), applyingAgencyId: req.actor!.agencyId, leadOfficerName: req.actor!.displayName, interim: 'full', submissionKey: randomUUID() });

  declareRoute(app, {
    method: 'GET',
    url: '/people/:id/orders/new',
    access: 'order.record',
    audit: null,
    handler: async (req, reply) => {
      const subject = await subjectOf(req);
      return subject ? newPage(req, reply, subject, fresh(req)) : notFound(req, reply);
    },
  });
  declareRoute(app, { method: 'GET', url: '/orders/new-place', access: 'order.record', audit: null, handler: (req, reply) => newPage(req, reply, null, fresh(req)) });

  /** Reads the form, then the domain records it (the law's checks are there, for every entrance). */
  const record = async (req: FastifyRequest, reply: FastifyReply, subject: { id: string; given_name: string; family_name: string } | null) => {
    const body = req.body as Body;
    const errors = new FormErrors();
    const kinds = await orderKinds(app.db);
    const read = readOrder(body, errors, { kinds, agencies: (await agencies()).map((a) => a.id) }, 'form');
    let area: OrderInput['area'] = null;
    if (!subject) {
      const label = text(body, 'areaLabel', errors, { label: 'What the area is called', required: true, max: 200, missing: 'Enter what the area is called, like “Walthamstow town centre”' });
      const zone = readZone(body, errors, { places: await placeChoices() });
      if (label && zone) area = { label, zone };
    }
    if (!read || errors.any) return newPage(req, reply.code(400), subject, body, onForm(errors));
    const result = await transact(req, async (trx, audit) => {
      const result = await recordOrder(trx, { ...actorOf(req), agencyId: req.actor!.agencyId }, { ...read, personId: subject?.id ?? null, area }, isUuid(str(body, 'submissionKey')) ? str(body, 'submissionKey') : null);
      if ('id' in result && result.created) await audit({ action: 'order.record', recordType: 'order', recordId: result.id, personId: subject?.id, detail: { kind: read.kindCode } });
      return result;
    });
    if ('errors' in result) return newPage(req, reply.code(400), subject, body, onForm(result.errors));
    return reply.redirect(`/orders/${result.id}`, 303);
  };
  declareRoute(app, {
    method: 'POST',
    url: '/people/:id/orders',
    access: 'order.record',
    audit: 'order.record',
    handler: async (req, reply) => {
      const subject = await subjectOf(req);
      return subject ? record(req, reply, subject) : notFound(req, reply);
    },
  });
  declareRoute(app, { method: 'POST', url: '/orders/place', access: 'order.record', audit: 'order.record', handler: (req, reply) => record(req, reply, null) });

  // ---- An order's page ----------------------------------------------------
  const load = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? orderQuery(app.db).where('court_order.id', '=', id).executeTakeFirst() : undefined;
  };
  const placeChoices = () => app.db.selectFrom('place').select(['id', 'name', 'latitude', 'longitude']).orderBy('name').execute();

  /** The page: everything read of the person is audited in the same transaction; detail only for those who enforce orders. */
  const page = async (req: FastifyRequest, reply: FastifyReply, o: OrderRow, extra: Record<string, unknown> = {}) => {
    const actor = req.actor!;
    const detail = can(actor.roles, 'order.detail');
    const records = o.agency_id === actor.agencyId && can(actor.roles, 'order.record');
    const name = await personNamer(req);
    const kinds = await orderKinds(app.db);
    const today = londonToday();
    const { conditions, reviews, breaches, named } = await transact(req, async (trx, audit) => {
      const conditions = detail ? await conditionsOf(trx, o.id) : [];
      const reviews = await reviewsOf(trx, o.id);
      const breaches = detail ? await breachQuery(trx).where('possible_breach.order_id', '=', o.id).execute() : [];
      const ids = conditions.flatMap((c) => ((c.detail as unknown as ConditionDetail).kind === 'non_association' ? (c.detail as unknown as { personIds: string[] }).personIds : []));
      const named = ids.length ? await trx.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', 'in', ids).execute() : [];
      await audit({ recordType: 'order', recordId: o.id, personId: o.person_id, detail: { detail, conditions: conditions.length, breaches: breaches.length } });
      return { conditions, reviews, breaches, named };
    });
    const names = new Map(named.map((p) => [p.id, name(p)]));
    const groups = await app.db.selectFrom('network_group').select(['id', 'name']).orderBy('name').execute();
    const services = await app.db.selectFrom('service').select(['id', 'name']).orderBy('name').execute();
    const places = await placeChoices();
    const last = lastDay(o);
    return reply.page('orders/views/order.njk', {
      o,
      title: orderName(kinds, o),
      kind: kinds.find((k) => k.code === o.kind_code),
      subject: o.person_id ? { id: o.person_id, name: name({ id: o.person_id, given_name: o.given_name!, family_name: o.family_name! }), age: ageAt(o.date_of_birth, today) } : null,
      state: o.in_force_from > today ? 'not yet in force' : last && last < today ? 'ended' : 'in force',
      last,
      detail,
      records,
      canDecide: can(actor.roles, 'order.decide'),
      conditions: conditions.map((c) => ({ ...c, describe: describeCondition(c.detail as unknown as ConditionDetail, names, groups, services, places), checked: CHECKED_KINDS.has(c.kind) })),
      reviews,
      breaches: breaches.map((b) => ({ ...b, who: name({ id: b.person_id, given_name: b.given_name, family_name: b.family_name }) })),
      groups,
      services,
      places,
      boroughs: londonBoroughs().map((b) => ({ code: b.code, name: b.name })),
      // The condition form's map, where it shows: the recording agency, an order against a person that has not ended.
      drawMap: records && o.person_id && !(last && last < today) ? await drawingMap(app) : null,
      map: detail && conditions.some((c) => c.kind === 'exclusion_zone') ? zoneMap(app, conditions.filter((c) => c.kind === 'exclusion_zone').map((c) => ({ detail: c.detail as unknown as ConditionDetail, label: c.wording }))) : null,
      notChecked: NOT_CHECKED,
      values: {},
      today,
      ...labels,
      ...extra,
    });
  };

  declareRoute(app, {
    method: 'GET',
    url: '/orders/:id',
    access: 'order.read',
    audit: 'order.view',
    handler: async (req, reply) => {
      const o = await load(req);
      return o ? page(req, reply, o) : notFound(req, reply);
    },
  });

  /**
   * A change to an order by the agency that recorded it: read the form (or
   * the page again with its errors, 400), then save and audit in one
   * transaction, claiming the order's version the page was read at when it
   * changes what is there (409 with the user's words kept when stale).
   */
  function change(path: string, audit: string, apply: (req: FastifyRequest, o: OrderRow, body: Body, errors: FormErrors) => Promise<((trx: Transaction<DB>, audit: Auditor) => Promise<FormErrors | void>) | null | false | undefined>, anchor: string, edits?: { field: string }) {
    declareRoute(app, {
      method: 'POST',
      url: `/orders/:id/${path}`,
      access: 'order.record',
      audit,
      handler: async (req, reply) => {
        const o = await load(req);
        if (!o || o.agency_id !== req.actor!.agencyId) return notFound(req, reply);
        const body = req.body as Body;
        const errors = new FormErrors();
        const save = await apply(req, o, body, errors);
        if (!save || errors.any) return page(req, reply.code(400), o, { errors, values: body });
        const saved = await orStale(
          transact(req, async (trx, auditor) => {
            if (edits) await claimVersion(trx, 'court_order', o.id, versionRead(body));
            return save(trx, auditor);
          }),
        );
        if (saved === STALE) {
          const again = await load(req);
          if (!again) return notFound(req, reply);
          errors.add(edits?.field ?? 'summary', await staleError(app.db, { type: 'order', id: o.id, actions: ['order.end', 'order.review'] }, 'order'));
          return page(req, reply.code(409), again, { errors, values: body });
        }
        if (saved instanceof FormErrors) return page(req, reply.code(400), o, { errors: saved, values: body });
        return reply.redirect(`/orders/${o.id}#${anchor}`, 303);
      },
    });
  }

  change(
    'conditions',
    'order.condition',
    async (req, o, body, errors) => {
      const submitted = [...new Set(String(body.personIds ?? '').length ? ([] as string[]).concat(body.personIds as string[]) : [])].filter(isUuid);
      const people = new Set((submitted.length ? await app.db.selectFrom('person').select('id').where('id', 'in', submitted).where('merged_into', 'is', null).execute() : []).map((p) => p.id));
      people.delete(o.person_id ?? '');
      const known: ConditionChoices = { places: await placeChoices(), groups: await app.db.selectFrom('network_group').select(['id', 'name']).execute(), services: await app.db.selectFrom('service').select(['id', 'name']).execute(), people };
      if (!o.person_id) errors.add('conditionKind', 'A place-based power has no conditions on a person: its area is on the order');
      const input = readCondition(body, errors, known);
      return input && (async (trx, audit) => {
        const result = await addCondition(trx, { ...actorOf(req), agencyId: req.actor!.agencyId }, o, input);
        if ('errors' in result) return result.errors;
        await audit({ recordType: 'order', recordId: o.id, personId: o.person_id, detail: { condition: result.id, kind: input.kind } });
      });
    },
    'conditions',
  );

  // Finding someone the order names is a POST: names stay out of URLs and logs.
  declareRoute(app, {
    method: 'POST',
    url: '/orders/:id/conditions/search',
    access: 'order.record',
    audit: 'person.search',
    handler: async (req, reply) => {
      const o = await load(req);
      if (!o || o.agency_id !== req.actor!.agencyId) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const terms = readSearchTerms(body, errors);
      if (!terms) return page(req, reply.code(400), o, { errors, searchValues: body, values: { conditionKind: 'non_association' } });
      const name = await personNamer(req);
      const results = (await transact(req, (trx) => auditedSearch(trx, actorOf(req), terms))).filter((r) => r.id !== o.person_id);
      return page(req, reply, o, { results: results.map((r) => ({ ...r, name: name(r) })), searchValues: body, values: { conditionKind: 'non_association' } });
    },
  });

  change(
    'end',
    'order.end',
    async (req, o, body, errors) => {
      const reason = choice(body, 'endReason', errors, Object.keys(END_REASONS) as (keyof typeof END_REASONS)[], 'Select why the order ended early');
      const words = text(body, 'endWords', errors, { label: 'What happened', required: true, max: 1000, missing: 'Enter what happened, like the court’s decision' });
      if (o.ended_on) errors.add('endReason', 'This order has already been ended');
      return reason && words ? async (trx, audit) => {
        await endOrder(trx, o.id, `${END_REASONS[reason]}: ${words}`);
        await audit({ recordType: 'order', recordId: o.id, personId: o.person_id, detail: { ended: reason } });
      } : null;
    },
    'summary',
    { field: 'endReason' },
  );

  change(
    'reviews',
    'order.review',
    async (req, o, body, errors) => {
      const reviewId = str(body, 'reviewId');
      const outcome = text(body, 'outcome', errors, { label: 'The outcome', required: true, max: 1000, missing: 'Enter what the review decided' });
      const review = isUuid(reviewId) ? await app.db.selectFrom('order_review').select(['id', 'held_on']).where('id', '=', reviewId).where('order_id', '=', o.id).executeTakeFirst() : undefined;
      if (!review) errors.add('reviewId', 'Select the review that was held');
      else if (review.held_on) errors.add('reviewId', 'That review has already been recorded');
      return review && outcome ? async (trx, audit) => {
        await holdReview(trx, review.id, londonToday(), outcome);
        await audit({ recordType: 'order', recordId: o.id, personId: o.person_id, detail: { review: review.id } });
      } : null;
    },
    'reviews',
    { field: 'outcome' },
  );

  // ---- Possible breaches --------------------------------------------------
  const loadBreach = async (req: FastifyRequest) => {
    const id = (req.params as { id: string }).id;
    return isUuid(id) ? breachQuery(app.db).where('possible_breach.id', '=', id).executeTakeFirst() : undefined;
  };
  const breachPage = async (req: FastifyRequest, reply: FastifyReply, b: NonNullable<Awaited<ReturnType<typeof loadBreach>>>, extra: Record<string, unknown> = {}) => {
    const name = await personNamer(req);
    const kinds = await orderKinds(app.db);
    await transact(req, (_trx, audit) => audit({ action: 'order.view', recordType: 'possible_breach', recordId: b.id, personId: b.person_id }));
    return reply.page('orders/views/breach.njk', { b, who: name({ id: b.person_id, given_name: b.given_name, family_name: b.family_name }), title: orderName(kinds, b), canDecide: can(req.actor!.roles, 'order.decide') && decidesFor(req.actor!, b), values: {}, ...labels, ...extra });
  };
  declareRoute(app, {
    method: 'GET',
    url: '/orders/breaches/:id',
    access: 'order.detail',
    audit: 'order.view',
    handler: async (req, reply) => {
      const b = await loadBreach(req);
      return b ? breachPage(req, reply, b) : notFound(req, reply);
    },
  });
  declareRoute(app, {
    method: 'POST',
    url: '/orders/breaches/:id',
    access: 'order.decide',
    audit: 'order.decide',
    handler: async (req, reply) => {
      const b = await loadBreach(req);
      if (!b) return notFound(req, reply);
      const body = req.body as Body;
      const errors = new FormErrors();
      const decision = readDecision(body, errors);
      if (!decision) return breachPage(req, reply.code(400), b, { errors, values: body });
      const saved = await orStale(
        transact(req, async (trx, audit) => {
          const done = await decideBreach(trx, { ...actorOf(req), agencyId: req.actor!.agencyId }, b.id, versionRead(body), decision);
          if (done) await audit({ recordType: 'possible_breach', recordId: b.id, personId: b.person_id, detail: { decision: decision.decision, action: decision.action } });
          return done;
        }),
      );
      // Another agency's order's breach is not this agency's to decide: it answers as missing.
      if (saved === false) return notFound(req, reply);
      if (saved === STALE) {
        const again = await loadBreach(req);
        errors.add('decision', await staleError(app.db, { type: 'possible_breach', id: b.id, actions: ['order.decide'] }, 'decision'));
        return breachPage(req, reply.code(409), again!, { errors, values: body });
      }
      return reply.redirect(`/orders/breaches/${b.id}`, 303);
    },
  });

  declareRoute(app, {
    method: 'GET',
    url: '/orders/map',
    access: 'order.read',
    audit: 'order.view',
    handler: async (req, reply) => {
      const detail = can(req.actor!.roles, 'order.detail');
      const { areas, table } = await ordersOnMap(app.db, detail);
      // Each zone belongs to a person's order: seeing where they must not go is audited.
      if (detail && table.some((r) => !r.placeBased)) await transact(req, (_trx, audit) => audit({ recordType: 'order', detail: { map: true, zones: table.filter((r) => !r.placeBased).length } }));
      return reply.page('orders/views/map.njk', { map: table.length ? zoneMap(app, areas) : null, table, detail });
    },
  });

  // ---- Kinds an administrator adds ----------------------------------------
  const kindsPage = async (reply: FastifyReply, values: Body, errors?: FormErrors) => reply.page('orders/views/kinds.njk', { kinds: await orderKinds(app.db), values, errors });
  declareRoute(app, { method: 'GET', url: '/admin/order-kinds', access: 'order.kinds', audit: null, handler: (_req, reply) => kindsPage(reply, {}) });
  declareRoute(app, {
    method: 'POST',
    url: '/admin/order-kinds',
    access: 'order.kinds',
    audit: 'order.kind',
    handler: async (req, reply) => {
      const body = req.body as Body;
      const errors = new FormErrors();
      const label = text(body, 'label', errors, { label: 'The name', required: true, max: 100, missing: 'Enter the name of the kind of order' });
      const law = text(body, 'law', errors, { label: 'The law', required: true, max: 300, missing: 'Enter the law it is made under, or “None: a voluntary agreement”' });
      const placeBased = choice(body, 'placeBased', errors, ['person', 'place'] as const, 'Select whether it is made against a person or over a place');
      const voluntary = choice(body, 'voluntary', errors, ['yes', 'no'] as const, 'Select whether it is voluntary');
      const minAge = str(body, 'minimumAge');
      if (minAge && !/^\d{1,2}$/.test(minAge)) errors.add('minimumAge', 'The minimum age must be a whole number of years, like 10');
      const code = (label ?? '').toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 50);
      const kinds = await orderKinds(app.db);
      if (label && (!/^[a-z]/.test(code) || kinds.some((k) => k.code === code || k.label.toLowerCase() === label.toLowerCase()))) errors.add('label', 'There is already a kind of order with that name');
      if (!label || !law || !placeBased || !voluntary || errors.any) return kindsPage(reply.code(400), body, errors);
      await transact(req, async (trx, audit) => {
        await trx.insertInto('order_kind').values({ code, label, law, place_based: placeBased === 'place', voluntary: voluntary === 'yes', minimum_age: minAge ? Number(minAge) : null, created_by: req.actor!.userId }).execute();
        await audit({ recordType: 'order_kind', detail: { code } });
      });
      return reply.redirect('/admin/order-kinds', 303);
    },
  });
}

/** A condition in plain words: what the machine tests, or that it cannot. */
function describeCondition(d: ConditionDetail, names: Map<string, string>, groups: { id: string; name: string }[], services: { id: string; name: string }[], places: { id: string; name: string }[]): string {
  switch (d.kind) {
    case 'curfew':
      return `At ${d.address}, ${hoursWords(d.hours)}${d.electronicMonitoring ? ', electronically monitored' : ''}.${d.at ? '' : ' The address has no position, so Reachable cannot test it.'}`;
    case 'exclusion_zone': {
      const z = d.zone;
      const where = z.shape === 'borough' ? `the whole of ${z.name}` : z.shape === 'circle' ? `within ${z.radiusMetres} metres of ${places.find((p) => p.id === z.placeId)?.name ?? z.placeName}` : `the area drawn (${z.points.length} points)`;
      return `${d.label}: ${where}; ${d.hours ? hoursWords(d.hours) : 'at all times'}.`;
    }
    case 'non_association': {
      const people = d.personIds.map((id) => names.get(id) ?? 'a person');
      const named = d.groupIds.map((id) => `members of ${groups.find((g) => g.id === id)?.name ?? 'a group'}`);
      return `Not to associate with ${[...people, ...named].join(', ')}.`;
    }
    case 'no_bladed_article':
      return 'Not to carry a bladed article: tested when they are a suspect in an incident where one was recorded.';
    case 'reporting':
      return `Report to ${d.where}, ${d.when}.`;
    case 'positive_requirement':
      return `Attend ${services.find((s) => s.id === d.serviceId)?.name ?? 'a service'}.`;
    default:
      return '';
  }
}
