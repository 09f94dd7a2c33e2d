// The breach checks (issue 19): called inside the transaction of every
// entrance that records or changes an incident's facts or people, and of
// every link between two people or membership of a group (incidents/queries.ts
// and network/queries.ts call these, so a page, the API, an import and the
// custody feed cannot skip them). The machine raises a possible breach with
// its evidence; the order's lead officer and the coordinators of the agency
// that applied for it are told (the outbox, and GOV.UK Notify when it is
// configured); a person decides.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAudits, type Actor } from '../../platform/audit.ts';
import { londonToday } from '../../platform/time.ts';
import { breachesOfIncident, breachesOfLink, breachesOfMembership, type PossibleBreach } from './breaches.ts';
import { fullName, inForceOn, ordersInForceFor } from './queries.ts';
import { PERSON_LINK_TYPES } from '../network/rules.ts';

/** Tests every order in force for the people in an incident, as it now stands. Returns how many possible breaches were new. */
export async function checkIncident(trx: Transaction<DB>, by: Actor, incidentId: string): Promise<number> {
  const rows = await trx
    .selectFrom('incident')
    .leftJoin('involvement', 'involvement.incident_id', 'incident.id')
    .leftJoin('person', 'person.id', 'involvement.person_id')
    .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident.easting', 'incident.northing', 'incident.borough_code', 'incident.weapon', 'involvement.person_id', 'involvement.role', 'person.given_name', 'person.family_name'])
    // Whether anyone in it has an order in force that day: most incidents stop here, after one statement.
    .select((eb) =>
      eb
        .exists(eb.selectFrom('court_order').select('court_order.id').whereRef('court_order.person_id', '=', 'involvement.person_id').where(inForceOn(sql<string>`(incident.occurred_at AT TIME ZONE 'Europe/London')::date`)))
        .as('ordered'),
    )
    .where('incident.id', '=', incidentId)
    .execute();
  const people = rows.filter((r) => r.person_id).map((r) => ({ personId: r.person_id!, role: r.role!, name: fullName({ given_name: r.given_name!, family_name: r.family_name! }) }));
  if (!rows.some((r) => r.ordered)) return 0;
  const i = rows[0];
  const occurredAt = new Date(i.occurred_at);
  const orders = await ordersInForceFor(trx, [...new Set(people.map((p) => p.personId))], londonToday(occurredAt));
  if (!orders.length) return 0;
  const found = breachesOfIncident(
    { id: i.id, reference: i.reference, occurredAt, weapon: i.weapon, people, place: i.easting !== null && i.northing !== null ? { easting: i.easting, northing: i.northing, boroughCode: i.borough_code } : null },
    orders,
  );
  return raise(trx, by, found, { incident_id: incidentId, association_id: null });
}

/** Tests a link just recorded: between two people, or a person's membership of a group. Other links raise nothing. */
export async function checkLink(trx: Transaction<DB>, by: Actor, associationId: string): Promise<number> {
  const link = await trx.selectFrom('association').select(['kind', 'link_type', 'person_id', 'other_person_id', 'group_id']).where('id', '=', associationId).executeTakeFirstOrThrow();
  const on = new Date();
  const day = londonToday(on);
  let found: PossibleBreach[] = [];
  if (link.kind === 'person_person') {
    const pair = await trx.selectFrom('person').select(['id', 'given_name', 'family_name']).where('id', 'in', [link.person_id!, link.other_person_id!]).execute();
    const named = (id: string) => ({ id, name: fullName(pair.find((p) => p.id === id)!) });
    const orders = await ordersInForceFor(trx, [link.person_id!, link.other_person_id!], day);
    const what = `${(PERSON_LINK_TYPES[link.link_type as keyof typeof PERSON_LINK_TYPES] ?? link.link_type).toLowerCase()} link`;
    found = breachesOfLink({ a: named(link.person_id!), b: named(link.other_person_id!), what, on }, orders);
  } else if (link.kind === 'membership') {
    const members = await trx
      .selectFrom('association')
      .innerJoin('person', 'person.id', 'association.person_id')
      .select(['person.id', 'person.given_name', 'person.family_name'])
      .where('association.kind', '=', 'membership')
      .where('association.group_id', '=', link.group_id!)
      .where('association.removed_at', 'is', null)
      .where((eb) => eb.or([eb('association.valid_to', 'is', null), eb('association.valid_to', '>=', day)]))
      .execute();
    const group = await trx.selectFrom('network_group').select(['id', 'name']).where('id', '=', link.group_id!).executeTakeFirstOrThrow();
    const everyone = members.map((m) => ({ id: m.id, name: fullName(m) }));
    const person = everyone.find((m) => m.id === link.person_id) ?? { id: link.person_id!, name: 'the new member' };
    const orders = await ordersInForceFor(trx, [...new Set(everyone.map((m) => m.id).concat(person.id))], day);
    found = breachesOfMembership({ person, group, members: everyone, on }, orders);
  }
  return raise(trx, by, found, { incident_id: null, association_id: associationId });
}

/**
 * Keeps each possible breach once (a check run again finds the same ones
 * and adds nothing), tells the lead officer and the applying agency's
 * coordinators of each new one, and audits it, in the caller's transaction.
 */
async function raise(trx: Transaction<DB>, by: Actor, found: PossibleBreach[], trigger: { incident_id: string | null; association_id: string | null }): Promise<number> {
  if (!found.length) return 0;
  const inserted = await trx
    .insertInto('possible_breach')
    .values(found.map((b) => ({ order_id: b.orderId, condition_id: b.conditionId, person_id: b.personId, with_person_id: b.withPersonId ?? null, evidence: b.evidence, ...trigger })))
    .onConflict((oc) => oc.expression(sql`condition_id, person_id, coalesce(incident_id, association_id), coalesce(with_person_id, '00000000-0000-0000-0000-000000000000'::uuid)`).doNothing())
    .returning(['id', 'order_id', 'person_id'])
    .execute();
  if (!inserted.length) return 0;
  // Each order's lead officer and the coordinators of the agency that applied for it, in one statement.
  const orders = await trx
    .selectFrom('court_order')
    .select((eb) => [
      'court_order.id',
      'court_order.lead_officer_id',
      eb.fn
        .coalesce(
          eb
            .selectFrom('app_user')
            .select(sql<string[]>`array_agg(app_user.id)`.as('ids'))
            .whereRef('app_user.agency_id', '=', 'court_order.applying_agency_id')
            .where('app_user.disabled_at', 'is', null)
            .where(sql<boolean>`'coordinator' = ANY(app_user.roles)`),
          sql<string[]>`'{}'::uuid[]`,
        )
        .as('coordinators'),
    ])
    .where('court_order.id', 'in', [...new Set(inserted.map((b) => b.order_id))])
    .execute();
  const notifications = inserted.flatMap((b) => {
    const order = orders.find((o) => o.id === b.order_id)!;
    const to = new Set([...(order.lead_officer_id ? [order.lead_officer_id] : []), ...order.coordinators]);
    return [...to].map((recipient_id) => ({ possible_breach_id: b.id, clock: 'order', event: 'possible_breach', recipient_id }));
  });
  if (notifications.length) await trx.insertInto('notification').values(notifications).execute();
  await recordAudits(
    trx,
    by,
    inserted.map((b) => ({ action: 'order.breach-raised', recordType: 'possible_breach', recordId: b.id, personId: b.person_id, detail: { order: b.order_id, ...(trigger.incident_id ? { incident: trigger.incident_id } : { link: trigger.association_id }) } })),
  );
  return inserted.length;
}
