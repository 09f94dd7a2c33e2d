// The urgent response's rules (seed 003 and issue 3), in one place.
import { FormErrors, choice, dateTimeInput, text, type Body } from '../../platform/forms.ts';

/** Who gets an urgent response: young people under this age at the incident (a setting; seed 000 counts victims under 25). */
export const UNDER_AGE = 25;
/** The roles in an incident that lead to an urgent response: not witnesses or "other". */
export const ELIGIBLE_ROLES = ['victim', 'suspect', 'associate'] as const;
/** Closing as "no contact" needs this many attempts on this many different channels. */
export const NO_CONTACT_MIN_ATTEMPTS = 3;
export const NO_CONTACT_MIN_CHANNELS = 2;

export const SOURCES = { custody: 'Police custody', ae: 'A&E', community: 'Community', school: 'School' } as const;
export type Source = keyof typeof SOURCES;

export const WITH_WHOM = { young_person: 'Young person', parent_carer: 'Parent or carer', professional: 'Professional' } as const;
export const CHANNELS = {
  hospital: 'In person at hospital',
  custody: 'In person at custody',
  home: 'In person at home',
  school: 'In person at school',
  phone: 'Phone',
  text: 'Text message',
  letter: 'Letter',
  other_professional: 'Through another professional',
} as const;
export const OUTCOMES = { reached: 'Reached', no_answer: 'No answer', refused: 'Refused', wrong_details: 'Wrong contact details' } as const;
export const CLOSURE_REASONS = {
  supported: 'Supported by a service',
  declined: 'Declined support',
  no_contact: 'No contact after attempts',
  moved_away: 'Moved away',
  not_eligible: 'Not eligible',
} as const;
export type ClosureReason = keyof typeof CLOSURE_REASONS;

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

export interface AttemptInput {
  attemptedAt: Date;
  withWhom: string;
  channel: string;
  outcome: string;
  note: string | null;
}

/** A contact attempt: not before the incident happened, not in the future. */
export function readAttempt(body: Body, errors: FormErrors, incidentAt: Date, now = new Date()): AttemptInput | null {
  const attemptedAt = dateTimeInput(body, 'attemptedAt', errors, { label: 'When the attempt was made', required: true, notFuture: true, minYear: 2000 }, now);
  if (attemptedAt && attemptedAt < incidentAt) errors.add('attemptedAt-day', 'When the attempt was made must be after the incident happened');
  const withWhom = choice(body, 'withWhom', errors, keys(WITH_WHOM), 'Select who the attempt was with');
  const channel = choice(body, 'channel', errors, keys(CHANNELS), 'Select how the attempt was made');
  const outcome = choice(body, 'outcome', errors, keys(OUTCOMES), 'Select the outcome');
  const note = text(body, 'note', errors, { label: 'Note', max: 2000 });
  if (errors.any || !attemptedAt || !withWhom || !channel || !outcome) return null;
  return { attemptedAt, withWhom, channel, outcome, note };
}

type AttemptFacts = { channel: string; outcome: string; with_whom: string };

/** An attempt that reached the young person or their family: contact was made. */
export const madeContact = (a: AttemptFacts) => a.outcome === 'reached' && (a.with_whom === 'young_person' || a.with_whom === 'parent_carer');

/** Why an urgent response cannot be closed for this reason, or null if it can. */
export function closureProblem(reason: ClosureReason, attempts: AttemptFacts[]): string | null {
  if (reason !== 'no_contact') return null;
  if (attempts.some(madeContact)) return 'An attempt reached the young person or their family, so this is not “no contact”: choose the reason that says what happened';
  const channels = new Set(attempts.map((a) => a.channel)).size;
  if (attempts.length < NO_CONTACT_MIN_ATTEMPTS || channels < NO_CONTACT_MIN_CHANNELS) {
    return `To close as “no contact”, record at least ${NO_CONTACT_MIN_ATTEMPTS} attempts on at least ${NO_CONTACT_MIN_CHANNELS} different channels (so far: ${attempts.length} on ${channels})`;
  }
  return null;
}

export function readClosure(body: Body, errors: FormErrors, attempts: AttemptFacts[]): { reason: ClosureReason; note: string | null } | null {
  const reason = choice(body, 'reason', errors, keys(CLOSURE_REASONS), 'Select why the urgent response is closing');
  const note = text(body, 'note', errors, { label: 'Note', max: 2000, required: reason === 'not_eligible', missing: 'Say why the young person is not eligible' });
  const problem = reason ? closureProblem(reason, attempts) : null;
  if (problem) errors.add('reason', problem);
  if (errors.any || !reason) return null;
  return { reason, note };
}

/** Where an incident came from, for the urgent response's source. */
export function sourceOf(incident: { type_code: string; source_kind: string }): Source {
  if (incident.type_code === 'ae_violence_injury' || incident.source_kind === 'nhs_trust') return 'ae';
  if (incident.source_kind === 'school') return 'school';
  return 'community';
}
