import { describe, expect, it } from 'vitest';
import { ageAt, formatDateTime, londonParts, londonToUtc } from '../../src/platform/time.ts';

// 2026's clock changes: forward at 01:00 GMT on 29 March, back at 01:00 GMT on 25 October.
describe('London time', () => {
  it('converts winter and summer wall-clock times to UTC', () => {
    expect(londonToUtc({ year: 2026, month: 1, day: 15, hour: 14, minute: 30 })!.toISOString()).toBe('2026-01-15T14:30:00.000Z');
    expect(londonToUtc({ year: 2026, month: 7, day: 15, hour: 14, minute: 30 })!.toISOString()).toBe('2026-07-15T13:30:00.000Z');
  });

  it('refuses the hour that does not exist when the clocks go forward', () => {
    expect(londonToUtc({ year: 2026, month: 3, day: 29, hour: 1, minute: 30 })).toBeNull();
    expect(londonToUtc({ year: 2026, month: 3, day: 29, hour: 0, minute: 59 })!.toISOString()).toBe('2026-03-29T00:59:00.000Z');
    expect(londonToUtc({ year: 2026, month: 3, day: 29, hour: 2, minute: 0 })!.toISOString()).toBe('2026-03-29T01:00:00.000Z');
  });

  it('reads the repeated hour when the clocks go back as its first (BST) occurrence', () => {
    expect(londonToUtc({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 })!.toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(londonToUtc({ year: 2026, month: 10, day: 25, hour: 2, minute: 0 })!.toISOString()).toBe('2026-10-25T02:00:00.000Z');
  });

  it('reads London’s wall clock as the time zone database does, at any instant from 1900 to 2100 and every second around each change', () => {
    const reference = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/London', hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    const expected = (d: Date) => {
      const p = Object.fromEntries(reference.formatToParts(d).map((x) => [x.type, Number(x.value)]));
      return { year: p.year, month: p.month, day: p.day, hour: p.hour, minute: p.minute, second: p.second };
    };
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const instants = Array.from({ length: 20_000 }, () => new Date(Date.UTC(1900, 0, 1) + Math.floor(random() * 200 * 365.25 * 86_400_000)));
    for (const change of ['2026-03-29T01:00:00Z', '2026-10-25T01:00:00Z', '1968-02-18T02:00:00Z', '1971-10-31T02:00:00Z']) {
      for (let s = -90; s <= 90; s++) instants.push(new Date(new Date(change).getTime() + s * 1000 + 500));
    }
    for (const d of instants) expect(londonParts(d), d.toISOString()).toEqual(expected(d));
  });

  it('shows UTC instants in London time either side of a change', () => {
    expect(formatDateTime('2026-03-29T00:30:00Z')).toBe('29 March 2026 at 00:30');
    expect(formatDateTime('2026-03-29T01:30:00Z')).toBe('29 March 2026 at 02:30');
    expect(londonParts(new Date('2026-10-25T00:30:00Z')).hour).toBe(1);
    expect(londonParts(new Date('2026-10-25T01:30:00Z')).hour).toBe(1);
  });

  it('gives age on the London calendar, birthdays included', () => {
    expect(ageAt('2010-06-15', '2026-06-14T22:59:00Z')).toBe(15); // 23:59 on 14 June in London
    expect(ageAt('2010-06-15', '2026-06-14T23:00:00Z')).toBe(16); // 00:00 on 15 June in London (BST)
    expect(ageAt('2008-02-29', '2026-02-28T12:00:00Z')).toBe(17);
    expect(ageAt('2008-02-29', '2026-03-01T12:00:00Z')).toBe(18);
    expect(ageAt(null, '2026-01-01T00:00:00Z')).toBeNull();
  });
});
