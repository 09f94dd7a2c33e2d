// The rules of a critical incident, at both edges: when each review is due
// (24 h, 72 h, 7 days, then weekly), when it is overdue, the tension words,
// reading the assessment form, the near-repeat window from Knox results, tension by
// ward week by week, and which neighbouring boroughs are near the border.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FormErrors } from '../../src/platform/forms.ts';
import { nearRepeatWindow, nextStep, otherChanges, readAssessment, readContact, reviewDueAt, tensionChange, type VersionFacts } from '../../src/modules/critical-incidents/rules.ts';
import { lastWeeks, tensionByWard, weekOf } from '../../src/modules/critical-incidents/figures.ts';
import { areasWithin, boroughsOnGrid, distanceToArea, toBritishNationalGrid } from '../../src/analysis/geography.ts';
import type { KnoxResult } from '../../src/analysis/knox.ts';

const HOUR = 3_600_000;
const declared = new Date('2026-10-24T22:00:00Z'); // the night before the clocks go back: due times are absolute hours

describe('reviews', () => {
  it('falls due 24 hours, 72 hours and 7 days after the declaration, then weekly', () => {
    expect(reviewDueAt(declared, 1).getTime() - declared.getTime()).toBe(24 * HOUR);
    expect(reviewDueAt(declared, 2).getTime() - declared.getTime()).toBe(72 * HOUR);
    expect(reviewDueAt(declared, 3).getTime() - declared.getTime()).toBe(168 * HOUR);
    expect(reviewDueAt(declared, 4).getTime() - declared.getTime()).toBe(336 * HOUR);
    expect(reviewDueAt(declared, 5).getTime() - declared.getTime()).toBe(504 * HOUR);
    expect(() => reviewDueAt(declared, 0)).toThrow();
  });

  it('is overdue one millisecond after it falls due, and not at it', () => {
    const due = reviewDueAt(declared, 1);
    expect(nextStep(declared, 1, due)).toMatchObject({ kind: 'review', number: 1, overdue: false });
    expect(nextStep(declared, 1, new Date(due.getTime() + 1))).toMatchObject({ overdue: true });
    expect(nextStep(declared, 1, new Date(due.getTime() - 1))).toMatchObject({ overdue: false });
    // The first assessment is due at once, and overdue once the first review would have fallen due without it.
    expect(nextStep(declared, 0, declared)).toMatchObject({ kind: 'assessment', number: 0, dueAt: declared, overdue: false });
    expect(nextStep(declared, 0, new Date(declared.getTime() + 24 * HOUR))).toMatchObject({ overdue: false });
    expect(nextStep(declared, 0, new Date(declared.getTime() + 24 * HOUR + 1))).toMatchObject({ overdue: true });
  });

  it('each review is due later than the one before (property)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200 }), (n) => reviewDueAt(declared, n + 1) > reviewDueAt(declared, n)));
  });

  it('says how the tension moved', () => {
    expect(tensionChange(null, 3)).toBe('Assessed at 3: Elevated');
    expect(tensionChange(4, 2)).toBe('Fell from 4: High to 2: Raised');
    expect(tensionChange(2, 3)).toBe('Rose from 2: Raised to 3: Elevated');
    expect(tensionChange(2, 2)).toBe('Unchanged at 2: Raised');
  });
});

describe('what a review changed', () => {
  const base: VersionFacts = { wards: ['Hoe Street'], communities: 'Traders', place_ids: ['a', 'b'], risks: null, holding_line: 'Investigating', spokesperson: null, indicators: [{ kind: 'social_media', state: 'seen', evidence: 'Videos', people: [] }] };
  it('names each part changed, and nothing when nothing did (places in another order are the same places)', () => {
    expect(otherChanges(base, { ...base, place_ids: ['b', 'a'] })).toEqual([]);
    expect(otherChanges(base, { ...base, risks: 'Retaliation', holding_line: null, place_ids: ['a'] })).toEqual(['places affected', 'risks', 'holding line']);
    expect(otherChanges(base, { ...base, indicators: [{ kind: 'social_media', state: 'not_seen', evidence: null, people: [] }] })).toEqual(['social media activity: seen to not seen']);
    expect(otherChanges(base, { ...base, indicators: [{ kind: 'social_media', state: 'seen', evidence: 'More videos', people: [] }] })).toEqual(['social media activity: evidence']);
    expect(otherChanges(base, { ...base, indicators: [...base.indicators, { kind: 'gatherings', state: 'seen', evidence: 'At the station', people: [] }] })).toEqual(['gatherings: not recorded to seen']);
  });
});

describe('reading the assessment', () => {
  const allowed = { placeIds: ['11111111-1111-4111-8111-111111111111'], personIds: ['22222222-2222-4222-8222-222222222222'] };
  const every = (state: string) => Object.fromEntries(['retaliation', 'rival_groups', 'social_media', 'gatherings', 'previous_incidents', 'anniversaries'].map((k) => [`indicator-${k}`, state]));

  it('needs a level from 1 to 5 and why, and evidence for every indicator seen', () => {
    const errors = new FormErrors();
    expect(readAssessment({ tensionLevel: '6', ...every('seen') }, errors, allowed)).toBeNull();
    expect(errors.messages['tensionLevel']).toBe('Select the tension level');
    expect(errors.messages['tensionReason']).toBe('Say why you chose this tension level');
    expect(errors.messages['evidence-retaliation']).toBe('Give the evidence for risk of retaliation');
    const zero = new FormErrors();
    readAssessment({ tensionLevel: '0', tensionReason: 'x', ...every('not_seen') }, zero, allowed);
    expect(zero.messages['tensionLevel']).toBe('Select the tension level');
  });

  it('reads levels 1 and 5, wards split at commas, and refuses places and people not offered', () => {
    for (const level of ['1', '5']) {
      const errors = new FormErrors();
      const read = readAssessment({ tensionLevel: level, tensionReason: 'Calm', wards: 'Hoe Street, High Street,, Hoe Street', ...every('not_known') }, errors, allowed);
      expect(errors.any).toBe(false);
      expect(read?.tensionLevel).toBe(Number(level));
      expect(read?.wards).toEqual(['Hoe Street', 'High Street']);
    }
    const errors = new FormErrors();
    readAssessment({ tensionLevel: '2', tensionReason: 'x', places: '33333333-3333-4333-8333-333333333333', 'people-retaliation': '44444444-4444-4444-8444-444444444444', ...every('not_seen') }, errors, allowed);
    expect(errors.messages['places']).toBe('Select places from the list');
    expect(errors.messages['people-retaliation']).toBe('Select people from the incident');
  });

  it('reads a borough told only from the boroughs of London, and a contact only in the past', () => {
    const errors = new FormErrors();
    const now = new Date('2026-11-30T12:00:00Z');
    expect(readContact({ contactKind: 'borough_told', borough: 'Gotham', 'happenedAt-day': '30', 'happenedAt-month': '11', 'happenedAt-year': '2026', 'happenedAt-time': '13:00', byWhom: 'Me', what: 'Told' }, errors, ['Hackney'], now)).toBeNull();
    expect(errors.messages['borough']).toBe('Select the borough told');
    expect(errors.messages['happenedAt-day']).toBe('When must be in the past');
    const ok = new FormErrors();
    expect(readContact({ contactKind: 'borough_told', borough: 'Hackney', 'happenedAt-day': '30', 'happenedAt-month': '11', 'happenedAt-year': '2026', 'happenedAt-time': '11:59', byWhom: 'Me', what: 'Told' }, ok, ['Hackney'], now)).toMatchObject({ party: 'Hackney', partyKind: 'borough' });
  });
});

describe('the near-repeat window', () => {
  /** A Knox table (same location, up to 100 m, 100 to 200 m, further) by (0 to 7, 8 to 14, more than 14 days) with the given p-values and ratios. */
  const knox = (cells: [number, number][][]): KnoxResult => ({
    rows: ['Same location', 'Up to 100 m', '100 to 200 m', 'More than 200 m'],
    columns: ['0 to 7 days', '8 to 14 days', 'More than 14 days'],
    cells: cells.map((row, r) => row.map(([p, ratio], c) => ({ space: ['Same location', 'Up to 100 m', '100 to 200 m', 'More than 200 m'][r], time: ['0 to 7 days', '8 to 14 days', 'More than 14 days'][c], observed: 0, expected: 1, p, ratio }))),
    spaceBands: [100, 200],
    timeBands: [7, 14],
    pairs: 0,
    iterations: 999,
  });
  const calm: [number, number] = [0.5, 1];

  it('reaches the widest distance and the longest time raised at p ≤ 0.05, leaving out the “more than” row and column', () => {
    const result = knox([
      [[0.001, 3], calm, [0.001, 5]],
      [[0.05, 1.4], [0.02, 1.3], calm],
      [calm, calm, calm],
      [[0.001, 9], calm, calm],
    ]);
    expect(nearRepeatWindow(result)).toMatchObject({ metres: 100, days: 14 });
    expect(nearRepeatWindow(result)!.cells).toHaveLength(3);
  });

  it('needs p at most 0.05 and more pairs than chance: 0.051, or a ratio of 1, raises nothing', () => {
    expect(nearRepeatWindow(knox([[[0.051, 2], calm, calm], [[0.01, 1], calm, calm], [calm, calm, calm], [calm, calm, calm]]))).toBeNull();
    expect(nearRepeatWindow(knox([[[0.05, 1.01], calm, calm], [calm, calm, calm], [calm, calm, calm], [calm, calm, calm]]))).toMatchObject({ metres: 0, days: 7 });
  });
});

describe('tension by ward', () => {
  it('keeps the highest level of each week, Monday to Sunday in London, and nothing for a week without an assessment', () => {
    expect(weekOf('2026-11-30')).toBe('2026-11-30'); // a Monday
    expect(weekOf('2026-12-06')).toBe('2026-11-30'); // the Sunday after
    const weeks = lastWeeks(3, '2026-12-02');
    expect(weeks).toEqual(['2026-11-16', '2026-11-23', '2026-11-30']);
    const rows = [
      { wards: ['Hoe Street'], tension_level: 4, recorded_at: new Date('2026-11-16T09:00:00Z') },
      { wards: ['Hoe Street', 'High Street'], tension_level: 2, recorded_at: new Date('2026-11-22T23:30:00Z') }, // Sunday 23:30 in London: still that week
      { wards: ['Hoe Street'], tension_level: 1, recorded_at: new Date('2026-11-30T00:30:00Z') },
    ];
    expect(tensionByWard(rows, weeks)).toEqual([
      { ward: 'High Street', levels: [2, null, null] },
      { ward: 'Hoe Street', levels: [4, null, 1] },
    ]);
  });
});

describe('neighbouring boroughs', () => {
  const wf = boroughsOnGrid().find((b) => b.name === 'Waltham Forest')!;
  it('is 0 inside a borough and the distance to its edge outside it', () => {
    const station = toBritishNationalGrid(-0.0199, 51.583); // Walthamstow Central
    expect(distanceToArea(station.easting, station.northing, wf)).toBe(0);
    // A point on Waltham Forest's boundary is 0 from it and within a metre of a neighbour that shares the edge.
    const [x, y] = wf.polygons[0][0][Math.floor(wf.polygons[0][0].length / 3)];
    const near = areasWithin(x, y, 1, boroughsOnGrid()).map((a) => a.area.name);
    expect(near).toContain('Waltham Forest');
    expect(near.length).toBeGreaterThan(1);
  });

  it('counts a borough 1,000 m away and not one 1,000.5 m away', () => {
    const square = (code: string, x0: number) => ({ name: code, code, polygons: [[[[x0, 0], [x0 + 100, 0], [x0 + 100, 100], [x0, 100], [x0, 0]] as [number, number][]]], bbox: [x0, 0, x0 + 100, 100] as [number, number, number, number] });
    const areas = [square('A', 0), square('B', 1100), square('C', 1100.5)];
    expect(areasWithin(100, 50, 1000, areas).map((a) => [a.area.code, a.metres])).toEqual([['A', 0], ['B', 1000]]);
  });

  it('finds Hackney for a place by the Lea Bridge Road border, and none for the middle of Walthamstow', () => {
    const leaBridge = toBritishNationalGrid(-0.0335, 51.5665); // Lea Bridge Road near the Hackney border
    const names = areasWithin(leaBridge.easting, leaBridge.northing, 1000, boroughsOnGrid()).map((a) => a.area.name);
    expect(names).toContain('Hackney');
    const middle = toBritishNationalGrid(-0.0199, 51.583);
    expect(areasWithin(middle.easting, middle.northing, 1000, boroughsOnGrid()).map((a) => a.area.name)).toEqual(['Waltham Forest']);
  });
});
