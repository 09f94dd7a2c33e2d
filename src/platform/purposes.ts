// Why personal data is processed (issue 21): every audit event records the
// purpose of the work that wrote it, so the information governance officer
// can answer "why was this child's record opened?" and the record of
// processing can say what each purpose covers. A route's purpose follows
// from the part of the service it belongs to (its path); emergency access
// ("break-glass") is its own purpose, set wherever a grant was used.
export const PURPOSES = {
  urgent_response: 'Reaching young people after an incident (the Urgent Response protocol)',
  casework: 'Casework: people, families, referrals, support and outcomes',
  meeting: 'Multi-agency meetings and panels',
  network: 'Safeguarding outside the home: networks, groups, places and contexts',
  exploitation: 'Missing children, exploitation and time out of school',
  enforcement: 'Orders, their conditions and breaches',
  community_impact: 'Critical incidents and community impact',
  analysis: 'Analysis of places and times of violence, and products made from it',
  strategy: 'Strategy, indicators, reviews and the board',
  governance: 'Information governance: audit, retention, holds, sharing agreements and subject access',
  administration: 'Running the service: users, agencies, sign-in and settings',
  break_glass: 'Emergency access outside the user’s usual reach (break-glass)',
} as const;
export type Purpose = keyof typeof PURPOSES;

/** The first part of a path (after /api/v1 for the API) and the purpose of its pages. */
const BY_SECTION: Record<string, Purpose> = {
  'urgent-responses': 'urgent_response',
  incidents: 'urgent_response',
  notifications: 'urgent_response',
  'custody-notifications': 'urgent_response',
  'hospital-referrals': 'urgent_response',
  'who-else': 'network',
  people: 'casework',
  families: 'casework',
  episodes: 'casework',
  referrals: 'casework',
  caseload: 'casework',
  services: 'casework',
  actions: 'casework',
  cohorts: 'casework',
  search: 'casework',
  '': 'casework',
  meetings: 'meeting',
  'meeting-types': 'meeting',
  network: 'network',
  groups: 'network',
  links: 'network',
  contexts: 'network',
  places: 'network',
  'missing-episodes': 'exploitation',
  'nrm-referrals': 'exploitation',
  orders: 'enforcement',
  'critical-incidents': 'community_impact',
  'hot-spots': 'analysis',
  'hot-times': 'analysis',
  'near-repeats': 'analysis',
  tasking: 'analysis',
  imports: 'analysis',
  disproportionality: 'analysis',
  figures: 'analysis',
  outcomes: 'analysis',
  products: 'analysis',
  'term-dates': 'analysis',
  strategy: 'strategy',
  indicators: 'strategy',
  reviews: 'strategy',
  board: 'strategy',
  audit: 'governance',
  retention: 'governance',
  'legal-holds': 'governance',
  'sharing-agreements': 'governance',
  'emergency-access': 'governance',
  'subject-access': 'governance',
  'rights-requests': 'governance',
  'what-we-hold': 'governance',
  'what-we-hold.csv': 'governance',
  admin: 'administration',
  account: 'administration',
  'sign-in': 'administration',
  'sign-out': 'administration',
  'set-up': 'administration',
};

/** The purpose of a route's work, from its path (`/api/v1/incidents/:id` is an incident's). Null for a part not listed. */
export function purposeOf(url: string | undefined): Purpose | null {
  if (url === undefined) return null;
  const parts = url.split('?')[0].split('/').filter(Boolean);
  const section = parts[0] === 'api' ? (parts[2] ?? '') : (parts[0] ?? '');
  return BY_SECTION[section] ?? null;
}
