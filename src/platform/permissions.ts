// What each role may do. Access is the intersection of this (the kind of
// thing), the user's agency (whose records) and, in later modules, the
// relationship (your cases, your meetings).

export const ROLES = ['coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair', 'analyst', 'board_member', 'ig_officer', 'administrator'] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  coordinator: 'Urgent response coordinator',
  caseworker: 'Caseworker or navigator',
  police: 'Police',
  enforcement: 'Council enforcement (anti-social behaviour) officer',
  panel_chair: 'Panel chair',
  analyst: 'Analyst',
  board_member: 'Board member',
  ig_officer: 'Information governance officer',
  administrator: 'Administrator',
};

const R = (...roles: Role[]) => roles;

export const PERMISSIONS = {
  'incident.read': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'incident.record': R('coordinator', 'police'),
  'incident.edit': R('coordinator', 'police'),
  // The narrative often holds intelligence and health detail: only those who act on it.
  'incident.narrative.read': R('coordinator', 'police', 'panel_chair'),
  // Without it, people appear pseudonymised (DESIGN.md: analysts see pseudonymised people).
  'person.identify': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'person.record': R('coordinator', 'caseworker', 'police'),
  // Urgent responses (seed 003): coordinators and panel chairs see their agency's; caseworkers their own.
  'urgent_response.read': R('coordinator', 'caseworker', 'panel_chair'),
  'urgent_response.read_all': R('coordinator', 'panel_chair'),
  'urgent_response.work': R('coordinator', 'caseworker'),
  'urgent_response.manage': R('coordinator'),
  // Partner systems telling Reachable of a young person: custody booking-ins (police) and A&E attendances (navigators, hospitals).
  'custody.notify': R('police', 'coordinator'),
  'hospital.refer': R('caseworker', 'coordinator'),
  // Actions from plans and meetings: an agency sees what it owes and what is owed in its records.
  'action.read': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'action.update': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  // Meetings (DRM and panels): chairs and coordinators run them; partners attend and see the minutes of their agency's meetings.
  'meeting.read': R('coordinator', 'panel_chair'),
  'meeting.run': R('coordinator', 'panel_chair'),
  // The urgent response figures: counts only, with small numbers suppressed.
  'figures.read': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  // Confirming a lawful basis for sharing without consent: a second person, never the one who recorded it.
  'sharing.approve': R('coordinator', 'panel_chair'),
  // Recording consent given or refused, or a lawful basis, on a young person's record: those who work with them.
  'sharing.record': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  // Casework (seeds 000 and 002). The person record (identity, markers, who else is involved) is the partnership's,
  // for those who work with named children; what each agency does stays with it and those it shares with.
  'person.read': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  // Merging two records of one child: a data-quality decision for coordinators, undoable.
  'person.merge': R('coordinator'),
  'family.read': R('coordinator', 'caseworker', 'panel_chair'),
  'family.manage': R('coordinator', 'caseworker'),
  // The services directory holds no personal data: everyone who plans or pays for services reads it.
  'service.read': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member', 'administrator'),
  'service.manage': R('coordinator', 'administrator'),
  // A referral is seen by the agency that sent it and the agency whose service received it.
  'referral.read': R('coordinator', 'caseworker', 'police'),
  'referral.send': R('coordinator', 'caseworker', 'police'),
  'referral.receive': R('coordinator', 'caseworker'),
  // An episode is seen by the agency doing the work and the agency that referred.
  'episode.read': R('coordinator', 'caseworker', 'police'),
  'episode.work': R('coordinator', 'caseworker'),
  // Team managers (the coordinator role in each agency) see their team's caseloads and reassign work.
  'caseload.manage': R('coordinator'),
  'cohort.decide': R('coordinator', 'caseworker', 'panel_chair'),
  // Outcomes before and after, by service and cohort: counts and medians, small numbers suppressed.
  'outcomes.read': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  // Strategy and the board (seeds 000, 004): plans, principles and indicators hold no personal data, so every partner
  // reads them; coordinators, chairs and analysts keep them up to date for the strategy lead.
  'strategy.read': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst', 'board_member'),
  'strategy.manage': R('coordinator', 'panel_chair', 'analyst'),
  // Disproportionality: counts by group against the resident population, small numbers suppressed.
  'disproportionality.read': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  'population.manage': R('analyst', 'administrator'),
  // Networks (issue 5): links between people, groups and places are the partnership's, read by those who work with
  // young people and by analysts (who see pseudonyms); recorded by those who hold the knowledge.
  'network.read': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'network.record': R('coordinator', 'caseworker', 'police'),
  // Police intelligence by its 3x5x2 handling code: P may be shared lawfully, so partners who plan the response read its
  // detail and everyone else sees only that a link exists; C carries conditions, so only the police see it at all.
  'intelligence.p': R('coordinator', 'police', 'panel_chair'),
  'intelligence.c': R('police'),
  // Contextual safeguarding: assessments of peer groups, schools and places.
  'context.read': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'context.manage': R('coordinator', 'caseworker'),
  // Places and times (issue 6): police.uk and A&E data are anonymised and shown only as counts by place and time, so
  // those who plan patrols, youth work and CCTV read them; analysts (and police analysts) import them; analysts and
  // administrators keep the code lists, term dates and place matches.
  'places.read': R('coordinator', 'caseworker', 'police', 'panel_chair', 'analyst'),
  'places.import': R('police', 'analyst'),
  'places.manage': R('analyst', 'administrator'),
  // Rapid reviews (seed 000): the learning (scope, findings, recommendations) is the partnership's and names nobody;
  // those who conduct reviews also see the timeline of the people involved, as far as their agency may.
  'review.read': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'review.conduct': R('coordinator', 'panel_chair'),
  // The board report: aggregates only, never a person.
  'board.read': R('coordinator', 'panel_chair', 'analyst', 'board_member'),
  // Orders and sanctions (issue 19): that a person has an order, and whom to contact, is for everyone who works with
  // them; its conditions and possible breaches are for those who enforce it, the police and council enforcement
  // officers, who record orders and decide every possible breach the machine finds.
  'order.read': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair'),
  'order.detail': R('police', 'enforcement'),
  'order.record': R('police', 'enforcement'),
  'order.decide': R('police', 'enforcement'),
  'order.kinds': R('administrator'),
  // Critical incidents (issue 20): the community impact assessment is the partnership's, read by everyone who works
  // on the response; declared by coordinators, the police and panel chairs, and changed only by the leading agency's.
  // Its briefing follows each section's own rules (people, network, places, orders).
  'critical.read': R('coordinator', 'caseworker', 'police', 'enforcement', 'panel_chair', 'analyst'),
  'critical.declare': R('coordinator', 'police', 'panel_chair'),
  'critical.assess': R('coordinator', 'police', 'panel_chair'),
  'critical.contacts': R('administrator'),
  // Panels (issue 23): an administrator makes meeting types from the library of agenda rules.
  'meeting_type.manage': R('administrator'),
  // Referring a young person or a context to a panel, with a reason: those who work with them.
  'panel.refer': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  // Missing episodes and return home interviews: those who work with the child, the police who report and find them,
  // and the panels that review them; recorded by the same workers and the police.
  'missing.read': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'missing.record': R('coordinator', 'caseworker', 'police'),
  // NRM referrals are made by first responders (the police, the local authority, some voluntary services).
  'nrm.read': R('coordinator', 'caseworker', 'police', 'panel_chair'),
  'nrm.record': R('coordinator', 'caseworker', 'police'),
  // Children missing education, suspended or excluded: recorded by the council's and schools' workers.
  'education.read': R('coordinator', 'caseworker', 'panel_chair'),
  'education.record': R('coordinator', 'caseworker'),
  // Intelligence products (issue 25): made by analysts and the police's intelligence team; opened by whoever they are
  // for (the whole partnership, or named agencies), under the same rules as the pages they are made from.
  'product.read': R('coordinator', 'police', 'panel_chair', 'analyst', 'board_member'),
  'product.make': R('analyst', 'police'),
  // Data sharing agreements (issue 21): the register holds no personal data; the information governance officer keeps it,
  // the board and administrators read it. Those who share are told by each refusal which agreement is missing (and
  // coordinators and chairs already have seven menu groups).
  'agreement.read': R('board_member', 'ig_officer', 'administrator'),
  'agreement.manage': R('ig_officer'),
  // Retention and legal holds (issue 21): the schedule and what is due name no one; the officer decides, administrators see.
  'retention.read': R('ig_officer', 'administrator'),
  'retention.manage': R('ig_officer'),
  // Emergency access (issue 21): those who read urgent responses may ask to read one outside their reach; the officer reviews.
  'break_glass.use': R('coordinator', 'caseworker', 'panel_chair'),
  'break_glass.review': R('ig_officer'),
  // Subject access requests (issue 21): only the officer, who sees everything held about the person to answer one.
  'sar.manage': R('ig_officer'),
  // The record of processing names no one: the board (who sign off the DPIA), the officer and administrators read it.
  'processing.read': R('board_member', 'ig_officer', 'administrator'),
  'audit.read': R('ig_officer'),
  // The audit review's thresholds are the partnership's policy, which the officer keeps.
  'audit.thresholds': R('ig_officer'),
  'admin.users': R('administrator'),
  'admin.agencies': R('administrator'),
  'admin.api_clients': R('administrator'),
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

/**
 * What a route asks of its caller: 'public' (nobody need sign in),
 * 'second-factor' (password checked, code still to come), 'signed-in' (any
 * signed-in user) or a named permission.
 */
/** second-factor: a password was given and the second factor is still to come; passkey-enrolment: both were, and the partnership requires a passkey first. */
export type Access = 'public' | 'second-factor' | 'passkey-enrolment' | 'signed-in' | Permission;

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

export function can(roles: readonly string[], permission: Permission): boolean {
  const allowed: readonly string[] = PERMISSIONS[permission];
  return roles.some((role) => allowed.includes(role));
}
