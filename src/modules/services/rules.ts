// The services directory: what the partnership offers, for whom, how full it
// is, and how good the evidence is that this kind of work reduces violence.
import { FormErrors, choice, isUuid, str, text, type Body } from '../../platform/forms.ts';

/** Seed 000's four domains of the strategy. */
export const DOMAINS = {
  strengthen: 'Strengthen: build resilience in communities and young people',
  support: 'Support: early, targeted support for those most vulnerable',
  treat: 'Treat: respond to those affected by violence and trauma',
  curtail: 'Curtail: disrupt violence and offer a way out',
} as const;
export type Domain = keyof typeof DOMAINS;

/** The Youth Endowment Fund Toolkit's impact rating: average effect on violence. */
export const YEF_IMPACT = { not_rated: 'Not rated', harmful: 'Harmful', no_effect: 'No effect', low: 'Low', moderate: 'Moderate', high: 'High' } as const;
/** Its evidence rating: confidence in the research behind the impact rating, 1 (very low) to 5 (very high). */
export const YEF_EVIDENCE: Record<number, string> = { 0: 'Not rated', 1: '1: very low', 2: '2: low', 3: '3: moderate', 4: '4: high', 5: '5: very high' };

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

function whole(body: Body, name: string, errors: FormErrors, label: string, min: number, max: number, required = true): number | null {
  const raw = str(body, name);
  if (!raw) {
    if (required) errors.add(name, `Enter ${label.toLowerCase()}`);
    return null;
  }
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || n < min || n > max) {
    errors.add(name, `${label} must be a whole number from ${min} to ${max}`);
    return null;
  }
  return n;
}

export function readService(body: Body, errors: FormErrors, agencyIds: string[]) {
  const name = text(body, 'name', errors, { label: 'Name', required: true, max: 150 });
  const providerAgencyId = str(body, 'providerAgencyId');
  if (!isUuid(providerAgencyId) || !agencyIds.includes(providerAgencyId)) errors.add('providerAgencyId', 'Select the agency that provides the service');
  const domain = choice(body, 'domain', errors, keys(DOMAINS), 'Select the strategy domain');
  const description = text(body, 'description', errors, { label: 'Description', required: true, max: 3000 });
  const minAge = whole(body, 'minAge', errors, 'Youngest age served', 0, 99);
  const maxAge = whole(body, 'maxAge', errors, 'Oldest age served', 0, 99);
  if (minAge !== null && maxAge !== null && maxAge < minAge) errors.add('maxAge', 'Oldest age served must be the same as or older than the youngest');
  const capacity = whole(body, 'capacity', errors, 'Capacity', 0, 100_000);
  const plannedWeeks = whole(body, 'plannedWeeks', errors, 'Planned length in weeks', 1, 260, false);
  const referralCriteria = text(body, 'referralCriteria', errors, { label: 'Referral criteria', required: true, max: 3000 });
  const contact = text(body, 'contact', errors, { label: 'Contact', required: true, max: 300 });
  const yefImpact = choice(body, 'yefImpact', errors, keys(YEF_IMPACT), 'Select the Toolkit impact rating, or “Not rated”');
  const yefEvidence = whole(body, 'yefEvidence', errors, 'Toolkit evidence rating', 0, 5);
  if (errors.any) return null;
  return { name: name!, provider_agency_id: providerAgencyId, domain: domain!, description: description!, min_age: minAge!, max_age: maxAge!, capacity: capacity!, planned_weeks: plannedWeeks, referral_criteria: referralCriteria!, contact: contact!, yef_impact: yefImpact!, yef_evidence: yefEvidence! };
}
export type ServiceInput = NonNullable<ReturnType<typeof readService>>;
