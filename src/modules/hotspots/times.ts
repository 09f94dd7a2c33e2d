// Hot times (issue 6, item 3): when events happen, as a day-of-week by hour
// table; school days against weekends and holidays (terms are a table the
// partnership keeps; bank holidays are England and Wales's); and the share in
// the after-school window (15:00 to 17:00 unless the partnership sets
// another). Sources with months only (police.uk crime) are counted by month.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { getSetting } from '../../platform/settings.ts';
import { bankHolidays } from '../../platform/workingDays.ts';
import type { PlaceEvent } from './events.ts';

export const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;
export const AFTER_SCHOOL = 'after_school_window';
export interface Window {
  start: number;
  end: number;
}
export const DEFAULT_WINDOW: Window = { start: 15, end: 17 };

export async function afterSchoolWindow(db: Kysely<DB>): Promise<Window> {
  return (await getSetting<Window>(db, AFTER_SCHOOL)) ?? DEFAULT_WINDOW;
}

/** Monday 0 to Sunday 6 for a YYYY-MM-DD day. */
export const weekday = (day: string) => (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;

/** Which days in [from, to] are school days: weekdays in a term, not bank holidays. */
export function schoolDays(terms: { starts_on: string; ends_on: string }[], from: string, to: string): (day: string) => boolean {
  const holidays = new Set<string>();
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++) for (const h of bankHolidays(y)) holidays.add(h);
  return (day) => weekday(day) < 5 && !holidays.has(day) && terms.some((t) => t.starts_on <= day && day <= t.ends_on);
}

/** Every day from first to last inclusive, YYYY-MM-DD. */
function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${first}T00:00:00Z`); t <= Date.parse(`${last}T00:00:00Z`); t += 86_400_000) out.push(new Date(t).toISOString().slice(0, 10));
  return out;
}

export interface HotTimes {
  /** counts[day][hour]: events with a time. */
  grid: number[][];
  timed: number;
  /** Events with a day but no time (an A&E assault with no time given). */
  dayOnly: number;
  /** Month-only events (police.uk), by month. */
  months: [string, number][];
  school: { days: number; events: number; perDay: number; afterSchool: number; afterSchoolShare: number };
  other: { days: number; events: number; perDay: number };
  window: Window;
  /** Events per hour on school days and on other days, for the hour-by-hour comparison. */
  byHour: { hour: number; school: number; other: number }[];
  termsKnown: boolean;
}

export function hotTimes(events: PlaceEvent[], terms: { starts_on: string; ends_on: string }[], window: Window, from: string, to: string): HotTimes {
  const first = `${from}-01`;
  const [y, m] = to.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  const isSchool = schoolDays(terms, first, last);
  const calendar = daysBetween(first, last);
  const schoolCount = calendar.filter(isSchool).length;
  const grid = DAYS.map(() => new Array(24).fill(0));
  const months = new Map<string, number>();
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, school: 0, other: 0 }));
  let timed = 0;
  let dayOnly = 0;
  let schoolEvents = 0;
  let otherEvents = 0;
  let afterSchool = 0;
  for (const e of events) {
    if (!e.day) {
      months.set(e.month.slice(0, 7), (months.get(e.month.slice(0, 7)) ?? 0) + 1);
      continue;
    }
    const school = isSchool(e.day);
    if (school) schoolEvents++;
    else otherEvents++;
    if (e.hour === null) {
      dayOnly++;
      continue;
    }
    timed++;
    grid[weekday(e.day)][e.hour]++;
    byHour[e.hour][school ? 'school' : 'other']++;
    if (school && e.hour >= window.start && e.hour < window.end) afterSchool++;
  }
  const otherCount = calendar.length - schoolCount;
  const schoolTimed = byHour.reduce((s, h) => s + h.school, 0);
  return {
    grid,
    timed,
    dayOnly,
    months: [...months].sort(),
    school: { days: schoolCount, events: schoolEvents, perDay: schoolCount ? schoolEvents / schoolCount : NaN, afterSchool, afterSchoolShare: schoolTimed ? afterSchool / schoolTimed : NaN },
    other: { days: otherCount, events: otherEvents, perDay: otherCount ? otherEvents / otherCount : NaN },
    window,
    byHour,
    termsKnown: terms.some((t) => t.ends_on >= first && t.starts_on <= last),
  };
}

/** A cell's shade, 0 (none) to 5 (the most), for the heat table's classes. */
export function shade(n: number, most: number): number {
  return n === 0 || most === 0 ? 0 : Math.max(1, Math.ceil((n / most) * 5));
}
