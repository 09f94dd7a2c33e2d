// Finding the person a worker means, however the name was spelt, and
// scoring possible duplicates with the reasons for each score, so the worker
// (not the machine) decides whether two records are one child.
//
// Two steps. Keys (stored on each person, indexed) find a short list cheaply:
// the Double Metaphone codes of every name and the formal name behind a
// nickname, the date of birth, postcodes and identifiers. Then each short-
// listed person is scored on the evidence, in points that add up, each with
// its reason. Points are a simple record-linkage scheme (agreement on a rare,
// reliable field counts most; disagreement on one counts against).
import { doubleMetaphone } from 'double-metaphone';
import { comparableIdentifier, type IdentifierScheme } from './identifiers.ts';
import { formalNames } from './nicknames.ts';

export interface MatchDetails {
  names: { given: string; family: string; kind?: string }[];
  dateOfBirth: string | null;
  sex?: string | null;
  postcodes: string[];
  identifiers: { scheme: IdentifierScheme; value: string }[];
}

/** Upper case letters only: accents, hyphens, apostrophes and spaces do not tell two names apart. */
export function normaliseName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toUpperCase()
    .replace(/[^A-Z]/g, '');
}

function nameParts(name: string): string[] {
  return name.split(/[\s-]+/).map(normaliseName).filter(Boolean);
}

function phonetic(part: string): string[] {
  const [primary, secondary] = doubleMetaphone(part);
  return [...new Set([primary, secondary].filter(Boolean))];
}

/** A given name and the formal names it may be short for ("Bob" is also "Robert"). */
function givenForms(part: string): string[] {
  return [part, ...formalNames(part)];
}

const nameKeys = (parts: string[]) => parts.flatMap((p) => phonetic(p).map((code) => `n:${code}`));

// The first letters of a name, so a search for "Jay" finds Jayden (search only: too loose for duplicates).
const PREFIX = 3;
const prefixKeys = (parts: string[]) => parts.filter((p) => p.length >= PREFIX).map((p) => `f:${p.slice(0, PREFIX)}`);

/** For a searched word: the keys of names it may be (sounds like it, is short for it, or starts like it). */
export function wordKeys(word: string): string[] {
  const parts = nameParts(word);
  return [...new Set([...nameKeys(parts.flatMap(givenForms)), ...prefixKeys(parts)])];
}

export function matchKeys(d: MatchDetails): string[] {
  const keys = new Set<string>();
  for (const n of d.names) {
    for (const k of nameKeys(nameParts(n.family))) keys.add(k);
    for (const k of nameKeys(nameParts(n.given).flatMap(givenForms))) keys.add(k);
    for (const k of prefixKeys([...nameParts(n.given), ...nameParts(n.family)])) keys.add(k);
  }
  if (d.dateOfBirth) keys.add(`d:${d.dateOfBirth}`);
  for (const p of d.postcodes) keys.add(`p:${p}`);
  for (const i of d.identifiers) keys.add(`i:${i.scheme}:${comparableIdentifier(i.scheme, i.value)}`);
  return [...keys].sort();
}

/**
 * Key sets any of which, all present on a person, make them worth scoring: an
 * identifier alone; else two pieces of evidence together (a first and a last
 * name in either order, a name and a date of birth, a date of birth and a
 * postcode). One common surname alone would list thousands.
 */
export function candidateKeySets(d: MatchDetails): string[][] {
  const sets: string[][] = [];
  for (const i of d.identifiers) sets.push([`i:${i.scheme}:${comparableIdentifier(i.scheme, i.value)}`]);
  const given = new Set<string>();
  const family = new Set<string>();
  for (const n of d.names) {
    for (const p of nameParts(n.given).flatMap(givenForms)) for (const c of phonetic(p)) given.add(`n:${c}`);
    for (const p of nameParts(n.family)) for (const c of phonetic(p)) family.add(`n:${c}`);
  }
  for (const g of given) for (const f of family) sets.push([g, f]);
  if (d.dateOfBirth) {
    const dob = `d:${d.dateOfBirth}`;
    for (const k of [...given, ...family]) sets.push([dob, k]);
    for (const p of d.postcodes) sets.push([dob, `p:${p}`]);
  }
  return sets;
}

/**
 * Jaro-Winkler similarity (Winkler 1990): Jaro's count of matching characters
 * within a window and their transpositions, raised for a shared prefix of up
 * to four characters by 0.1 per character.
 */
export function jaroWinkler(a: string, b: string): number {
  if (a === b) return a.length ? 1 : 0;
  if (!a.length || !b.length) return 0;
  const window = Math.max(0, Math.floor(Math.max(a.length, b.length) / 2) - 1);
  const aMatched = new Array<boolean>(a.length).fill(false);
  const bMatched = new Array<boolean>(b.length).fill(false);
  let matches = 0;
  for (let i = 0; i < a.length; i++) {
    for (let j = Math.max(0, i - window); j <= Math.min(b.length - 1, i + window); j++) {
      if (bMatched[j] || a[i] !== b[j]) continue;
      aMatched[i] = bMatched[j] = true;
      matches++;
      break;
    }
  }
  if (!matches) return 0;
  let transpositions = 0;
  for (let i = 0, j = 0; i < a.length; i++) {
    if (!aMatched[i]) continue;
    while (!bMatched[j]) j++;
    if (a[i] !== b[j]) transpositions++;
    j++;
  }
  const m = matches;
  const jaro = (m / a.length + m / b.length + (m - transpositions / 2) / m) / 3;
  let prefix = 0;
  while (prefix < Math.min(4, a.length, b.length) && a[prefix] === b[prefix]) prefix++;
  return jaro + prefix * 0.1 * (1 - jaro);
}

/** Names at least this alike (Jaro-Winkler) are "similar": catches one slip of the keyboard in most names. */
export const SIMILAR_NAME = 0.88;

export const POINTS = {
  sameNhsNumber: 50,
  differentNhsNumber: -40,
  sameOtherIdentifier: 40,
  sameName: 30,
  nicknameName: 25,
  similarName: 20,
  // Each name sounds the same (Double Metaphone): another spelling or a transliteration, like Mohammed Ali and Muhammad Aly.
  // Less than similarName: a spelling close to the letter is better evidence than a sound.
  soundsAlike: 18,
  sameLastName: 10,
  // Same last name but a first name that is not the same, a short form, alike or sound-alike: twins and siblings.
  differentFirstName: -25,
  sameDateOfBirth: 25,
  nearDateOfBirth: 10,
  differentDateOfBirth: -15,
  samePostcode: 10,
  differentSex: -5,
} as const;

/** Candidates scoring this or more are shown; from STRONG up they are called a strong match. */
export const SHOW_FROM = 30;
export const STRONG = 60;

export interface Scored {
  score: number;
  strength: 'strong' | 'possible';
  reasons: string[];
}

type NameVerdict = { points: number; reason: string };

function compareNames(q: MatchDetails['names'][number], c: MatchDetails['names'][number]): NameVerdict | null {
  const qg = normaliseName(q.given);
  const qf = normaliseName(q.family);
  const cg = normaliseName(c.given);
  const cf = normaliseName(c.family);
  const on = c.kind ? ` (as ${c.kind})` : '';
  const verdicts: NameVerdict[] = [];
  for (const [given, family, swapped] of [
    [cg, cf, false],
    [cf, cg, true],
  ] as const) {
    const order = swapped ? ', first and last names swapped' : '';
    if (qg === given && qf === family) verdicts.push({ points: POINTS.sameName, reason: `Same name${order}${on}` });
    else if (qf === family && sameFormalName(qg, given)) verdicts.push({ points: POINTS.nicknameName, reason: `Same last name, and one first name is a short form of the other${order}${on}` });
    else {
      const g = jaroWinkler(qg, given);
      const f = jaroWinkler(qf, family);
      const givenAlike = g >= SIMILAR_NAME || soundAlike(givenForms(qg), givenForms(given)) || sameFormalName(qg, given);
      if (g >= SIMILAR_NAME && f >= SIMILAR_NAME) verdicts.push({ points: POINTS.similarName, reason: `Similar name${order}${on} (${Math.round(Math.min(g, f) * 100)}% alike)` });
      else if (givenAlike && (f >= SIMILAR_NAME || soundAlike([qf], [family]))) verdicts.push({ points: POINTS.soundsAlike, reason: `Names sound the same: another spelling or a transliteration${order}${on}` });
      // A one-word search (a surname alone) has no first name to differ.
      else if (qf === family && qg !== qf) verdicts.push({ points: POINTS.sameLastName + POINTS.differentFirstName, reason: `Same last name, but a different first name${order}${on}` });
      else if (qf === family) verdicts.push({ points: POINTS.sameLastName, reason: `Same last name${order}${on}` });
    }
  }
  return verdicts.sort((a, b) => b.points - a.points)[0] ?? null;
}

/** Two names, or their forms, share a Double Metaphone code. */
function soundAlike(a: string[], b: string[]): boolean {
  const codes = new Set(a.flatMap(phonetic));
  return b.some((name) => phonetic(name).some((c) => codes.has(c)));
}

function sameFormalName(a: string, b: string): boolean {
  const fa = new Set(givenForms(a));
  return givenForms(b).some((f) => fa.has(f));
}

/**
 * Day and month swapped, or one digit of the day or month different: the
 * commonest slips in typing a date. A different year is a different date:
 * children with a common name born a few years apart are not one child.
 */
export function nearDate(a: string, b: string): boolean {
  const [ay, am, ad] = a.split('-');
  const [by, bm, bd] = b.split('-');
  if (ay !== by) return false;
  if (am === bd && ad === bm) return true;
  let differing = 0;
  for (let i = 0; i < 2; i++) differing += Number(am[i] !== bm[i]) + Number(ad[i] !== bd[i]);
  return differing === 1;
}

/** Every real date a slip away from this one: what a search by date of birth also looks under. */
export function nearDates(iso: string): string[] {
  const [y, m, d] = iso.split('-');
  const real = (mmdd: string) => {
    const date = new Date(`${y}-${mmdd.slice(0, 2)}-${mmdd.slice(2)}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().slice(5, 10) === `${mmdd.slice(0, 2)}-${mmdd.slice(2)}`;
  };
  const out = new Set<string>();
  const digits = m + d;
  for (const candidate of [d + m, ...[0, 1, 2, 3].flatMap((i) => [...'0123456789'].map((x) => digits.slice(0, i) + x + digits.slice(i + 1)))]) {
    if (candidate !== digits && real(candidate)) out.add(`${y}-${candidate.slice(0, 2)}-${candidate.slice(2)}`);
  }
  return [...out];
}

export function scoreCandidate(query: MatchDetails, candidate: MatchDetails): Scored {
  let score = 0;
  const reasons: string[] = [];
  const add = (points: number, reason: string) => {
    score += points;
    reasons.push(reason);
  };
  const ids = (d: MatchDetails, scheme: IdentifierScheme) => new Set(d.identifiers.filter((i) => i.scheme === scheme).map((i) => comparableIdentifier(i.scheme, i.value)));
  const qNhs = ids(query, 'nhs');
  const cNhs = ids(candidate, 'nhs');
  if ([...qNhs].some((n) => cNhs.has(n))) add(POINTS.sameNhsNumber, 'Same NHS number');
  else if (qNhs.size && cNhs.size) add(POINTS.differentNhsNumber, 'Different NHS numbers');
  for (const scheme of ['upn', 'pnc', 'agency'] as const) {
    const c = ids(candidate, scheme);
    if ([...ids(query, scheme)].some((v) => c.has(v))) add(POINTS.sameOtherIdentifier, `Same ${scheme === 'upn' ? 'unique pupil number' : scheme === 'pnc' ? 'PNC ID' : 'agency reference'}`);
  }
  const names = query.names.flatMap((q) => candidate.names.map((c) => compareNames(q, c))).filter((v): v is NameVerdict => v !== null);
  const best = names.sort((a, b) => b.points - a.points)[0];
  if (best) add(best.points, best.reason);
  if (query.dateOfBirth && candidate.dateOfBirth) {
    if (query.dateOfBirth === candidate.dateOfBirth) add(POINTS.sameDateOfBirth, 'Same date of birth');
    else if (nearDate(query.dateOfBirth, candidate.dateOfBirth)) add(POINTS.nearDateOfBirth, 'Date of birth nearly the same (a digit different, or day and month swapped)');
    else add(POINTS.differentDateOfBirth, 'Different date of birth');
  }
  const postcodes = new Set(candidate.postcodes);
  if (query.postcodes.some((p) => postcodes.has(p))) add(POINTS.samePostcode, 'Same postcode (now or at an earlier address)');
  const known = (s: string | null | undefined) => s && s !== 'not_known';
  if (known(query.sex) && known(candidate.sex) && query.sex !== candidate.sex) add(POINTS.differentSex, 'Different sex recorded');
  return { score, strength: score >= STRONG ? 'strong' : 'possible', reasons };
}
