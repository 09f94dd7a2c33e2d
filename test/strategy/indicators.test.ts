// The rolling-year indicators on a hand-worked fixture (issue 7): the year
// ending July 2024 is 1 August 2023 to 31 July 2024 (London time), and the
// year before it 1 August 2022 to 31 July 2023, as seed 000 compares them.
import { describe, expect, it } from 'vitest';
import { changePercent, knifeVictims, maleShare, ragFor, repeatVictimisation, rollingYear, type Victimisation } from '../../src/modules/strategy/indicators.ts';

const v = (personId: string, at: string, dateOfBirth: string | null, sex: string, knife = true, incidentId = `${personId}@${at}`): Victimisation => ({ personId, incidentId, occurredAt: new Date(at), dateOfBirth, sex, knife });

// Worked by hand:
//  a: 16 on 2023-09-10 (born 2007-05-01), knife: under 18 and under 25 in the year to July 2024.
//  b: 17 on 2024-07-31 23:30 BST (= 22:30 UTC, still 31 July in London; born 2007-08-01, so 16 at the time): in the year; under 18.
//  c: 24 on 2024-01-15 (born 1999-06-01), knife, twice (the second on 2024-03-01): counted once; under 25 only.
//  d: 25 on 2024-02-01 (born 1998-12-01): too old for either.
//  e: 2024-08-01 00:30 BST (= 2024-07-31 23:30 UTC): already August in London, so outside the year.
//  f: 15 on 2023-07-31 (born 2008-01-01): the year before, not this year.
//  g: no date of birth: not counted.
//  h: 20, not a knife injury (punched): not counted.
const rows = [
  v('a', '2023-09-10T12:00:00Z', '2007-05-01', 'male'),
  v('b', '2024-07-31T22:30:00Z', '2007-08-01', 'female'),
  v('c', '2024-01-15T12:00:00Z', '1999-06-01', 'male'),
  v('c', '2024-03-01T12:00:00Z', '1999-06-01', 'male'),
  v('d', '2024-02-01T12:00:00Z', '1998-12-01', 'male'),
  v('e', '2024-07-31T23:30:00Z', '2008-01-01', 'male'),
  v('f', '2023-07-31T12:00:00Z', '2008-01-01', 'male'),
  v('g', '2024-01-01T12:00:00Z', null, 'male'),
  v('h', '2024-01-01T12:00:00Z', '2004-01-01', 'male', false),
];

describe('rolling-year indicators', () => {
  const year = rollingYear('2024-07');
  const before = rollingYear('2023-07');

  it('bounds the year ending July 2024 by London midnights', () => {
    expect(year.from.toISOString()).toBe('2023-07-31T23:00:00.000Z');
    expect(year.to.toISOString()).toBe('2024-07-31T23:00:00.000Z');
  });

  it('counts knife-injury victims under 25 and under 18, each once', () => {
    expect(knifeVictims(rows, year, 25)).toBe(3); // a, b, c
    expect(knifeVictims(rows, year, 18)).toBe(2); // a, b
    expect(knifeVictims(rows, before, 18)).toBe(1); // f
  });

  it('counts knife-injury victims under 25 without domestic abuse as the strategy does, leaving out only those incidents', () => {
    const withAbuse = [...rows, { ...v('z', '2024-02-01', '2005-01-01', 'female'), domesticAbuse: true }];
    expect(knifeVictims(withAbuse, year, 25)).toBe(4); // a, b, c and z
    expect(knifeVictims(withAbuse, year, 25, true)).toBe(3); // z's only incident was domestic abuse
    const also = [...withAbuse, v('z', '2024-03-01', '2005-01-01', 'female')];
    expect(knifeVictims(also, year, 25, true)).toBe(4); // z again, in an incident that was not
  });

  it('gives the share who are male among knife victims under 25', () => {
    expect(maleShare(rows, year)).toBeCloseTo((2 / 3) * 100, 10); // a and c of a, b, c
  });

  it('reproduces seed 000: 40 to 52 is an increase of 30%', () => {
    expect(changePercent(52, 40)).toBe(30);
    expect(changePercent(5, 0)).toBeNull();
  });

  it('counts repeat victimisation within 12 months of an earlier incident', () => {
    // Victims under 25 in the year: a, b, c, h (any violence). c was hurt again within 12 months: 1 of 4.
    expect(repeatVictimisation(rows, year)).toBe(25);
    // An earlier incident more than 365 days before does not count.
    const old = [v('x', '2022-06-01T12:00:00Z', '2008-01-01', 'male'), v('x', '2023-09-01T12:00:00Z', '2008-01-01', 'male')];
    expect(repeatVictimisation(old, year)).toBe(0);
  });

  it('rates against a target in the direction that is better', () => {
    expect(ragFor(40, 40, 'lower')).toBe('green');
    expect(ragFor(44, 40, 'lower')).toBe('amber');
    expect(ragFor(45, 40, 'lower')).toBe('red');
    expect(ragFor(85, 90, 'higher')).toBe('amber');
    expect(ragFor(80, 90, 'higher')).toBe('red');
    expect(ragFor(60, 50, 'neither')).toBeNull();
    expect(ragFor(null, 50, 'lower')).toBeNull();
  });
});
