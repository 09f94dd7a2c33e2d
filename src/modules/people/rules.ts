// A person's basic details, as recorded from the incident form or the API.
// (The full person record is the casework module's.)
import { createHmac } from 'node:crypto';
import { FormErrors, choice, dateInput, isoDay, text, str, type Body } from '../../platform/forms.ts';

/** ONS 2021 Census ethnic groups (England and Wales), and "not stated". */
export const ETHNICITIES = [
  { group: 'Asian, Asian British or Asian Welsh', code: 'asian_bangladeshi', label: 'Bangladeshi' },
  { group: 'Asian, Asian British or Asian Welsh', code: 'asian_chinese', label: 'Chinese' },
  { group: 'Asian, Asian British or Asian Welsh', code: 'asian_indian', label: 'Indian' },
  { group: 'Asian, Asian British or Asian Welsh', code: 'asian_pakistani', label: 'Pakistani' },
  { group: 'Asian, Asian British or Asian Welsh', code: 'asian_other', label: 'Any other Asian background' },
  { group: 'Black, Black British, Black Welsh, Caribbean or African', code: 'black_african', label: 'African' },
  { group: 'Black, Black British, Black Welsh, Caribbean or African', code: 'black_caribbean', label: 'Caribbean' },
  { group: 'Black, Black British, Black Welsh, Caribbean or African', code: 'black_other', label: 'Any other Black, Black British or Caribbean background' },
  { group: 'Mixed or Multiple ethnic groups', code: 'mixed_white_asian', label: 'White and Asian' },
  { group: 'Mixed or Multiple ethnic groups', code: 'mixed_white_black_african', label: 'White and Black African' },
  { group: 'Mixed or Multiple ethnic groups', code: 'mixed_white_black_caribbean', label: 'White and Black Caribbean' },
  { group: 'Mixed or Multiple ethnic groups', code: 'mixed_other', label: 'Any other Mixed or Multiple background' },
  { group: 'White', code: 'white_british', label: 'English, Welsh, Scottish, Northern Irish or British' },
  { group: 'White', code: 'white_irish', label: 'Irish' },
  { group: 'White', code: 'white_gypsy_traveller', label: 'Gypsy or Irish Traveller' },
  { group: 'White', code: 'white_roma', label: 'Roma' },
  { group: 'White', code: 'white_other', label: 'Any other White background' },
  { group: 'Other ethnic group', code: 'other_arab', label: 'Arab' },
  { group: 'Other ethnic group', code: 'other_any', label: 'Any other ethnic group' },
  { group: 'Not stated', code: 'not_stated', label: 'Not stated' },
] as const;
export type EthnicityCode = (typeof ETHNICITIES)[number]['code'];
export const ETHNICITY_CODES = ETHNICITIES.map((e) => e.code) as EthnicityCode[];
export const ETHNICITY_LABELS: Record<string, string> = Object.fromEntries(ETHNICITIES.map((e) => [e.code, `${e.group}: ${e.label}`]));

export const SEXES = { female: 'Female', male: 'Male', not_known: 'Not known' } as const;
export const SEX_CODES = Object.keys(SEXES) as (keyof typeof SEXES)[];

// The UK postcode format (BS 7666): outward code, space, inward code.
const POSTCODE = /^([A-Z]{1,2}[0-9][A-Z0-9]?|GIR) ?([0-9][A-Z]{2})$/;

export function normalisePostcode(value: string): string | null {
  const match = POSTCODE.exec(value.toUpperCase().replace(/\s+/g, ' ').trim());
  return match ? `${match[1]} ${match[2]}` : null;
}

/** An optional postcode field: the normalised postcode, or null with a message when it is not a real one. */
export function postcodeField(body: Body, name: string, errors: FormErrors): string | null {
  const raw = text(body, name, errors, { label: 'Postcode', max: 10 });
  const postcode = raw ? normalisePostcode(raw) : null;
  if (raw && !postcode) errors.add(name, 'Enter a real postcode, like E17 4PP');
  return postcode;
}

export interface PersonInput {
  givenName: string;
  familyName: string;
  dateOfBirth: string | null;
  sex: string;
  ethnicity: string;
  address: string | null;
  postcode: string | null;
}

/** Reads a new person's details; `prefix` namespaces the fields when they sit inside another form. */
export function readPerson(body: Body, errors: FormErrors, options: { isoDate?: boolean; prefix?: string } = {}): PersonInput | null {
  const p = options.prefix ?? '';
  const givenName = text(body, `${p}givenName`, errors, { label: 'First name', required: true, max: 100, missing: 'Enter the person’s first name' });
  const familyName = text(body, `${p}familyName`, errors, { label: 'Last name', required: true, max: 100, missing: 'Enter the person’s last name' });
  let dateOfBirth: string | null = null;
  if (options.isoDate) {
    const raw = str(body, `${p}dateOfBirth`);
    if (raw) {
      dateOfBirth = isoDay(raw, { label: 'Date of birth', notFuture: true, minYear: 1900 });
      if (!dateOfBirth) errors.add(`${p}dateOfBirth`, 'Date of birth must be a real date in the past, as YYYY-MM-DD');
    }
  } else {
    dateOfBirth = dateInput(body, `${p}dateOfBirth`, errors, { label: 'Date of birth', notFuture: true, minYear: 1900 });
  }
  const sex = choice(body, `${p}sex`, errors, SEX_CODES, 'Select the person’s sex, or “Not known”');
  const ethnicity = choice(body, `${p}ethnicity`, errors, ETHNICITY_CODES, 'Select the person’s ethnic group, or “Not stated”');
  const address = text(body, `${p}address`, errors, { label: 'Address', max: 300 });
  const postcode = postcodeField(body, `${p}postcode`, errors);
  if (!givenName || !familyName || !sex || !ethnicity || errors.any) return null;
  return { givenName, familyName, dateOfBirth, sex, ethnicity, address, postcode };
}

/** A stable stand-in for a person's name, for roles that see people pseudonymised. */
/** An id that stands in for a person's in API answers to readers without names: not a UUID, so it can never be taken for one. */
export function pseudonymousId(personId: string, key: string): string {
  return `pseudonym-${createHmac('sha256', `api:${key}`).update(personId).digest('hex').slice(0, 24)}`;
}

export function pseudonym(personId: string, key: string): string {
  return `Person ${createHmac('sha256', key).update(personId).digest('hex').slice(0, 6).toUpperCase()}`;
}
