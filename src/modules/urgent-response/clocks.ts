// The urgent response's clocks (seed 003, the Urgent Response and Critical
// Incidents protocol). Due times are computed, never typed: from when the
// partnership learned of the incident, or from custody booking-in, in
// absolute hours (so a clock that spans a change of the clocks still runs
// its real 24 or 48 hours), and shown in Europe/London.

const HOUR = 3_600_000;

/** Operation Harbinger's "golden hour": police tell MASH within 1 hour of a child's booking-in at custody. */
export const CUSTODY_NOTIFICATION_HOURS = 1;
/** Seed 003: "attempts made to contact the young person/family within 24/48 hours". */
export const FIRST_ATTEMPT_HOURS = 24;
export const CONTACT_MADE_HOURS = 48;
/** Seed 003 (b): "within 48 hours, contact to be made with relevant professionals for an update and any safeguarding concerns". */
export const PROFESSIONAL_CONTACT_HOURS = 48;
/** A response recorded more than this long after the partnership was told says so, so the figures stay honest (issue 18). */
export const ENTERED_LATE_MINUTES = 60;
/** A clock turns amber when less than this remains (issue 3's default; a setting). */
export const DEFAULT_DUE_SOON_HOURS = 4;

export type ClockKind = 'custody_notification' | 'first_attempt' | 'contact_made' | 'professional_contact';
/** stopped: the response closed before the clock was met, so it no longer runs. */
export type ClockState = 'met' | 'met_late' | 'due' | 'due_soon' | 'breached' | 'stopped';

export const CLOCK_LABELS: Record<ClockKind, string> = {
  custody_notification: 'MASH told of custody booking-in',
  first_attempt: 'First contact attempt',
  contact_made: 'Contact made with young person or family',
  professional_contact: 'Contact with professionals',
};

export interface ClockFacts {
  /** When the partnership learned of the (earliest linked) incident. */
  notifiedAt: Date;
  /** Custody booking-in, when the source is police custody. */
  custodyBookedAt?: Date | null;
  custodyNotifiedAt?: Date | null;
  firstAttemptAt?: Date | null;
  contactMadeAt?: Date | null;
  professionalContactAt?: Date | null;
  /** When the urgent response closed: its unmet clocks stop then. */
  closedAt?: Date | null;
}

export interface Clock<K extends string = ClockKind> {
  kind: K;
  dueAt: Date;
  metAt: Date | null;
  state: ClockState;
  /** Milliseconds left (negative once breached); null once met. */
  remainingMs: number | null;
}

/** One clock: met (on time or late), stopped, or running towards its due time. */
export function runClock<K extends string>(kind: K, dueAt: Date, metAt: Date | null | undefined, now: Date, dueSoonHours: number, closedAt?: Date | null): Clock<K> {
  if (metAt) return { kind, dueAt, metAt, state: metAt <= dueAt ? 'met' : 'met_late', remainingMs: null };
  if (closedAt) return { kind, dueAt, metAt: null, state: 'stopped', remainingMs: null };
  const remainingMs = dueAt.getTime() - now.getTime();
  const state: ClockState = remainingMs < 0 ? 'breached' : remainingMs < dueSoonHours * HOUR ? 'due_soon' : 'due';
  return { kind, dueAt, metAt: null, state, remainingMs };
}

export function computeClocks(facts: ClockFacts, now: Date, dueSoonHours = DEFAULT_DUE_SOON_HOURS): Clock[] {
  const from = facts.notifiedAt.getTime();
  const clocks: Clock[] = [];
  if (facts.custodyBookedAt) {
    clocks.push(runClock('custody_notification', new Date(facts.custodyBookedAt.getTime() + CUSTODY_NOTIFICATION_HOURS * HOUR), facts.custodyNotifiedAt, now, dueSoonHours, facts.closedAt));
  }
  clocks.push(runClock('first_attempt', new Date(from + FIRST_ATTEMPT_HOURS * HOUR), facts.firstAttemptAt, now, dueSoonHours, facts.closedAt));
  clocks.push(runClock('contact_made', new Date(from + CONTACT_MADE_HOURS * HOUR), facts.contactMadeAt, now, dueSoonHours, facts.closedAt));
  clocks.push(runClock('professional_contact', new Date(from + PROFESSIONAL_CONTACT_HOURS * HOUR), facts.professionalContactAt, now, dueSoonHours, facts.closedAt));
  return clocks;
}

const URGENCY: Record<ClockState, number> = { breached: 0, due_soon: 1, due: 2, met_late: 3, met: 4, stopped: 5 };

/** The clock to act on first: breached before due soon before due, then the earliest due. */
export function mostUrgent(clocks: Clock[]): Clock {
  return [...clocks].sort((a, b) => URGENCY[a.state] - URGENCY[b.state] || a.dueAt.getTime() - b.dueAt.getTime())[0];
}
