// Working days in England and Wales: Monday to Friday, less the bank
// holidays of the Banking and Financial Dealings Act 1971 as proclaimed each
// year. The regular ones follow rules (Easter, first and last Mondays, a
// substitute weekday when a holiday falls at a weekend); the one-off ones
// (jubilees, a coronation, a state funeral) are listed because no rule makes them.

const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
const utc = (day: string) => new Date(`${day}T12:00:00Z`);
const weekday = (day: string) => utc(day).getUTCDay();
const shift = (day: string, days: number) => {
  const d = utc(day);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
};

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): string {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return iso(year, month, day);
}

function firstMonday(year: number, month: number): string {
  const first = iso(year, month, 1);
  return shift(first, (8 - weekday(first)) % 7);
}

function lastMonday(year: number, month: number): string {
  const last = iso(year, month, new Date(Date.UTC(year, month, 0)).getUTCDate());
  return shift(last, -((weekday(last) + 6) % 7));
}

// Proclaimed one-offs, and years the early May holiday moved to a Friday (VE Day anniversaries).
const ONE_OFF: Record<number, string[]> = {
  2011: ['2011-04-29'],
  2012: ['2012-06-05'],
  2022: ['2022-06-03', '2022-09-19'],
  2023: ['2023-05-08'],
};
const EARLY_MAY_MOVED: Record<number, string> = { 1995: '1995-05-08', 2020: '2020-05-08' };
const SPRING_MOVED: Record<number, string> = { 2002: '2002-06-04', 2012: '2012-06-04', 2022: '2022-06-02' };

/** The bank holidays in England and Wales in a year, as YYYY-MM-DD, in date order. */
export function bankHolidays(year: number): string[] {
  const easter = easterSunday(year);
  const newYear = iso(year, 1, 1);
  const days = [
    weekday(newYear) === 6 ? shift(newYear, 2) : weekday(newYear) === 0 ? shift(newYear, 1) : newYear,
    shift(easter, -2),
    shift(easter, 1),
    EARLY_MAY_MOVED[year] ?? firstMonday(year, 5),
    SPRING_MOVED[year] ?? lastMonday(year, 5),
    lastMonday(year, 8),
  ];
  // Christmas and Boxing Day: a holiday at the weekend moves to the next weekday not already a holiday.
  const christmas = iso(year, 12, 25);
  const boxing = iso(year, 12, 26);
  const christmasDay = weekday(christmas) === 6 ? shift(christmas, 2) : weekday(christmas) === 0 ? shift(christmas, 2) : christmas;
  const boxingDay = weekday(boxing) === 6 ? shift(boxing, 2) : weekday(boxing) === 0 ? shift(boxing, 1) : boxing;
  days.push(christmasDay, boxingDay === christmasDay ? shift(boxingDay, 1) : boxingDay, ...(ONE_OFF[year] ?? []));
  return [...new Set(days)].sort();
}

const cache = new Map<number, Set<string>>();
export function isWorkingDay(day: string): boolean {
  const w = weekday(day);
  if (w === 0 || w === 6) return false;
  const year = Number(day.slice(0, 4));
  if (!cache.has(year)) cache.set(year, new Set(bankHolidays(year)));
  return !cache.get(year)!.has(day);
}

/** The working day `count` working days after `day` (before it, when `count` is negative; day itself not counted), as YYYY-MM-DD. */
export function addWorkingDays(day: string, count: number): string {
  let current = day;
  const step = count < 0 ? -1 : 1;
  for (let left = Math.abs(count); left > 0; ) {
    current = shift(current, step);
    if (isWorkingDay(current)) left -= 1;
  }
  return current;
}

export { shift as addDays };
