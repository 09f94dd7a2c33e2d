// Reading an order from the form or the API (the same fields), and the
// checks the law makes on it: the kind's minimum age, its longest term, its
// curfew's hours a day (kinds.ts). Field-level errors, nothing saved.
import { FormErrors, choice, dateInput, isoDay, str, text, type Body } from '../../platform/forms.ts';
import { termProblems, type OrderKind } from './kinds.ts';

export interface OrderInput {
  kindCode: string;
  personId: string | null;
  /** A place-based power's area (the same shapes as an exclusion zone). */
  area: { label: string; zone: unknown } | null;
  court: string;
  caseReference: string | null;
  madeOn: string;
  inForceFrom: string;
  until: string | null;
  interim: boolean;
  applyingAgencyId: string;
  leadOfficerName: string;
  leadOfficerContact: string;
  /** A review hearing the court has listed, beyond those the law sets. */
  courtReviewOn: string | null;
}

export const END_REASONS = { discharged: 'Discharged by the court', varied: 'Replaced by a varied order', withdrawn: 'Contract withdrawn or ended early', other: 'Another reason' } as const;
export const BREACH_ACTIONS = { warning: 'Warning', arrest: 'Arrest', application_to_court: 'Application to court', no_further_action: 'No further action' } as const;
export type BreachAction = keyof typeof BREACH_ACTIONS;

/**
 * Dates come as GOV.UK date inputs from the form ("madeOn-day" …) or as
 * YYYY-MM-DD from the API; everything else is the same field by field.
 */
export function readOrder(body: Body, errors: FormErrors, known: { kinds: OrderKind[]; agencies: string[] }, dates: 'form' | 'iso'): Omit<OrderInput, 'personId' | 'area'> | null {
  const kind = choice(body, 'kindCode', errors, known.kinds.map((k) => k.code), 'Select the kind of order');
  const court = text(body, 'court', errors, { label: 'The court or authority', required: true, max: 200, missing: 'Enter the court or authority that made it, like Stratford Magistrates’ Court' });
  const caseReference = text(body, 'caseReference', errors, { label: 'The case reference', max: 100 });
  const day = (name: string, label: string, required: boolean) =>
    dates === 'form' ? dateInput(body, name, errors, { label, required, minYear: 2000 }) : readIsoDay(body, name, errors, label, required);
  const madeOn = day('madeOn', 'The date it was made', true);
  const inForceFrom = day('inForceFrom', 'The date it is in force from', true);
  const until = day('until', 'The date it ends', false);
  const courtReviewOn = day('courtReviewOn', 'The review hearing date', false);
  const interim = choice(body, 'interim', errors, ['interim', 'full'] as const, 'Select whether the order is interim or full');
  const applyingAgencyId = choice(body, 'applyingAgencyId', errors, known.agencies, 'Select the agency that applied for it');
  const leadOfficerName = text(body, 'leadOfficerName', errors, { label: 'The lead officer’s name', required: true, max: 200 });
  const leadOfficerContact = text(body, 'leadOfficerContact', errors, { label: 'How to contact the lead officer', required: true, max: 200, missing: 'Enter how partners contact the lead officer, like a phone number or email address' });
  if (madeOn && inForceFrom && inForceFrom < madeOn) errors.add('inForceFrom', 'The date it is in force from must be the same as or after the date it was made');
  if (inForceFrom && until && until < inForceFrom) errors.add('until', 'The date it ends must be the same as or after the date it is in force from');
  if (!kind || !court || !madeOn || !inForceFrom || !interim || !applyingAgencyId || !leadOfficerName || !leadOfficerContact || errors.any) return null;
  return { kindCode: kind, court, caseReference, madeOn, inForceFrom, until, interim: interim === 'interim', applyingAgencyId, leadOfficerName, leadOfficerContact, courtReviewOn };
}

function readIsoDay(body: Body, name: string, errors: FormErrors, label: string, required: boolean): string | null {
  const raw = str(body, name);
  if (!raw) {
    if (required) errors.add(name, `Enter ${label.toLowerCase()}`);
    return null;
  }
  const day = isoDay(raw, { label, minYear: 2000 });
  if (!day) errors.add(name, `${label} must be a real date, like 2026-11-30`);
  return day;
}

/** The law's limits, as errors on the fields they are about. */
export function checkAgainstLaw(kind: OrderKind, order: Pick<OrderInput, 'inForceFrom' | 'until' | 'madeOn'>, dateOfBirth: string | null, errors: FormErrors): void {
  for (const problem of termProblems(kind, { effectiveFrom: order.inForceFrom, until: order.until, madeOn: order.madeOn, curfewHoursADay: null }, dateOfBirth)) {
    errors.add(problem.includes('aged') ? 'kindCode' : 'until', problem);
  }
}

/** An order's name as users say it: "Knife Crime Prevention Order (interim)". */
export const orderTitle = (kindLabel: string, interim: boolean) => `${kindLabel}${interim ? ' (interim)' : ''}`;
