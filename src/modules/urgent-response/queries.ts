// Urgent responses in SQL. Every read goes through `visibleTo`: coordinators
// and panel chairs see their agency's, a caseworker the ones they own.
import { readable } from '../governance/breakGlass.ts';
import { sql, type ExpressionBuilder, type Insertable, type Kysely, type SelectQueryBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { NO_USER, type RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { ageAt } from '../../platform/time.ts';
import { CONTACT_MADE_HOURS, CUSTODY_NOTIFICATION_HOURS, DEFAULT_DUE_SOON_HOURS, FIRST_ATTEMPT_HOURS, PROFESSIONAL_CONTACT_HOURS, computeClocks, type Clock, type ClockFacts } from './clocks.ts';
import { ELIGIBLE_ROLES, UNDER_AGE, sourceOf, type AttemptInput } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

export function visibleTo(actor: Pick<RequestActor, 'agencyId' | 'userId' | 'roles'>) {
  return (eb: ExpressionBuilder<DB, 'urgent_response'>) => {
    const own = eb('urgent_response.owner_id', '=', actor.userId ?? NO_USER);
    return can(actor.roles, 'urgent_response.read_all') ? eb.or([own, eb('urgent_response.agency_id', '=', actor.agencyId)]) : own;
  };
}

/** The moments that stop the clocks, gathered from the contact attempts. */
export function clockFactColumns(eb: ExpressionBuilder<DB, 'urgent_response'>) {
  const attempts = (where: (q: ExpressionBuilder<DB, 'contact_attempt'>) => ReturnType<ExpressionBuilder<DB, 'contact_attempt'>['and']>) =>
    eb.selectFrom('contact_attempt').select((e) => e.fn.min('contact_attempt.attempted_at').as('at')).whereRef('contact_attempt.urgent_response_id', '=', 'urgent_response.id').where(where);
  return [
    attempts((q) => q.and([])).as('first_attempt_at'),
    attempts((q) => q.and([q('contact_attempt.outcome', '=', 'reached'), q('contact_attempt.with_whom', 'in', ['young_person', 'parent_carer'])])).as('contact_made_at'),
    attempts((q) => q.and([q('contact_attempt.outcome', '=', 'reached'), q('contact_attempt.with_whom', '=', 'professional')])).as('professional_contact_at'),
  ];
}

export function clocksOf(row: { notified_at: Date; custody_booked_at: Date | null; custody_notified_at: Date | null; first_attempt_at: Date | null; contact_made_at: Date | null; professional_contact_at: Date | null; closed_at?: Date | null }, now: Date): Clock[] {
  const facts: ClockFacts = {
    notifiedAt: new Date(row.notified_at),
    custodyBookedAt: row.custody_booked_at && new Date(row.custody_booked_at),
    custodyNotifiedAt: row.custody_notified_at && new Date(row.custody_notified_at),
    firstAttemptAt: row.first_attempt_at && new Date(row.first_attempt_at),
    contactMadeAt: row.contact_made_at && new Date(row.contact_made_at),
    professionalContactAt: row.professional_contact_at && new Date(row.professional_contact_at),
    closedAt: row.closed_at ? new Date(row.closed_at) : null,
  };
  return computeClocks(facts, now);
}

export function responseQuery(db: Db) {
  return db
    .selectFrom('urgent_response')
    .innerJoin('person', 'person.id', 'urgent_response.person_id')
    .leftJoin('app_user as owner', 'owner.id', 'urgent_response.owner_id')
    .selectAll('urgent_response')
    .select(['person.given_name', 'person.family_name', 'person.date_of_birth', 'person.postcode', 'owner.display_name as owner_name'])
    .select((eb) => clockFactColumns(eb));
}
export type ResponseRow = Awaited<ReturnType<ReturnType<typeof responseQuery>['execute']>>[number];

/** The urgent response if the actor may see it. */
export async function findResponse(db: Db, actor: RequestActor, id: string) {
  return responseQuery(db).where('urgent_response.id', '=', id).where(visibleTo(actor)).executeTakeFirst();
}

/** To read it: the urgent response if the actor may see it, or else under an open emergency-access grant of theirs (then with the grant). */
export async function readableResponse(db: Db, actor: RequestActor, id: string) {
  const found = await readable(db, actor, 'urgent_response', id, { own: () => findResponse(db, actor, id), any: () => responseQuery(db).where('urgent_response.id', '=', id).executeTakeFirst() });
  return found && { response: found.record, grant: found.grant };
}

/**
 * The next unmet clock's due time, in SQL, from the same hours as clocks.ts.
 * The earliest unmet clock is always the most urgent one (a breached clock
 * is due before any clock still running), so ordering by it is ordering by
 * urgency, and the list can be paged and counted in the database.
 */
function nextDueSql() {
  const h = (n: number) => sql.lit(`${n} hours`);
  return sql<Date | null>`LEAST(
    CASE WHEN facts.custody_booked_at IS NOT NULL AND facts.custody_notified_at IS NULL THEN facts.custody_booked_at + ${h(CUSTODY_NOTIFICATION_HOURS)}::interval END,
    CASE WHEN facts.first_attempt_at IS NULL THEN facts.notified_at + ${h(FIRST_ATTEMPT_HOURS)}::interval END,
    CASE WHEN facts.contact_made_at IS NULL THEN facts.notified_at + ${h(CONTACT_MADE_HOURS)}::interval END,
    CASE WHEN facts.professional_contact_at IS NULL THEN facts.notified_at + ${h(PROFESSIONAL_CONTACT_HOURS)}::interval END)`;
}

export type UrgencyState = 'breached' | 'due_soon' | 'due';

type ResponseFilters = { source?: string; ownerId?: string; state?: UrgencyState };

/** Open responses the actor may see, narrowed by the list's filters. */
function openFiltered(actor: RequestActor, filters: ResponseFilters) {
  return (eb: ExpressionBuilder<DB, 'urgent_response'>) => {
    const where = [eb('urgent_response.status', '=', 'open'), visibleTo(actor)(eb)];
    if (filters.source) where.push(eb('urgent_response.source', '=', filters.source));
    if (filters.ownerId === 'none') where.push(eb('urgent_response.owner_id', 'is', null));
    else if (filters.ownerId) where.push(eb('urgent_response.owner_id', '=', filters.ownerId));
    return eb.and(where);
  };
}

/**
 * Each response's next due time, worked out once per response: `ranked` is
 * materialised, since PostgreSQL would otherwise copy the expression (and the
 * contact-attempt lookups inside it) into every branch of the state's CASE.
 */
function ranked<F extends { notified_at: Date; custody_booked_at: Date | null; custody_notified_at: Date | null; first_attempt_at: Date | null; contact_made_at: Date | null; professional_contact_at: Date | null }>(db: Db, facts: SelectQueryBuilder<DB, 'urgent_response', F>, now: Date) {
  const soon = new Date(now.getTime() + DEFAULT_DUE_SOON_HOURS * 3_600_000);
  const withState = db.with('facts', () => facts).with((cte) => cte('ranked').materialized(), (qc) => qc.selectFrom('facts').selectAll('facts').select(nextDueSql().as('next_due')));
  const stateOf = sql<string>`CASE WHEN ranked.next_due IS NULL THEN 'met' WHEN ranked.next_due < ${now} THEN 'breached' WHEN ranked.next_due < ${soon} THEN 'due_soon' ELSE 'due' END`;
  return { withState, stateOf };
}

/**
 * How many open responses the actor may see are breached, due soon and due,
 * how many have nobody assigned, and how many in all (the list, the home
 * page, the menu's badge on every page): from the responses and their
 * attempts alone, without the person and owner.
 */
export async function clockCounts(db: Db, actor: RequestActor, filters: ResponseFilters, now: Date): Promise<Record<UrgencyState | 'all' | 'unassigned', number>> {
  const facts = db
    .selectFrom('urgent_response')
    .select(['urgent_response.notified_at', 'urgent_response.custody_booked_at', 'urgent_response.custody_notified_at', 'urgent_response.owner_id'])
    .select((eb) => clockFactColumns(eb))
    .where(openFiltered(actor, filters));
  const { withState, stateOf } = ranked(db, facts, now);
  const rows = await withState
    .selectFrom('ranked')
    .select([stateOf.as('state'), (eb) => eb.fn.countAll<number>().as('n'), sql<number>`count(*) FILTER (WHERE ranked.owner_id IS NULL)`.as('unassigned')])
    .groupBy(sql`1`)
    .execute();
  const count = Object.fromEntries(rows.map((c) => [c.state, Number(c.n)]));
  const sum = (pick: (c: (typeof rows)[number]) => number) => rows.reduce((n, c) => n + Number(pick(c)), 0);
  return { breached: count.breached ?? 0, due_soon: count.due_soon ?? 0, due: count.due ?? 0, all: sum((c) => c.n), unassigned: sum((c) => c.unassigned) };
}

/**
 * One page of open urgent responses, most urgent first, and how many are
 * breached, due soon and due: counted here unless the counts for the same
 * filters are already `known` (the menu's badge counted them this request).
 */
export async function openResponses(db: Db, actor: RequestActor, filters: ResponseFilters, page: { limit: number; offset: number }, now: Date, known?: Awaited<ReturnType<typeof clockCounts>>) {
  const { withState, stateOf } = ranked(db, responseQuery(db).where(openFiltered(actor, filters)), now);
  let rows = withState.selectFrom('ranked').selectAll('ranked');
  if (filters.state) rows = rows.where(stateOf, '=', filters.state);
  const [items, counts] = await Promise.all([
    rows.orderBy(sql`ranked.next_due`, (ob) => ob.asc().nullsLast()).orderBy('ranked.notified_at').orderBy('ranked.id').limit(page.limit).offset(page.offset).execute(),
    known ?? clockCounts(db, actor, { ...filters, state: undefined }, now),
  ]);
  return { items, counts, total: counts[filters.state ?? 'all'] };
}

export async function attemptsOf(db: Db, id: string) {
  return db
    .selectFrom('contact_attempt')
    .leftJoin('app_user', 'app_user.id', 'contact_attempt.recorded_by')
    .selectAll('contact_attempt')
    .select('app_user.display_name as recorded_by_name')
    .where('urgent_response_id', '=', id)
    .orderBy('attempted_at')
    .execute();
}

export async function incidentsOf(db: Db, id: string) {
  return db
    .selectFrom('urgent_response_incident')
    .innerJoin('incident', 'incident.id', 'urgent_response_incident.incident_id')
    .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
    .innerJoin('involvement', (join) => join.onRef('involvement.incident_id', '=', 'incident.id'))
    .innerJoin('urgent_response', (join) => join.onRef('urgent_response.id', '=', 'urgent_response_incident.urgent_response_id').onRef('urgent_response.person_id', '=', 'involvement.person_id'))
    .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident.notified_at', 'incident_type.label as type_label', 'involvement.role', 'incident.place_description'])
    .where('urgent_response_incident.urgent_response_id', '=', id)
    .orderBy('incident.occurred_at')
    .execute();
}

export interface Opener {
  userId: string | null;
  /** How it came: from an incident (the default), or a partner system's call. */
  how?: string;
}

/**
 * Issue 3, opening: every person involved in the incident as victim, suspect
 * or associate, under 25 at the time, gets an urgent response, unless one is
 * open for them already, in which case the incident is linked to it.
 * Returns the urgent responses opened or linked.
 */
export async function openForIncident(trx: Transaction<DB>, incidentId: string, by: Opener): Promise<Opening[]> {
  return openForIncidents(trx, [incidentId], by);
}

export interface Opening {
  id: string;
  personId: string;
  incidentId: string;
  opened: boolean;
}

/**
 * The same rule for many incidents at once, in a handful of statements
 * whatever their number (a first start's demo year, a partner's batch):
 * taken in the order they were notified, so a person's first incident opens
 * their response and the later ones link to it.
 */
export async function openForIncidents(trx: Transaction<DB>, incidentIds: readonly string[], by: Opener): Promise<Opening[]> {
  if (!incidentIds.length) return [];
  const incidents = await trx
    .selectFrom('incident')
    .innerJoin('agency as source', 'source.id', 'incident.source_agency_id')
    .select(['incident.id', 'incident.agency_id', 'incident.occurred_at', 'incident.notified_at', 'incident.type_code', 'source.kind as source_kind'])
    .where('incident.id', 'in', incidentIds)
    .orderBy('incident.notified_at')
    .orderBy('incident.id')
    .execute();
  const involved = await trx
    .selectFrom('involvement')
    .innerJoin('person', 'person.id', 'involvement.person_id')
    .select(['involvement.incident_id', 'person.id', 'person.date_of_birth'])
    .where('involvement.incident_id', 'in', incidentIds)
    .where('involvement.role', 'in', [...ELIGIBLE_ROLES])
    .execute();
  const pairs = incidents.flatMap((incident) => {
    const people = involved.filter((p) => p.incident_id === incident.id && (ageAt(p.date_of_birth, incident.occurred_at) ?? Infinity) < UNDER_AGE);
    return [...new Set(people.map((p) => p.id))].map((personId) => ({ incident, personId }));
  });
  if (!pairs.length) return [];
  const agencies = await coordinatingAgencies(trx, [...new Map(pairs.map((p) => [p.incident.id, p.incident])).values()]);
  return openOrLink(
    trx,
    pairs.map(({ incident, personId }) => ({
      incidentId: incident.id,
      values: { person_id: personId, agency_id: agencies.get(incident.id)!, source: sourceOf(incident), notified_at: incident.notified_at, opened_by: by.userId, opened_how: by.how ?? 'incident' },
    })),
  );
}

type Opened = Omit<Insertable<DB['urgent_response']>, 'reference'>;

/**
 * Opens an urgent response for each person without one open (from their
 * first incident in the list) and links every incident to its person's open
 * response, in four statements however long the list.
 */
async function openOrLink(trx: Transaction<DB>, wanted: { incidentId: string; values: Opened }[]): Promise<Opening[]> {
  const openNow = new Map(
    (await trx.selectFrom('urgent_response').select(['id', 'person_id']).where('person_id', 'in', [...new Set(wanted.map((w) => w.values.person_id))]).where('status', '=', 'open').execute()).map((r) => [r.person_id, r.id]),
  );
  const toOpen = new Map<string, (typeof wanted)[number]>();
  for (const w of wanted) if (!openNow.has(w.values.person_id) && !toOpen.has(w.values.person_id)) toOpen.set(w.values.person_id, w);
  const opened = new Set<string>();
  if (toOpen.size) {
    const rows = await trx
      .insertInto('urgent_response')
      .values([...toOpen.values()].map((w) => ({ ...w.values, reference: sql<string>`'UR-' || lpad(nextval('urgent_response_reference_seq')::text, 6, '0')` })))
      // Another transaction may have opened one meanwhile: theirs stands and the incident links to it.
      // The partial index's predicate as a literal: as a parameter, a prepared statement's generic plan
      // (db/prepared.ts) could not match it to the index and PostgreSQL refuses the ON CONFLICT.
      .onConflict((oc) => oc.column('person_id').where(sql<boolean>`status = 'open'`).doNothing())
      .returning(['id', 'person_id'])
      .execute();
    for (const row of rows) {
      openNow.set(row.person_id, row.id);
      opened.add(row.id);
    }
    const raced = [...toOpen.keys()].filter((personId) => !openNow.has(personId));
    if (raced.length) {
      for (const row of await trx.selectFrom('urgent_response').select(['id', 'person_id']).where('person_id', 'in', raced).where('status', '=', 'open').execute()) openNow.set(row.person_id, row.id);
    }
  }
  const results = wanted.map((w) => {
    const id = openNow.get(w.values.person_id)!;
    // Only the incident that opened it says "opened"; the others link.
    return { id, personId: w.values.person_id, incidentId: w.incidentId, opened: opened.has(id) && toOpen.get(w.values.person_id) === w };
  });
  await trx
    .insertInto('urgent_response_incident')
    .values(results.map((r) => ({ urgent_response_id: r.id, incident_id: r.incidentId })))
    .onConflict((oc) => oc.doNothing())
    .execute();
  return results;
}

/**
 * The agency that runs each incident's response (issue 18: whatever opened
 * it, someone who can see it): an agency told of every incident that
 * recorded or shares the incident; failing that, the partnership's
 * coordinating agency, first of those told of every incident, which is then
 * told of the incident too. Only a partnership with no such agency at all
 * leaves it with the recorder.
 */
async function coordinatingAgencies(trx: Transaction<DB>, incidents: { id: string; agency_id: string }[]): Promise<Map<string, string>> {
  const told = await trx.selectFrom('agency').select('id').where('receives_incidents', '=', true).where('disabled_at', 'is', null).orderBy('name').execute();
  const shares = told.length
    ? await trx.selectFrom('incident_share').select(['incident_id', 'agency_id']).where('incident_id', 'in', incidents.map((i) => i.id)).execute()
    : [];
  const sharedWith = new Set(shares.map((s) => `${s.incident_id} ${s.agency_id}`));
  const chosen = new Map<string, string>();
  const toTell: { incident_id: string; agency_id: string }[] = [];
  for (const incident of incidents) {
    const involved = told.find((a) => a.id === incident.agency_id || sharedWith.has(`${incident.id} ${a.id}`));
    const agency = involved ?? told[0];
    if (!agency) chosen.set(incident.id, incident.agency_id);
    else chosen.set(incident.id, agency.id);
    if (agency && !involved) toTell.push({ incident_id: incident.id, agency_id: agency.id });
  }
  if (toTell.length) await trx.insertInto('incident_share').values(toTell).onConflict((oc) => oc.doNothing()).execute();
  return chosen;
}

export async function addAttempt(trx: Transaction<DB>, id: string, attempt: AttemptInput, userId: string | null) {
  await trx
    .insertInto('contact_attempt')
    .values({ urgent_response_id: id, attempted_at: attempt.attemptedAt, with_whom: attempt.withWhom, channel: attempt.channel, outcome: attempt.outcome, note: attempt.note, recorded_by: userId })
    .execute();
}

/** Workers the coordinator can assign: active caseworkers and coordinators of any agency. */
export async function assignableWorkers(db: Db) {
  return db
    .selectFrom('app_user')
    .innerJoin('agency', 'agency.id', 'app_user.agency_id')
    .select(['app_user.id', 'app_user.display_name', 'agency.name as agency_name'])
    .where('app_user.disabled_at', 'is', null)
    .where(sql<boolean>`app_user.roles && ARRAY['caseworker', 'coordinator']::text[]`)
    .orderBy('app_user.display_name')
    .execute();
}

type AuditFn = (entry: { action: string; recordType: string; recordId: string; personId: string; detail?: Record<string, unknown> }) => Promise<void>;

/** Opens or links urgent responses after an incident's people change, and audits each. */
export async function openAndAudit(trx: Transaction<DB>, audit: AuditFn, incidentId: string, userId: string | null): Promise<void> {
  for (const r of await openForIncident(trx, incidentId, { userId })) {
    await audit({ action: r.opened ? 'urgent-response.open' : 'urgent-response.link', recordType: 'urgent_response', recordId: r.id, personId: r.personId, detail: { incident: incidentId } });
  }
}

/** The open urgent responses of these people that the actor may see, by person. */
export async function openResponsesOf(db: Db, actor: RequestActor, personIds: string[]) {
  if (!personIds.length) return new Map<string, { id: string; reference: string }>();
  const rows = await db
    .selectFrom('urgent_response')
    .select(['id', 'reference', 'person_id'])
    .where('person_id', 'in', personIds)
    .where('status', '=', 'open')
    .where(visibleTo(actor))
    .execute();
  return new Map(rows.map((r) => [r.person_id, { id: r.id, reference: r.reference }]));
}

/**
 * Issue 3: the coordinator opens one by hand for someone the rules did not
 * cover (a witness at risk, a young adult), with a reason. Links the
 * incident to the one already open instead, if there is one.
 */
export async function openByHand(trx: Transaction<DB>, incidentId: string, personId: string, by: { agencyId: string; userId: string | null }, reason: string) {
  const incident = await trx
    .selectFrom('incident')
    .innerJoin('agency as source', 'source.id', 'incident.source_agency_id')
    .select(['incident.notified_at', 'incident.type_code', 'incident.agency_id', 'source.kind as source_kind'])
    .where('incident.id', '=', incidentId)
    .executeTakeFirstOrThrow();
  const agencyId = (await coordinatingAgencies(trx, [{ id: incidentId, agency_id: by.agencyId }])).get(incidentId)!;
  const [r] = await openOrLink(trx, [{ incidentId, values: { person_id: personId, agency_id: agencyId, source: sourceOf(incident), notified_at: incident.notified_at, opened_by: by.userId, opened_how: 'by hand', opened_reason: reason } }]);
  return { id: r.id, opened: r.opened };
}

/**
 * Custody booking-ins an agency reported whose young person is still waiting
 * for MASH to be told (the golden hour, clocks.ts): the reporting agency's
 * incidents with an open urgent response, booked in, MASH not yet recorded.
 */
export function awaitingMash(agencyId: string) {
  return (eb: ExpressionBuilder<DB, 'incident'>) =>
    eb.and([
      eb('incident.source_agency_id', '=', agencyId),
      eb.exists(
        eb
          .selectFrom('urgent_response_incident')
          .innerJoin('urgent_response', 'urgent_response.id', 'urgent_response_incident.urgent_response_id')
          .select(sql.lit(1).as('one'))
          .whereRef('urgent_response_incident.incident_id', '=', 'incident.id')
          .where('urgent_response.status', '=', 'open')
          .where('urgent_response.custody_booked_at', 'is not', null)
          .where('urgent_response.custody_notified_at', 'is', null),
      ),
    ]);
}
