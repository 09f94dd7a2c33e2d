// Indicators computed from Reachable's own records (issue 7, item 3), each
// for a rolling year ending with a chosen month, compared with the year
// before (seed 000: "between July 2022 and July 2024 … increased by 30%
// from 40 to 52"). Pure functions over facts the queries load, so each rule
// is tested on a hand-worked fixture.
import { ageAt } from '../../platform/time.ts';
import { addMonths, clockOutcomes, monthStart, type ResponseFacts } from '../figures/figures.ts';

/** One victim involvement: a young person's part in a violent incident. */
export interface Victimisation {
  personId: string;
  incidentId: string;
  occurredAt: Date;
  dateOfBirth: string | null;
  sex: string;
  /** A knife injury: the incident type, or a knife in a homicide, wounding or A&E violence injury. */
  knife: boolean;
  /** Recorded as domestic abuse: left out of the "without domestic abuse" count, as the strategy's figures are (seed 001). */
  domesticAbuse?: boolean;
}

export interface Window {
  from: Date;
  to: Date;
}

/** The twelve months ending with `month` (London calendar), as [from, to). */
export function rollingYear(month: string): Window {
  return { from: monthStart(addMonths(month, -11)), to: monthStart(addMonths(month, 1)) };
}

const within = (at: Date, w: Window) => at >= w.from && at < w.to;

// Each indicator is worked out for fourteen rolling years (the year, the year
// before, a twelve-month trend) over the same rows: a row's age and clock
// outcome are worked out once, not fourteen times (ageAt reads London dates).
const ages = new WeakMap<Victimisation, number | null>();
function ageOf(r: Victimisation): number | null {
  if (!ages.has(r)) ages.set(r, ageAt(r.dateOfBirth, r.occurredAt));
  return ages.get(r)!;
}
const contactOutcomes = new WeakMap<ResponseFacts, { now: number; outcome: 'met' | 'missed' | null }>();
function contactOutcome(r: ResponseFacts, now: Date): 'met' | 'missed' | null {
  const known = contactOutcomes.get(r);
  if (known && known.now === now.getTime()) return known.outcome;
  const outcome = clockOutcomes(r, now)[0];
  contactOutcomes.set(r, { now: now.getTime(), outcome });
  return outcome;
}
const percent = (part: number, whole: number) => (whole === 0 ? null : (100 * part) / whole);

/** Knife-injury victims younger than `under` at the incident, each young person counted once in the year; with or without domestic abuse. */
export function knifeVictims(rows: Victimisation[], w: Window, under: number, withoutDomesticAbuse = false): number {
  const people = new Set<string>();
  for (const r of rows) {
    if (!r.knife || !within(r.occurredAt, w) || (withoutDomesticAbuse && r.domesticAbuse)) continue;
    const age = ageOf(r);
    if (age !== null && age < under) people.add(r.personId);
  }
  return people.size;
}

/** Of knife-injury victims under 25 in the year whose sex is recorded, the percentage who are male. */
export function maleShare(rows: Victimisation[], w: Window): number | null {
  const sexes = new Map<string, string>();
  for (const r of rows) {
    if (!r.knife || !within(r.occurredAt, w)) continue;
    const age = ageOf(r);
    if (age !== null && age < 25 && (r.sex === 'male' || r.sex === 'female')) sexes.set(r.personId, r.sex);
  }
  return percent([...sexes.values()].filter((s) => s === 'male').length, sexes.size);
}

const YEAR_MS = 365 * 86_400_000;

/**
 * Of young people (under 25) who were victims of violence in the year, the
 * percentage who had also been a victim in the twelve months before one of
 * those incidents (an earlier, different incident).
 */
export function repeatVictimisation(rows: Victimisation[], w: Window): number | null {
  const byPerson = new Map<string, Victimisation[]>();
  for (const r of rows) {
    const list = byPerson.get(r.personId);
    if (list) list.push(r);
    else byPerson.set(r.personId, [r]);
  }
  let victims = 0;
  let repeats = 0;
  for (const list of byPerson.values()) {
    const inYear = list.filter((r) => within(r.occurredAt, w) && (ageOf(r) ?? 99) < 25);
    if (!inYear.length) continue;
    victims++;
    const repeat = inYear.some((r) => list.some((e) => e.incidentId !== r.incidentId && e.occurredAt <= r.occurredAt && r.occurredAt.getTime() - e.occurredAt.getTime() <= YEAR_MS));
    if (repeat) repeats++;
  }
  return percent(repeats, victims);
}

/** Of urgent responses notified in the year whose 48-hour clock is decided, the percentage with contact in time (seed 003). */
export function contactWithin48Hours(responses: ResponseFacts[], w: Window, now: Date): number | null {
  let decided = 0;
  let met = 0;
  for (const r of responses) {
    if (!within(r.notified_at, w)) continue;
    const outcome = contactOutcome(r, now);
    if (!outcome) continue;
    decided++;
    if (outcome === 'met') met++;
  }
  return percent(met, decided);
}

export interface Facts {
  victimisations: Victimisation[];
  responses: ResponseFacts[];
  now: Date;
}

/** Each computed indicator: its rule over the facts for one rolling year. */
export const MEASURES: Record<string, (f: Facts, w: Window) => number | null> = {
  knife_victims_under_25: (f, w) => knifeVictims(f.victimisations, w, 25),
  knife_victims_under_18: (f, w) => knifeVictims(f.victimisations, w, 18),
  knife_victims_under_25_without_domestic_abuse: (f, w) => knifeVictims(f.victimisations, w, 25, true),
  knife_victims_male_share: (f, w) => maleShare(f.victimisations, w),
  contact_within_48_hours: (f, w) => contactWithin48Hours(f.responses, w, f.now),
  repeat_victimisation: (f, w) => repeatVictimisation(f.victimisations, w),
};

/** Within this fraction of its target an indicator is amber rather than red (a board convention; issue 7 asks for a RAG). */
export const AMBER_MARGIN = 0.1;

export type Better = 'lower' | 'higher' | 'neither';

export function ragFor(value: number | null, target: number | null, better: Better): 'red' | 'amber' | 'green' | null {
  if (value === null || target === null || better === 'neither') return null;
  if (better === 'lower') return value <= target ? 'green' : value <= target * (1 + AMBER_MARGIN) ? 'amber' : 'red';
  return value >= target ? 'green' : value >= target * (1 - AMBER_MARGIN) ? 'amber' : 'red';
}

/** The change from the year before, as a percentage of it: 40 to 52 is +30%. */
export function changePercent(value: number | null, previous: number | null): number | null {
  if (value === null || previous === null || previous === 0) return null;
  return (100 * (value - previous)) / previous;
}
