// The service navigation, grouped by what people do rather than by module
// (issue 22): at most seven entries for any role, each opening the first page
// of its group the role may use, with the rest of the group as MoJ
// sub-navigation on every page in it.
import { can, type Permission, type Role } from './permissions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Counts beside navigation entries for this request's page (a coordinator's breached clocks). */
    navBadges?: Badge[];
  }
}

export interface NavItem {
  text: string;
  href: string;
  permission: Permission | 'signed-in';
  /** Pages reached from this one that belong with it (an episode from the caseload). */
  also?: string[];
}

interface NavGroup {
  text: string;
  items: NavItem[];
}

export const NAVIGATION: NavGroup[] = [
  {
    text: 'Today',
    items: [
      { text: 'Today', href: '/', permission: 'signed-in' },
      { text: 'Notifications', href: '/notifications', permission: 'signed-in' },
    ],
  },
  {
    text: 'Responses',
    items: [
      { text: 'Urgent responses', href: '/urgent-responses', permission: 'urgent_response.read' },
      { text: 'Incidents', href: '/incidents', permission: 'incident.read' },
      { text: 'Critical incidents', href: '/critical-incidents', permission: 'critical.read' },
    ],
  },
  {
    text: 'Young people',
    items: [
      { text: 'Caseload', href: '/caseload', permission: 'episode.work', also: ['/episodes', '/cohorts'] },
      { text: 'People', href: '/people', permission: 'person.read', also: ['/families'] },
      { text: 'Referrals', href: '/referrals', permission: 'referral.read' },
      { text: 'Services', href: '/services', permission: 'service.read' },
      // Its map and possible breaches are under /orders.
      { text: 'Orders', href: '/orders', permission: 'order.read' },
      { text: 'Missing episodes', href: '/missing-episodes', permission: 'missing.read' },
      { text: 'NRM referrals', href: '/nrm-referrals', permission: 'nrm.read' },
    ],
  },
  {
    text: 'Meetings',
    items: [
      { text: 'Meetings', href: '/meetings', permission: 'meeting.read' },
      { text: 'Actions', href: '/actions', permission: 'action.read' },
    ],
  },
  {
    text: 'Places and times',
    items: [
      { text: 'Hot spots', href: '/hot-spots', permission: 'places.read' },
      { text: 'Hot times', href: '/hot-times', permission: 'places.read' },
      { text: 'Near repeats', href: '/near-repeats', permission: 'places.read' },
      { text: 'Tasking', href: '/tasking', permission: 'places.read' },
      { text: 'Contexts', href: '/contexts', permission: 'context.read' },
      { text: 'Imports', href: '/imports', permission: 'places.import' },
    ],
  },
  { text: 'Networks', items: [{ text: 'Networks', href: '/network', permission: 'network.read', also: ['/groups', '/links'] }] },
  {
    text: 'Strategy',
    items: [
      { text: 'Strategy', href: '/strategy', permission: 'strategy.read', also: ['/indicators'] },
      { text: 'Board report', href: '/board', permission: 'board.read' },
      { text: 'Intelligence products', href: '/products', permission: 'product.read' },
      { text: 'Figures', href: '/figures', permission: 'figures.read' },
      { text: 'Outcomes', href: '/outcomes', permission: 'outcomes.read' },
      { text: 'Disproportionality', href: '/disproportionality', permission: 'disproportionality.read' },
      { text: 'Rapid reviews', href: '/reviews', permission: 'review.read' },
    ],
  },
  {
    text: 'Administration',
    items: [
      { text: 'Users', href: '/admin/users', permission: 'admin.users' },
      { text: 'Agencies', href: '/admin/agencies', permission: 'admin.agencies' },
      { text: 'API clients', href: '/admin/api-clients', permission: 'admin.api_clients' },
      { text: 'Kinds of order', href: '/admin/order-kinds', permission: 'order.kinds' },
      { text: 'Critical incident contacts', href: '/admin/critical-incident-contacts', permission: 'critical.contacts' },
      { text: 'Meeting types', href: '/meeting-types', permission: 'meeting_type.manage' },
      { text: 'Data sharing agreements', href: '/sharing-agreements', permission: 'agreement.read' },
      { text: 'What we hold', href: '/what-we-hold', permission: 'processing.read' },
      { text: 'Retention', href: '/retention', permission: 'retention.read' },
      { text: 'Legal holds', href: '/legal-holds', permission: 'retention.read' },
      { text: 'Emergency access', href: '/emergency-access', permission: 'break_glass.review' },
      { text: 'Subject access requests', href: '/subject-access', permission: 'sar.manage' },
      { text: 'Other data rights requests', href: '/rights-requests', permission: 'sar.manage' },
      { text: 'Audit', href: '/audit', permission: 'audit.read' },
      { text: 'Audit review', href: '/audit/review', permission: 'audit.read' },
    ],
  },
];

const under = (path: string, href: string) => (href === '/' ? path === '/' : path === href || path.startsWith(href + '/'));
const isUnder = (path: string, item: NavItem) => [item.href, ...(item.also ?? [])].some((href) => under(path, href));

/** A count beside a group's entry, as the MoJ notification badge shows it, with the words a screen reader says. */
export interface Badge {
  group: string;
  count: number;
  words: string;
}

export interface Navigation {
  navigation: { text: string; href: string; active: boolean; html?: string }[];
  subNavigation: { label: string; items: { text: string; href: string; active: boolean }[] } | null;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The groups a user's roles reach, each with the pages in it they may use. */
export function groupsFor(roles: readonly string[]): NavGroup[] {
  return NAVIGATION.map((g) => ({ ...g, items: g.items.filter((i) => i.permission === 'signed-in' || can(roles as Role[], i.permission)) })).filter((g) => g.items.length);
}

/** The entries a user's roles allow, the group of the page they are on open beneath them. */
export function navigationFor(roles: readonly string[], currentPath: string, badges: Badge[] = []): Navigation {
  const groups = groupsFor(roles);
  const current = groups.find((g) => g.items.some((i) => isUnder(currentPath, i)));
  return {
    navigation: groups.map((g) => {
      const badge = badges.find((b) => b.group === g.text && b.count > 0);
      return {
        text: g.text,
        href: g.items[0].href,
        active: g === current,
        ...(badge ? { html: `${escape(g.text)} <span class="moj-notification-badge">${badge.count}<span class="govuk-visually-hidden"> ${escape(badge.words)}</span></span>` } : {}),
      };
    }),
    subNavigation:
      current && current.items.length > 1 ? { label: current.text, items: current.items.map((i) => ({ text: i.text, href: i.href, active: isUnder(currentPath, i) })) } : null,
  };
}
