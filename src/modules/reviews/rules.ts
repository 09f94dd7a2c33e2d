// Rapid reviews after serious violence (seed 000: "conducting rapid reviews
// following serious violence incidents"): what a review is made of and the
// checks every entry goes through. Findings and recommendations are the
// partnership's learning, read widely: they describe what agencies did,
// never who the young people are.
import { FormErrors, choice, dateInput, text, type Body } from '../../platform/forms.ts';
import { ACTION_NUMBER, partners } from '../strategy/rules.ts';

export const REVIEW_STATUSES = { open: 'Open', closed: 'Closed' } as const;
export type ReviewStatus = keyof typeof REVIEW_STATUSES;
export const ENTRY_KINDS = { finding: 'Finding', recommendation: 'Recommendation' } as const;

/**
 * How far back before the incident the timeline reaches: two years, so the
 * review sees the chances agencies had (the first contacts, the referrals
 * that were not taken up), not only the weeks before.
 */
export const LOOKBACK_MONTHS = 24;

/** One words-only hint repeated wherever learning is written. */
export const NO_NAMES = 'Do not name the young people or their families: reviews are shared across the partnership as learning.';

export function readScope(body: Body, errors: FormErrors): string | null {
  return text(body, 'scope', errors, { label: 'The scope', required: true, max: 4000, missing: 'Enter the scope of the review: the questions it will answer and the period it covers' });
}

export function readFinding(body: Body, errors: FormErrors): string | null {
  return text(body, 'finding', errors, { label: 'The finding', required: true, max: 4000, missing: 'Enter the finding' });
}

export interface RecommendationInput {
  statement: string;
  strategyId: string;
  number: string;
  leadPartners: string[];
  dueOn: string;
}

/**
 * A recommendation becomes a tracked action in a chosen plan at once, so no
 * recommendation is left as words in a report: its number, lead partners
 * and due date are asked for with it.
 */
export function readRecommendation(body: Body, errors: FormErrors, plans: string[]): RecommendationInput | null {
  const statement = text(body, 'recommendation', errors, { label: 'The recommendation', required: true, max: 4000, missing: 'Enter the recommendation' });
  const strategyId = choice(body, 'strategyId', errors, plans, 'Select the plan that will track this recommendation');
  const number = text(body, 'number', errors, { label: 'The action number', required: true, max: 30, missing: 'Enter the action number it will have in the plan, like 6.2.1' });
  if (number && !ACTION_NUMBER.test(number)) errors.add('number', 'The action number must be numbers or letters separated by dots, like 6.2.1');
  const leads = text(body, 'leadPartners', errors, { label: 'The lead partners', required: true, max: 500, missing: 'Enter the lead partner or partners' });
  const dueOn = dateInput(body, 'dueOn', errors, { label: 'Due date', required: true });
  if (errors.any || !statement || !strategyId || !number || !leads || !dueOn) return null;
  return { statement, strategyId, number, leadPartners: partners(leads), dueOn };
}

/** Search words: each must appear; % and _ are the user's characters, not patterns. */
export function searchWords(raw: string): string[] {
  return raw
    .split(/\s+/)
    .map((w) => w.trim())
    .filter((w) => w.length > 1)
    .slice(0, 8)
    .map((w) => w.replace(/[\\%_]/g, (c) => `\\${c}`));
}
