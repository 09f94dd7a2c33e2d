import { describe, expect, it } from 'vitest';
import { addWorkingDays, bankHolidays, easterSunday } from '../../src/platform/workingDays.ts';

// The published lists (www.gov.uk/bank-holidays, England and Wales).
const PUBLISHED: Record<number, string[]> = {
  2020: ['2020-01-01', '2020-04-10', '2020-04-13', '2020-05-08', '2020-05-25', '2020-08-31', '2020-12-25', '2020-12-28'],
  2022: ['2022-01-03', '2022-04-15', '2022-04-18', '2022-05-02', '2022-06-02', '2022-06-03', '2022-08-29', '2022-09-19', '2022-12-26', '2022-12-27'],
  2023: ['2023-01-02', '2023-04-07', '2023-04-10', '2023-05-01', '2023-05-08', '2023-05-29', '2023-08-28', '2023-12-25', '2023-12-26'],
  2025: ['2025-01-01', '2025-04-18', '2025-04-21', '2025-05-05', '2025-05-26', '2025-08-25', '2025-12-25', '2025-12-26'],
  2026: ['2026-01-01', '2026-04-03', '2026-04-06', '2026-05-04', '2026-05-25', '2026-08-31', '2026-12-25', '2026-12-28'],
  2027: ['2027-01-01', '2027-03-26', '2027-03-29', '2027-05-03', '2027-05-31', '2027-08-30', '2027-12-27', '2027-12-28'],
};

describe('working days in England and Wales', () => {
  it('finds Easter Sunday (known dates)', () => {
    expect(['2019', '2024', '2025', '2026', '2038'].map((y) => easterSunday(Number(y)))).toEqual(['2019-04-21', '2024-03-31', '2025-04-20', '2026-04-05', '2038-04-25']);
  });

  it('gives the published bank holidays, with weekend substitutes and one-offs', () => {
    for (const [year, days] of Object.entries(PUBLISHED)) expect(bankHolidays(Number(year)), year).toEqual(days);
  });

  it('counts working days past weekends and bank holidays', () => {
    expect(addWorkingDays('2026-11-16', 5)).toBe('2026-11-23'); // Monday: plus a weekend
    expect(addWorkingDays('2026-11-21', 5)).toBe('2026-11-27'); // Saturday: Monday is day one
    // Backwards: the working day before (a meeting's pack is made then).
    expect(addWorkingDays('2026-11-23', -1)).toBe('2026-11-20'); // Monday: the Friday before
    expect(addWorkingDays('2026-11-24', -1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-12-29', -1)).toBe('2026-12-24'); // after Christmas and Boxing Day (substitute days 25, 28)
    expect(addWorkingDays('2026-12-22', 5)).toBe('2026-12-31'); // Christmas and the Boxing Day substitute
    expect(addWorkingDays('2026-12-29', 3)).toBe('2027-01-04'); // New Year's Day
    expect(addWorkingDays('2026-04-01', 2)).toBe('2026-04-07'); // Good Friday and Easter Monday
  });
});
