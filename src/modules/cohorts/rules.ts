// Seed 002's three strands of the cohort. A person's strand is a recorded
// professional judgement (reason, date, who decided, review date), never a
// computed score; leaving a strand is one step.
import { FormErrors, choice, dateInput, text, type Body } from '../../platform/forms.ts';
import { londonToday } from '../../platform/time.ts';

export const STRANDS = {
  periphery: 'On the periphery',
  at_risk: 'At risk',
  involved: 'Involved',
} as const;
export type Strand = keyof typeof STRANDS;
export const STRAND_CODES = Object.keys(STRANDS) as Strand[];

/** A judgement about a child is looked at again within this many months at most. */
export const LONGEST_REVIEW_MONTHS = 6;

export function readStrandDecision(body: Body, errors: FormErrors, now = new Date()) {
  const strand = choice(body, 'strand', errors, STRAND_CODES, 'Select the strand');
  const reason = text(body, 'strandReason', errors, { label: 'Reason', required: true, max: 2000, missing: 'Say why: what you know and where it comes from' });
  const reviewOn = dateInput(body, 'strandReview', errors, { label: 'Review date', required: true, minYear: 2000 }, now);
  const today = londonToday(now);
  if (reviewOn && reviewOn <= today) errors.add('strandReview-day', 'Review date must be in the future');
  const latest = new Date(`${today}T12:00:00Z`);
  latest.setUTCMonth(latest.getUTCMonth() + LONGEST_REVIEW_MONTHS);
  if (reviewOn && reviewOn > latest.toISOString().slice(0, 10)) errors.add('strandReview-day', `Review date must be within ${LONGEST_REVIEW_MONTHS} months`);
  return strand && reason && reviewOn && !errors.any ? { strand, reason, reviewOn } : null;
}
