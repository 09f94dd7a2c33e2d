// Critical incidents (issue 20; seed 003 steps f and g, seed 004 5.1.13 and
// 5.2.3): the words, the tension scale with what each level means, the
// review intervals, and reading each form. Pure: no SQL, no HTTP.
import { FormErrors, choice, choices, dateTimeInput, str, text, type Body } from '../../platform/forms.ts';
import type { KnoxResult } from '../../analysis/knox.ts';

export const REASONS = {
  young_person_harmed: 'A young person stabbed or shot',
  death: 'A death',
  series: 'A series of linked incidents',
  disorder_risk: 'A risk of disorder or retaliation',
  other: 'Another reason',
} as const;
export type Reason = keyof typeof REASONS;

/**
 * The tension scale, written on every assessment so that every assessor
 * scores alike: five levels from the area's usual state to disorder or
 * retaliation happening, each defined by the information held rather than
 * by a feeling.
 */
export const TENSION_LEVELS = {
  1: { name: 'Normal', meaning: 'Tension is at the level usual for the area: no sign of retaliation, gatherings or unusual talk.' },
  2: { name: 'Raised', meaning: 'Concern and talk in the community or online, but no information that anyone intends harm or disorder.' },
  3: { name: 'Elevated', meaning: 'Signs that retaliation or gatherings may happen (threats online, rival groups named, people gathering), not yet specific or credible.' },
  4: { name: 'High', meaning: 'Specific or credible information that retaliation, further violence or disorder is planned.' },
  5: { name: 'Critical', meaning: 'Retaliation, further violence or disorder is happening or is about to.' },
} as const;
export type TensionLevel = 1 | 2 | 3 | 4 | 5;
export const tensionName = (level: number) => `${level}: ${TENSION_LEVELS[level as TensionLevel]?.name ?? 'unknown'}`;

/** What the issue asks assessors to look for; each is recorded as seen, not seen or not known, with its evidence. */
export const INDICATOR_KINDS = {
  retaliation: 'Risk of retaliation',
  rival_groups: 'Rival groups involved',
  social_media: 'Social media activity',
  gatherings: 'Gatherings',
  previous_incidents: 'Previous incidents nearby',
  anniversaries: 'Anniversaries or dates that matter',
} as const;
export type IndicatorKind = keyof typeof INDICATOR_KINDS;
export const INDICATOR_STATES = { seen: 'Seen', not_seen: 'Not seen', not_known: 'Not known' } as const;
export type IndicatorState = keyof typeof INDICATOR_STATES;

export interface Indicator {
  kind: IndicatorKind;
  state: IndicatorState;
  evidence: string | null;
  /** People in the incident the evidence names: only those who may see people read it. */
  people: string[];
}

export const PARTNER_KINDS = {
  police: 'Police',
  council: 'Council',
  school: 'School or college',
  faith: 'Faith group',
  voluntary: 'Voluntary or community group',
  residents: 'Residents’ association',
  business: 'Business',
  other: 'Other',
} as const;
export const CHANNELS = { press: 'Press statement', social_media: 'Social media', community_meeting: 'Community meeting', letter: 'Letter or leaflet', school: 'Message to schools', other: 'Other' } as const;
export const CONTACT_KINDS = { consulted: 'Consulted', borough_told: 'Neighbouring borough told', said: 'Said in public' } as const;
export type ContactKind = keyof typeof CONTACT_KINDS;

export const REASSURANCE_KINDS = {
  patrols: 'Visible patrols',
  school_message: 'A message to schools',
  community_meeting: 'A community meeting',
  leaflet: 'A leaflet',
  outreach: 'Outreach',
  youth_provision: 'Extra youth provision',
  other: 'Other reassurance',
} as const;
export type ReassuranceKind = keyof typeof REASSURANCE_KINDS;

export const CLOSURE_REASONS = {
  tension_normal: 'Tension has returned to normal',
  business_as_usual: 'The work continues as usual business (casework, meetings)',
  not_critical: 'On review, it was not a critical incident',
  other: 'Another reason',
} as const;

/** Neighbouring boroughs are suggested for an incident this close to their boundary (seed 004 5.2.3's inter-borough tensions). */
export const BORDER_METRES = 1_000;
/** The briefing's place history: incidents this close, over this many months. */
export const HISTORY_METRES = 250;
export const HISTORY_MONTHS = 12;
/** Schools whose pupils pass the place: this close. */
export const SCHOOL_METRES = 400;
/** Places an assessment may name as affected: this close. */
export const AFFECTED_METRES = 1_000;

const HOUR = 3_600_000;
/** Reviews after the declaration (the 24 hours, 72 hours, 7 days, then weekly until closed). */
export const REVIEW_HOURS = [24, 72, 168] as const;

/** When review number `n` (1 for the first after the assessment) is due: 24 h, 72 h and 7 days after the declaration, then a week after the one before. */
export function reviewDueAt(declaredAt: Date, n: number): Date {
  if (n < 1) throw new RangeError('Reviews are numbered from 1');
  const hours = n <= REVIEW_HOURS.length ? REVIEW_HOURS[n - 1] : REVIEW_HOURS[REVIEW_HOURS.length - 1] + 168 * (n - REVIEW_HOURS.length);
  return new Date(declaredAt.getTime() + hours * HOUR);
}

/**
 * What is next: the first assessment (due at once, and overdue once the first
 * review would have fallen due without it), or the next review, with whether
 * it is overdue now.
 */
export function nextStep(declaredAt: Date, assessments: number, now = new Date()): { kind: 'assessment' | 'review'; number: number; dueAt: Date; overdue: boolean } {
  if (assessments === 0) return { kind: 'assessment', number: 0, dueAt: declaredAt, overdue: now > reviewDueAt(declaredAt, 1) };
  const dueAt = reviewDueAt(declaredAt, assessments);
  return { kind: 'review', number: assessments, dueAt, overdue: now > dueAt };
}

/** How the tension level moved between two versions, in words. */
export function tensionChange(before: number | null, after: number): string {
  if (before === null) return `Assessed at ${tensionName(after)}`;
  if (after === before) return `Unchanged at ${tensionName(after)}`;
  return `${after > before ? 'Rose' : 'Fell'} from ${tensionName(before)} to ${tensionName(after)}`;
}

/** What a version holds besides its tension level, as stored. */
export interface VersionFacts {
  wards: string[];
  communities: string | null;
  place_ids: string[];
  risks: string | null;
  holding_line: string | null;
  spokesperson: string | null;
  indicators: Indicator[];
}

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const FIELDS: [keyof Omit<VersionFacts, 'indicators'>, string][] = [
  ['wards', 'wards'],
  ['communities', 'communities affected'],
  ['place_ids', 'places affected'],
  ['risks', 'risks'],
  ['holding_line', 'holding line'],
  ['spokesperson', 'who speaks'],
];

/** What else a review changed, in words: each part changed, and each indicator seen or no longer seen. */
export function otherChanges(before: VersionFacts, after: VersionFacts): string[] {
  // Places are a set: the same places in another order are no change.
  const norm = (v: string[] | string | null) => (Array.isArray(v) ? [...v].sort() : v);
  const out = FIELDS.filter(([field]) => !same(norm(before[field]), norm(after[field]))).map(([, label]) => label);
  for (const kind of Object.keys(INDICATOR_KINDS) as IndicatorKind[]) {
    const was = before.indicators.find((i) => i.kind === kind);
    const now = after.indicators.find((i) => i.kind === kind);
    const label = INDICATOR_KINDS[kind].toLowerCase();
    if (was?.state !== now?.state) out.push(`${label}: ${was ? INDICATOR_STATES[was.state].toLowerCase() : 'not recorded'} to ${now ? INDICATOR_STATES[now.state].toLowerCase() : 'not recorded'}`);
    else if (!same(was?.evidence, now?.evidence) || !same(was?.people, now?.people)) out.push(`${label}: evidence`);
  }
  return out;
}

export interface Declaration {
  reason: Reason;
  reasonDetail: string | null;
}

export function readDeclaration(body: Body, errors: FormErrors): Declaration | null {
  const reason = choice(body, 'reason', errors, Object.keys(REASONS) as Reason[], 'Select why this is a critical incident');
  const reasonDetail = text(body, 'reasonDetail', errors, { label: 'More about the reason', max: 2000, required: reason === 'other', missing: 'Say why this is a critical incident' });
  return errors.any || !reason ? null : { reason, reasonDetail };
}

export interface AssessmentInput {
  tensionLevel: TensionLevel;
  tensionReason: string;
  wards: string[];
  communities: string | null;
  placeIds: string[];
  indicators: Indicator[];
  risks: string | null;
  holdingLine: string | null;
  spokesperson: string | null;
}

/** The assessment form, for the first assessment and every review alike. */
export function readAssessment(body: Body, errors: FormErrors, allowed: { placeIds: string[]; personIds: string[] }): AssessmentInput | null {
  const level = Number(str(body, 'tensionLevel'));
  const tensionLevel = [1, 2, 3, 4, 5].includes(level) ? (level as TensionLevel) : null;
  if (!tensionLevel) errors.add('tensionLevel', 'Select the tension level');
  const tensionReason = text(body, 'tensionReason', errors, { label: 'Why this level', required: true, max: 4000, missing: 'Say why you chose this tension level' });
  const wardsText = text(body, 'wards', errors, { label: 'Wards', max: 500 });
  const wards = [...new Set((wardsText ?? '').split(/[,\n]/).map((w) => w.trim()).filter(Boolean))];
  if (wards.some((w) => w.length > 80)) errors.add('wards', 'Each ward’s name must be 80 characters or fewer');
  const communities = text(body, 'communities', errors, { label: 'Communities affected', max: 4000 });
  const placeIds = choices(body, 'places', errors, allowed.placeIds, 'Select places from the list');
  const indicators: Indicator[] = [];
  for (const kind of Object.keys(INDICATOR_KINDS) as IndicatorKind[]) {
    const state = choice(body, `indicator-${kind}`, errors, Object.keys(INDICATOR_STATES) as IndicatorState[], `Select whether ${INDICATOR_KINDS[kind].toLowerCase()} has been seen`);
    const evidence = text(body, `evidence-${kind}`, errors, { label: `The evidence for ${INDICATOR_KINDS[kind].toLowerCase()}`, max: 4000, required: state === 'seen', missing: `Give the evidence for ${INDICATOR_KINDS[kind].toLowerCase()}` });
    const people = choices(body, `people-${kind}`, errors, allowed.personIds, 'Select people from the incident');
    if (state) indicators.push({ kind, state, evidence, people });
  }
  const risks = text(body, 'risks', errors, { label: 'Risks', max: 4000 });
  const holdingLine = text(body, 'holdingLine', errors, { label: 'Holding line', max: 2000 });
  const spokesperson = text(body, 'spokesperson', errors, { label: 'Who speaks for the partnership', max: 200 });
  if (errors.any || !tensionLevel || !tensionReason) return null;
  return { tensionLevel, tensionReason, wards, communities, placeIds, indicators, risks, holdingLine, spokesperson };
}

export interface ContactInput {
  kind: ContactKind;
  party: string;
  partyKind: string;
  happenedAt: Date;
  byWhom: string;
  what: string;
}

/** One entry in the record of contact: a partner consulted, a neighbouring borough told, or something said in public. */
export function readContact(body: Body, errors: FormErrors, boroughs: string[], now = new Date()): ContactInput | null {
  const kind = choice(body, 'contactKind', errors, Object.keys(CONTACT_KINDS) as ContactKind[], 'Select what kind of contact this was');
  let party: string | null = null;
  let partyKind: string | null = null;
  if (kind === 'consulted') {
    partyKind = choice(body, 'partnerKind', errors, Object.keys(PARTNER_KINDS), 'Select who was consulted');
    party = text(body, 'party', errors, { label: 'Who was consulted', required: true, max: 200, missing: 'Enter the organisation or person consulted' });
  } else if (kind === 'borough_told') {
    party = choice(body, 'borough', errors, boroughs, 'Select the borough told');
    partyKind = 'borough';
  } else if (kind === 'said') {
    partyKind = choice(body, 'channel', errors, Object.keys(CHANNELS), 'Select where it was said');
    party = text(body, 'where', errors, { label: 'Where it was said', required: true, max: 200, missing: 'Enter where it was said, like “Waltham Forest Council’s website”' });
  }
  const happenedAt = dateTimeInput(body, 'happenedAt', errors, { label: 'When', required: true, notFuture: true, minYear: 2000 }, now);
  const byWhom = text(body, 'byWhom', errors, { label: 'By whom', required: true, max: 200, missing: 'Enter who made the contact' });
  const what = text(body, 'what', errors, { label: 'What was said', required: true, max: 4000, missing: 'Enter what was said' });
  if (errors.any || !kind || !party || !partyKind || !happenedAt || !byWhom || !what) return null;
  return { kind, party, partyKind, happenedAt, byWhom, what };
}

export function readReassuranceKind(body: Body, errors: FormErrors): ReassuranceKind | null {
  return choice(body, 'reassuranceKind', errors, Object.keys(REASSURANCE_KINDS) as ReassuranceKind[], 'Select the kind of reassurance');
}

export function readClosure(body: Body, errors: FormErrors): string | null {
  const reason = choice(body, 'closureReason', errors, Object.keys(CLOSURE_REASONS) as (keyof typeof CLOSURE_REASONS)[], 'Select why the assessment is closing');
  const words = text(body, 'closureWords', errors, { label: 'More about why', max: 2000, required: reason === 'other', missing: 'Say why the assessment is closing' });
  if (errors.any || !reason) return null;
  return words ? `${CLOSURE_REASONS[reason]}: ${words}` : CLOSURE_REASONS[reason];
}

/**
 * The near-repeat window the area's Knox results imply: the widest distance
 * and the longest time band among cells with more pairs than chance at the
 * 5% level (the "more than" row and column say nothing about nearness and
 * are left out). Null when no cell is raised.
 */
export function nearRepeatWindow(result: KnoxResult): { metres: number; days: number; cells: { space: string; time: string; ratio: number; p: number }[] } | null {
  const raised: { r: number; c: number }[] = [];
  result.cells.slice(0, -1).forEach((row, r) => row.slice(0, -1).forEach((cell, c) => cell.p <= 0.05 && cell.ratio > 1 && raised.push({ r, c })));
  if (!raised.length) return null;
  const r = Math.max(...raised.map((x) => x.r));
  const c = Math.max(...raised.map((x) => x.c));
  return {
    metres: r === 0 ? 0 : result.spaceBands[r - 1],
    days: result.timeBands[c],
    cells: raised.map(({ r, c }) => ({ space: result.rows[r], time: result.columns[c], ratio: result.cells[r][c].ratio, p: result.cells[r][c].p })),
  };
}
