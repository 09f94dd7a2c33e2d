import { describe, expect, it } from 'vitest';
import { compare, type MeasurePair } from '../../src/modules/outcomes/outcomes.ts';

const m = (offences: number, attendance: number | null, ete: string, benefit = 'none') => ({ offences_6m: offences, victimisation_6m: 0, attendance_pct: attendance, exclusions: null, ete_status: ete, benefit_status: benefit });
const pair = (before: ReturnType<typeof m>, after: ReturnType<typeof m>): MeasurePair => ({ group: 'g', before, after });

describe('outcomes before and after', () => {
  it('withholds a group of fewer than five young people', () => {
    const four = Array.from({ length: 4 }, () => pair(m(1, 90, 'school'), m(0, 95, 'school')));
    expect(compare(four)).toEqual({ n: 4, withheld: true, measures: [], counts: [] });
  });

  it('gives medians before and after and the median of each young person’s change (worked example)', () => {
    // Offences before 4,2,3,0,5,1 (median of 0,1,2,3,4,5 = 2.5), after 1,2,0,0,3,1 (median of 0,0,1,1,2,3 = 1);
    // changes −3,0,−3,0,−2,0 (median of −3,−3,−2,0,0,0 = −1): not the difference of the medians (−1.5).
    const before = [4, 2, 3, 0, 5, 1];
    const after = [1, 2, 0, 0, 3, 1];
    const att: [number | null, number | null][] = [[60, 80], [70, 72.5], [null, 90], [85, 85], [50, 65], [90, null]];
    const pairs = before.map((b, i) => pair(m(b, att[i][0], i % 2 ? 'neet' : 'school'), m(after[i], att[i][1], 'school')));
    const result = compare(pairs);
    const offences = result.measures.find((x) => x.label.startsWith('Offences'))!;
    expect(offences).toMatchObject({ n: 6, before: 2.5, after: 1, change: -1 });
    // Attendance counts only the four measured at both ends: fewer than five, so too few to say.
    expect(result.measures.find((x) => x.label.startsWith('School attendance'))).toMatchObject({ n: 4, before: null, after: null, change: null });
    // 3 of 6 in school before: 3 and its complement 3 are both under five, so both are suppressed; 6 of 6 after is shown.
    expect(result.counts[0]).toEqual({ label: 'In education, training or employment', before: 'hidden', after: 6 });
  });

  it('shows counts that cannot single anyone out', () => {
    const pairs = Array.from({ length: 12 }, (_, i) => pair(m(1, 80, i < 5 ? 'school' : 'neet', i < 6 ? 'claiming' : 'none'), m(0, 90, i < 7 ? 'college' : 'neet', 'none')));
    const result = compare(pairs);
    expect(result.counts).toEqual([
      { label: 'In education, training or employment', before: 5, after: 7 },
      { label: 'Claiming benefits', before: 6, after: 0 },
    ]);
  });
});
