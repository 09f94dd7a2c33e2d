// Times are stored in UTC and shown in Europe/London (DESIGN.md). Local
// times typed into forms are converted here, taking the clock changes into
// account: the missing spring hour is refused, the repeated autumn hour
// means its first (BST) occurrence.
export const ZONE = 'Europe/London';

const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

/** London's wall clock at an instant, read from the time zone database (slow: Intl formats a string). */
function formattedParts(date: Date): LocalParts & { second: number } {
  const parts = Object.fromEntries(partsFormat.formatToParts(date).map((p) => [p.type, p.value]));
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

const HOUR_MS = 3_600_000;
// London's clocks have only ever changed on the hour (UTC), so one lookup per hour answers every instant in it.
const offsetByHour = new Map<number, number>();

/** Minutes London is ahead of UTC at this instant (0 in GMT, 60 in BST). */
function offsetMinutes(date: Date): number {
  const hour = Math.floor(date.getTime() / HOUR_MS);
  let offset = offsetByHour.get(hour);
  if (offset === undefined) {
    const p = formattedParts(new Date(hour * HOUR_MS));
    offset = Math.round((Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - hour * HOUR_MS) / 60000);
    if (offsetByHour.size > 100_000) offsetByHour.clear();
    offsetByHour.set(hour, offset);
  }
  return offset;
}

export function londonParts(date: Date): LocalParts & { second: number } {
  const time = date.getTime();
  if (Number.isNaN(time)) return formattedParts(date); // throws as Intl does for an invalid date
  const local = new Date(time + offsetMinutes(date) * 60000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1, day: local.getUTCDate(), hour: local.getUTCHours(), minute: local.getUTCMinutes(), second: local.getUTCSeconds() };
}

/**
 * Every UTC instant a London wall-clock time names: none in the hour the
 * clocks skip in March, two in the hour they repeat in October (the BST one
 * first), otherwise one.
 */
export function londonCandidates(local: LocalParts): Date[] {
  const naive = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute);
  const found: Date[] = [];
  for (const offset of [60, 0]) {
    const candidate = new Date(naive - offset * 60000);
    if (offsetMinutes(candidate) === offset) {
      const back = londonParts(candidate);
      if (back.hour === local.hour && back.minute === local.minute && back.day === local.day) found.push(candidate);
    }
  }
  return found;
}

/** The UTC instant of a London wall-clock time (the first, BST, one of a repeated hour), or null if that time did not exist. */
export function londonToUtc(local: LocalParts): Date | null {
  return londonCandidates(local)[0] ?? null;
}

/** "GMT" or "BST": which London was on at this instant. */
export function londonZone(date: Date): 'GMT' | 'BST' {
  return offsetMinutes(date) === 60 ? 'BST' : 'GMT';
}

const dateFormat = new Intl.DateTimeFormat('en-GB', { timeZone: ZONE, day: 'numeric', month: 'long', year: 'numeric' });

/** "21 November 2026 at 14:05" in London time. */
export function formatDateTime(value: Date | string | null | undefined): string {
  if (!value) return '';
  const date = new Date(value);
  const p = londonParts(date);
  return `${dateFormat.format(date)} at ${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export function formatDate(value: Date | string | null | undefined): string {
  if (!value) return '';
  // A bare date (date of birth) is a calendar date: do not shift it through a time zone.
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split('-').map(Number);
    return dateFormat.format(new Date(Date.UTC(y, m - 1, d, 12)));
  }
  return dateFormat.format(new Date(value));
}


/** Whole years between a date of birth (YYYY-MM-DD) and an instant, on the London calendar. */
export function ageAt(dateOfBirth: string | null | undefined, at: Date | string): number | null {
  if (!dateOfBirth) return null;
  const [y, m, d] = dateOfBirth.split('-').map(Number);
  const p = londonParts(new Date(at));
  let age = p.year - y;
  if (p.month < m || (p.month === m && p.day < d)) age -= 1;
  return age;
}

/** Today's date in London as YYYY-MM-DD. */
export function londonToday(now = new Date()): string {
  const p = londonParts(now);
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
}

/** The instant a London day (YYYY-MM-DD) begins. */
export function londonDayStart(day: string): Date {
  const [year, month, date] = day.split('-').map(Number);
  return londonToUtc({ year, month, day: date, hour: 0, minute: 0 })!;
}
