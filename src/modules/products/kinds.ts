// The intelligence products (issue 25) and the sections they are made of.
// Each product is a template: its period, who it is for by default, and the
// sections an analyst starts from, then orders, leaves out or adds to. The
// recurring products are those the seeds ask for: the gangs problem profile
// that "informs the monthly IGU Intelligence meeting" (the Gang Violence
// Strategy, 5.1.3), A&E data in "the monthly intelligence picture" (5.2.4),
// the board's quarterly report, and the strategy's annual needs assessment
// (Tackling serious youth violence).
import { randomUUID } from 'node:crypto';
import { can, type Permission } from '../../platform/permissions.ts';
import { SOURCE_CODES, type Source } from '../hotspots/events.ts';
import type { Subject } from '../disproportionality/queries.ts';

export const SECTION_KINDS = {
  changes: 'What changed since the period before',
  hot_spots: 'Hot spots',
  hot_times: 'Hot times',
  near_repeats: 'Near repeats',
  groups: 'Groups active in the period',
  urgent_response: 'The 48-hour urgent response',
  indicators: 'Indicators against target',
  disproportionality: 'Disproportionality',
  orders: 'Orders and possible breaches',
  critical_incidents: 'Critical incidents',
  assessment: 'Analyst’s assessment',
} as const;
export type SectionKind = keyof typeof SECTION_KINDS;
export const SECTION_CODES = Object.keys(SECTION_KINDS) as SectionKind[];
/**
 * The pages each section is drawn from: in a product for named agencies a
 * reader (and its maker) sees a section only if their role opens one of
 * them, as on the pages themselves. A product for the whole partnership
 * holds counts only, like the board report, so every reader sees it all.
 */
export const SECTION_PAGES: Record<SectionKind, { permissions: Permission[]; page: string }> = {
  changes: { permissions: ['places.read'], page: 'Hot spots' },
  hot_spots: { permissions: ['places.read'], page: 'Hot spots' },
  hot_times: { permissions: ['places.read'], page: 'Hot times' },
  near_repeats: { permissions: ['places.read'], page: 'Near repeats' },
  groups: { permissions: ['network.read'], page: 'Networks' },
  urgent_response: { permissions: ['figures.read'], page: 'Figures' },
  indicators: { permissions: ['strategy.read'], page: 'Strategy' },
  disproportionality: { permissions: ['disproportionality.read'], page: 'Disproportionality' },
  orders: { permissions: ['order.read', 'board.read'], page: 'Orders' },
  critical_incidents: { permissions: ['critical.read', 'board.read'], page: 'Critical incidents' },
  assessment: { permissions: ['product.read'], page: 'Intelligence products' },
};

/** Whether a role may see this section of a product for this audience. */
export const sectionOpen = (roles: readonly string[], kind: SectionKind, audience: Audience) => audience === 'partnership' || SECTION_PAGES[kind].permissions.some((p) => can(roles, p));

/** Sections that read events by place and time, so take a choice of sources. */
export const SOURCED: SectionKind[] = ['changes', 'hot_spots', 'hot_times', 'near_repeats'];

/** The 3x5x2 grading of what an assessment says (College of Policing APP on intelligence management). */
export interface Grading {
  sourceEvaluation: '1' | '2' | '3';
  intelligenceAssessment: 'A' | 'B' | 'C' | 'D' | 'E';
  handlingCode: 'P' | 'C';
}

export interface Section {
  /** A stable id within the product, for the page's move and remove buttons. */
  id: string;
  kind: SectionKind;
  /** The analyst's heading for an assessment; others use the kind's name. */
  title?: string;
  sources?: Source[];
  /** Whose lists the disproportionality section compares. */
  subject?: Subject;
  text?: string;
  grading?: Grading;
}

export const AUDIENCES = {
  partnership: 'The whole partnership: counts only, small numbers hidden, nobody named',
  restricted: 'Named agencies only: people named, or pseudonymised for roles that do not see names',
} as const;
export type Audience = keyof typeof AUDIENCES;

export interface ProductKind {
  label: string;
  /** How many months the period covers, ending with the month chosen. */
  months: number;
  audience: Audience;
  purpose: string;
  sections: Omit<Section, 'id'>[];
}

const ALL: Source[] = SOURCE_CODES;

export const PRODUCT_KINDS = {
  problem_profile: {
    label: 'Monthly problem profile',
    months: 1,
    audience: 'restricted',
    purpose: 'The month’s picture of serious youth violence for the intelligence team and the gangs intelligence meeting: where and when it happened, who is active, and what changed.',
    sections: [{ kind: 'changes', sources: ALL }, { kind: 'hot_spots', sources: ALL }, { kind: 'hot_times', sources: ALL }, { kind: 'near_repeats', sources: ['partnership', 'istv'] }, { kind: 'groups' }, { kind: 'urgent_response' }, { kind: 'critical_incidents' }, { kind: 'orders' }],
  },
  intelligence_pack: {
    label: 'Intelligence meeting pack',
    months: 1,
    audience: 'restricted',
    purpose: 'The pack for the gangs intelligence meeting: the last month’s changes, hot spots and groups, made the working day before the meeting and attached to its agenda.',
    sections: [{ kind: 'changes', sources: ALL }, { kind: 'groups' }, { kind: 'hot_spots', sources: ALL }, { kind: 'hot_times', sources: ALL }, { kind: 'critical_incidents' }, { kind: 'orders' }],
  },
  board_pack: {
    label: 'Quarterly board pack',
    months: 3,
    audience: 'partnership',
    purpose: 'The quarter for the partnership board: the urgent response, indicators against target, where violence happened, and whether any group of young people is treated differently.',
    sections: [{ kind: 'urgent_response' }, { kind: 'indicators' }, { kind: 'hot_spots', sources: ['partnership', 'istv'] }, { kind: 'disproportionality', subject: 'knife_victims' }, { kind: 'disproportionality', subject: 'urgent_responses' }, { kind: 'critical_incidents' }, { kind: 'orders' }],
  },
  needs_assessment: {
    label: 'Annual strategic needs assessment',
    months: 12,
    audience: 'partnership',
    purpose: 'The year’s evidence for the strategy: where, when and to whom serious youth violence happens, how the response performs, and whose needs are met less well.',
    sections: [{ kind: 'indicators' }, { kind: 'hot_spots', sources: ALL }, { kind: 'hot_times', sources: ALL }, { kind: 'urgent_response' }, { kind: 'disproportionality', subject: 'knife_victims' }, { kind: 'disproportionality', subject: 'cohort' }, { kind: 'groups' }, { kind: 'orders' }],
  },
} as const satisfies Record<string, ProductKind>;
export type ProductKindCode = keyof typeof PRODUCT_KINDS;
export const PRODUCT_KIND_CODES = Object.keys(PRODUCT_KINDS) as ProductKindCode[];

export const sectionId = () => randomUUID().slice(0, 8);

/** A product's sections as its template has them, each with its own id. */
export function templateSections(kind: ProductKindCode): Section[] {
  return PRODUCT_KINDS[kind].sections.map((s) => ({ ...s, ...('sources' in s ? { sources: [...s.sources] } : {}), id: sectionId() }) as Section);
}

/** The heading a section has in the contents and the document. */
export function sectionTitle(s: Section, subjects: Record<string, { label: string }>): string {
  if (s.kind === 'assessment') return s.title || SECTION_KINDS.assessment;
  if (s.kind === 'disproportionality' && s.subject) return `${SECTION_KINDS.disproportionality}: ${subjects[s.subject]?.label ?? s.subject}`;
  return SECTION_KINDS[s.kind];
}
