// The reviews and limits the law sets for each kind of order
// (src/modules/orders/kinds.ts), worked through on dates with known answers
// and tried at both edges: the 18th birthday either side of a review
// period's end, an order ending the day before or on a period's last day,
// twelve months and a day, eight hours of curfew and a minute more.
import { describe, expect, it } from 'vitest';
import { ORDER_KINDS, orderKind, reviewsDue, termProblems } from '../../src/modules/orders/kinds.ts';

const kind = (code: string) => orderKind(code)!;

describe('shipped kinds', () => {
  it('are the ones the strategy and the issue name, each with its law, and unique', () => {
    expect(ORDER_KINDS.map((k) => k.code)).toEqual([
      'gang_injunction',
      'civil_injunction',
      'criminal_behaviour_order',
      'knife_crime_prevention_order',
      'serious_violence_reduction_order',
      'slavery_trafficking_prevention_order',
      'acceptable_behaviour_contract',
      'licence_conditions',
      'bail_conditions',
      'youth_rehabilitation_order',
      'closure_order',
      'dispersal_direction',
      'section_60',
    ]);
    for (const k of ORDER_KINDS) expect(k.law.length).toBeGreaterThan(5);
    expect(ORDER_KINDS.filter((k) => k.placeBased).map((k) => k.code)).toEqual(['closure_order', 'dispersal_direction', 'section_60']);
    expect(ORDER_KINDS.filter((k) => k.voluntary).map((k) => k.code)).toEqual(['acceptable_behaviour_contract']);
  });
});

describe('a Criminal Behaviour Order against a child: reviewed every 12 months while under 18 (Sentencing Act 2020, s. 337)', () => {
  const cbo = kind('criminal_behaviour_order');

  it('takes a review in each 12 months that ends before the 18th birthday, and none after', () => {
    // Took effect 10 March 2026, for three years; born 1 June 2010 (18 on 1 June 2028).
    const due = reviewsDue(cbo, { effectiveFrom: '2026-03-10', until: '2029-03-09' }, '2010-06-01');
    expect(due.map((d) => [d.from, d.by])).toEqual([
      ['2026-03-10', '2027-03-09'],
      ['2027-03-10', '2028-03-09'],
    ]);
    expect(due[0].source).toContain('s. 337');
    expect(due[1].why).toBe('Review 2: under 18 at the end of the second 12 months');
  });

  it('counts the 18th birthday at the period’s end: the day after, no review; the day itself, 18 already', () => {
    const review2 = (dateOfBirth: string) => reviewsDue(cbo, { effectiveFrom: '2026-03-10', until: null }, dateOfBirth).length;
    // The second period ends 9 March 2028.
    expect(review2('2010-03-10')).toBe(2); // 18 on 10 March 2028: still 17 on the 9th
    expect(review2('2010-03-09')).toBe(1); // 18 on the 9th itself
  });

  it('needs no review for a period the order does not run to the end of', () => {
    expect(reviewsDue(cbo, { effectiveFrom: '2026-03-10', until: '2027-03-08' }, '2012-01-01')).toEqual([]);
    expect(reviewsDue(cbo, { effectiveFrom: '2026-03-10', until: '2027-03-09' }, '2012-01-01')).toHaveLength(1);
  });

  it('needs none for an adult, and cannot say without a date of birth', () => {
    expect(reviewsDue(cbo, { effectiveFrom: '2026-03-10', until: null }, '2000-01-01')).toEqual([]);
    expect(reviewsDue(cbo, { effectiveFrom: '2026-03-10', until: null }, null)).toEqual([]);
  });

  it('counts months as the calendar does; from 29 February it takes the earlier reading of the end (27 February), so a review by then is in time on either', () => {
    expect(reviewsDue(cbo, { effectiveFrom: '2028-02-29', until: '2029-12-31' }, '2014-01-01')[0].by).toBe('2029-02-27');
  });
});

describe('a Knife Crime Prevention Order: a review hearing in the last 4 weeks of the first year if it lasts beyond it (Offensive Weapons Act 2019, s. 26)', () => {
  const kcpo = kind('knife_crime_prevention_order');

  it('puts the hearing between the 28th-from-last and the last day of the first year', () => {
    expect(reviewsDue(kcpo, { effectiveFrom: '2026-12-01', until: '2028-11-30' }, '2009-05-05')).toEqual([
      { from: '2027-11-03', by: '2027-11-30', why: 'Review hearing in the last 4 weeks of the first year, since it lasts beyond it', source: 'Offensive Weapons Act 2019, s. 26(3) and (4)' },
    ]);
  });

  it('needs none for an order of a year or less, and one for a year and a day or one without an end', () => {
    expect(reviewsDue(kcpo, { effectiveFrom: '2026-12-01', until: '2027-11-30' }, null)).toEqual([]);
    expect(reviewsDue(kcpo, { effectiveFrom: '2026-12-01', until: '2027-12-01' }, null)).toHaveLength(1);
    expect(reviewsDue(kcpo, { effectiveFrom: '2026-12-01', until: null }, null)).toHaveLength(1);
  });
});

describe('limits', () => {
  const made = { effectiveFrom: '2026-12-01', madeOn: '2026-12-01', curfewHoursADay: null };

  it('a civil injunction against someone under 18 has an end date no more than 12 months on (2014 Act, s. 1(6))', () => {
    const civil = kind('civil_injunction');
    const child = '2010-01-01';
    expect(termProblems(civil, { ...made, until: '2027-11-30' }, child)).toEqual([]);
    expect(termProblems(civil, { ...made, until: '2027-12-01' }, child)).toEqual(['A Civil injunction made against someone under 18 can last no more than 12 months (Anti-social Behaviour, Crime and Policing Act 2014, s. 1(6))']);
    expect(termProblems(civil, { ...made, until: null }, child)[0]).toContain('must have an end date');
    // 18 the day it was made: an adult's injunction may run until further order.
    expect(termProblems(civil, { ...made, until: null }, '2008-12-01')).toEqual([]);
  });

  it('a gang injunction’s curfew lasts no more than 8 hours a day (2009 Act, s. 35(4)), and its respondent is 14 or over', () => {
    const gang = kind('gang_injunction');
    expect(termProblems(gang, { ...made, until: null, curfewHoursADay: 8 }, '2008-01-01')).toEqual([]);
    expect(termProblems(gang, { ...made, until: null, curfewHoursADay: 8.5 }, '2008-01-01')).toEqual(['A curfew in a Gang injunction can last no more than 8 hours in any day (Policing and Crime Act 2009, s. 35(4))']);
    expect(termProblems(gang, { ...made, until: null }, '2012-12-01')).toEqual([]); // 14 that day
    expect(termProblems(gang, { ...made, until: null }, '2012-12-02')).toEqual(['A Gang injunction can only be made against someone aged 14 or over (Policing and Crime Act 2009, Part 4)']);
  });

  it('a closure order lasts no more than 6 months with its extension', () => {
    const closure = kind('closure_order');
    expect(termProblems(closure, { ...made, until: '2027-05-31' }, null)).toEqual([]);
    expect(termProblems(closure, { ...made, until: '2027-06-01' }, null)[0]).toContain('no more than 6 months');
    expect(termProblems(closure, { ...made, until: null }, null)[0]).toContain('no more than 6 months');
  });

  it('a section 60 authorisation and a dispersal direction last no more than 48 hours: to the second day after at the latest', () => {
    for (const code of ['section_60', 'dispersal_direction']) {
      const power = kind(code);
      expect(termProblems(power, { ...made, until: '2026-12-03' }, null)).toEqual([]);
      expect(termProblems(power, { ...made, until: '2026-12-04' }, null)[0]).toContain('can last no more than 48 hours');
      expect(termProblems(power, { ...made, until: null }, null)[0]).toContain('can last no more than 48 hours');
    }
  });
});
