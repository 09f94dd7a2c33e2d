// The urgent response page: what it shows, gathered once for every route
// that shows it (after a save, or again with errors).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { RequestActor } from '../../platform/routes.ts';
import { can } from '../../platform/permissions.ts';
import { dateTimeParts, isUuid } from '../../platform/forms.ts';
import { ageAt, londonZone } from '../../platform/time.ts';
import { recordHistory } from '../../platform/audit.ts';
import { CLOCK_LABELS, ENTERED_LATE_MINUTES, mostUrgent, type Clock } from './clocks.ts';
import { CHANNELS, CLOSURE_REASONS, OUTCOMES, SOURCES, WITH_WHOM } from './rules.ts';
import { CONSENT_BY, CONSENT_STATUSES, LAWFUL_BASES, consentHistory, lawfulBases, mashReferrals, sharingAllowed } from './consent.ts';
import * as q from './queries.ts';
import { currentNeeds, NEED_LEVELS } from './needs.ts';
import { actionsOfResponse, partnerAgencies } from '../actions/queries.ts';
import { ACTION_STATUSES, isOverdue } from '../actions/rules.ts';
import { referralQuery, referralVisibleTo } from '../referrals/queries.ts';
import { REFERRAL_STATUSES } from '../referrals/rules.ts';

export const labels = {
  withWhom: WITH_WHOM,
  channel: CHANNELS,
  outcome: OUTCOMES,
  source: SOURCES,
  closure: CLOSURE_REASONS,
  clock: CLOCK_LABELS,
  consent: CONSENT_STATUSES,
  consentBy: CONSENT_BY,
  basis: LAWFUL_BASES,
  needLevel: NEED_LEVELS,
  actionStatus: ACTION_STATUSES,
};

const HISTORY_ACTIONS = [
  'urgent-response.open',
  'urgent-response.link',
  'urgent-response.attempt',
  'urgent-response.assign',
  'urgent-response.refer-to-meeting',
  'urgent-response.needs',
  'urgent-response.plan-action',
  'urgent-response.custody',
  'urgent-response.consent',
  'urgent-response.lawful-basis',
  'urgent-response.approve-lawful-basis',
  'urgent-response.mash-referral',
  'urgent-response.close',
];

/** Everything the page shows, or undefined when the actor may not see this urgent response. */
/** `emergency`: for reading, an open emergency-access grant also opens it, and the page carries the grant. */
export async function loadResponsePage(db: Kysely<DB> | Transaction<DB>, actor: RequestActor, id: string, options: { emergency?: boolean } = {}) {
  if (!isUuid(id)) return undefined;
  const found = options.emergency ? await q.readableResponse(db, actor, id) : { response: await q.findResponse(db, actor, id), grant: null };
  const response = found?.response;
  if (!response) return undefined;
  const [attempts, incidents, history, consents, bases, referrals, sharing, needs, actions, meetingReferrals, serviceReferrals] = await Promise.all([
    q.attemptsOf(db, id),
    q.incidentsOf(db, id),
    recordHistory(db, 'urgent_response', id, HISTORY_ACTIONS),
    consentHistory(db, id),
    lawfulBases(db, id),
    mashReferrals(db, id),
    sharingAllowed(db, id),
    currentNeeds(db, id),
    actionsOfResponse(db, id),
    db.selectFrom('meeting_referral').innerJoin('meeting_type', 'meeting_type.code', 'meeting_referral.type_code').select(['meeting_type.name', 'meeting_referral.type_code', 'meeting_referral.reason', 'meeting_referral.referred_at']).where('urgent_response_id', '=', id).execute(),
    referralQuery(db).where('referral.urgent_response_id', '=', id).where(referralVisibleTo(actor.agencyId)).orderBy('referral.sent_at').execute(),
  ]);
  return { response, grant: found.grant, attempts, incidents, history, consents, bases, referrals, sharing, needs, actions, meetingReferrals, serviceReferrals };
}
export type ResponsePage = NonNullable<Awaited<ReturnType<typeof loadResponsePage>>>;

/** The page of the urgent response named in the URL, if the actor may see it and it is still open: what every work route acts on. */
export async function loadOpenResponsePage(db: Kysely<DB>, req: FastifyRequest): Promise<ResponsePage | undefined> {
  const page = await loadResponsePage(db, req.actor!, (req.params as { id: string }).id);
  return page?.response.status === 'open' ? page : undefined;
}

/** The audit actions that change an urgent response's own fields (and its version): who changed it last, for a refused stale save. */
export const RESPONSE_CHANGES = ['urgent-response.assign', 'urgent-response.needs', 'urgent-response.custody', 'urgent-response.close', 'urgent-response.approve-lawful-basis'];

/** A due time says GMT or BST when it falls on the other side of a clock change from the notification (issue 18). */
function withZones<T extends { dueAt: Date }>(clocks: T[], notifiedAt: Date) {
  const from = londonZone(new Date(notifiedAt));
  return clocks.map((c) => ({ ...c, zone: londonZone(c.dueAt) !== from ? londonZone(c.dueAt) : null }));
}

/** "4 hours" when a response was entered more than ENTERED_LATE_MINUTES after the partnership learned of it; otherwise null. */
export function enteredLate(openedAt: Date, notifiedAt: Date): string | null {
  const minutes = Math.floor((new Date(openedAt).getTime() - new Date(notifiedAt).getTime()) / 60_000);
  if (minutes <= ENTERED_LATE_MINUTES) return null;
  const hours = Math.floor(minutes / 60);
  return hours >= 48 ? `${Math.floor(hours / 24)} days` : `${hours} hour${hours === 1 ? '' : 's'}`;
}

/**
 * An urgent response is read in parts (issue 22: one 4,000 px page was too
 * long for a busy morning): a summary to act from, and one page for each
 * strand of the work. Each form lives on one part, and a refused save shows
 * that part again.
 */
export const SECTIONS = {
  summary: { path: '', text: 'Summary', view: 'show' },
  attempts: { path: '/attempts', text: 'Contact attempts', view: 'attempts' },
  consent: { path: '/consent', text: 'Consent and sharing', view: 'consent' },
  needs: { path: '/needs', text: 'Needs', view: 'needs-summary' },
  plan: { path: '/plan', text: 'Plan and referrals', view: 'plan' },
  history: { path: '/history', text: 'History', view: 'history' },
} as const;
export type Section = keyof typeof SECTIONS;

const SECTION_NAMES = Object.fromEntries(Object.entries(SECTIONS).map(([key, s]) => [key, s.text]));

export const sectionUrl = (responseId: string, section: Section) => `/urgent-responses/${responseId}${SECTIONS[section].path}`;

/** The part of the work that meets each clock: where its next step is taken. */
const CLOCK_SECTION: Record<Clock['kind'], Section> = { custody_notification: 'summary', first_attempt: 'attempts', contact_made: 'attempts', professional_contact: 'attempts' };

/** What to do next on an open response: its most urgent running clock, and where to act on it; null when every clock is met. */
export function nextStep(clocks: Clock[]): { clock: Clock; section: Section } | null {
  const running = clocks.filter((c) => c.state === 'breached' || c.state === 'due_soon' || c.state === 'due');
  if (!running.length) return null;
  const clock = mostUrgent(running);
  return { clock, section: CLOCK_SECTION[clock.kind] };
}

export async function renderResponsePage(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, found: ResponsePage, data: Record<string, unknown>, section: Section = 'summary') {
  const { response } = found;
  const clocks = withZones(q.clocksOf(response, new Date()), response.notified_at);
  const actor = req.actor!;
  const values = { ...dateTimeParts('attemptedAt'), ...dateTimeParts('decidedAt'), ...dateTimeParts('referredAt'), ...((data.values as object) ?? {}) };
  const canWork = response.status === 'open' && can(actor.roles, 'urgent_response.work');
  const referredTo = new Set(found.meetingReferrals.map((r) => r.type_code));
  return reply.page(`urgent-response/views/${SECTIONS[section].view}.njk`, {
    ...found,
    labels: { ...labels, sections: SECTION_NAMES },
    section,
    sectionTitle: SECTIONS[section].text,
    sections: Object.entries(SECTIONS).map(([key, s]) => ({ text: s.text, href: sectionUrl(response.id, key as Section), active: key === section })),
    next: response.status === 'open' ? nextStep(clocks) : null,
    overdueCount: found.actions.filter((a) => isOverdue(a)).length,
    sectionUrls: Object.fromEntries(Object.keys(SECTIONS).map((key) => [key, sectionUrl(response.id, key as Section)])),
    clocks,
    enteredLateHours: enteredLate(response.opened_at, response.notified_at),
    age: ageAt(response.date_of_birth, new Date()),
    workers: can(actor.roles, 'urgent_response.manage') ? await q.assignableWorkers(app.db) : [],
    canWork,
    agencies: canWork ? await partnerAgencies(app.db) : [],
    meetingTypes: canWork ? (await app.db.selectFrom('meeting_type').select(['code', 'name']).orderBy('name').execute()).filter((t) => !referredTo.has(t.code)) : [],
    overdue: Object.fromEntries(found.actions.map((a) => [a.id, isOverdue(a)])),
    canManage: response.status === 'open' && can(actor.roles, 'urgent_response.manage'),
    canApprove: can(actor.roles, 'sharing.approve'),
    canRefer: response.status === 'open' && can(actor.roles, 'referral.send'),
    referralStatuses: REFERRAL_STATUSES,
    userId: actor.userId,
    ...data,
    values,
  });
}
