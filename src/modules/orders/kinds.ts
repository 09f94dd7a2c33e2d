// The kinds of order the partnership records (issue 19), each with the law
// it comes from and the limits and reviews that law sets, so that every order
// carries its review dates and ends on time. Shipped as configuration: an
// administrator can add kinds (a later migration seeds them from here).
//
// Only what the legislation says is computed. Where a court sets its own
// review hearings (a gang injunction, a licence), the order's review dates
// are the ones the court gave, entered with the order.
import { ageAt, londonDayStart } from '../../platform/time.ts';
import { addDays } from '../../platform/workingDays.ts';

export interface OrderKind {
  code: string;
  label: string;
  /** The Act and Part or section, as a lawyer would cite it. */
  law: string;
  /** Against a place (a closure order, a dispersal direction), not a person. */
  placeBased: boolean;
  /** Agreed, not ordered: an acceptable behaviour contract. */
  voluntary: boolean;
  /** The youngest a person may be made subject to it, where the Act says. */
  minimumAge: number | null;
  limits: Limit[];
  reviews: ReviewRule[];
}

export type Limit =
  /** The longest term for someone under 18 when it is made. */
  | { rule: 'term_under_18'; months: number; source: string }
  /** The longest it may last, from when it takes effect (limits in hours are checked against the times it runs, not here). */
  | { rule: 'term'; hours?: number; months?: number; source: string }
  /** The longest curfew in any one day. */
  | { rule: 'curfew_hours_a_day'; hours: number; source: string };

export type ReviewRule =
  /** A review before the end of each 12 months from when it took effect, while the person will still be under 18 at its end. */
  | { rule: 'yearly_while_under_18'; source: string }
  /** A review hearing in the last 4 weeks of the first year, when any requirement lasts beyond that year. */
  | { rule: 'last_4_weeks_of_first_year'; source: string };

const CBO_REVIEW = 'Sentencing Act 2020, s. 337 (before 1 December 2020: Anti-social Behaviour, Crime and Policing Act 2014, s. 28)';

export const ORDER_KINDS: OrderKind[] = [
  { code: 'gang_injunction', label: 'Gang injunction', law: 'Policing and Crime Act 2009, Part 4', placeBased: false, voluntary: false, minimumAge: 14, limits: [{ rule: 'curfew_hours_a_day', hours: 8, source: 'Policing and Crime Act 2009, s. 35(4)' }], reviews: [] },
  { code: 'civil_injunction', label: 'Civil injunction', law: 'Anti-social Behaviour, Crime and Policing Act 2014, Part 1', placeBased: false, voluntary: false, minimumAge: 10, limits: [{ rule: 'term_under_18', months: 12, source: 'Anti-social Behaviour, Crime and Policing Act 2014, s. 1(6)' }], reviews: [] },
  { code: 'criminal_behaviour_order', label: 'Criminal Behaviour Order', law: 'Sentencing Act 2020, Part 11, Chapter 1', placeBased: false, voluntary: false, minimumAge: 10, limits: [], reviews: [{ rule: 'yearly_while_under_18', source: CBO_REVIEW }] },
  { code: 'knife_crime_prevention_order', label: 'Knife Crime Prevention Order', law: 'Offensive Weapons Act 2019, Part 2', placeBased: false, voluntary: false, minimumAge: 12, limits: [], reviews: [{ rule: 'last_4_weeks_of_first_year', source: 'Offensive Weapons Act 2019, s. 26(3) and (4)' }] },
  { code: 'serious_violence_reduction_order', label: 'Serious Violence Reduction Order', law: 'Sentencing Act 2020, Part 11, Chapter 1A (inserted by the Police, Crime, Sentencing and Courts Act 2022, s. 165)', placeBased: false, voluntary: false, minimumAge: 18, limits: [], reviews: [] },
  { code: 'slavery_trafficking_prevention_order', label: 'Slavery and Trafficking Prevention Order', law: 'Modern Slavery Act 2015, Part 2', placeBased: false, voluntary: false, minimumAge: null, limits: [], reviews: [] },
  { code: 'acceptable_behaviour_contract', label: 'Acceptable behaviour contract', law: 'None: a voluntary written agreement', placeBased: false, voluntary: true, minimumAge: null, limits: [], reviews: [] },
  { code: 'licence_conditions', label: 'Licence conditions', law: 'Criminal Justice Act 2003, s. 250', placeBased: false, voluntary: false, minimumAge: null, limits: [], reviews: [] },
  { code: 'bail_conditions', label: 'Bail conditions', law: 'Bail Act 1976, s. 3(6)', placeBased: false, voluntary: false, minimumAge: null, limits: [], reviews: [] },
  { code: 'youth_rehabilitation_order', label: 'Youth Rehabilitation Order requirements', law: 'Sentencing Act 2020, Part 9 and Schedule 6', placeBased: false, voluntary: false, minimumAge: 10, limits: [], reviews: [] },
  { code: 'closure_order', label: 'Closure order', law: 'Anti-social Behaviour, Crime and Policing Act 2014, Part 4, Chapter 3', placeBased: true, voluntary: false, minimumAge: null, limits: [{ rule: 'term', months: 6, source: 'Anti-social Behaviour, Crime and Policing Act 2014, s. 80(5) and s. 82(7): 3 months, extended to 6 at most' }], reviews: [] },
  { code: 'dispersal_direction', label: 'Dispersal direction', law: 'Anti-social Behaviour, Crime and Policing Act 2014, Part 3', placeBased: true, voluntary: false, minimumAge: null, limits: [{ rule: 'term', hours: 48, source: 'Anti-social Behaviour, Crime and Policing Act 2014, s. 34(2)' }], reviews: [] },
  { code: 'section_60', label: 'Section 60 authorisation', law: 'Criminal Justice and Public Order Act 1994, s. 60', placeBased: true, voluntary: false, minimumAge: null, limits: [{ rule: 'term', hours: 48, source: 'Criminal Justice and Public Order Act 1994, s. 60(1) and (3): 24 hours, extended by 24 at most' }], reviews: [] },
];

export const orderKind = (code: string) => ORDER_KINDS.find((k) => k.code === code);

/** A London date (YYYY-MM-DD) so many calendar months on, as the Acts count months. */
function addCalendarMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const target = new Date(Date.UTC(y, m - 1 + months, 1));
  // The same day of the month, or the last day of a shorter month (31 January + 1 month is 28 or 29 February).
  const last = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(d, last));
  return target.toISOString().slice(0, 10);
}
const ageOn = (dateOfBirth: string, on: string) => ageAt(dateOfBirth, londonDayStart(on))!;

export interface ReviewDue {
  /** The earliest the review may be held, where the law says (else the day the order took effect). */
  from: string;
  /** The last day it may be held. */
  by: string;
  why: string;
  source: string;
}

/**
 * The reviews the law requires for an order, in date order: `effectiveFrom`
 * is the day it took effect (or was last varied), `until` its last day (null
 * while it runs until further order). A period "of 12 months beginning with"
 * a day ends the day before the same date a year on; from 29 February, on
 * 27 February (the earlier of the two readings, so a review held by then is
 * in time on either).
 */
export function reviewsDue(kind: OrderKind, order: { effectiveFrom: string; until: string | null }, dateOfBirth: string | null): ReviewDue[] {
  const due: ReviewDue[] = [];
  for (const review of kind.reviews) {
    if (review.rule === 'yearly_while_under_18') {
      if (!dateOfBirth) continue;
      for (let year = 1; ; year++) {
        const start = addCalendarMonths(order.effectiveFrom, 12 * (year - 1));
        const end = addDays(addCalendarMonths(order.effectiveFrom, 12 * year), -1);
        if (order.until !== null && order.until < end) break; // the order ends before this period does
        if (ageOn(dateOfBirth, end) >= 18) break; // 18 or over at the end of the period: no review
        due.push({ from: start, by: end, why: `Review ${year}: under 18 at the end of the ${ordinal(year)} 12 months`, source: review.source });
      }
    } else {
      const end = addDays(addCalendarMonths(order.effectiveFrom, 12), -1);
      if (order.until !== null && order.until <= end) continue;
      due.push({ from: addDays(end, -27), by: end, why: 'Review hearing in the last 4 weeks of the first year, since it lasts beyond it', source: review.source });
    }
  }
  return due.sort((a, b) => (a.by < b.by ? -1 : a.by > b.by ? 1 : 0));
}

const ordinal = (n: number) => (['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'][n - 1] ?? `${n}th`);

/** What the law's limits say about an order as recorded: each problem in words, for the form's error summary. */
export function termProblems(kind: OrderKind, order: { effectiveFrom: string; until: string | null; madeOn: string; curfewHoursADay: number | null }, dateOfBirth: string | null): string[] {
  const problems: string[] = [];
  const underAge = dateOfBirth ? ageOn(dateOfBirth, order.madeOn) : null;
  if (kind.minimumAge !== null && underAge !== null && underAge < kind.minimumAge) problems.push(`A ${kind.label} can only be made against someone aged ${kind.minimumAge} or over (${kind.law})`);
  for (const limit of kind.limits) {
    if (limit.rule === 'term_under_18' && underAge !== null && underAge < 18) {
      if (order.until === null) problems.push(`A ${kind.label} made against someone under 18 must have an end date, no more than ${limit.months} months on (${limit.source})`);
      else if (order.until > addDays(addCalendarMonths(order.effectiveFrom, limit.months), -1)) problems.push(`A ${kind.label} made against someone under 18 can last no more than ${limit.months} months (${limit.source})`);
    }
    if (limit.rule === 'term' && limit.months && (order.until === null || order.until > addDays(addCalendarMonths(order.effectiveFrom, limit.months), -1))) problems.push(`A ${kind.label} can last no more than ${limit.months} months (${limit.source})`);
    // Hours are kept as days here (an order's dates have no times): 48 hours from any time on its first day ends at the latest on the second day after.
    if (limit.rule === 'term' && limit.hours && (order.until === null || order.until > addDays(order.effectiveFrom, Math.ceil(limit.hours / 24)))) problems.push(`A ${kind.label} can last no more than ${limit.hours} hours (${limit.source})`);
    if (limit.rule === 'curfew_hours_a_day' && order.curfewHoursADay !== null && order.curfewHoursADay > limit.hours) problems.push(`A curfew in a ${kind.label} can last no more than ${limit.hours} hours in any day (${limit.source})`);
  }
  return problems;
}
