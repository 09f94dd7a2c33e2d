// What happened across agencies: one timeline from Reachable's records of
// the people involved in the reviewed incident, for the two years before it
// and since. Each source is read through the same rule as everywhere else
// (incidents the reviewer's agency may see, urgent responses it holds,
// referrals it sent or received, episodes it runs or referred), so a review
// never shows a reviewer what their own agency could not open.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { visibleTo as incidentVisibleTo } from '../incidents/queries.ts';
import { visibleTo as responseVisibleTo } from '../urgent-response/queries.ts';
import { referralVisibleTo } from '../referrals/queries.ts';
import { episodeVisibleTo } from '../episodes/queries.ts';
import { INVOLVEMENT_ROLES } from '../incidents/rules.ts';
import { CHANNELS, CLOSURE_REASONS, OUTCOMES as CONTACT_OUTCOMES, WITH_WHOM } from '../urgent-response/rules.ts';
import { REFERRAL_STATUSES } from '../referrals/rules.ts';
import { OUTCOMES as EPISODE_OUTCOMES } from '../episodes/rules.ts';
import { addMonths, monthOf, monthStart } from '../figures/figures.ts';
import { LOOKBACK_MONTHS } from './rules.ts';

type Db = Kysely<DB> | Transaction<DB>;

export interface TimelineEvent {
  /** When it happened; a day without a time for what is recorded by the day (episodes). */
  at: Date | string;
  personId: string;
  person: string;
  agency: string;
  what: string;
  href: string | null;
  /** The reviewed incident itself, marked on the timeline. */
  subject: boolean;
}

const label = <T extends Record<string, string>>(labels: T, code: string | null) => (code ? ((labels as Record<string, string>)[code] ?? code) : '');
const sortKey = (at: Date | string) => (typeof at === 'string' ? `${at}T00:00:00.000Z` : at.toISOString());

export async function reviewTimeline(db: Db, actor: RequestActor, incident: { id: string; occurred_at: Date }) {
  const people = await db
    .selectFrom('involvement')
    .innerJoin('person', 'person.id', 'involvement.person_id')
    .select(['person.id', 'person.given_name', 'person.family_name', 'involvement.role'])
    .where('involvement.incident_id', '=', incident.id)
    .orderBy('involvement.created_at')
    .execute();
  const ids = people.map((p) => p.id);
  if (!ids.length) return { people: [], events: [] as TimelineEvent[], from: null };
  const fromMonth = addMonths(monthOf(incident.occurred_at), -LOOKBACK_MONTHS);
  const from = monthStart(fromMonth);
  const fromDay = `${fromMonth}-01`;
  const names = new Map(people.map((p) => [p.id, `${p.given_name} ${p.family_name}`]));
  const link = (permission: Parameters<typeof can>[1], path: string) => (can(actor.roles, permission) ? path : null);

  const [incidents, responses, attempts, mash, referrals, episodes] = await Promise.all([
    db
      .selectFrom('involvement')
      .innerJoin('incident', 'incident.id', 'involvement.incident_id')
      .innerJoin('incident_type', 'incident_type.code', 'incident.type_code')
      .innerJoin('agency', 'agency.id', 'incident.agency_id')
      .select(['incident.id', 'incident.reference', 'incident.occurred_at', 'incident_type.label as type_label', 'involvement.role', 'involvement.person_id', 'agency.name as agency'])
      .where('involvement.person_id', 'in', ids)
      .where('incident.occurred_at', '>=', from)
      .where(incidentVisibleTo(actor.agencyId))
      .execute(),
    db
      .selectFrom('urgent_response')
      .innerJoin('agency', 'agency.id', 'urgent_response.agency_id')
      .select(['urgent_response.id', 'urgent_response.reference', 'urgent_response.person_id', 'urgent_response.opened_at', 'urgent_response.closed_at', 'urgent_response.closure_reason', 'agency.name as agency'])
      .where('urgent_response.person_id', 'in', ids)
      .where((eb) => eb.or([eb('urgent_response.opened_at', '>=', from), eb('urgent_response.closed_at', '>=', from)]))
      .where(responseVisibleTo(actor))
      .execute(),
    db
      .selectFrom('contact_attempt')
      .innerJoin('urgent_response', 'urgent_response.id', 'contact_attempt.urgent_response_id')
      .innerJoin('agency', 'agency.id', 'urgent_response.agency_id')
      .select(['urgent_response.id', 'urgent_response.person_id', 'contact_attempt.attempted_at', 'contact_attempt.with_whom', 'contact_attempt.channel', 'contact_attempt.outcome', 'agency.name as agency'])
      .where('urgent_response.person_id', 'in', ids)
      .where('contact_attempt.attempted_at', '>=', from)
      .where(responseVisibleTo(actor))
      .execute(),
    db
      .selectFrom('mash_referral')
      .innerJoin('urgent_response', 'urgent_response.id', 'mash_referral.urgent_response_id')
      .innerJoin('agency', 'agency.id', 'urgent_response.agency_id')
      .select(['urgent_response.id', 'urgent_response.person_id', 'mash_referral.referred_at', 'mash_referral.concern', 'agency.name as agency'])
      .where('urgent_response.person_id', 'in', ids)
      .where('mash_referral.referred_at', '>=', from)
      .where(responseVisibleTo(actor))
      .execute(),
    db
      .selectFrom('referral')
      .innerJoin('service', 'service.id', 'referral.service_id')
      .innerJoin('agency as sender', 'sender.id', 'referral.from_agency_id')
      .innerJoin('agency as provider', 'provider.id', 'service.provider_agency_id')
      .select(['referral.id', 'referral.reference', 'referral.person_id', 'referral.sent_at', 'referral.decided_at', 'referral.status', 'service.name as service', 'sender.name as sender', 'provider.name as provider'])
      .where('referral.person_id', 'in', ids)
      .where((eb) => eb.or([eb('referral.sent_at', '>=', from), eb('referral.decided_at', '>=', from)]))
      .where(referralVisibleTo(actor.agencyId))
      .execute(),
    db
      .selectFrom('episode')
      .innerJoin('service', 'service.id', 'episode.service_id')
      .innerJoin('agency', 'agency.id', 'episode.agency_id')
      .select(['episode.id', 'episode.person_id', 'episode.started_on', 'episode.closed_on', 'episode.outcome', 'service.name as service', 'agency.name as agency'])
      .where('episode.person_id', 'in', ids)
      .where((eb) => eb.or([eb('episode.started_on', '>=', fromDay), eb('episode.closed_on', '>=', fromDay)]))
      .where(episodeVisibleTo(actor.agencyId))
      .execute(),
  ]);

  const events: TimelineEvent[] = [];
  const add = (e: Omit<TimelineEvent, 'person' | 'subject'> & { subject?: boolean }) => events.push({ ...e, person: names.get(e.personId)!, subject: e.subject ?? false });
  for (const i of incidents)
    add({ at: i.occurred_at, personId: i.person_id, agency: i.agency, what: `${label(INVOLVEMENT_ROLES, i.role)} in incident ${i.reference}: ${i.type_label}`, href: link('incident.read', `/incidents/${i.id}`), subject: i.id === incident.id });
  for (const r of responses) {
    const href = link('urgent_response.read', `/urgent-responses/${r.id}`);
    if (r.opened_at >= from) add({ at: r.opened_at, personId: r.person_id, agency: r.agency, what: `Urgent response ${r.reference} opened`, href });
    if (r.closed_at) add({ at: r.closed_at, personId: r.person_id, agency: r.agency, what: `Urgent response ${r.reference} closed: ${label(CLOSURE_REASONS, r.closure_reason)}`, href });
  }
  for (const a of attempts)
    add({ at: a.attempted_at, personId: a.person_id, agency: a.agency, what: `Contact attempt with ${label(WITH_WHOM, a.with_whom).toLowerCase()} by ${label(CHANNELS, a.channel).toLowerCase()}: ${label(CONTACT_OUTCOMES, a.outcome).toLowerCase()}`, href: link('urgent_response.read', `/urgent-responses/${a.id}/attempts`) });
  for (const m of mash) add({ at: m.referred_at, personId: m.person_id, agency: m.agency, what: 'Referred to the MASH', href: link('urgent_response.read', `/urgent-responses/${m.id}/consent`) });
  for (const r of referrals) {
    const href = link('referral.read', `/referrals/${r.id}`);
    if (r.sent_at >= from) add({ at: r.sent_at, personId: r.person_id, agency: r.sender, what: `Referral ${r.reference} sent to ${r.service} (${r.provider})`, href });
    if (r.decided_at) add({ at: r.decided_at, personId: r.person_id, agency: r.provider, what: `Referral ${r.reference} to ${r.service} answered (${label(REFERRAL_STATUSES, r.status).toLowerCase()} now)`, href });
  }
  for (const e of episodes) {
    const href = link('episode.read', `/episodes/${e.id}`);
    if (e.started_on >= fromDay) add({ at: e.started_on, personId: e.person_id, agency: e.agency, what: `Started work with ${e.service}`, href });
    if (e.closed_on) add({ at: e.closed_on, personId: e.person_id, agency: e.agency, what: `Work with ${e.service} ended: ${label(EPISODE_OUTCOMES, e.outcome).toLowerCase()}`, href });
  }
  events.sort((a, b) => sortKey(a.at).localeCompare(sortKey(b.at)) || a.person.localeCompare(b.person));
  return { people: people.map((p) => ({ id: p.id, name: names.get(p.id)!, role: label(INVOLVEMENT_ROLES, p.role) })), events, from };
}
