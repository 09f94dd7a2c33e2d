// A time typed on a phone's number pad (issue 22: one hand, in an A&E
// corridor): the pad has no colon, so "1430" is read as 14:30; nonsense and
// impossible times are still refused with words.
import { describe, expect, it } from 'vitest';
import { FormErrors, londonInstant } from '../../src/platform/forms.ts';

const read = (time: string) => {
  const errors = new FormErrors();
  const at = londonInstant('2026-01-15', time, errors, 'at-time', 'The contact');
  return { at: at?.toISOString() ?? null, error: errors.field('at-time')?.text };
};

describe('a time in 24-hour format', () => {
  it.each(['14:30', '14.30', '1430'])('reads %s as half past two', (time) => {
    expect(read(time)).toEqual({ at: '2026-01-15T14:30:00.000Z', error: undefined });
  });

  it('reads three digits as an hour before ten, and the day’s edges', () => {
    expect(read('930').at).toBe('2026-01-15T09:30:00.000Z');
    expect(read('0000').at).toBe('2026-01-15T00:00:00.000Z');
    expect(read('2359').at).toBe('2026-01-15T23:59:00.000Z');
  });

  it.each(['2400', '1260', '14', '14:3', '143000', 'half two'])('refuses %s with words', (time) => {
    const { at, error } = read(time);
    expect(at).toBeNull();
    expect(error).toMatch(/must be a real time in 24-hour format, like 14:30/);
  });
});
