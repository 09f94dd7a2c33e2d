// Subject access requests (issue 21; UK GDPR Article 15). The information
// governance officer records the request and how identity was checked; the
// statutory clock runs one calendar month from receipt (or from the identity
// check, if that came later), extendable once by two further months with a
// reason (Article 12(3)). The person is found across every agency's records
// by the identity matcher; everything held about them is gathered as items;
// the officer marks items to redact, each with its exemption; the bundle is
// then produced as a readable page (which prints to PDF) and as JSON, with
// every redacted item replaced by the exemption it was withheld under.
import type { Kysely, Transaction } from 'kysely';
import { sql } from 'kysely';
import type { Refusal } from '../../platform/changes.ts';
import type { DB } from '../../db/schema.ts';
import { FormErrors, choice, dateInput, text, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';
import { formatDate, formatDateTime, londonToday } from '../../platform/time.ts';
import { findCandidates } from '../people/queries.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const RELATIONSHIPS = { self: 'The person themselves', parent_carer: 'A parent or carer for a child', solicitor: 'A solicitor or other representative', other: 'Someone else with the person’s authority' } as const;
type Relationship = keyof typeof RELATIONSHIPS;

/** What may be withheld, and under which provision of the Data Protection Act 2018. */
export const EXEMPTIONS = {
  third_party: 'Information about another person (Data Protection Act 2018, Schedule 2, Part 3, paragraph 16)',
  crime_prevention: 'Release would prejudice the prevention or detection of crime (Schedule 2, Part 1, paragraph 2)',
  social_work: 'Release would be likely to cause serious harm (Schedule 3, Part 3, paragraph 7)',
  legal_privilege: 'Legal professional privilege (Schedule 2, Part 4, paragraph 19)',
} as const;
export type Exemption = keyof typeof EXEMPTIONS;

/** The same day N calendar months on; where that month is shorter, its last day (ICO guidance on the time limit). */
export function addCalendarMonths(day: string, months: number): string {
  const [y, m, d] = day.split('-').map(Number);
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** One month from receipt, or from the identity check if later; three months once extended. */
export function dueOn(receivedOn: string, identityCheckedOn: string | null, extended: boolean): string {
  const from = identityCheckedOn && identityCheckedOn > receivedOn ? identityCheckedOn : receivedOn;
  return addCalendarMonths(from, extended ? 3 : 1);
}

export interface RequestInput {
  requesterName: string;
  relationship: Relationship;
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  postcode: string | null;
  receivedOn: string;
  identityCheckedOn: string | null;
  identityEvidence: string | null;
}

export function readRequest(body: Body, errors: FormErrors, now = new Date()): RequestInput | null {
  const requesterName = text(body, 'requesterName', errors, { label: 'Who asked', required: true, max: 200, missing: 'Enter the name of the person who asked' });
  const relationship = choice(body, 'relationship', errors, Object.keys(RELATIONSHIPS) as Relationship[], 'Select who they are to the person the request is about');
  const givenName = text(body, 'givenName', errors, { label: 'Their first name', required: true, max: 100, missing: 'Enter the first name of the person the request is about' });
  const familyName = text(body, 'familyName', errors, { label: 'Their last name', required: true, max: 100, missing: 'Enter the last name of the person the request is about' });
  const dateOfBirth = dateInput(body, 'dateOfBirth', errors, { label: 'Date of birth', minYear: 1900 }, now);
  const postcode = text(body, 'postcode', errors, { label: 'Postcode', max: 10 })?.toUpperCase() ?? null;
  const receivedOn = dateInput(body, 'receivedOn', errors, { label: 'The date it was received', required: true, minYear: 2000 }, now);
  const identityCheckedOn = dateInput(body, 'identityCheckedOn', errors, { label: 'The date identity was checked', minYear: 2000 }, now);
  const identityEvidence = text(body, 'identityEvidence', errors, { label: 'How identity was checked', max: 500 });
  if (identityCheckedOn && !identityEvidence) errors.add('identityEvidence', 'Say how identity was checked, like a passport seen in person');
  if (identityEvidence && !identityCheckedOn) errors.add('identityCheckedOn-day', 'Enter the date identity was checked');
  if (receivedOn && receivedOn > londonToday(now)) errors.add('receivedOn-day', 'The date it was received must be today or in the past');
  if (errors.any || !requesterName || !relationship || !givenName || !familyName || !receivedOn) return null;
  return { requesterName, relationship, givenName, familyName, dateOfBirth, postcode, receivedOn, identityCheckedOn, identityEvidence };
}

export async function recordRequest(trx: Transaction<DB>, actor: { userId: string }, input: RequestInput): Promise<string> {
  const { rows } = await sql<{ n: string }>`SELECT nextval('subject_access_reference_seq') AS n`.execute(trx);
  const { id } = await trx
    .insertInto('subject_access_request')
    .values({
      reference: `SAR-${String(rows[0].n).padStart(6, '0')}`,
      requester_name: input.requesterName,
      requester_relationship: input.relationship,
      subject_given_name: input.givenName,
      subject_family_name: input.familyName,
      subject_date_of_birth: input.dateOfBirth,
      subject_postcode: input.postcode,
      received_on: input.receivedOn,
      identity_checked_on: input.identityCheckedOn,
      identity_evidence: input.identityEvidence,
      due_on: dueOn(input.receivedOn, input.identityCheckedOn, false),
      recorded_by: actor.userId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return id;
}

type Request = { id: string; received_on: string; identity_checked_on: string | null; extended_reason: string | null; completed_on: string | null; person_id: string | null };

/** Extends the clock by two months, once, with the reason. */
export async function extendRequest(trx: Transaction<DB>, request: Request, version: number | null, reason: string): Promise<'extended' | Refusal> {
  if (request.completed_on) return { refused: { extendedReason: 'This request has been answered' } };
  if (request.extended_reason) return { refused: { extendedReason: 'The time limit has already been extended: it can be extended once, by two months' } };
  await claimVersion(trx, 'subject_access_request', request.id, version);
  await trx.updateTable('subject_access_request').set({ extended_reason: reason, due_on: dueOn(String(request.received_on), request.identity_checked_on && String(request.identity_checked_on), true) }).where('id', '=', request.id).execute();
  return 'extended';
}

/** The people the identity matcher finds for the request, best first. */
export function candidatesFor(db: Db, r: { subject_given_name: string; subject_family_name: string; subject_date_of_birth: string | null; subject_postcode: string | null }) {
  return findCandidates(db, { names: [{ given: r.subject_given_name, family: r.subject_family_name }], dateOfBirth: r.subject_date_of_birth && String(r.subject_date_of_birth), postcodes: r.subject_postcode ? [r.subject_postcode] : [], identifiers: [] }, { limit: 10, showFrom: 0 });
}

export async function choosePerson(trx: Transaction<DB>, request: Request, version: number | null, personId: string): Promise<'chosen' | Refusal> {
  if (request.completed_on) return { refused: { personId: 'This request has been answered' } };
  const person = await trx.selectFrom('person').select('id').where('id', '=', personId).where('merged_into', 'is', null).executeTakeFirst();
  if (!person) return { refused: { personId: 'Select the person from the list' } };
  await claimVersion(trx, 'subject_access_request', request.id, version);
  await trx.updateTable('subject_access_request').set({ person_id: person.id }).where('id', '=', request.id).execute();
  await trx.deleteFrom('subject_access_redaction').where('request_id', '=', request.id).execute();
  return 'chosen';
}

export interface BundleItem {
  key: string;
  text: string;
  /** Other people the item names: what the officer weighs for the third-party exemption. */
  others: string[];
  /** Police intelligence: what the officer weighs for the crime prevention exemption. */
  intelligence: boolean;
}
export interface BundleSection {
  title: string;
  items: BundleItem[];
}

const name = (p: { given_name: string; family_name: string }) => `${p.given_name} ${p.family_name}`;
const item = (key: string, text: string, others: string[] = [], intelligence = false): BundleItem => ({ key, text, others, intelligence });

/** Everything held about the person, across every agency, as items the officer can redact one by one. */
export async function gatherBundle(db: Db, personId: string): Promise<BundleSection[]> {
  const person = await db.selectFrom('person').innerJoin('agency', 'agency.id', 'person.agency_id').selectAll('person').select('agency.name as agency_name').where('person.id', '=', personId).executeTakeFirstOrThrow();
  const [aliases, addresses, involvements, others, responses, attempts, referrals, episodes, notes, links, items, viewers] = await Promise.all([
    db.selectFrom('person_alias').selectAll().where('person_id', '=', personId).execute(),
    db.selectFrom('person_address').selectAll().where('person_id', '=', personId).orderBy('from_date').execute(),
    db.selectFrom('involvement').innerJoin('incident', 'incident.id', 'involvement.incident_id').innerJoin('incident_type', 'incident_type.code', 'incident.type_code').select(['involvement.id', 'involvement.role', 'incident.id as incident_id', 'incident.reference', 'incident.occurred_at', 'incident.place_description', 'incident_type.label']).where('involvement.person_id', '=', personId).orderBy('incident.occurred_at').execute(),
    db.selectFrom('involvement as mine').innerJoin('involvement as theirs', 'theirs.incident_id', 'mine.incident_id').innerJoin('person', 'person.id', 'theirs.person_id').select(['mine.incident_id', 'theirs.role', 'person.given_name', 'person.family_name']).where('mine.person_id', '=', personId).where('theirs.person_id', '<>', personId).execute(),
    db.selectFrom('urgent_response').innerJoin('agency', 'agency.id', 'urgent_response.agency_id').select(['urgent_response.id', 'urgent_response.reference', 'urgent_response.opened_at', 'urgent_response.status', 'urgent_response.closure_reason', 'agency.name as agency_name']).where('urgent_response.person_id', '=', personId).orderBy('opened_at').execute(),
    db.selectFrom('contact_attempt').innerJoin('urgent_response', 'urgent_response.id', 'contact_attempt.urgent_response_id').select(['contact_attempt.id', 'contact_attempt.attempted_at', 'contact_attempt.with_whom', 'contact_attempt.channel', 'contact_attempt.outcome', 'contact_attempt.note', 'urgent_response.reference']).where('urgent_response.person_id', '=', personId).orderBy('attempted_at').execute(),
    db.selectFrom('referral').innerJoin('service', 'service.id', 'referral.service_id').select(['referral.id', 'referral.reference', 'referral.sent_at', 'referral.status', 'referral.reason', 'service.name as service_name']).where('referral.person_id', '=', personId).orderBy('sent_at').execute(),
    db.selectFrom('episode').innerJoin('service', 'service.id', 'episode.service_id').select(['episode.id', 'episode.started_on', 'episode.closed_on', 'episode.outcome', 'episode.closure_note', 'service.name as service_name']).where('episode.person_id', '=', personId).orderBy('started_on').execute(),
    db.selectFrom('episode_note').innerJoin('episode', 'episode.id', 'episode_note.episode_id').innerJoin('service', 'service.id', 'episode.service_id').select(['episode_note.id', 'episode_note.happened_at', 'episode_note.body', 'service.name as service_name']).where('episode.person_id', '=', personId).orderBy('happened_at').execute(),
    db
      .selectFrom('association')
      .innerJoin('agency', 'agency.id', 'association.agency_id')
      .leftJoin('person as other', (j) => j.on(sql<boolean>`other.id = CASE WHEN association.person_id = ${personId} THEN association.other_person_id ELSE association.person_id END`))
      .leftJoin('network_group', 'network_group.id', 'association.group_id')
      .leftJoin('place', 'place.id', 'association.place_id')
      .select(['association.id', 'association.link_type', 'association.reason', 'association.recorded_at', 'association.source_evaluation', 'association.removed_at', 'agency.name as agency_name', 'other.given_name', 'other.family_name', 'network_group.name as group_name', 'place.name as place_name'])
      .where((eb) => eb.or([eb('association.person_id', '=', personId), eb('association.other_person_id', '=', personId)]))
      .orderBy('association.recorded_at')
      .execute(),
    db.selectFrom('meeting_item').innerJoin('meeting', 'meeting.id', 'meeting_item.meeting_id').innerJoin('meeting_type', 'meeting_type.code', 'meeting.type_code').select(['meeting_item.id', 'meeting_item.title', 'meeting_item.summary', 'meeting_item.decisions', 'meeting.starts_at', 'meeting_type.name as meeting_name']).where('meeting_item.person_id', '=', personId).orderBy('meeting.starts_at').execute(),
    db.selectFrom('audit_event').leftJoin('agency', 'agency.id', 'audit_event.agency_id').select(['audit_event.seq', 'audit_event.at', 'audit_event.action', 'audit_event.outcome', 'agency.name as agency_name']).where('audit_event.person_id', '=', personId).orderBy('audit_event.seq').limit(2000).execute(),
  ]);
  const othersIn = (incidentId: string) => others.filter((o) => o.incident_id === incidentId);
  return [
    {
      title: 'Your record',
      items: [
        item(`person:${person.id}:name`, `Name: ${name(person)}. Recorded by ${person.agency_name}.`),
        item(`person:${person.id}:born`, `Date of birth: ${person.date_of_birth ? formatDate(person.date_of_birth) : 'not recorded'}.`),
        ...(person.address || person.postcode ? [item(`person:${person.id}:address`, `Address: ${[person.address, person.postcode].filter(Boolean).join(', ')}.`)] : []),
        ...(person.school ? [item(`person:${person.id}:school`, `School: ${person.school}.`)] : []),
        ...aliases.map((a) => item(`alias:${a.id}`, `Also known as ${name(a)} (${a.kind.replace(/_/g, ' ')}).`)),
        ...addresses.map((a) => item(`address:${a.id}`, `Address from ${formatDate(a.from_date)}${a.to_date ? ` to ${formatDate(a.to_date)}` : ''}: ${a.address}${a.postcode ? `, ${a.postcode}` : ''}.`)),
      ],
    },
    {
      title: 'Incidents you were involved in',
      items: involvements.flatMap((i) => [
        item(`involvement:${i.id}`, `${i.reference}, ${formatDateTime(i.occurred_at)}: ${i.label}${i.place_description ? `, ${i.place_description}` : ''}. Your part: ${i.role}.`),
        ...(othersIn(i.incident_id).length ? [item(`involvement:${i.id}:others`, `Others involved: ${othersIn(i.incident_id).map((o) => `${name(o)} (${o.role})`).join('; ')}.`, othersIn(i.incident_id).map(name))] : []),
      ]),
    },
    {
      title: 'Urgent responses after an incident',
      items: [
        ...responses.map((r) => item(`urgent_response:${r.id}`, `${r.reference}, opened ${formatDateTime(r.opened_at)} by ${r.agency_name}: ${r.status}${r.closure_reason ? ` (${r.closure_reason.replace(/_/g, ' ')})` : ''}.`)),
        ...attempts.map((a) => item(`attempt:${a.id}`, `${a.reference}: contact attempt ${formatDateTime(a.attempted_at)} with ${a.with_whom.replace(/_/g, ' ')} by ${a.channel.replace(/_/g, ' ')}: ${a.outcome.replace(/_/g, ' ')}.${a.note ? ` ${a.note}` : ''}`)),
      ],
    },
    { title: 'Referrals to services', items: referrals.map((r) => item(`referral:${r.id}`, `${r.reference} to ${r.service_name}, sent ${formatDate(r.sent_at)}: ${r.status.replace(/_/g, ' ')}. Why: ${r.reason}`)) },
    {
      title: 'Support you received, and its notes',
      items: [
        ...episodes.map((e) => item(`episode:${e.id}`, `${e.service_name} from ${formatDate(e.started_on)}${e.closed_on ? ` to ${formatDate(e.closed_on)} (${e.outcome})${e.closure_note ? `: ${e.closure_note}` : ''}` : ', still open'}.`)),
        ...notes.map((n) => item(`note:${n.id}`, `${n.service_name}, ${formatDateTime(n.happened_at)}: ${n.body}`)),
      ],
    },
    {
      title: 'Links to other people, groups and places',
      items: links.map((l) => {
        const other = l.given_name ? `${l.given_name} ${l.family_name}` : null;
        const to = other ?? l.group_name ?? l.place_name ?? 'someone or somewhere';
        return item(`link:${l.id}`, `Linked to ${to} (${l.link_type.replace(/_/g, ' ')}), recorded by ${l.agency_name} on ${formatDate(l.recorded_at)}${l.removed_at ? ', since removed' : ''}. Why: ${l.reason}`, other ? [other] : [], l.source_evaluation !== null);
      }),
    },
    { title: 'Meetings where you were discussed', items: items.map((m) => item(`meeting_item:${m.id}`, `${m.meeting_name}, ${formatDate(m.starts_at)}: ${m.title}.${m.summary ? ` ${m.summary}` : ''}${m.decisions ? ` Decided: ${m.decisions}` : ''}`)) },
    { title: 'Who has looked at or changed your records', items: viewers.map((v) => item(`audit:${v.seq}`, `${formatDateTime(v.at)}: ${v.agency_name ?? 'Reachable itself'}, ${v.action.replace(/[._-]/g, ' ')}${v.outcome === 'denied' ? ' (refused)' : ''}.`)) },
  ];
}

/** The officer's marks, replacing those made before: each key must be an item of the bundle as it stands. */
export async function markRedactions(trx: Transaction<DB>, actor: { userId: string }, request: Request, version: number | null, marks: { key: string; exemption: Exemption; note: string | null }[]): Promise<'marked' | Refusal> {
  if (request.completed_on) return { refused: { redactions: 'This request has been answered: its bundle is kept as sent' } };
  if (!request.person_id) return { refused: { redactions: 'Find the person the request is about first' } };
  const keys = new Set((await gatherBundle(trx, request.person_id)).flatMap((s) => s.items.map((i) => i.key)));
  if (marks.some((m) => !keys.has(m.key))) return { refused: { redactions: 'An item marked is no longer in the bundle: look again' } };
  await claimVersion(trx, 'subject_access_request', request.id, version);
  await trx.deleteFrom('subject_access_redaction').where('request_id', '=', request.id).execute();
  if (marks.length) await trx.insertInto('subject_access_redaction').values(marks.map((m) => ({ request_id: request.id, item_key: m.key, exemption: m.exemption, note: m.note, marked_by: actor.userId }))).execute();
  return 'marked';
}

/** The bundle as released: each redacted item's words replaced by what was withheld and why. */
export function redacted(sections: BundleSection[], marks: Map<string, Exemption>): { title: string; items: { key: string; text: string; withheld: string | null }[] }[] {
  return sections.map((s) => ({ title: s.title, items: s.items.map((i) => (marks.has(i.key) ? { key: i.key, text: '', withheld: EXEMPTIONS[marks.get(i.key)!] } : { key: i.key, text: i.text, withheld: null })) }));
}

export async function completeRequest(trx: Transaction<DB>, request: Request, version: number | null, sentOn: string): Promise<'completed' | Refusal> {
  if (!request.person_id) return { refused: { sentOn: 'Find the person the request is about first' } };
  if (request.completed_on) return { refused: { sentOn: 'This request has already been answered' } };
  await claimVersion(trx, 'subject_access_request', request.id, version);
  await trx.updateTable('subject_access_request').set({ completed_on: sentOn }).where('id', '=', request.id).execute();
  return 'completed';
}
