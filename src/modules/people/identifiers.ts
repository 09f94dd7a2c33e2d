// A person's identifiers and the checks each scheme publishes, so a mistyped
// number is caught at the desk rather than making a second record.

export const IDENTIFIER_SCHEMES = {
  nhs: 'NHS number',
  upn: 'Unique pupil number',
  pnc: 'Police National Computer ID',
  agency: 'Agency reference',
} as const;
export type IdentifierScheme = keyof typeof IDENTIFIER_SCHEMES;
export const IDENTIFIER_SCHEME_CODES = Object.keys(IDENTIFIER_SCHEMES) as IdentifierScheme[];

/**
 * NHS number: ten digits, the last a modulus 11 check digit (NHS Data
 * Dictionary): weights 10 down to 2 on the first nine, 11 minus the remainder,
 * 11 becomes 0, and 10 means the number cannot be valid.
 */
export function normaliseNhsNumber(value: string): string | null {
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return null;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]) ? digits : null;
}

// The Department for Education's check alphabet: A-Z without I, O and S.
const UPN_LETTERS = 'ABCDEFGHJKLMNPQRTUVWXYZ';

/**
 * Unique pupil number (DfE "UPN guide"): a check letter then 12 characters
 * (local authority, establishment, year, serial; a temporary UPN ends in a
 * letter). Characters 2-13 are weighted 2-13, letters by their place in the
 * check alphabet, and the sum modulo 23 names the check letter.
 */
export function normaliseUpn(value: string): string | null {
  const upn = value.replace(/\s/g, '').toUpperCase();
  if (!/^[A-HJ-NP-RT-Z]\d{11}[0-9A-HJ-NP-RT-Z]$/.test(upn)) return null;
  let sum = 0;
  for (let i = 1; i < 13; i++) {
    const c = upn[i];
    sum += (/\d/.test(c) ? Number(c) : UPN_LETTERS.indexOf(c)) * (i + 1);
  }
  return UPN_LETTERS[sum % 23] === upn[0] ? upn : null;
}

// The Police National Computer's check alphabet: its remainder 0 is Z.
const PNC_LETTERS = 'ZABCDEFGHJKLMNPQRTUVWXY';

/**
 * PNC ID: year of first record (two or four digits), a slash, a serial of up
 * to seven digits and a check letter: the two-digit year followed by the
 * serial padded to seven digits, modulo 23, in the PNC alphabet. Kept in the
 * long form (YYYY/NNNNNNNL) when given that way, else YY/NNNNNNNL.
 */
export function normalisePnc(value: string): string | null {
  const match = /^(\d{2}|\d{4})\/?(\d{1,7})([A-Z])$/.exec(value.replace(/\s/g, '').toUpperCase());
  if (!match) return null;
  const [, year, serial, letter] = match;
  const padded = serial.padStart(7, '0');
  const check = PNC_LETTERS[Number(`${year.slice(-2)}${padded}`) % 23];
  return check === letter ? `${year}/${padded}${letter}` : null;
}

const AGENCY_REFERENCE = /^[A-Za-z0-9][A-Za-z0-9/\-_.]{0,39}$/;

/** The clean identifier, or a message saying what is wrong with it. */
export function checkIdentifier(scheme: IdentifierScheme, raw: string): { value: string } | { error: string } {
  const value = raw.trim();
  switch (scheme) {
    case 'nhs': {
      const nhs = normaliseNhsNumber(value);
      return nhs ? { value: nhs } : { error: /^\d{10}$/.test(value.replace(/[\s-]/g, '')) ? 'NHS number is not valid: check the digits (the last is a check digit)' : 'Enter an NHS number of 10 digits, like 943 476 5919' };
    }
    case 'upn': {
      const upn = normaliseUpn(value);
      return upn ? { value: upn } : { error: 'Enter a real unique pupil number: a check letter and 12 characters, like R801200005001' };
    }
    case 'pnc': {
      const pnc = normalisePnc(value);
      return pnc ? { value: pnc } : { error: 'Enter a real PNC ID: year, slash, serial number and check letter, like 2001/0171310W' };
    }
    case 'agency':
      return AGENCY_REFERENCE.test(value) ? { value } : { error: 'Enter the agency reference in letters, digits and / - _ . only, up to 40 characters' };
  }
}

/** A PNC ID in one form for comparing: the long and short forms of one ID are the same ID. */
export function comparableIdentifier(scheme: IdentifierScheme, value: string): string {
  if (scheme === 'pnc') {
    const m = /^\d{2}(\d{2})\/(\d{7}[A-Z])$/.exec(value);
    return m ? `${m[1]}/${m[2]}` : value;
  }
  return value;
}
