// Associations, groups and places (issue 5): the words, and the checks every
// link goes through. Seed 003 asks for the wider network of a young person;
// the Information Commissioner's 2018 finding on the Gangs Matrix says how
// not to: every link here has a source, a reason, dates, a review date no
// more than a year away, and a way off; victims and suspects are never one
// undifferentiated "nominal".
import { FormErrors, choice, choices, dateInput, optionalChoice, str, text, type Body } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';
import { INVOLVEMENT_ROLES } from '../incidents/rules.ts';

export const PERSON_LINK_TYPES = {
  family: 'Family',
  friend: 'Friend',
  associate: 'Associate',
  co_offender: 'Co-offender',
  conflict: 'Conflict or rivalry',
  exploitation: 'Exploitation',
  victim_suspect: 'Victim and suspect',
} as const;
export type PersonLinkType = keyof typeof PERSON_LINK_TYPES;

export const PERSON_PLACE_TYPES = { lives: 'Lives at', frequents: 'Frequents', attends_school: 'Attends school at', deals_from: 'Deals from' } as const;
export const GROUP_PLACE_TYPES = { frequents: 'Frequents', deals_from: 'Deals from', area_claimed: 'Claims as its area' } as const;
export const GROUP_RELATIONS = { rivalry: 'Rivalry', alliance: 'Alliance' } as const;
export const GROUP_KINDS = { peer_group: 'Peer group', street_gang: 'Street gang', ocg: 'Organised crime group' } as const;
export type GroupKind = keyof typeof GROUP_KINDS;
export const PLACE_KINDS = { school: 'School', station: 'Station', park: 'Park', pub: 'Pub or bar', estate: 'Estate', shops: 'Shops', youth_centre: 'Youth centre', street: 'Street', faith: 'Place of worship', community: 'Community venue', other: 'Other' } as const;
export type PlaceKind = keyof typeof PLACE_KINDS;

/**
 * Links that follow from the records rather than being typed: two people in
 * one incident (with their roles), and two members of one group.
 */
export const DERIVED_TYPES = { incident: 'In the same incident', group: 'In the same group' } as const;
/** Every kind of link between two people that "who else" and the network picture can filter by. */
export const WALK_TYPES = { ...PERSON_LINK_TYPES, ...DERIVED_TYPES } as const;
export type WalkType = keyof typeof WALK_TYPES;
export const WALK_TYPE_CODES = Object.keys(WALK_TYPES) as WalkType[];

// The 3x5x2 intelligence grading (College of Policing, Authorised Professional Practice on intelligence management).
export const SOURCE_EVALUATIONS = { '1': '1: reliable', '2': '2: untested', '3': '3: not reliable' } as const;
export const INTELLIGENCE_ASSESSMENTS = {
  A: 'A: known directly to the source',
  B: 'B: known indirectly to the source but corroborated',
  C: 'C: known indirectly to the source',
  D: 'D: not known',
  E: 'E: suspected to be false or malicious',
} as const;
export const HANDLING_CODES = { P: 'P: lawful sharing permitted', C: 'C: lawful sharing permitted subject to conditions' } as const;
export type HandlingCode = keyof typeof HANDLING_CODES;

/** A grading in words beside its code (2BP: "2: untested; B: known indirectly to the source but corroborated; P: lawful sharing permitted"). */
export function gradingWords(g: { source_evaluation: string | number | null; intelligence_assessment: string | null; handling_code: string | null }): string {
  const parts = [
    SOURCE_EVALUATIONS[String(g.source_evaluation) as keyof typeof SOURCE_EVALUATIONS],
    INTELLIGENCE_ASSESSMENTS[g.intelligence_assessment as keyof typeof INTELLIGENCE_ASSESSMENTS],
    HANDLING_CODES[g.handling_code as HandlingCode],
  ];
  return parts.filter(Boolean).join('; ');
}

/** A new link is due for review in six months unless the recorder says sooner. */
export const REVIEW_MONTHS = 6;
/** No link may go more than a year without review: the Gangs Matrix kept people on it with no end. */
export const MAX_REVIEW_DAYS = 366;

export const defaultReviewOn = (today = londonToday()) => addDays(today, Math.round((REVIEW_MONTHS * 365) / 12));

export interface Grading {
  sourceEvaluation: number;
  assessment: string;
  handlingCode: HandlingCode;
  conditions: string | null;
}

export interface LinkFacts {
  validFrom: string;
  validTo: string | null;
  reason: string;
  reviewOn: string;
  grading: Grading | null;
}

/** A review date: required, in the future, and within a year, because nothing about a young person stays on a list unreviewed. */
export function readReviewOn(body: Body, name: string, errors: FormErrors, what: string, today = londonToday()): string | null {
  const reviewOn = dateInput(body, name, errors, { label: 'The review date', required: true });
  if (reviewOn && reviewOn <= today) errors.add(`${name}-day`, 'The review date must be in the future');
  else if (reviewOn && reviewOn > addDays(today, MAX_REVIEW_DAYS)) errors.add(`${name}-day`, `The review date must be within a year: ${what} is reviewed at least once a year`);
  else return reviewOn;
  return null;
}

/** What every link needs: when it was true, why it is recorded, when it is reviewed, and its grading if it is intelligence. */
export function readLinkFacts(body: Body, errors: FormErrors, today = londonToday()): LinkFacts | null {
  const validFrom = dateInput(body, 'validFrom', errors, { label: 'The date it was true from', required: true, notFuture: true });
  const validTo = dateInput(body, 'validTo', errors, { label: 'The date it stopped being true' });
  if (validFrom && validTo && validTo < validFrom) errors.add('validTo-day', 'The date it stopped being true must be the same as or after the date it was true from');
  const reason = text(body, 'reason', errors, { label: 'The reason', required: true, max: 2000, missing: 'Enter the reason for recording this link and what it is based on' });
  const reviewOn = readReviewOn(body, 'reviewOn', errors, 'every link', today);
  const grading = readGrading(body, errors);
  if (errors.any || !validFrom || !reason || !reviewOn) return null;
  return { validFrom, validTo, reason, reviewOn, grading };
}

function readGrading(body: Body, errors: FormErrors): Grading | null {
  const source = optionalChoice(body, 'sourceEvaluation', errors, Object.keys(SOURCE_EVALUATIONS), 'Select a source evaluation from the list');
  const assessment = optionalChoice(body, 'assessment', errors, Object.keys(INTELLIGENCE_ASSESSMENTS), 'Select an intelligence assessment from the list');
  const handling = optionalChoice(body, 'handlingCode', errors, Object.keys(HANDLING_CODES) as HandlingCode[], 'Select a handling code from the list');
  const conditions = text(body, 'handlingConditions', errors, { label: 'The handling conditions', max: 1000 });
  if (!source && !assessment && !handling) {
    if (conditions) errors.add('handlingConditions', 'Handling conditions go with a handling code of C: grade the intelligence or leave the conditions empty');
    return null;
  }
  if (!source) errors.add('sourceEvaluation', 'Select the source evaluation: intelligence is graded on all three of 3x5x2');
  if (!assessment) errors.add('assessment', 'Select the intelligence assessment: intelligence is graded on all three of 3x5x2');
  if (!handling) errors.add('handlingCode', 'Select the handling code: intelligence is graded on all three of 3x5x2');
  if (handling === 'C' && !conditions) errors.add('handlingConditions', 'Enter the conditions for sharing: handling code C needs them');
  if (!source || !assessment || !handling) return null;
  return { sourceEvaluation: Number(source), assessment, handlingCode: handling, conditions: handling === 'C' ? conditions : null };
}

export function readPersonLinkType(body: Body, errors: FormErrors): PersonLinkType | null {
  return choice(body, 'linkType', errors, Object.keys(PERSON_LINK_TYPES) as PersonLinkType[], 'Select the type of link');
}

export interface GroupInput {
  name: string;
  kind: GroupKind;
  area: string | null;
  description: string | null;
  aliases: string[];
}

export function readGroup(body: Body, errors: FormErrors): GroupInput | null {
  const name = text(body, 'name', errors, { label: 'The name', required: true, max: 200, missing: 'Enter the name the group is known by' });
  const kind = choice(body, 'kind', errors, Object.keys(GROUP_KINDS) as GroupKind[], 'Select the kind of group');
  const area = text(body, 'area', errors, { label: 'The area', max: 200 });
  const description = text(body, 'description', errors, { label: 'The description', max: 4000 });
  const aliases = (text(body, 'aliases', errors, { label: 'Other names', max: 1000 }) ?? '')
    .split(/\r?\n|,/)
    .map((a) => a.trim())
    .filter(Boolean);
  if (errors.any || !name || !kind) return null;
  return { name, kind, area, description, aliases: [...new Set(aliases)] };
}

/** The words for a link that follows from an incident: both roles, never a bare "associate". */
export function incidentLinkLabel(roleA: string, roleB: string, reference: string): string {
  const label = (r: string) => (INVOLVEMENT_ROLES as Record<string, string>)[r]?.toLowerCase() ?? r;
  if (roleA === roleB) return roleA === 'other' ? `both involved in incident ${reference}` : `both ${label(roleA)}s in incident ${reference}`;
  return `${label(roleA)} and ${label(roleB)} in incident ${reference}`;
}

/** How far back a link may have been last true, in months: the choices offered. */
export const RECENCY_MONTHS = [3, 6, 12, 24, 60] as const;
export const DEFAULT_RECENCY = 12;

export interface WalkChoice {
  depth: 1 | 2;
  types: WalkType[];
  months: number;
  since: string;
}

/** The filters of "who else" and the network picture, from the query string (no personal data in them). */
export function readWalk(query: Body, errors: FormErrors, today = londonToday()): WalkChoice {
  const depth = str(query, 'depth') === '1' ? 1 : 2;
  const chosen = choices(query, 'types', errors, WALK_TYPE_CODES, 'Select link types from the list');
  const types = chosen.length ? chosen : WALK_TYPE_CODES;
  const rawMonths = Number(str(query, 'months') || DEFAULT_RECENCY);
  const months = (RECENCY_MONTHS as readonly number[]).includes(rawMonths) ? rawMonths : DEFAULT_RECENCY;
  return { depth, types, months, since: addDays(today, -Math.round((months * 365) / 12)) };
}

/** What a new link from a person or a group joins to: the choices of the "add a link" page. */
export const LINK_TARGETS = { person: 'Another person', group: 'A group', place: 'A place' } as const;
export type LinkTarget = keyof typeof LINK_TARGETS;
