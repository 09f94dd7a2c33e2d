// A labelled set of record pairs for identity matching, made by rule (not by
// hand) from seeded draws: true pairs are one young person typed twice
// (transliterated names, short forms, typos, swapped names, mistyped or
// missing dates of birth, a move of house); false pairs are different young
// people who share a lot (twins, siblings, common names, one date of birth).
// Used by test/people/matching-pairs.test.ts and bench/matching.ts.
import { seededRandom } from '../../src/analysis/random.ts';
import type { MatchDetails } from '../../src/modules/people/matching.ts';

export interface LabelledPair {
  rule: string;
  same: boolean;
  a: MatchDetails;
  b: MatchDetails;
}

const GIVEN = ['Mohammed', 'Ahmed', 'Yusuf', 'Hussain', 'Ibrahim', 'Omar', 'Aisha', 'Fatima', 'Abdullah', 'Mustafa', 'Jayden', 'Tyrone', 'Kai', 'Chidi', 'Emeka', 'Kwame', 'Jamal', 'Leon', 'Ryan', 'Daniel', 'Robert', 'William', 'Aleksandr', 'Mateusz', 'Dmitri', 'Nikolai', 'Priya', 'Sanjay', 'Mehmet', 'Zainab', 'Liam', 'Connor', 'Thomas', 'Samuel', 'Joseph', 'Kofi', 'Femi', 'Isaac', 'Ellie', 'Grace'];
const FAMILY = ['Ali', 'Khan', 'Hussain', 'Ahmed', 'Begum', 'Rahman', 'Okoro', 'Adeyemi', 'Mensah', 'Brown', 'Smith', 'Johnson', 'Nowak', 'Kowalski', 'Ivanov', 'Petrov', 'Patel', 'Shah', 'Yilmaz', 'Demir', 'Murphy', 'Osei', 'Campbell', 'Williams', 'Taylor', 'Clarke', 'Mahmood', 'Qureshi', 'Iqbal', 'Bello'];

/** Common transliterations of the same name (each a real spelling in UK records). */
const TRANSLITERATIONS: Record<string, string[]> = {
  Mohammed: ['Muhammad', 'Mohamed', 'Mohammad'],
  Ahmed: ['Ahmad'],
  Yusuf: ['Youssef', 'Yousef'],
  Hussain: ['Hussein', 'Husain'],
  Ibrahim: ['Ebrahim'],
  Omar: ['Umar'],
  Aisha: ['Ayesha', 'Aishah'],
  Fatima: ['Fatimah'],
  Abdullah: ['Abdallah'],
  Mustafa: ['Mostafa'],
  Aleksandr: ['Alexander'],
  Dmitri: ['Dmitry'],
  Nikolai: ['Nikolay'],
  Mehmet: ['Mehmed'],
  Ali: ['Aly'],
  Rahman: ['Rehman'],
  Ivanov: ['Ivanoff'],
  Mahmood: ['Mahmud'],
  Qureshi: ['Qurashi'],
};
const SHORT: Record<string, string> = { Robert: 'Bob', William: 'Billy', Daniel: 'Dan', Thomas: 'Tom', Samuel: 'Sam', Joseph: 'Joe', Aleksandr: 'Sasha' };

export function labelledPairs(seed = 17): LabelledPair[] {
  const random = seededRandom(seed);
  const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
  const pad = (n: number) => String(n).padStart(2, '0');
  const dob = () => `${2004 + Math.floor(random() * 10)}-${pad(1 + Math.floor(random() * 12))}-${pad(1 + Math.floor(random() * 28))}`;
  const postcode = () => `E${1 + Math.floor(random() * 17)} ${1 + Math.floor(random() * 9)}${pick(['AB', 'PP', 'JD', 'XT', 'LN', 'RS'])}`;
  const person = (given: string, family: string, date: string | null, code: string | null, sex = 'male'): MatchDetails => ({ names: [{ given, family }], dateOfBirth: date, sex, postcodes: code ? [code] : [], identifiers: [] });
  const base = () => ({ given: pick(GIVEN), family: pick(FAMILY), dob: dob(), postcode: postcode() });
  const variant = (name: string) => (TRANSLITERATIONS[name] ? pick(TRANSLITERATIONS[name]) : null);
  const typo = (name: string) => {
    // One slip: a letter doubled, dropped (not the first), or two neighbours swapped.
    const i = 1 + Math.floor(random() * (name.length - 2));
    const kind = Math.floor(random() * 3);
    if (kind === 0) return name.slice(0, i) + name[i] + name.slice(i);
    if (kind === 1) return name.slice(0, i) + name.slice(i + 1);
    return name.slice(0, i) + name[i + 1] + name[i] + name.slice(i + 2);
  };
  const swapDayMonth = (d: string) => {
    const [y, m, day] = d.split('-');
    return Number(day) <= 12 && day !== m ? `${y}-${day}-${m}` : null;
  };
  const otherDigit = (d: string) => {
    const last = Number(d[9]);
    return `${d.slice(0, 9)}${last === 8 ? 7 : last + 1}`;
  };
  const yearsApart = (d: string, years: number) => `${Number(d.slice(0, 4)) + years}${d.slice(4)}`;

  const pairs: LabelledPair[] = [];
  const make = (rule: string, same: boolean, count: number, build: () => [MatchDetails, MatchDetails] | null) => {
    for (let made = 0, tries = 0; made < count && tries < count * 50; tries++) {
      const built = build();
      if (!built) continue;
      pairs.push({ rule, same, a: built[0], b: built[1] });
      made++;
    }
  };

  // One young person, typed twice.
  make('first name transliterated', true, 12, () => {
    const p = base();
    const v = variant(p.given);
    return v ? [person(p.given, p.family, p.dob, p.postcode), person(v, p.family, p.dob, null)] : null;
  });
  make('last name transliterated', true, 12, () => {
    const p = base();
    const v = variant(p.family);
    return v ? [person(p.given, p.family, p.dob, p.postcode), person(p.given, v, p.dob, null)] : null;
  });
  make('both names transliterated, no postcode', true, 14, () => {
    const p = base();
    const g = variant(p.given);
    const f = variant(p.family);
    return g && f ? [person(p.given, p.family, p.dob, null), person(g, f, p.dob, null)] : null;
  });
  make('short form of the first name', true, 12, () => {
    const p = base();
    return SHORT[p.given] ? [person(p.given, p.family, p.dob, p.postcode), person(SHORT[p.given], p.family, p.dob, null)] : null;
  });
  make('one slip in the last name', true, 12, () => {
    const p = base();
    return p.family.length >= 4 ? [person(p.given, p.family, p.dob, p.postcode), person(p.given, typo(p.family), p.dob, null)] : null;
  });
  make('first and last names swapped', true, 12, () => {
    const p = base();
    return [person(p.given, p.family, p.dob, p.postcode), person(p.family, p.given, p.dob, null)];
  });
  make('day and month of birth swapped', true, 12, () => {
    const p = base();
    const d = swapDayMonth(p.dob);
    return d ? [person(p.given, p.family, p.dob, null), person(p.given, p.family, d, null)] : null;
  });
  make('a digit of the date of birth wrong', true, 12, () => {
    const p = base();
    return [person(p.given, p.family, p.dob, p.postcode), person(p.given, p.family, otherDigit(p.dob), p.postcode)];
  });
  make('moved house', true, 12, () => {
    const p = base();
    return [person(p.given, p.family, p.dob, p.postcode), person(p.given, p.family, p.dob, postcode())];
  });
  make('no date of birth given', true, 12, () => {
    const p = base();
    return [person(p.given, p.family, p.dob, p.postcode), person(p.given, p.family, null, p.postcode)];
  });

  // Different young people who share a lot.
  make('twins', false, 14, () => {
    const p = base();
    const other = pick(GIVEN);
    return other !== p.given && !(TRANSLITERATIONS[p.given] ?? []).includes(other) ? [person(p.given, p.family, p.dob, p.postcode), person(other, p.family, p.dob, p.postcode)] : null;
  });
  make('siblings at one address', false, 14, () => {
    const p = base();
    const other = pick(GIVEN);
    return other !== p.given ? [person(p.given, p.family, p.dob, p.postcode), person(other, p.family, yearsApart(p.dob, 2), p.postcode)] : null;
  });
  make('a common name, born in another year', false, 14, () => {
    const p = base();
    return [person(p.given, p.family, p.dob, p.postcode), person(p.given, p.family, yearsApart(p.dob, 3), postcode())];
  });
  make('same date of birth, nothing else', false, 14, () => {
    const p = base();
    const q = base();
    return q.given !== p.given && q.family !== p.family ? [person(p.given, p.family, p.dob, p.postcode), person(q.given, q.family, p.dob, q.postcode)] : null;
  });
  make('same first name and date of birth, another family', false, 14, () => {
    const p = base();
    const family = pick(FAMILY);
    return family !== p.family && !(TRANSLITERATIONS[p.family] ?? []).includes(family) ? [person(p.given, p.family, p.dob, p.postcode), person(p.given, family, p.dob, postcode())] : null;
  });
  make('a transliterated common name, born in another year', false, 14, () => {
    const p = base();
    const g = variant(p.given);
    return g ? [person(p.given, p.family, p.dob, null), person(g, p.family, yearsApart(p.dob, 4), null)] : null;
  });
  make('cousins: one family name, one street, different years', false, 14, () => {
    const p = base();
    const other = pick(GIVEN);
    return other !== p.given ? [person(p.given, p.family, p.dob, p.postcode), person(other, p.family, yearsApart(p.dob, -1), p.postcode, 'female')] : null;
  });
  return pairs;
}

export interface PairVerdict {
  pairs: number;
  truePairs: number;
  precision: number;
  recall: number;
  missed: string[];
  wronglyMatched: string[];
  byRule: Record<string, { pairs: number; matched: number }>;
}

/** Precision and recall of a matcher (matched = shown as a possible duplicate) over the labelled pairs. */
export function evaluate(pairs: LabelledPair[], matched: (a: MatchDetails, b: MatchDetails) => boolean): PairVerdict {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const missed: string[] = [];
  const wronglyMatched: string[] = [];
  const byRule: PairVerdict['byRule'] = {};
  const label = (d: MatchDetails) => `${d.names[0].given} ${d.names[0].family} ${d.dateOfBirth ?? '-'} ${d.postcodes[0] ?? '-'}`;
  for (const p of pairs) {
    const m = matched(p.a, p.b);
    byRule[p.rule] ??= { pairs: 0, matched: 0 };
    byRule[p.rule].pairs++;
    if (m) byRule[p.rule].matched++;
    if (m && p.same) tp++;
    else if (m) {
      fp++;
      wronglyMatched.push(`${p.rule}: ${label(p.a)} / ${label(p.b)}`);
    } else if (p.same) {
      fn++;
      missed.push(`${p.rule}: ${label(p.a)} / ${label(p.b)}`);
    }
  }
  return { pairs: pairs.length, truePairs: tp + fn, precision: tp / Math.max(1, tp + fp), recall: tp / Math.max(1, tp + fn), missed, wronglyMatched, byRule };
}
