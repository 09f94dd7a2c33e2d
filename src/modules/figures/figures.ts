// The urgent response figures a partnership board is shown (issue 3, item
// 6): for a period, by month and by source, how many opened, how many met
// each clock, the median hours to first attempt and to contact, and why
// they closed. Every count passes through suppression before it is shown.
import { computeClocks, type ClockKind } from '../urgent-response/clocks.ts';
import { CLOSURE_REASONS, SOURCES } from '../urgent-response/rules.ts';
import { median } from '../../platform/statistics.ts';
import { londonParts, londonToUtc } from '../../platform/time.ts';
import { HIDDEN, SUPPRESS_BELOW, shown, suppressGroup } from './suppression.ts';

const HOUR = 3_600_000;

export interface ResponseFacts {
  source: string;
  notified_at: Date;
  custody_booked_at: Date | null;
  custody_notified_at: Date | null;
  first_attempt_at: Date | null;
  contact_made_at: Date | null;
  professional_contact_at: Date | null;
  closure_reason: string | null;
}

/** The clocks a board asks about, each counted where it has been decided: met, or its time is up. */
export const MEASURES: { kind: ClockKind; label: string }[] = [
  { kind: 'contact_made', label: 'Contact made within 48 hours' },
  { kind: 'first_attempt', label: 'First attempt within 24 hours' },
  { kind: 'custody_notification', label: 'MASH told within 1 hour of custody booking-in' },
];

interface Tally {
  opened: number;
  /** Per measure: decided (denominator) and met in time (numerator). */
  decided: number[];
  met: number[];
  hoursToAttempt: number[];
  hoursToContact: number[];
}

const emptyTally = (): Tally => ({ opened: 0, decided: MEASURES.map(() => 0), met: MEASURES.map(() => 0), hoursToAttempt: [], hoursToContact: [] });

/** For each of MEASURES: met in time, missed, or null while its time is still running (or where it does not apply). */
export function clockOutcomes(r: ResponseFacts, now: Date): ('met' | 'missed' | null)[] {
  const clocks = computeClocks(
    { notifiedAt: r.notified_at, custodyBookedAt: r.custody_booked_at, custodyNotifiedAt: r.custody_notified_at, firstAttemptAt: r.first_attempt_at, contactMadeAt: r.contact_made_at, professionalContactAt: r.professional_contact_at },
    now,
  );
  return MEASURES.map((m) => {
    const c = clocks.find((k) => k.kind === m.kind);
    if (!c || (!c.metAt && c.dueAt > now)) return null;
    return c.state === 'met' ? 'met' : 'missed';
  });
}

function add(t: Tally, r: ResponseFacts, now: Date): void {
  t.opened += 1;
  clockOutcomes(r, now).forEach((outcome, i) => {
    if (!outcome) return;
    t.decided[i] += 1;
    if (outcome === 'met') t.met[i] += 1;
  });
  if (r.first_attempt_at) t.hoursToAttempt.push((r.first_attempt_at.getTime() - r.notified_at.getTime()) / HOUR);
  if (r.contact_made_at) t.hoursToContact.push((r.contact_made_at.getTime() - r.notified_at.getTime()) / HOUR);
}

export interface FigureRow {
  label: string;
  opened: string | number;
  measures: { met: string | number; decided: string | number; percent: string | null }[];
  medianHoursToAttempt: string | number;
  medianHoursToContact: string | number;
}

export interface FigureTable {
  rows: FigureRow[];
  total: FigureRow;
}

const roundHours = (h: number | null) => (h === null ? 'none' : Math.round(h * 10) / 10);
// A median of fewer than SUPPRESS_BELOW young people is not shown: it would be close to one child's own hours.
const medianShown = (values: number[]) => (values.length > 0 && values.length < SUPPRESS_BELOW ? `too few to show` : roundHours(median(values)));

/** One table: rows of tallies and their total, suppressed together so the total gives nothing back. */
function table(labels: string[], tallies: Tally[], total: Tally): FigureTable {
  const opened = suppressGroup(tallies.map((t) => t.opened), total.opened);
  const measureGroups = MEASURES.map((_, i) => {
    const decided = suppressGroup(tallies.map((t) => t.decided[i]), total.decided[i], opened.cells);
    const met = suppressGroup(tallies.map((t) => t.met[i]), total.met[i], decided.cells);
    return { decided, met: met.total || decided.total ? { cells: met.cells, total: true } : met };
  });
  const row = (label: string, t: Tally, hidden: (g: { cells: boolean[]; total: boolean }) => boolean): FigureRow => ({
    label,
    opened: shown(t.opened, hidden(opened)),
    measures: MEASURES.map((_, i) => {
      const hideDecided = hidden(measureGroups[i].decided);
      const hideMet = hidden(measureGroups[i].met) || hideDecided;
      const percent = hideMet || t.decided[i] === 0 ? null : `${((100 * t.met[i]) / t.decided[i]).toFixed(1)}%`;
      return { met: shown(t.met[i], hideMet), decided: shown(t.decided[i], hideDecided), percent };
    }),
    medianHoursToAttempt: medianShown(t.hoursToAttempt),
    medianHoursToContact: medianShown(t.hoursToContact),
  });
  return {
    rows: tallies.map((t, i) => row(labels[i], t, (g) => g.cells[i])),
    total: row('Total', total, (g) => g.total),
  };
}

const isHidden = (v: unknown) => v === HIDDEN || v === 'too few to show';
const either = <T>(a: T, b: T): T => (isHidden(b) ? b : a);

function hideEither(a: FigureRow, b: FigureRow): FigureRow {
  return {
    ...a,
    opened: either(a.opened, b.opened),
    measures: a.measures.map((m, i) => {
      const met = either(m.met, b.measures[i].met);
      return { met, decided: either(m.decided, b.measures[i].decided), percent: isHidden(met) ? null : m.percent };
    }),
  };
}

export function monthOf(at: Date): string {
  const p = londonParts(at);
  return `${p.year}-${String(p.month).padStart(2, '0')}`;
}

/** "2026-12" to "2027-01". */
export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/** "2026-07" moved by n months (n may be negative). */
export function addMonths(month: string, n: number): string {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5)) - 1 + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** The instant a month begins in London. */
export const monthStart = (month: string) => londonToUtc({ year: Number(month.slice(0, 4)), month: Number(month.slice(5)), day: 1, hour: 0, minute: 0 })!;

/** Every month from one to the other, both included ("YYYY-MM" strings order as months do). */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to; month = nextMonth(month)) months.push(month);
  return months;
}

const MONTH_NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
export const monthLabel = (month: string) => `${MONTH_NAMES[Number(month.slice(5)) - 1]} ${month.slice(0, 4)}`;

export interface Figures {
  byMonth: FigureTable;
  bySource: FigureTable;
  closures: { rows: { label: string; count: string | number }[]; total: string | number };
}

export function computeFigures(responses: ResponseFacts[], months: string[], now: Date): Figures {
  const total = emptyTally();
  const perMonth = new Map(months.map((m) => [m, emptyTally()]));
  const sources = Object.keys(SOURCES) as (keyof typeof SOURCES)[];
  const perSource = new Map(sources.map((s) => [s as string, emptyTally()]));
  const reasons = Object.keys(CLOSURE_REASONS) as (keyof typeof CLOSURE_REASONS)[];
  const closures = new Map(reasons.map((r) => [r as string, 0]));
  for (const r of responses) {
    add(total, r, now);
    const month = perMonth.get(monthOf(r.notified_at));
    if (month) add(month, r, now);
    const source = perSource.get(r.source);
    if (source) add(source, r, now);
    if (r.closure_reason) closures.set(r.closure_reason, (closures.get(r.closure_reason) ?? 0) + 1);
  }
  const closureCounts = reasons.map((r) => closures.get(r) ?? 0);
  const closed = closureCounts.reduce((a, b) => a + b, 0);
  const hiddenClosures = suppressGroup(closureCounts, closed);
  const byMonth = table(months.map(monthLabel), [...perMonth.values()], total);
  const bySource = table(sources.map((s) => SOURCES[s]), [...perSource.values()], total);
  // Both tables share one total: hidden in either, hidden in both.
  byMonth.total = bySource.total = hideEither(byMonth.total, bySource.total);
  return {
    byMonth,
    bySource,
    closures: { rows: reasons.map((r, i) => ({ label: CLOSURE_REASONS[r], count: shown(closureCounts[i], hiddenClosures.cells[i]) })), total: shown(closed, hiddenClosures.total) },
  };
}
