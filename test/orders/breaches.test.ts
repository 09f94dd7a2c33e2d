// Possible breaches (src/modules/orders/breaches.ts), at both edges of each
// rule: curfew hours either side of their start and end and across the
// clock changes, exclusion zones at their edge, non-association in an
// incident and through a link, roles (a victim is never flagged), and an
// order's first and last day.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { breachesOfIncident, breachesOfLink, breachesOfMembership, CURFEW_ADDRESS_METRES, insidePolygon, withinHours, type Condition, type IncidentFacts, type OrderInForce } from '../../src/modules/orders/breaches.ts';
import { londonCandidates } from '../../src/platform/time.ts';

/** The instant a London wall-clock time names (the first, where the clocks go back). */
const london = (y: number, mo: number, d: number, h: number, mi: number) => londonCandidates({ year: y, month: mo, day: d, hour: h, minute: mi })[0];

const HOME = { easting: 537_500, northing: 189_500 };
const ZONE_SQUARE = [
  { easting: 538_000, northing: 189_000 },
  { easting: 539_000, northing: 189_000 },
  { easting: 539_000, northing: 190_000 },
  { easting: 538_000, northing: 190_000 },
];
const EVERY_DAY = [1, 2, 3, 4, 5, 6, 7] as const;
const curfew: Condition = { id: 'c-curfew', kind: 'curfew', address: '1 Hoe Street', at: HOME, hours: { days: [...EVERY_DAY], from: 19 * 60, to: 7 * 60 }, electronicMonitoring: true };
const zone: Condition = { id: 'c-zone', kind: 'exclusion_zone', zone: { shape: 'polygon', ring: ZONE_SQUARE }, label: 'Walthamstow Central and the market', hours: null };
const apart: Condition = { id: 'c-apart', kind: 'non_association', people: [{ id: 'p-rival', name: 'Dee Rival' }] };
const blade: Condition = { id: 'c-blade', kind: 'no_bladed_article' };
const words: Condition = { id: 'c-words', kind: 'words', text: 'Not to post videos naming rival groups' };

function order(conditions: Condition[], dates: Partial<Pick<OrderInForce, 'inForceFrom' | 'until'>> = {}): OrderInForce {
  return { id: 'o-1', personId: 'p-subject', title: 'Knife Crime Prevention Order', inForceFrom: '2026-01-01', until: '2027-12-31', conditions, ...dates };
}

function incident(at: Date, overrides: Partial<IncidentFacts> = {}): IncidentFacts {
  return {
    id: 'i-1',
    reference: '2026-0412',
    occurredAt: at,
    place: { easting: 538_500, northing: 189_500, boroughCode: 'E09000031' },
    weapon: null,
    people: [{ personId: 'p-subject', name: 'Jay Subject', role: 'suspect' }],
    ...overrides,
  };
}

describe('curfew hours', () => {
  const away = { easting: HOME.easting + 1_000, northing: HOME.northing, boroughCode: 'E09000031' };
  const raised = (at: Date) => breachesOfIncident(incident(at, { place: away }), [order([curfew])]).length;

  it('starts at 19:00 and ends at 07:00, the next morning belonging to the evening before', () => {
    expect(raised(london(2026, 11, 20, 18, 59))).toBe(0);
    expect(raised(london(2026, 11, 20, 19, 0))).toBe(1);
    expect(raised(london(2026, 11, 21, 6, 59))).toBe(1);
    expect(raised(london(2026, 11, 21, 7, 0))).toBe(0);
  });

  it('keeps to London time across both clock changes (29 March and 25 October 2026)', () => {
    // Summer time: 19:00 in London is 18:00 UTC.
    expect(raised(new Date('2026-06-01T17:59:00Z'))).toBe(0);
    expect(raised(new Date('2026-06-01T18:00:00Z'))).toBe(1);
    // The night the clocks go forward: 01:59 GMT is followed by 03:00 BST, both inside the curfew.
    expect(raised(new Date('2026-03-29T00:59:00Z'))).toBe(1);
    expect(raised(new Date('2026-03-29T01:00:00Z'))).toBe(1);
    // 07:00 BST that morning is 06:00 UTC.
    expect(raised(new Date('2026-03-29T05:59:00Z'))).toBe(1);
    expect(raised(new Date('2026-03-29T06:00:00Z'))).toBe(0);
    // The night they go back, 01:30 happens twice: inside the curfew both times.
    for (const at of londonCandidates({ year: 2026, month: 10, day: 25, hour: 1, minute: 30 })) expect(raised(at)).toBe(1);
  });

  it('keeps to the days the court named, a span past midnight belonging to the day it starts', () => {
    const weekdays = { ...curfew, hours: { days: [1, 2, 3, 4, 5] as (1 | 2 | 3 | 4 | 5)[], from: 19 * 60, to: 7 * 60 } } as Condition;
    const at = (d: number, h: number) => breachesOfIncident(incident(london(2026, 11, d, h, 0), { place: away }), [order([weekdays])]).length;
    // Friday 27 November 2026 evening counts, and so does the early Saturday morning after it.
    expect(at(27, 22)).toBe(1);
    expect(at(28, 6)).toBe(1);
    // Saturday evening does not; Monday 30 November at 06:00 belongs to Sunday night, which does not either.
    expect(at(28, 22)).toBe(0);
    expect(at(30, 6)).toBe(0);
  });

  it('counts an incident at the curfew address as keeping it, up to 100 m away', () => {
    const near = (metres: number) => breachesOfIncident(incident(london(2026, 11, 20, 23, 0), { place: { easting: HOME.easting + metres, northing: HOME.northing, boroughCode: null } }), [order([curfew])]).length;
    expect(near(CURFEW_ADDRESS_METRES)).toBe(0);
    expect(near(CURFEW_ADDRESS_METRES + 1)).toBe(1);
  });

  it('says so when where it happened is not recorded, and gives the evidence in words', () => {
    const [breach] = breachesOfIncident(incident(london(2026, 11, 20, 22, 40), { place: null }), [order([curfew])]);
    expect(breach.evidence).toBe('Knife Crime Prevention Order: suspect in incident 2026-0412 at 22:40 on 2026-11-20, inside curfew hours (19:00 to 07:00); where it happened is not recorded');
    const [far] = breachesOfIncident(incident(london(2026, 11, 20, 22, 40), { place: away }), [order([curfew])]);
    expect(far.evidence).toContain('1,000 m from the curfew address');
  });

  it('agrees with a plain reading of the hours at any minute of any day (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1439 }), fc.integer({ min: 0, max: 1439 }), fc.subarray([1, 2, 3, 4, 5, 6, 7] as const, { minLength: 1 }), fc.integer({ min: 0, max: 14 * 1440 - 1 }), (from, to, days, offset) => {
        // Two weeks of November 2026 (no clock change), minute by minute from Monday 2 November 00:00 GMT.
        const at = new Date(Date.UTC(2026, 10, 2) + offset * 60_000);
        const minute = offset % 1440;
        const day = (Math.floor(offset / 1440) % 7) + 1;
        const yesterday = day === 1 ? 7 : day - 1;
        const expected = from === to ? days.includes(day as never) : from < to ? days.includes(day as never) && minute >= from && minute < to : minute >= from ? days.includes(day as never) : minute < to && days.includes(yesterday as never);
        expect(withinHours({ days: [...days], from, to }, at)).toBe(expected);
      }),
    );
  });
});

describe('exclusion zones', () => {
  const at = london(2026, 11, 20, 22, 40);
  const placed = (easting: number, northing: number, condition: Condition = zone) => breachesOfIncident(incident(at, { place: { easting, northing, boroughCode: 'E09000031' } }), [order([condition])]).length;

  it('raises inside a drawn zone and on its edge, not a metre outside', () => {
    expect(placed(538_500, 189_500)).toBe(1);
    expect(placed(538_000, 189_500)).toBe(1);
    expect(placed(537_999, 189_500)).toBe(0);
    expect(placed(539_001, 190_000)).toBe(0);
  });

  it('finds points in a concave zone as the even-odd rule does', () => {
    // An L shape: the notch at the top right is outside.
    const ell = [
      { easting: 0, northing: 0 },
      { easting: 200, northing: 0 },
      { easting: 200, northing: 100 },
      { easting: 100, northing: 100 },
      { easting: 100, northing: 200 },
      { easting: 0, northing: 200 },
    ];
    expect(insidePolygon({ easting: 50, northing: 150 }, ell)).toBe(true);
    expect(insidePolygon({ easting: 150, northing: 50 }, ell)).toBe(true);
    expect(insidePolygon({ easting: 150, northing: 150 }, ell)).toBe(false);
    expect(insidePolygon({ easting: 100, northing: 150 }, ell)).toBe(true); // on the inner edge
  });

  it('raises within a named place’s radius, not a metre beyond', () => {
    const circle: Condition = { ...zone, zone: { shape: 'circle', centre: { easting: 538_500, northing: 189_500 }, radiusMetres: 250 } } as Condition;
    expect(placed(538_750, 189_500, circle)).toBe(1);
    expect(placed(538_751, 189_500, circle)).toBe(0);
  });

  it('raises anywhere in a named borough', () => {
    const borough: Condition = { ...zone, zone: { shape: 'borough', code: 'E09000031', name: 'Waltham Forest' } } as Condition;
    expect(placed(500_000, 100_000, borough)).toBe(1);
    expect(breachesOfIncident(incident(at, { place: { easting: 538_500, northing: 189_500, boroughCode: 'E09000012' } }), [order([borough])])).toEqual([]);
  });

  it('keeps to its own hours when it has them', () => {
    const evenings: Condition = { ...zone, hours: { days: [...EVERY_DAY], from: 18 * 60, to: 22 * 60 } } as Condition;
    const when = (h: number, m: number) => breachesOfIncident(incident(london(2026, 11, 20, h, m)), [order([evenings])]).length;
    expect(when(17, 59)).toBe(0);
    expect(when(18, 0)).toBe(1);
    expect(when(21, 59)).toBe(1);
    expect(when(22, 0)).toBe(0);
  });

  it('names the zone and the hours in the evidence', () => {
    const [breach] = breachesOfIncident(incident(at), [order([zone])]);
    expect(breach).toEqual({ orderId: 'o-1', conditionId: 'c-zone', personId: 'p-subject', evidence: 'Knife Crime Prevention Order: suspect in incident 2026-0412 at 22:40 on 2026-11-20, inside the exclusion zone (Walthamstow Central and the market)' });
  });
});

describe('roles', () => {
  const at = london(2026, 11, 20, 22, 40);
  const as = (role: string, others: IncidentFacts['people'] = []) => breachesOfIncident(incident(at, { weapon: 'knife', people: [{ personId: 'p-subject', name: 'Jay Subject', role }, ...others] }), [order([zone, curfew, blade])]);

  it('never flags a victim, a witness or anyone else involved, whatever their orders say', () => {
    for (const role of ['victim', 'witness', 'other']) expect(as(role)).toEqual([]);
  });

  it('flags a suspect, and an associate present with the suspects, but the bladed article only against a suspect', () => {
    expect(as('suspect').map((b) => b.conditionId).sort()).toEqual(['c-blade', 'c-curfew', 'c-zone']);
    expect(as('associate').map((b) => b.conditionId).sort()).toEqual(['c-curfew', 'c-zone']);
  });

  it('raises non-association only when both were there by their own conduct', () => {
    const with_ = (role: string, rivalRole: string) => breachesOfIncident(incident(at, { people: [{ personId: 'p-subject', name: 'Jay Subject', role }, { personId: 'p-rival', name: 'Dee Rival', role: rivalRole }] }), [order([apart])]);
    expect(with_('suspect', 'suspect')[0].evidence).toBe('Knife Crime Prevention Order: suspect in incident 2026-0412 at 22:40 on 2026-11-20, with Dee Rival (suspect), whom the order says not to associate with');
    expect(with_('suspect', 'associate')).toHaveLength(1);
    // The subject harmed the named person: an offence, the incident itself, not an association.
    expect(with_('suspect', 'victim')).toEqual([]);
    // The subject was the one harmed.
    expect(with_('victim', 'suspect')).toEqual([]);
  });

  it('reads the bladed article from the weapon recorded, and nothing from a firearm or none', () => {
    const weapon = (w: string | null) => breachesOfIncident(incident(at, { weapon: w, place: null }), [order([blade])]).length;
    expect(weapon('knife')).toBe(1);
    expect(weapon('firearm')).toBe(0);
    expect(weapon(null)).toBe(0);
  });

  it('never raises on a condition in words, which cannot be checked', () => {
    expect(breachesOfIncident(incident(at), [order([words])])).toEqual([]);
  });
});

describe('an order’s days in force', () => {
  const on = (day: number, dates: Partial<OrderInForce>) => breachesOfIncident(incident(london(2026, 11, day, 12, 0)), [order([zone], dates)]).length;

  it('raises from its first day to its last, inclusive, in London dates, and nothing after it ends', () => {
    expect(on(9, { inForceFrom: '2026-11-10' })).toBe(0);
    expect(on(10, { inForceFrom: '2026-11-10' })).toBe(1);
    expect(on(20, { until: '2026-11-20' })).toBe(1);
    expect(on(21, { until: '2026-11-20' })).toBe(0);
    expect(on(21, { until: null })).toBe(1);
  });

  it('takes its last day as London’s: 23:30 BST on the last day is still in force, 00:30 the next day is not', () => {
    const summer = (iso: string) => breachesOfIncident(incident(new Date(iso)), [order([zone], { until: '2026-07-01' })]).length;
    expect(summer('2026-07-01T22:30:00Z')).toBe(1);
    expect(summer('2026-07-01T23:30:00Z')).toBe(0);
  });
});

describe('a link or membership recorded', () => {
  const on = london(2026, 11, 20, 10, 0);
  const link = (a: string, b: string) => ({ a: { id: a, name: a === 'p-subject' ? 'Jay Subject' : 'Dee Rival' }, b: { id: b, name: b === 'p-subject' ? 'Jay Subject' : 'Dee Rival' }, what: 'associate link', on });

  it('raises against the subject whichever way round the link is recorded', () => {
    expect(breachesOfLink(link('p-subject', 'p-rival'), [order([apart])])).toEqual([{ orderId: 'o-1', conditionId: 'c-apart', personId: 'p-subject', withPersonId: 'p-rival', evidence: 'Knife Crime Prevention Order: associate link with Dee Rival, recorded 10:00 on 2026-11-20, whom the order says not to associate with' }]);
    expect(breachesOfLink(link('p-rival', 'p-subject'), [order([apart])])).toHaveLength(1);
  });

  it('raises nothing for someone the order does not name, or once the order has ended', () => {
    expect(breachesOfLink({ ...link('p-subject', 'p-rival'), b: { id: 'p-friend', name: 'Sam Friend' } }, [order([apart])])).toEqual([]);
    expect(breachesOfLink(link('p-subject', 'p-rival'), [order([apart], { until: '2026-11-19' })])).toEqual([]);
  });

  it('a membership: raises for a group the order names (once), for named members on either side, and not for others', () => {
    const lot = { id: 'g-lot', name: 'Lea Bridge Lot' };
    const namesGroup: Condition = { id: 'c-group', kind: 'non_association', people: [{ id: 'p-rival', name: 'Dee Rival' }], groups: [lot] };
    const subject = { id: 'p-subject', name: 'Jay Subject' };
    const rival = { id: 'p-rival', name: 'Dee Rival' };
    const friend = { id: 'p-friend', name: 'Sam Friend' };
    const joins = breachesOfMembership({ person: subject, group: lot, members: [subject, rival], on }, [order([namesGroup])]);
    expect(joins).toHaveLength(1);
    expect(joins[0]).toMatchObject({ conditionId: 'c-group', personId: 'p-subject' });
    expect(joins[0].evidence).toContain('recorded as a member of Lea Bridge Lot');
    // The rival joins the subject's group: the subject's order names the rival.
    const rivalJoins = breachesOfMembership({ person: rival, group: { id: 'g-other', name: 'Other' }, members: [rival, subject], on }, [order([apart])]);
    expect(rivalJoins).toEqual([expect.objectContaining({ personId: 'p-subject', withPersonId: 'p-rival' })]);
    expect(breachesOfMembership({ person: friend, group: lot, members: [friend, subject], on }, [order([apart])])).toEqual([]);
    expect(breachesOfMembership({ person: subject, group: lot, members: [subject, rival], on }, [order([namesGroup], { until: '2026-11-19' })])).toEqual([]);
  });
});
