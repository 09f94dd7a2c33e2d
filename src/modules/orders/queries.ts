// Orders in SQL: the kinds (shipped and added), recording an order with the
// reviews the law sets, its conditions, the orders in force for some people
// (what every breach check reads), and the lists.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { anyOf } from '../../db/anyOf.ts';
import type { Actor } from '../../platform/audit.ts';
import { FormErrors } from '../../platform/forms.ts';
import { addDays } from '../../platform/workingDays.ts';
import { londonToday } from '../../platform/time.ts';
import { ORDER_KINDS, reviewsDue, type OrderKind } from './kinds.ts';
import { CHECKED_KINDS, asRule, hoursADay, type ConditionDetail, type ConditionInput } from './conditions.ts';
import { checkAgainstLaw, orderTitle, type OrderInput } from './rules.ts';
import type { OrderInForce } from './breaches.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Who records: a user or an API client, always on behalf of an agency. */
export type Recorder = Actor & { agencyId: string };

/** The shipped kinds, then those an administrator added. */
export async function orderKinds(db: Db): Promise<OrderKind[]> {
  const added = await db.selectFrom('order_kind').selectAll().orderBy('label').execute();
  return [
    ...ORDER_KINDS,
    ...added.map((k) => ({ code: k.code, label: k.label, law: k.law, placeBased: k.place_based, voluntary: k.voluntary, minimumAge: k.minimum_age, limits: [], reviews: [] })),
  ];
}

export const kindLabel = (kinds: OrderKind[], code: string) => kinds.find((k) => k.code === code)?.label ?? code;
/** An order as users name it, "Knife Crime Prevention Order (interim)", from its row (columns null on an outer join's missing side). */
export const orderName = (kinds: OrderKind[], o: { kind_code: string | null; interim: boolean | null }) => orderTitle(kindLabel(kinds, o.kind_code ?? ''), Boolean(o.interim));

/** The last day an order is in force: its end date, or the day before it was ended early. */
export const lastDay = (o: { until: string | null; ended_on: string | null }) => {
  const ended = o.ended_on ? addDays(o.ended_on, -1) : null;
  return ended && (!o.until || ended < o.until) ? ended : o.until;
};

/** Orders in force on a London day: begun, not past their end, not ended early. */
export function inForceOn(day: string | RawBuilder<string>) {
  const d = typeof day === 'string' ? sql`${day}::date` : day;
  return sql<boolean>`court_order.in_force_from <= ${d} AND (court_order.until IS NULL OR court_order.until >= ${d}) AND (court_order.ended_on IS NULL OR court_order.ended_on > ${d})`;
}

/**
 * Records an order (once per submission key) with the reviews the law sets
 * for its kind and the person's age, and any the court listed. Refused with
 * field errors when the law does not allow it as entered.
 */
export async function recordOrder(trx: Transaction<DB>, by: Recorder, input: OrderInput, submissionKey: string | null): Promise<{ id: string; created: boolean } | { errors: FormErrors }> {
  const errors = new FormErrors();
  const kind = (await orderKinds(trx)).find((k) => k.code === input.kindCode);
  if (!kind) errors.add('kindCode', 'Select the kind of order');
  const person = input.personId ? await trx.selectFrom('person').select(['id', 'date_of_birth']).where('id', '=', input.personId).where('merged_into', 'is', null).executeTakeFirst() : undefined;
  if (input.personId && !person) errors.add('personId', 'There is no such person');
  if (kind && kind.placeBased !== !input.personId) errors.add('kindCode', kind.placeBased ? `A ${kind.label} is made over a place, not against a person` : `A ${kind.label} is made against a person`);
  if (kind && !errors.any) checkAgainstLaw(kind, input, person?.date_of_birth ?? null, errors);
  if (errors.any || !kind) return { errors };
  if (submissionKey) {
    const seen = await trx.selectFrom('court_order').select('id').where('agency_id', '=', by.agencyId).where('submission_key', '=', submissionKey).executeTakeFirst();
    if (seen) return { id: seen.id, created: false };
  }
  const { id } = await trx
    .insertInto('court_order')
    .values({
      kind_code: kind.code,
      person_id: input.personId,
      area: input.area ? JSON.stringify(input.area.zone) : null,
      area_label: input.area?.label ?? null,
      court: input.court,
      case_reference: input.caseReference,
      made_on: input.madeOn,
      in_force_from: input.inForceFrom,
      until: input.until,
      interim: input.interim,
      applying_agency_id: input.applyingAgencyId,
      lead_officer_id: by.userId ?? null,
      lead_officer_name: input.leadOfficerName,
      lead_officer_contact: input.leadOfficerContact,
      agency_id: by.agencyId,
      recorded_by: by.userId ?? null,
      recorded_by_client: by.apiClientId ?? null,
      submission_key: submissionKey,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const reviews = reviewsDue(kind, { effectiveFrom: input.inForceFrom, until: input.until }, person?.date_of_birth ?? null).map((r) => ({ order_id: id, due_from: r.from, due_by: r.by, why: r.why, source: r.source }));
  if (input.courtReviewOn) reviews.push({ order_id: id, due_from: input.courtReviewOn, due_by: input.courtReviewOn, why: 'Review hearing listed by the court', source: input.court });
  if (reviews.length) await trx.insertInto('order_review').values(reviews).execute();
  return { id, created: true };
}

/** Adds a condition; a curfew longer than the kind allows in a day is refused on its hours. */
export async function addCondition(trx: Transaction<DB>, by: Recorder, order: { id: string; kind_code: string }, input: ConditionInput): Promise<{ id: string } | { errors: FormErrors }> {
  const errors = new FormErrors();
  const kind = (await orderKinds(trx)).find((k) => k.code === order.kind_code);
  if (input.detail.kind === 'curfew' && kind) {
    const hours = hoursADay(input.detail.hours);
    for (const limit of kind.limits) {
      if (limit.rule === 'curfew_hours_a_day' && hours > limit.hours) errors.add('curfewFrom', `A curfew in a ${kind.label} can last no more than ${limit.hours} hours in any day (${limit.source}); these hours are ${durationWords(hours)}`);
    }
  }
  if (errors.any) return { errors };
  const { id } = await trx
    .insertInto('order_condition')
    .values({
      order_id: order.id,
      kind: input.kind,
      wording: input.wording,
      detail: JSON.stringify(input.detail),
      min_easting: input.bbox?.minE ?? null,
      min_northing: input.bbox?.minN ?? null,
      max_easting: input.bbox?.maxE ?? null,
      max_northing: input.bbox?.maxN ?? null,
      recorded_by: by.userId ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id };
}

export const fullName = (p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`;
/** 10 → "10 hours"; 8.0167 → "8 hours 1 minute". */
const durationWords = (hours: number) => {
  const minutes = Math.round(hours * 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h} hour${h === 1 ? '' : 's'}${m ? ` ${m} minute${m === 1 ? '' : 's'}` : ''}`;
};

/**
 * The orders in force on a day for these people, with the conditions a
 * machine can test, as the breach rules take them: named people by name and
 * a named group by its members as they are recorded that day.
 */
export async function ordersInForceFor(trx: Transaction<DB>, personIds: string[], day: string): Promise<OrderInForce[]> {
  if (!personIds.length) return [];
  const rows = await trx
    .selectFrom('court_order')
    .innerJoin('order_condition', 'order_condition.order_id', 'court_order.id')
    .select(['court_order.id', 'court_order.person_id', 'court_order.kind_code', 'court_order.interim', 'court_order.in_force_from', 'court_order.until', 'court_order.ended_on', 'order_condition.id as condition_id', 'order_condition.detail'])
    .where('court_order.person_id', '=', anyOf(personIds))
    .where(inForceOn(day))
    .where('order_condition.removed_at', 'is', null)
    .where('order_condition.kind', 'in', [...CHECKED_KINDS])
    .execute();
  if (!rows.length) return [];
  const details = rows.map((r) => r.detail as unknown as ConditionDetail);
  const groupIds = [...new Set(details.flatMap((d) => (d.kind === 'non_association' ? d.groupIds : [])))];
  const members = groupIds.length
    ? await trx
        .selectFrom('association')
        .select(['group_id', 'person_id'])
        .where('kind', '=', 'membership')
        .where('group_id', 'in', groupIds)
        .where('removed_at', 'is', null)
        .where('valid_from', '<=', day)
        .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', day)]))
        .execute()
    : [];
  const groupMembers = new Map<string, string[]>();
  for (const m of members) groupMembers.set(m.group_id!, [...(groupMembers.get(m.group_id!) ?? []), m.person_id!]);
  const named = [...new Set([...details.flatMap((d) => (d.kind === 'non_association' ? d.personIds : [])), ...members.map((m) => m.person_id!)])];
  // A person named in a condition whose record was later merged is the kept record now (a merge moves their incidents and links there).
  const people = named.length
    ? await trx.selectFrom('person as p').leftJoin('person as kept', 'kept.id', 'p.merged_into').select(['p.id', 'p.merged_into', 'p.given_name', 'p.family_name', 'kept.given_name as kept_given', 'kept.family_name as kept_family']).where('p.id', 'in', named).execute()
    : [];
  const keptId = new Map(people.map((p) => [p.id, p.merged_into ?? p.id]));
  const names = new Map(people.map((p) => [p.merged_into ?? p.id, p.merged_into ? fullName({ given_name: p.kept_given!, family_name: p.kept_family! }) : fullName(p)]));
  details.forEach((d, i) => {
    if (d.kind === 'non_association') details[i] = { ...d, personIds: d.personIds.map((id) => keptId.get(id) ?? id) };
  });
  const groupNames = new Map((groupIds.length ? await trx.selectFrom('network_group').select(['id', 'name']).where('id', 'in', groupIds).execute() : []).map((g) => [g.id, g.name]));
  // The shipped kinds name almost every order; the table is read only for one an administrator added.
  const kinds = rows.every((r) => ORDER_KINDS.some((k) => k.code === r.kind_code)) ? ORDER_KINDS : await orderKinds(trx);
  const orders = new Map<string, OrderInForce>();
  rows.forEach((r, i) => {
    const order = orders.get(r.id) ?? { id: r.id, personId: r.person_id!, title: orderName(kinds, r), inForceFrom: r.in_force_from, until: lastDay(r), conditions: [] };
    order.conditions.push(asRule(r.condition_id, details[i], names, groupMembers, groupNames));
    orders.set(r.id, order);
  });
  return [...orders.values()];
}

/** One order with its agency names, for its page and the API. */
export function orderQuery(db: Db) {
  return db
    .selectFrom('court_order')
    .innerJoin('agency as applying', 'applying.id', 'court_order.applying_agency_id')
    .innerJoin('agency as recording', 'recording.id', 'court_order.agency_id')
    .leftJoin('person', 'person.id', 'court_order.person_id')
    .selectAll('court_order')
    .select(['applying.name as applying_agency', 'recording.name as recording_agency', 'person.given_name', 'person.family_name', 'person.date_of_birth']);
}
export type OrderRow = NonNullable<Awaited<ReturnType<ReturnType<typeof orderQuery>['executeTakeFirst']>>>;

export function conditionsOf(db: Db, orderId: string) {
  return db.selectFrom('order_condition').selectAll().where('order_id', '=', orderId).where('removed_at', 'is', null).orderBy('recorded_at').execute();
}

export function reviewsOf(db: Db, orderId: string) {
  return db.selectFrom('order_review').selectAll().where('order_id', '=', orderId).orderBy('due_by').execute();
}

/** Possible breaches, newest first: of one order, or every one waiting for a decision. */
export function breachQuery(db: Db) {
  return db
    .selectFrom('possible_breach')
    .innerJoin('court_order', 'court_order.id', 'possible_breach.order_id')
    .innerJoin('person', 'person.id', 'possible_breach.person_id')
    .leftJoin('incident', 'incident.id', 'possible_breach.incident_id')
    .leftJoin('app_user as decider', 'decider.id', 'possible_breach.decided_by')
    .selectAll('possible_breach')
    .select(['court_order.kind_code', 'court_order.interim', 'court_order.lead_officer_id', 'court_order.lead_officer_name', 'court_order.applying_agency_id', 'court_order.agency_id as order_agency_id', 'person.given_name', 'person.family_name', 'incident.reference as incident_reference', 'decider.display_name as decided_by_name'])
    .orderBy('possible_breach.raised_at', 'desc');
}
export type BreachRow = Awaited<ReturnType<ReturnType<typeof breachQuery>['execute']>>[number];

/** The lists: orders in force (by kind), reviews due in the next 30 days or overdue, orders ending in the next 30 days. */
export async function orderLists(db: Db, today = londonToday()) {
  const soon = addDays(today, 30);
  const base = () => orderQuery(db).where(inForceOn(today));
  const [inForce, reviews, ending, waiting] = await Promise.all([
    base().orderBy('court_order.kind_code').orderBy('court_order.in_force_from', 'desc').execute(),
    db
      .selectFrom('order_review')
      .innerJoin('court_order', 'court_order.id', 'order_review.order_id')
      .leftJoin('person', 'person.id', 'court_order.person_id')
      .select(['order_review.id', 'order_review.due_from', 'order_review.due_by', 'order_review.why', 'court_order.id as order_id', 'court_order.kind_code', 'court_order.interim', 'court_order.area_label', 'court_order.person_id', 'person.given_name', 'person.family_name'])
      .where('order_review.held_on', 'is', null)
      .where('order_review.due_from', '<=', soon)
      .where(inForceOn(today))
      .orderBy('order_review.due_by')
      .execute(),
    base().where('court_order.until', '<=', soon).orderBy('court_order.until').execute(),
    // A breach raised while an order was in force waits for its decision even after the order ends.
    breachQuery(db).where('possible_breach.decision', 'is', null).execute(),
  ]);
  return { inForce, reviews, ending, waiting };
}

/** A person's orders (in force and past) for their record. */
export function ordersOfPerson(db: Db, personId: string) {
  return orderQuery(db).where('court_order.person_id', '=', personId).orderBy('court_order.in_force_from', 'desc').execute();
}

/** A person's orders as their record lists them: what, when, state and whom to contact. */
export async function personOrders(db: Db, personId: string, today = londonToday()) {
  const [orders, kinds] = await Promise.all([ordersOfPerson(db, personId), orderKinds(db)]);
  return orders.map((o) => {
    const last = lastDay(o);
    return { id: o.id, title: orderName(kinds, o), from: o.in_force_from, last, inForce: o.in_force_from <= today && (!last || last >= today), contact: `${o.lead_officer_name} (${o.applying_agency}): ${o.lead_officer_contact}` };
  });
}

/** Who decides a possible breach: the police or enforcement officers of the agency that applied for the order or recorded it. */
export const decidesFor = (actor: { agencyId: string }, b: { applying_agency_id: string; order_agency_id: string }) => b.applying_agency_id === actor.agencyId || b.order_agency_id === actor.agencyId;
