// The person record's smaller forms: aliases, identifiers, addresses,
// markers, involvement flags and the extra details. Each returns clean values
// or adds GOV.UK messages; nothing is saved when any message is added.
import { FormErrors, choice, dateInput, email, str, text, type Body } from '../../platform/forms.ts';
import { ALIAS_KINDS, type AliasKind, type SearchTerms } from './queries.ts';
import { IDENTIFIER_SCHEME_CODES, checkIdentifier, type IdentifierScheme } from './identifiers.ts';
import { postcodeField } from './rules.ts';

const keys = <T extends object>(o: T) => Object.keys(o) as (keyof T & string)[];

/** Safety markers (issue 4): what a worker must know before a visit or a call. */
export const MARKER_KINDS = {
  risk_to_workers: 'Risk to workers: do not visit alone',
  no_direct_family_contact: 'Do not contact the family directly',
  no_home_visits: 'No home visits',
  interpreter_needed: 'Needs an interpreter',
  communication_needs: 'Communication or learning needs',
  other: 'Other',
} as const;
export type MarkerKind = keyof typeof MARKER_KINDS;

/** Kinds of involvement an agency may tell the partnership it has (issue 4's flags). */
export const INVOLVEMENT_KINDS = [
  'Child in need plan',
  'Child protection plan',
  'Looked after child',
  'Early help',
  'Youth justice order or out-of-court disposal',
  'Probation supervision',
  'Integrated Offender Management',
  'School or college',
  'Health (GP, CAMHS, sexual health)',
  'Housing',
  'Voluntary sector support',
  'Other',
] as const;

export const GENDERS = { same_as_sex: 'Same as sex registered at birth', different: 'Different from sex registered at birth', not_stated: 'Not stated' } as const;

export function readExtras(body: Body, errors: FormErrors) {
  const gender = body.gender ? choice(body, 'gender', errors, keys(GENDERS), 'Select how the person describes their gender') : null;
  const genderDescription = text(body, 'genderDescription', errors, { label: 'Gender in their own words', max: 100 });
  const school = text(body, 'school', errors, { label: 'School or college', max: 200 });
  const phone = text(body, 'phone', errors, { label: 'Phone number', max: 30 });
  if (phone && !/^\+?[0-9 ()-]{7,20}$/.test(phone)) errors.add('phone', 'Enter a phone number, like 07700 900 982');
  const mail = body.email ? email(body, 'email', errors) : null;
  return { gender: gender === 'different' && genderDescription ? `different: ${genderDescription}` : gender, school, phone, email: mail };
}

export function readAlias(body: Body, errors: FormErrors) {
  const givenName = text(body, 'aliasGiven', errors, { label: 'First name', required: true, max: 100 });
  const familyName = text(body, 'aliasFamily', errors, { label: 'Last name', required: true, max: 100 });
  const kind = choice(body, 'aliasKind', errors, keys(ALIAS_KINDS), 'Select what kind of name this is') as AliasKind | null;
  return givenName && familyName && kind && !errors.any ? { givenName, familyName, kind } : null;
}

export function readIdentifier(body: Body, errors: FormErrors): { scheme: IdentifierScheme; value: string } | null {
  const scheme = choice(body, 'scheme', errors, IDENTIFIER_SCHEME_CODES, 'Select the kind of identifier');
  const raw = text(body, 'identifier', errors, { label: 'Identifier', required: true, max: 40 });
  if (!scheme || !raw) return null;
  const checked = checkIdentifier(scheme, raw);
  if ('error' in checked) {
    errors.add('identifier', checked.error);
    return null;
  }
  return { scheme, value: checked.value };
}

/** The optional identifiers on the new-person form, each checked by its scheme. */
export function readNewIdentifiers(body: Body, errors: FormErrors): { scheme: IdentifierScheme; value: string }[] {
  const out: { scheme: IdentifierScheme; value: string }[] = [];
  for (const [field, scheme] of [['nhsNumber', 'nhs'], ['upn', 'upn'], ['pnc', 'pnc']] as const) {
    const raw = text(body, field, errors, { label: field, max: 40 });
    if (!raw) continue;
    const checked = checkIdentifier(scheme, raw);
    if ('error' in checked) errors.add(field, checked.error);
    else out.push({ scheme, value: checked.value });
  }
  return out;
}

export function readAddress(body: Body, errors: FormErrors) {
  const address = text(body, 'newAddress', errors, { label: 'Address', required: true, max: 300 });
  const postcode = postcodeField(body, 'newPostcode', errors);
  const fromDate = dateInput(body, 'addressFrom', errors, { label: 'Lived there from', notFuture: true, minYear: 1900 });
  return address && !errors.any ? { address, postcode, fromDate } : null;
}

export function readMarker(body: Body, errors: FormErrors) {
  const kind = choice(body, 'markerKind', errors, keys(MARKER_KINDS), 'Select the kind of marker');
  const detail = text(body, 'markerDetail', errors, { label: 'Detail', required: kind === 'other', max: 500, missing: 'Say what workers need to know' });
  return kind && !errors.any ? { kind, detail } : null;
}

export function readInvolvement(body: Body, errors: FormErrors) {
  const kind = choice(body, 'involvementKind', errors, INVOLVEMENT_KINDS, 'Select what kind of involvement your agency has');
  const since = dateInput(body, 'since', errors, { label: 'Since', required: true, notFuture: true, minYear: 1990 });
  const contactName = text(body, 'contactName', errors, { label: 'Named contact', required: true, max: 100, missing: 'Enter who at your agency partners should contact' });
  const contactDetail = text(body, 'contactDetail', errors, { label: 'Phone or email', max: 200 });
  return kind && since && contactName && !errors.any ? { kind, since, contactName, contactDetail } : null;
}

/** A search for a person: name, date of birth, postcode or identifier, at least one. */
export function readSearchTerms(body: Body, errors: FormErrors): SearchTerms | null {
  const name = text(body, 'name', errors, { label: 'Name', max: 100 });
  const dateOfBirth = dateInput(body, 'dob', errors, { label: 'Date of birth', notFuture: true, minYear: 1900 });
  const postcode = postcodeField(body, 'postcode', errors);
  const identifier = str(body, 'identifier') ? readIdentifier(body, errors) : null;
  if (!errors.any && !name && !dateOfBirth && !postcode && !identifier) errors.add('name', 'Enter a name, date of birth, postcode or identifier to search for');
  return errors.any ? null : { name, dateOfBirth, postcode, identifier };
}
