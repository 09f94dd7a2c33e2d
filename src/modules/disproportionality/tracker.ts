// The disproportionality table (issue 7, item 4; seed 004: "a
// disproportionality tracker"): for each group, people with an event
// against residents, the rate, and the relative rate index against a
// reference group with its Katz 95% interval (analysis/rri.ts), in words.
// Small counts are suppressed with secondary suppression
// (figures/suppression.ts), and everything worked out from a hidden count
// (its rate, its RRI) is hidden with it; if the reference group's count is
// hidden, every RRI is, because each would give the reference rate back.
import { relativeRate } from '../../analysis/rri.ts';
import { HIDDEN, SUPPRESS_BELOW, suppressGroup } from '../figures/suppression.ts';

export interface GroupCount {
  key: string;
  label: string;
  events: number;
  /** Residents in the group; null where there is no population figure (ethnicity not stated, say). */
  population: number | null;
}

export { HIDDEN };

export interface TrackerRow {
  key: string;
  label: string;
  events: number | string;
  population: number | null;
  /** Per 1,000 residents. */
  rate: string | null;
  rri: string | null;
  ciLow: string | null;
  ciHigh: string | null;
  reference: boolean;
  words: string | null;
}

export interface Tracker {
  rows: TrackerRow[];
  total: number | string;
  referenceHidden: boolean;
}

const fixed = (x: number, places: number) => (Number.isFinite(x) ? x.toFixed(places) : x === Infinity ? 'infinite' : 'not defined');

/**
 * `subject` finishes the sentence "… were 2.6 times as likely as … to …",
 * e.g. "be knife-injury victims"; `people` names who is compared, e.g.
 * "young people aged 10 to 24".
 */
export function trackerTable(groups: GroupCount[], referenceKey: string, subject: string, people: string): Tracker {
  const counts = groups.map((g) => g.events);
  const total = counts.reduce((a, b) => a + b, 0);
  const hidden = suppressGroup(counts, total);
  const refIndex = groups.findIndex((g) => g.key === referenceKey);
  const ref = groups[refIndex];
  const referenceHidden = !ref || hidden.cells[refIndex] || !ref.population;
  const rows = groups.map((g, i): TrackerRow => {
    const hide = hidden.cells[i];
    const base = { key: g.key, label: g.label, population: g.population, reference: i === refIndex, rate: null, rri: null, ciLow: null, ciHigh: null, words: null };
    if (hide) return { ...base, events: HIDDEN };
    if (!g.population) return { ...base, events: g.events };
    const rate = fixed((1000 * g.events) / g.population, 2);
    if (referenceHidden || i === refIndex) return { ...base, events: g.events, rate, rri: i === refIndex ? '1.00' : null };
    const r = relativeRate({ group: g.key, events: g.events, population: g.population }, { group: ref.key, events: ref.events, population: ref.population! });
    const rri = fixed(r.rri, 2);
    const ciLow = fixed(r.ciLow, 2);
    const ciHigh = fixed(r.ciHigh, 2);
    const chance = r.ciLow <= 1 && r.ciHigh >= 1 ? ' The interval includes 1: the difference could be chance.' : '';
    const words = Number.isFinite(r.rri)
      ? `${g.label} ${people} were ${fixed(r.rri, 1)} times as likely as ${ref.label} ${people} to ${subject}; 95% CI ${fixed(r.ciLow, 1)}–${fixed(r.ciHigh, 1)}.${chance}`
      : null;
    return { ...base, events: g.events, rate, rri, ciLow, ciHigh, words };
  });
  return { rows, total: hidden.total ? HIDDEN : total, referenceHidden };
}

export const DIMENSIONS = { ethnicity: 'Ethnicity', sex: 'Sex', age: 'Age' } as const;
export type Dimension = keyof typeof DIMENSIONS;

export interface Person {
  /** Already the group's key for ethnicity (a broad group) and sex. */
  ethnicity: string;
  sex: string;
  age: number | null;
}

export interface Resident {
  ethnicity: string;
  sex: string;
  ageFrom: number;
  ageTo: number;
  people: number;
}

/**
 * People and residents counted into groups of one dimension, for ages
 * `ages` (inclusive). Ethnicity and sex groups count only people whose age
 * is known to be in range, as the residents are; the age table has a row
 * for age not known. Groups with no population figure (not stated, not
 * known) have a count but no rate.
 */
export function countGroups(people: Person[], residents: Resident[], dimension: Dimension, ages: [number, number], groups: Record<string, string>): GroupCount[] {
  const inAges = (age: number | null) => age !== null && age >= ages[0] && age <= ages[1];
  const pop = residents.filter((r) => r.ageFrom >= ages[0] && r.ageTo <= ages[1]);
  if (dimension === 'age') {
    const bands = [...new Map(pop.map((r) => [r.ageFrom, r.ageTo])).entries()].sort((a, b) => a[0] - b[0]);
    return [
      ...bands.map(([from, to]) => ({
        key: `${from}-${to}`,
        label: `Aged ${from} to ${to}`,
        events: people.filter((p) => p.age !== null && p.age >= from && p.age <= to).length,
        population: pop.filter((r) => r.ageFrom === from).reduce((n, r) => n + r.people, 0),
      })),
      { key: 'not_known', label: 'Age not known', events: people.filter((p) => p.age === null).length, population: null },
    ];
  }
  return Object.entries(groups).map(([key, label]) => {
    const residentsIn = pop.filter((r) => r[dimension] === key);
    return { key, label, events: people.filter((p) => inAges(p.age) && p[dimension] === key).length, population: residentsIn.length ? residentsIn.reduce((n, r) => n + r.people, 0) : null };
  });
}
