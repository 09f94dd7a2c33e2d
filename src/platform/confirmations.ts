// Every change confirms itself (issue 22): a form that saved answers with a
// redirect, and the page it leads to shows a GOV.UK success banner saying
// what happened. One hook does it for every route, keyed by the audit action
// the route declares and kept on the session (server side) for the next
// page, so a new route confirms itself without being told to.
import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** The success banner's words for this page, when the last form saved something. */
    confirmation?: string;
  }
}

/** What each change says when it is done. An action not listed says the generic words. */
const WORDS: Record<string, string> = {
  'action.status': 'The action’s status has been updated',
  'critical.declare': 'The critical incident has been declared and its contacts told',
  'critical.assess': 'The community impact assessment has been saved',
  'critical.contact': 'The contact has been recorded',
  'critical.reassurance': 'The reassurance action has been added to the actions list',
  'critical.close': 'The community impact assessment has been closed',
  'critical.contacts': 'The critical incident contacts have been updated',
  'meeting-type.create': 'The meeting type has been made: plan a meeting of it from Meetings',
  'meeting-type.update': 'The meeting type has been changed: its next agendas use the new rules',
  'meeting.refer': 'The referral has been added to the meeting’s next agenda',
  'meeting.plan-review': 'The panel’s review of the plan has been saved',
  'missing.record': 'The missing episode has been recorded',
  'missing.return': 'The return has been recorded: the return home interview is due within 72 hours',
  'missing.interview': 'The return home interview has been recorded',
  'nrm.record': 'The NRM referral has been recorded',
  'nrm.decision': 'The decision has been recorded',
  'education.record': 'The time out of school has been recorded',
  'agency.create': 'The agency has been added',
  'agency.update': 'The agency has been updated',
  'api-client.revoke': 'The API credential has been revoked',
  'cohort.decide': 'The strand has been recorded',
  'cohort.end': 'They have been taken off the strand',
  'context.change': 'The context assessment has been updated',
  'crime-data.match': 'The place has been matched',
  'episode.close': 'The episode has been closed',
  'episode.goal': 'The goal has been saved',
  'episode.note': 'The note has been added',
  'episode.open': 'The episode has been started',
  'episode.outcomes': 'The outcome measures have been recorded',
  'episode.reassign': 'The episode has been reassigned',
  'episode.review': 'The next review date has been set',
  'family.add-member': 'They have been added to the family',
  'family.champion': 'The family’s champion has been changed',
  'family.create': 'The family has been started',
  'family.remove-member': 'They have been taken off the family',
  'incident.add-person': 'The person has been added to the incident',
  'incident.edit': 'The incident has been updated',
  'incident.record': 'The incident has been recorded',
  'incident.remove-person': 'The person has been taken off the incident',
  'meeting.action': 'The action has been added',
  'meeting.add-item': 'The item has been added to the agenda',
  'meeting.attendance': 'Attendance has been recorded',
  'meeting.build-agenda': 'The agenda has been built from its rules',
  'meeting.held': 'The meeting has been marked as held',
  'meeting.minute': 'The minutes for the item have been saved',
  'meeting.plan': 'The meeting has been planned',
  'meeting.reorder': 'The agenda has been reordered',
  'network.change': 'The network has been updated',
  'order.condition': 'The condition has been added',
  'order.decide': 'Your decision on the possible breach has been recorded',
  'order.end': 'The order has been ended',
  'order.kind': 'The kind of order has been added',
  'order.record': 'The order has been recorded',
  'order.review': 'The review has been recorded',
  'agreement.record': 'The data sharing agreement has been recorded: sharing it covers is allowed from its start date',
  'agreement.change': 'The data sharing agreement has been changed',
  'agreement.document': 'The signed agreement has been uploaded',
  'audit.thresholds': 'The audit review thresholds have been changed: the next review uses them',
  'retention.rule': 'The retention rule has been changed: what is due is worked out again from it',
  'retention.approve': 'Removal has been approved: the sweep removes the records within a few minutes, unless a legal hold is placed first',
  'break_glass.open': 'Emergency access is open: what you read is recorded, and the information governance officer has been told',
  'break_glass.review': 'Your review of the emergency access has been recorded',
  'rights.record': 'The request has been recorded: its clock is shown below',
  'rights.decide': 'The decision has been recorded',
  'sar.record': 'The subject access request has been recorded: its clock is shown below',
  'sar.person': 'The person has been chosen: everything held about them is listed below',
  'sar.extend': 'The time limit has been extended by two months',
  'sar.redact': 'The redactions have been saved',
  'sar.complete': 'The request has been recorded as answered',
  'legal_hold.place': 'The legal hold has been placed: nothing it covers will be deleted until it is lifted',
  'legal_hold.lift': 'The legal hold has been lifted: records it kept are deleted when due and approved',
  'product.make': 'The product has been made from its template: change its sections if you need to, then generate it',
  'product.sections': 'The product’s sections have been changed',
  'product.generate': 'The product is being generated: this page shows how far it has got',
  'person.address': 'The address has been added',
  'person.alias': 'The name has been added',
  'person.identifier': 'The identifier has been added',
  'person.involvement': 'Your agency’s involvement has been recorded',
  'person.involvement-end': 'Your agency’s involvement has been ended',
  'person.marker': 'The safety marker has been added',
  'person.marker-remove': 'The safety marker has been taken down',
  'person.merge': 'The records have been merged',
  'person.merge-undo': 'The merge has been undone',
  'person.record': 'The person has been added',
  'referral.decide': 'Your decision on the referral has been recorded',
  'referral.send': 'The referral has been sent',
  'referral.withdraw': 'The referral has been withdrawn',
  'review.change': 'The rapid review has been updated',
  'service.edit': 'The service has been updated',
  'service.record': 'The service has been added',
  'sharing.confirm': 'The lawful basis has been confirmed',
  'sharing.record': 'The sharing decision has been recorded',
  'sharing.withdraw': 'The sharing decision has been withdrawn',
  'strategy.change': 'The strategy has been updated',
  'urgent-response.approve-lawful-basis': 'The lawful basis has been confirmed',
  'urgent-response.assign': 'The worker has been assigned',
  'urgent-response.attempt': 'The contact attempt has been recorded',
  'urgent-response.close': 'The urgent response has been closed',
  'urgent-response.consent': 'Consent has been recorded',
  'urgent-response.custody': 'The custody details have been saved',
  'urgent-response.lawful-basis': 'The lawful basis has been recorded: a second person must confirm it',
  'urgent-response.mash-referral': 'The MASH referral has been recorded',
  'urgent-response.needs': 'The needs assessment has been saved',
  'urgent-response.open': 'The urgent response has been opened',
  'urgent-response.plan-action': 'The action has been added to the plan',
  'urgent-response.refer-to-meeting': 'The young person has been referred to the meeting',
  'user.disable': 'The user has been disabled',
  'user.enable': 'The user has been enabled',
  'user.unlock': 'The account has been unlocked',
  'user.update': 'The user has been updated',
};

/** Routes that answer with a redirect without changing anything (searches), or in the sign-in flow. */
const NOT_CHANGES = new Set(['person.search', 'search.reference', 'episode.search', 'person.match']);
const QUIET_ACCESS = new Set(['public', 'second-factor', 'passkey-enrolment']);

/** The banner's words for a change. */
export function confirmationFor(action: string): string {
  return WORDS[action] ?? 'Your changes have been saved';
}

/** Every successful page form's redirect leaves its change on the session; the next page shown says it, once. */
export function confirmChanges(app: FastifyInstance): void {
  app.addHook('onSend', async (req, reply, payload) => {
    const { audit, access, api } = req.routeOptions.config ?? {};
    const session = req.sessionUser;
    if (req.method !== 'POST' || reply.statusCode !== 303 || api || !audit || !session || NOT_CHANGES.has(audit) || QUIET_ACCESS.has(String(access))) return payload;
    // A location with a query says its own words (the passkeys page) or is a filtered list the form returns to.
    const location = reply.getHeader('location');
    if (typeof location !== 'string' || location.includes('?')) return payload;
    await app.db.updateTable('session').set({ confirmation: audit }).where('token_hash', '=', session.tokenHash).execute();
    return payload;
  });
  app.addHook('preHandler', async (req) => {
    const session = req.sessionUser;
    if (req.method !== 'GET' || !session?.confirmation) return;
    req.confirmation = confirmationFor(session.confirmation);
    await app.db.updateTable('session').set({ confirmation: null }).where('token_hash', '=', session.tokenHash).execute();
  });
}
