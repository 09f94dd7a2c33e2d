// What an incident is made of, and the checks every way of recording one
// (form, API, import) goes through.
import { FormErrors, choice, choices, dateTimeInput, decimal, isoInstant, str, text, type Body } from '../../platform/forms.ts';

export const WEAPONS = {
  knife: 'Knife or other bladed article',
  firearm: 'Firearm',
  corrosive: 'Corrosive substance',
  blunt: 'Blunt object',
  bodily_force: 'No weapon: bodily force',
  other: 'Other weapon',
  not_known: 'Not known',
} as const;
export const WEAPON_CODES = Object.keys(WEAPONS) as (keyof typeof WEAPONS)[];

export const INVOLVEMENT_ROLES = {
  victim: 'Victim',
  suspect: 'Suspect',
  witness: 'Witness',
  associate: 'Associate',
  other: 'Other',
} as const;
export type InvolvementRole = keyof typeof INVOLVEMENT_ROLES;
export const INVOLVEMENT_ROLE_CODES = Object.keys(INVOLVEMENT_ROLES) as InvolvementRole[];

/** Age bands for filters: seed 000 reports victims under 18 and under 25. */
export const AGE_BANDS = {
  'under-18': { label: 'Under 18', min: 0, max: 17 },
  '18-24': { label: '18 to 24', min: 18, max: 24 },
  '25-plus': { label: '25 and over', min: 25, max: 200 },
} as const;
export type AgeBand = keyof typeof AGE_BANDS;

export interface IncidentInput {
  occurredAt: Date;
  notifiedAt: Date;
  typeCode: string;
  weapon: string;
  placeDescription: string;
  latitude: number | null;
  longitude: number | null;
  sourceAgencyId: string;
  sourceReference: string | null;
  narrative: string | null;
  /** Domestic abuse (seed 001's footnote): knife crime is counted with and without it. */
  domesticAbuse: boolean;
  shareWith: string[];
}

export interface IncidentChoices {
  typeCodes: string[];
  agencyIds: string[];
}

/**
 * Reads an incident from a form (GOV.UK date inputs) or from the API (ISO
 * 8601 date-times in `occurredAt` / `notifiedAt`), with the same rules.
 */
export function readIncident(body: Body, errors: FormErrors, known: IncidentChoices, dates: 'form' | 'iso', now = new Date()): IncidentInput | null {
  const occurredAt =
    dates === 'form' ? dateTimeInput(body, 'occurredAt', errors, { label: 'When it happened', required: true, notFuture: true, minYear: 2000 }, now) : isoInstant(body, 'occurredAt', 'When it happened', errors, now);
  const notifiedAt =
    dates === 'form'
      ? dateTimeInput(body, 'notifiedAt', errors, { label: 'When the partnership learned of it', required: true, notFuture: true, minYear: 2000 }, now)
      : isoInstant(body, 'notifiedAt', 'When the partnership learned of it', errors, now);
  if (occurredAt && notifiedAt && notifiedAt < occurredAt) {
    errors.add(dates === 'form' ? 'notifiedAt-day' : 'notifiedAt', 'When the partnership learned of it must be the same as or after when it happened');
  }
  const typeCode = choice(body, 'type', errors, known.typeCodes, 'Select the type of incident');
  const weapon = choice(body, 'weapon', errors, WEAPON_CODES, 'Select the weapon, or “Not known”');
  const placeDescription = text(body, 'placeDescription', errors, { label: 'Description of the place', required: true, max: 300, missing: 'Enter a description of the place, like “Outside Walthamstow Central station”' });
  const latitude = decimal(body, 'latitude', errors, { label: 'Latitude', min: 49.8, max: 60.9 });
  const longitude = decimal(body, 'longitude', errors, { label: 'Longitude', min: -8.7, max: 1.8 });
  if ((latitude === null) !== (longitude === null) && !errors.messages.latitude && !errors.messages.longitude) {
    errors.add(latitude === null ? 'latitude' : 'longitude', 'Enter both latitude and longitude, or neither');
  }
  const sourceAgencyId = choice(body, 'sourceAgencyId', errors, known.agencyIds, 'Select the agency that reported it');
  const sourceReference = text(body, 'sourceReference', errors, { label: 'Their reference', max: 60 });
  const narrative = text(body, 'narrative', errors, { label: 'What happened', max: 10_000 });
  const shareWith = choices(body, 'shareWith', errors, known.agencyIds, 'Select agencies from the list');
  // A form's checkbox sends "yes"; the API sends true.
  const domesticAbuse = body.domesticAbuse === true || ['yes', 'true'].includes(str(body, 'domesticAbuse'));
  if (errors.any || !occurredAt || !notifiedAt || !typeCode || !weapon || !placeDescription || !sourceAgencyId) return null;
  return { occurredAt, notifiedAt, typeCode, weapon, placeDescription, latitude, longitude, sourceAgencyId, sourceReference, narrative, domesticAbuse, shareWith };
}


/** The names of the fields that differ, for the timeline (values stay out of the audit log). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const same = (a: unknown, b: unknown) => (a instanceof Date || b instanceof Date ? new Date(a as Date).getTime() === new Date(b as Date).getTime() : JSON.stringify(a) === JSON.stringify(b));
  return Object.keys(after).filter((key) => !same(before[key] ?? null, after[key] ?? null));
}
