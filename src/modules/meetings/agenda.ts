// The agenda that builds itself (issue 3, items 8 and 10; issue 23). Each
// meeting type names its rules from this library (meeting_type.agenda_rules)
// with their parameters (meeting_type.rule_settings); each rule finds what
// that meeting should discuss in the agency's own records. Building again
// only adds what is new, so the chair's order and notes are never disturbed.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { formatDate, formatDateTime, londonToday } from '../../platform/time.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { clocksOf, responseQuery } from '../urgent-response/queries.ts';
import { CLOCK_LABELS } from '../urgent-response/clocks.ts';
import { breachQuery, orderKinds, orderName } from '../orders/queries.ts';
import { EXPLOITATION_RULES } from '../exploitation/agenda.ts';
import { settingsOf, type AgendaMeeting, type AgendaRule, type ItemDraft, type Window } from './agendaRule.ts';
export type { AgendaMeeting, ItemDraft, Window } from './agendaRule.ts';

const DAY = 86_400_000;
/** "People with two or more incidents in 90 days" (issue 3's defaults; each meeting type may set its own). */
export const REPEAT_INCIDENTS = 2;
export const REPEAT_WINDOW_DAYS = 90;
/** A place comes to notice with this many incidents since the last meeting, in a grid cell this wide (metres). */
export const LOCATION_INCIDENTS = 3;
export const LOCATION_CELL_METRES = 250;

const name = (r: { given_name: string; family_name: string }) => `${r.given_name} ${r.family_name}`;

const MEETING_RULES: Record<string, AgendaRule> = {
  critical_incidents: {
    label: 'Critical incidents declared (at the top)',
    // The partnership's: on every agency's meeting of this type until one has discussed it, while it is open.
    find: async (trx, m) => {
      const rows = await trx
        .selectFrom('critical_incident as ci')
        .innerJoin('incident', 'incident.id', 'ci.incident_id')
        .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
        .innerJoin('agency', 'agency.id', 'ci.agency_id')
        .select(['ci.id', 'ci.reference', 'ci.declared_at', 'incident.place_description', 'incident_type.label', 'agency.name as agency_name'])
        .where('ci.closed_at', 'is', null)
        .where('ci.declared_at', '<', m.starts_at)
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('meeting_item')
                .innerJoin('meeting', 'meeting.id', 'meeting_item.meeting_id')
                .select(sql.lit(1).as('one'))
                .whereRef('meeting_item.critical_incident_id', '=', 'ci.id')
                .where('meeting.agency_id', '=', m.agency_id)
                .where('meeting.type_code', '=', m.type_code)
                .where('meeting.id', '<>', m.id)
                .where('meeting.status', '=', 'held'),
            ),
          ),
        )
        .orderBy('ci.declared_at')
        .execute();
      return rows.map((c) => ({
        rule: 'critical_incidents',
        title: `Critical incident ${c.reference}: ${c.label}, ${c.place_description}`,
        why: `Declared ${formatDateTime(c.declared_at)}; ${c.agency_name} leads its community impact assessment`,
        critical_incident_id: c.id,
      }));
    },
  },
  referred: {
    label: 'Referred to this meeting',
    find: async (trx, m) => {
      const rows = await trx
        .selectFrom('meeting_referral')
        .leftJoin('person', 'person.id', 'meeting_referral.person_id')
        .leftJoin('urgent_response', 'urgent_response.id', 'meeting_referral.urgent_response_id')
        .leftJoin('context_assessment as ca', 'ca.id', 'meeting_referral.context_assessment_id')
        .leftJoin('network_group', 'network_group.id', 'ca.group_id')
        .leftJoin('place', 'place.id', 'ca.place_id')
        .select(['meeting_referral.id', 'meeting_referral.reason', 'meeting_referral.referred_at', 'meeting_referral.urgent_response_id', 'meeting_referral.person_id', 'person.given_name', 'person.family_name', 'urgent_response.reference', 'network_group.name as group_name', 'place.name as place_name'])
        .where('meeting_referral.agency_id', '=', m.agency_id)
        .where('meeting_referral.type_code', '=', m.type_code)
        .where('meeting_referral.referred_at', '<', m.starts_at)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('meeting_item').select(sql.lit(1).as('one')).whereRef('meeting_item.referral_id', '=', 'meeting_referral.id').where('meeting_item.meeting_id', '<>', m.id))))
        .orderBy('meeting_referral.referred_at')
        .execute();
      return rows.map((r) => ({
        rule: 'referred',
        title: r.given_name && r.family_name ? (r.reference ? `${name({ given_name: r.given_name, family_name: r.family_name })} (${r.reference})` : name({ given_name: r.given_name, family_name: r.family_name })) : `Context: ${r.group_name ?? r.place_name}`,
        why: `Referred on ${formatDateTime(r.referred_at)}: ${r.reason}`,
        referral_id: r.id,
        urgent_response_id: r.urgent_response_id ?? undefined,
        person_id: r.person_id ?? undefined,
      }));
    },
  },

  carried_forward: {
    label: 'Actions carried forward',
    find: async (trx, m) => {
      const rows = await trx
        .selectFrom('action')
        .innerJoin('meeting_item', 'meeting_item.id', 'action.meeting_item_id')
        .innerJoin('meeting', 'meeting.id', 'meeting_item.meeting_id')
        .innerJoin('agency', 'agency.id', 'action.owner_agency_id')
        .select(['action.id', 'action.reference', 'action.description', 'action.owner_name', 'action.due_on', 'agency.name as agency_name', 'meeting.starts_at', 'meeting_item.title', 'meeting_item.urgent_response_id', 'meeting_item.person_id'])
        .where('meeting.agency_id', '=', m.agency_id)
        .where('meeting.type_code', '=', m.type_code)
        .where('meeting.starts_at', '<', m.starts_at)
        .where('action.status', 'in', ['not_started', 'in_progress'])
        .orderBy('action.due_on')
        .execute();
      return rows.map((a) => ({
        rule: 'carried_forward',
        title: `Action ${a.reference}: ${a.description}`,
        why: `Not done: from the meeting on ${formatDateTime(a.starts_at)} (${a.title}); ${a.owner_name}, ${a.agency_name}; due ${formatDate(a.due_on)}`,
        carried_action_id: a.id,
        urgent_response_id: a.urgent_response_id ?? undefined,
        person_id: a.person_id ?? undefined,
      }));
    },
  },

  incidents_since_last: {
    label: (s) => ((s.types as string[]).length ? `Incidents since the last meeting of the chosen types` : 'Incidents since the last meeting'),
    params: [{ name: 'types', label: 'Incident types', kind: 'incident_types', default: [] }],
    find: async (trx, m, w, s) => {
      const types = s.types as string[];
      const rows = await trx
        .selectFrom('incident')
        .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
        .innerJoin('urgent_response_incident', 'urgent_response_incident.incident_id', 'incident.id')
        .innerJoin('urgent_response', 'urgent_response.id', 'urgent_response_incident.urgent_response_id')
        .innerJoin('person', 'person.id', 'urgent_response.person_id')
        .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident.place_description', 'incident_type.label', 'urgent_response.reference as ur', 'person.given_name', 'person.family_name'])
        .where('urgent_response.agency_id', '=', m.agency_id)
        .where('incident.notified_at', '>=', w.since)
        .where('incident.notified_at', '<', w.until)
        .$if(types.length > 0, (q) => q.where('incident.type_code', 'in', types))
        .orderBy('incident.notified_at')
        .orderBy('urgent_response.reference')
        .execute();
      const byIncident = new Map<string, typeof rows>();
      for (const r of rows) byIncident.set(r.id, [...(byIncident.get(r.id) ?? []), r]);
      return [...byIncident.values()].map((rs) => ({
        rule: 'incidents_since_last',
        title: `${rs[0].label}, ${rs[0].reference}`,
        why: `${formatDateTime(rs[0].occurred_at)}, ${rs[0].place_description}. Urgent responses: ${rs.map((r) => `${name(r)} (${r.ur})`).join(', ')}`,
        incident_id: rs[0].id,
      }));
    },
  },

  clocks_at_risk: {
    label: (s) => (s.state === 'breached' ? 'Urgent responses with a clock breached' : 'Urgent responses with a clock breached or due before the next meeting'),
    params: [{ name: 'state', label: 'Which clocks', kind: 'choice', default: 'at_risk', options: { at_risk: 'Breached, or due before the next meeting', breached: 'Breached only' } }],
    find: async (trx, m, w, s) => {
      const rows = await responseQuery(trx).where('urgent_response.agency_id', '=', m.agency_id).where('urgent_response.status', '=', 'open').orderBy('urgent_response.notified_at').execute();
      const now = new Date(Math.max(Date.now(), m.starts_at.getTime()));
      return rows.flatMap((r) => {
        const atRisk = clocksOf(r, now).filter((c) => c.state === 'breached' || (s.state !== 'breached' && !c.metAt && c.dueAt < w.next));
        if (!atRisk.length) return [];
        const words = atRisk.map((c) => `${CLOCK_LABELS[c.kind]} ${c.dueAt < now ? 'breached' : 'due'} ${formatDateTime(c.dueAt)}`);
        return [{ rule: 'clocks_at_risk', title: `${name(r)} (${r.reference})`, why: words.join('; '), urgent_response_id: r.id, person_id: r.person_id }];
      });
    },
  },

  overdue_actions: {
    label: 'Plan actions overdue',
    find: async (trx, m) => {
      const meetingDay = londonToday(m.starts_at);
      const rows = await trx
        .selectFrom('action')
        .innerJoin('urgent_response', 'urgent_response.id', 'action.urgent_response_id')
        .innerJoin('person', 'person.id', 'urgent_response.person_id')
        .innerJoin('agency', 'agency.id', 'action.owner_agency_id')
        .select(['action.id', 'action.reference', 'action.description', 'action.owner_name', 'action.due_on', 'agency.name as agency_name', 'urgent_response.id as ur_id', 'urgent_response.reference as ur', 'person.id as person_id', 'person.given_name', 'person.family_name'])
        .where('action.agency_id', '=', m.agency_id)
        .where('action.status', 'in', ['not_started', 'in_progress'])
        .where('action.due_on', '<', meetingDay)
        .orderBy('action.due_on')
        .execute();
      return rows.map((a) => ({
        rule: 'overdue_actions',
        title: `Action ${a.reference} for ${name(a)} (${a.ur}): ${a.description}`,
        why: `Overdue since ${formatDate(a.due_on)}; ${a.owner_name}, ${a.agency_name}`,
        carried_action_id: a.id,
        urgent_response_id: a.ur_id,
        person_id: a.person_id,
      }));
    },
  },

  repeat_people: {
    label: (s) => `Young people with ${s.incidents} or more incidents in ${s.days} days`,
    params: [
      { name: 'incidents', label: 'Incidents', kind: 'number', default: REPEAT_INCIDENTS, min: 2, max: 20 },
      { name: 'days', label: 'In how many days', kind: 'number', default: REPEAT_WINDOW_DAYS, min: 1, max: 730, suffix: 'days' },
    ],
    // The young people this meeting is about (an urgent response here, a new incident since the last meeting), counting every incident the agency can see.
    find: async (trx, m, w, s) => {
      const days = s.days as number;
      const from = new Date(w.until.getTime() - days * DAY);
      const cameToNotice = trx
        .selectFrom('involvement')
        .innerJoin('incident', 'incident.id', 'involvement.incident_id')
        .innerJoin('urgent_response_incident', 'urgent_response_incident.incident_id', 'incident.id')
        .innerJoin('urgent_response', (j) => j.onRef('urgent_response.id', '=', 'urgent_response_incident.urgent_response_id').onRef('urgent_response.person_id', '=', 'involvement.person_id'))
        .select('involvement.person_id')
        .where('urgent_response.agency_id', '=', m.agency_id)
        .where('incident.notified_at', '>=', w.since)
        .where('incident.notified_at', '<', w.until);
      const recent = trx
        .selectFrom('incident')
        .innerJoin('involvement', 'involvement.incident_id', 'incident.id')
        .select(['involvement.person_id', 'incident.id', 'incident.reference', 'incident.notified_at'])
        .where('involvement.person_id', 'in', cameToNotice)
        .where(incidentVisibleTo(m.agency_id))
        .where('incident.notified_at', '>=', from)
        .where('incident.notified_at', '<', w.until);
      const rows = await trx
        .with('recent', () => recent)
        .selectFrom('recent')
        .innerJoin('person', 'person.id', 'recent.person_id')
        .select(['person.id', 'person.given_name', 'person.family_name'])
        .select((eb) => [eb.fn.count<number>('recent.id').distinct().as('incidents'), sql<string>`string_agg(DISTINCT recent.reference, ', ' ORDER BY recent.reference)`.as('references')])
        .groupBy(['person.id', 'person.given_name', 'person.family_name'])
        .having((eb) => eb.fn.count('recent.id').distinct(), '>=', s.incidents as number)
        .orderBy('person.family_name')
        .execute();
      return rows.map((p) => ({
        rule: 'repeat_people',
        title: name(p),
        why: `${p.incidents} incidents in the last ${days} days: ${p.references}`,
        person_id: p.id,
      }));
    },
  },

  possible_breaches: {
    label: 'Possible breaches of orders waiting for a decision',
    // The partnership's orders, whoever applied for them: a breach found by the machine waits for a person to decide it.
    find: async (trx, m) => {
      const [rows, kinds] = await Promise.all([breachQuery(trx).where('possible_breach.decision', 'is', null).where('possible_breach.raised_at', '<', m.starts_at).execute(), orderKinds(trx)]);
      return rows.reverse().map((b) => ({
        rule: 'possible_breaches',
        title: `Possible breach: ${name(b)} (${orderName(kinds, b)})`,
        why: `${b.evidence}. Raised ${formatDateTime(b.raised_at)}; for ${b.lead_officer_name} to decide`,
        possible_breach_id: b.id,
      }));
    },
  },

  locations: {
    label: (s) => `Locations coming to notice (${s.incidents} or more incidents within ${LOCATION_CELL_METRES} metres)`,
    params: [{ name: 'incidents', label: 'Incidents since the last meeting', kind: 'number', default: LOCATION_INCIDENTS, min: 2, max: 100 }],
    find: async (trx, m, w, s) => {
      const cell = LOCATION_CELL_METRES;
      const rows = await trx
        .selectFrom('incident')
        .select([
          sql<string>`floor(incident.easting / ${cell})::int || '-' || floor(incident.northing / ${cell})::int`.as('place_key'),
          sql<string>`mode() WITHIN GROUP (ORDER BY incident.place_description)`.as('place'),
          sql<string>`max(incident.borough_name)`.as('borough'),
          (eb) => eb.fn.countAll<number>().as('incidents'),
        ])
        .where(incidentVisibleTo(m.agency_id))
        .where('incident.easting', 'is not', null)
        .where('incident.notified_at', '>=', w.since)
        .where('incident.notified_at', '<', w.until)
        .groupBy(sql`1`)
        .having((eb) => eb.fn.countAll(), '>=', s.incidents as number)
        .orderBy(sql`4`, 'desc')
        .execute();
      return rows.map((p) => ({
        rule: 'locations',
        title: `Around ${p.place}${p.borough ? `, ${p.borough}` : ''}`,
        why: `${p.incidents} incidents within ${cell} metres since the last meeting`,
        place_key: p.place_key,
      }));
    },
  },

  cohort_reviews_due: {
    label: 'Cohort places due for review',
    // Fairness: every place on a list has a review date; the meeting that placed someone sees it come round.
    find: async (trx, m, w) => {
      const rows = await trx
        .selectFrom('cohort_membership as c')
        .innerJoin('person', 'person.id', 'c.person_id')
        .select(['c.person_id', 'c.strand', 'c.review_on', 'c.reason', 'person.given_name', 'person.family_name'])
        .where('c.agency_id', '=', m.agency_id)
        .where('c.ended_on', 'is', null)
        .where('c.review_on', '<', londonToday(w.next))
        .orderBy('c.review_on')
        .execute();
      return rows.map((c) => ({ rule: 'cohort_reviews_due', title: name(c), why: `Cohort place (${c.strand.replace('_', ' ')}) due for review on ${formatDate(c.review_on)}: ${c.reason}`, person_id: c.person_id }));
    },
  },
};

/** The library an administrator chooses from: critical incidents first, the exploitation rules with their domain. */
export const AGENDA_RULES: Record<string, AgendaRule> = { ...MEETING_RULES, ...EXPLOITATION_RULES };

/** The window the rules look at: since the last meeting of this type, until this one. */
export async function agendaWindow(trx: Transaction<DB>, m: AgendaMeeting): Promise<Window> {
  const previous = await trx
    .selectFrom('meeting')
    .select('starts_at')
    .where('agency_id', '=', m.agency_id)
    .where('type_code', '=', m.type_code)
    .where('starts_at', '<', m.starts_at)
    .orderBy('starts_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  const interval = m.interval_days * DAY;
  return { since: previous ? new Date(previous.starts_at) : new Date(m.starts_at.getTime() - interval), until: m.starts_at, next: new Date(m.starts_at.getTime() + interval) };
}

/**
 * Builds the agenda: runs the meeting type's rules, merges what they say
 * about the same urgent response into one item, and appends what is not
 * listed yet. Returns how many items were added.
 */
export async function buildAgenda(trx: Transaction<DB>, m: AgendaMeeting, rules: string[], userId: string | null): Promise<number> {
  const window = await agendaWindow(trx, m);
  const drafts: ItemDraft[] = [];
  const byResponse = new Map<string, ItemDraft>();
  for (const rule of rules) {
    const definition = AGENDA_RULES[rule];
    if (!definition) continue;
    for (const draft of await definition.find(trx, m, window, settingsOf(definition, m.rule_settings, rule))) {
      const same = draft.urgent_response_id && !draft.carried_action_id ? byResponse.get(draft.urgent_response_id) : undefined;
      if (same) {
        same.why = `${same.why}. ${draft.why}`;
        continue;
      }
      if (draft.urgent_response_id && !draft.carried_action_id) byResponse.set(draft.urgent_response_id, draft);
      drafts.push(draft);
    }
  }
  if (!drafts.length) return 0;
  const last = await trx.selectFrom('meeting_item').select((eb) => eb.fn.max('position').as('max')).where('meeting_id', '=', m.id).executeTakeFirst();
  const listed = await trx.selectFrom('meeting_item').select(['urgent_response_id']).where('meeting_id', '=', m.id).where('urgent_response_id', 'is not', null).where('carried_action_id', 'is', null).execute();
  const alreadyListed = new Set(listed.map((l) => l.urgent_response_id));
  const first = await trx.selectFrom('meeting_item').select((eb) => eb.fn.min('position').as('min')).where('meeting_id', '=', m.id).executeTakeFirst();
  let position = Number(last?.max ?? 0);
  // A critical incident goes above everything already listed, however late it was declared.
  let top = Number(first?.min ?? 1);
  let added = 0;
  for (const d of drafts) {
    if (d.urgent_response_id && !d.carried_action_id && alreadyListed.has(d.urgent_response_id)) continue;
    const atTop = Boolean(d.critical_incident_id) && Number(last?.max ?? 0) > 0;
    const result = await trx
      .insertInto('meeting_item')
      .values({ meeting_id: m.id, position: atTop ? top - 1 : position + 1, added_by: userId, ...d })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) {
      if (atTop) top -= 1;
      else position += 1;
      added += 1;
    }
  }
  await trx.updateTable('meeting').set({ agenda_built_at: new Date() }).where('id', '=', m.id).execute();
  return added;
}

/**
 * Puts newly declared critical incidents on the next planned meeting of each
 * agency whose meeting type lists them (the DRM meeting), at the top, even
 * where that agenda was built already.
 */
export async function addCriticalToNextMeetings(trx: Transaction<DB>, userId: string | null): Promise<number> {
  const meetings = await trx
    .selectFrom('meeting')
    .innerJoin('meeting_type', 'meeting_type.code', 'meeting.type_code')
    .select(['meeting.id', 'meeting.agency_id', 'meeting.type_code', 'meeting.starts_at', 'meeting_type.interval_days', 'meeting_type.rule_settings'])
    .distinctOn(['meeting.agency_id', 'meeting.type_code'])
    .where('meeting.status', '=', 'planned')
    .where('meeting.starts_at', '>', new Date())
    .where(sql<boolean>`'critical_incidents' = ANY(meeting_type.agenda_rules)`)
    .orderBy('meeting.agency_id')
    .orderBy('meeting.type_code')
    .orderBy('meeting.starts_at')
    .execute();
  let added = 0;
  for (const m of meetings) added += await buildAgenda(trx, { ...m, starts_at: new Date(m.starts_at) }, ['critical_incidents'], userId);
  return added;
}
