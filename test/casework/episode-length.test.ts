// An episode's planned length (issue 18): a service with no planned length
// gets the strategy's six months (seed 000), and the warnings come on both
// sides of their edges.
import { describe, expect, it } from 'vitest';
import { DEFAULT_EPISODE_MONTHS, NEARING_END_WEEKS, lengthWarning, plannedEnd } from '../../src/modules/episodes/rules.ts';
import { addDays } from '../../src/platform/workingDays.ts';

describe('an episode’s planned end', () => {
  it(`is ${DEFAULT_EPISODE_MONTHS} months from the start when the service sets no length, the service’s own otherwise`, () => {
    expect(DEFAULT_EPISODE_MONTHS).toBe(6);
    expect(plannedEnd('2026-03-15', null)).toBe('2026-09-15');
    expect(plannedEnd('2026-08-31', null)).toBe('2027-02-28');
    expect(plannedEnd('2027-08-31', null)).toBe('2028-02-29');
    expect(plannedEnd('2026-03-15', '2026-05-01')).toBe('2026-05-01');
  });

  it('warns at seven months of a service with no planned length', () => {
    expect(lengthWarning('2026-01-10', null, '2026-08-10', false)).toBe('past');
    expect(lengthWarning('2026-01-10', null, '2026-08-10', true)).toBeNull();
  });

  it('is past a day after the planned end, not on it; near from four weeks before, not a day earlier', () => {
    const end = plannedEnd('2026-01-10', null);
    expect(lengthWarning('2026-01-10', null, end, false)).toBe('near');
    expect(lengthWarning('2026-01-10', null, addDays(end, 1), false)).toBe('past');
    const nearFrom = addDays(end, -NEARING_END_WEEKS * 7);
    expect(lengthWarning('2026-01-10', null, nearFrom, false)).toBe('near');
    expect(lengthWarning('2026-01-10', null, addDays(nearFrom, -1), false)).toBeNull();
  });
});
