// Contextual safeguarding: assessing the places and groups where young people
// come to harm outside their families, and changing the context rather than
// the child (Firmin's contextual safeguarding framework; seed 004, section
// 4.3). The lists below are the prompts practitioners use; "other" always has
// words beside it.
import { FormErrors, choice, choices, dateInput, isUuid, str, text, type Body } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';
import { readReviewOn } from '../network/rules.ts';

export const CONTEXT_KINDS = { peer_group: 'Peer group', school: 'School', location: 'Location (a park, an estate, a street, a station)' } as const;
export type ContextKind = keyof typeof CONTEXT_KINDS;

export const HARM_INDICATORS = {
  violence: 'Violence or fighting',
  weapons: 'Weapons carried or hidden',
  criminal_exploitation: 'Criminal exploitation (including county lines)',
  sexual_exploitation: 'Sexual exploitation or harmful sexual behaviour',
  drug_dealing: 'Drug dealing or use',
  grooming: 'Adults seeking out young people',
  bullying: 'Bullying, threats or intimidation',
  online_harm: 'Harm online or on social media',
  robbery: 'Robbery or theft from young people',
  unsafe_space: 'An unsafe space: poorly lit, unwatched, hidden',
  missing: 'Young people going missing from here',
  other: 'Other harm (say what below)',
} as const;

export const PROTECTIVE_FACTORS = {
  trusted_adults: 'Trusted adults present (youth workers, staff, residents)',
  guardians: 'Capable guardians: shop staff, security, park keepers',
  youth_provision: 'Youth provision open when it is needed',
  school_engagement: 'Engagement with school or college',
  community: 'An active community that speaks up',
  safe_design: 'Good lighting, sightlines and CCTV',
  peer_support: 'Positive peer relationships',
  family_support: 'Families working with services',
  other: 'Other strength (say what below)',
} as const;

export const INTERVENTION_KINDS = {
  detached_youth_work: 'Detached youth work',
  lighting: 'Lighting or environmental change',
  cctv: 'CCTV',
  guardianship: 'Guardianship or bystander training',
  patrols: 'Police or warden patrols',
  school_work: 'Work with the school (assemblies, staff, safe routes)',
  peer_group_work: 'Work with the peer group',
  licensing: 'Licensing or business engagement',
  community_engagement: 'Community engagement',
  disruption: 'Disruption of adults exploiting young people',
  other: 'Other',
} as const;
export type InterventionKind = keyof typeof INTERVENTION_KINDS;

export const INTERVENTION_STATUSES = { planned: 'Planned', in_place: 'In place', done: 'Done', stopped: 'Stopped' } as const;
export type InterventionStatus = keyof typeof INTERVENTION_STATUSES;

/** Contexts change quickly: an assessment is reviewed every three months unless the lead says sooner. */
export const REVIEW_DAYS = 91;

export const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

export interface AssessmentInput {
  contextKind: ContextKind;
  groupId: string | null;
  placeId: string | null;
  assessedOn: string;
  harmIndicators: string[];
  harmDetail: string;
  protectiveFactors: string[];
  protectiveDetail: string | null;
  consulted: string;
  plan: string;
  reviewOn: string;
}

/** An assessment: which context, what harms there, what protects, who was asked, the plan and when it is reviewed. */
export function readAssessment(body: Body, errors: FormErrors, today = londonToday()): AssessmentInput | null {
  const contextKind = choice(body, 'contextKind', errors, keys(CONTEXT_KINDS), 'Select the kind of context');
  const groupId = str(body, 'groupId');
  const placeId = str(body, 'placeId');
  if (contextKind === 'peer_group' && !isUuid(groupId)) errors.add('groupId', 'Select the peer group (record it under Networks first if it is not listed)');
  if (contextKind && contextKind !== 'peer_group' && !isUuid(placeId)) errors.add('placeId', 'Select the school or location (add it under Places first if it is not listed)');
  const assessedOn = dateInput(body, 'assessedOn', errors, { label: 'The date of the assessment', required: true, notFuture: true, minYear: 2000 });
  const harmIndicators = choices(body, 'harmIndicators', errors, keys(HARM_INDICATORS), 'Select harms from the list');
  const harmDetail = text(body, 'harmDetail', errors, { label: 'What harm happens here', required: true, max: 4000, missing: 'Enter what harm happens in this context, to whom and when' });
  const protectiveFactors = choices(body, 'protectiveFactors', errors, keys(PROTECTIVE_FACTORS), 'Select strengths from the list');
  const protectiveDetail = text(body, 'protectiveDetail', errors, { label: 'The strengths', max: 4000 });
  if (protectiveFactors.includes('other') && !protectiveDetail) errors.add('protectiveDetail', 'Say what the other strength is');
  const consulted = text(body, 'consulted', errors, { label: 'Who was consulted', required: true, max: 2000, missing: 'Enter who was consulted: young people, parents, staff, residents, businesses, agencies' });
  const plan = text(body, 'plan', errors, { label: 'The plan', required: true, max: 4000, missing: 'Enter the plan for making this context safer' });
  const reviewOn = readReviewOn(body, 'reviewOn', errors, 'every context assessment', today);
  if (errors.any || !contextKind || !assessedOn || !harmDetail || !consulted || !plan || !reviewOn) return null;
  return {
    contextKind,
    groupId: contextKind === 'peer_group' ? groupId : null,
    placeId: contextKind === 'peer_group' ? null : placeId,
    assessedOn,
    harmIndicators,
    harmDetail,
    protectiveFactors,
    protectiveDetail,
    consulted,
    plan,
    reviewOn,
  };
}

export interface InterventionInput {
  kind: InterventionKind;
  description: string;
  leadAgencyId: string;
  dueOn: string | null;
}

export function readIntervention(body: Body, errors: FormErrors, agencies: string[]): InterventionInput | null {
  const kind = choice(body, 'kind', errors, keys(INTERVENTION_KINDS), 'Select the kind of intervention');
  const description = text(body, 'description', errors, { label: 'The description', required: true, max: 2000, missing: 'Enter what will be done, where and when' });
  const leadAgencyId = choice(body, 'leadAgencyId', errors, agencies, 'Select the agency that leads it');
  const dueOn = dateInput(body, 'dueOn', errors, { label: 'The date it is due', minYear: 2000 });
  if (errors.any || !kind || !description || !leadAgencyId) return null;
  return { kind, description, leadAgencyId, dueOn };
}

export interface ReviewInput {
  summary: string;
  nextReviewOn: string | null;
  close: boolean;
}

/** A review either sets the next review date or closes the assessment, with what changed. */
export function readReview(body: Body, errors: FormErrors, today = londonToday()): ReviewInput | null {
  const summary = text(body, 'summary', errors, { label: 'What the review found', required: true, max: 4000, missing: 'Enter what the review found: what has changed in this context and what still needs doing' });
  const outcome = choice(body, 'outcome', errors, ['continue', 'close'] as const, 'Select whether the assessment continues or closes');
  const nextReviewOn = outcome === 'continue' ? readReviewOn(body, 'nextReviewOn', errors, 'every context assessment', today) : null;
  if (errors.any || !summary || !outcome) return null;
  return { summary, nextReviewOn, close: outcome === 'close' };
}
