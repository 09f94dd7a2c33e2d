// Identity matching against a labelled set of at least 200 pairs made by rule
// (test/support/matchPairs.ts), and the two cases issue 18 found, through the
// duplicate check, the search page and the people API: one matcher for all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHOW_FROM, nearDate, nearDates, scoreCandidate } from '../../src/modules/people/matching.ts';
import { createApiClient } from '../../src/modules/access/accounts.ts';
import { evaluate, labelledPairs } from '../support/matchPairs.ts';
import { makeAgency, makeUser, signedIn, testApp, type TestApp } from '../support/app.ts';

describe('the labelled pairs', () => {
  it('are at least 200, true and false, and the matcher finds the true at recall ≥ 0.95 with precision ≥ 0.95', () => {
    const pairs = labelledPairs();
    expect(pairs.length).toBeGreaterThanOrEqual(200);
    expect(pairs.filter((p) => p.same).length).toBeGreaterThanOrEqual(100);
    expect(pairs.filter((p) => !p.same).length).toBeGreaterThanOrEqual(90);
    const verdict = evaluate(pairs, (a, b) => scoreCandidate(a, b).score >= SHOW_FROM);
    console.log(`labelled pairs: ${verdict.pairs} (${verdict.truePairs} true); precision ${verdict.precision.toFixed(3)}, recall ${verdict.recall.toFixed(3)}; missed: ${verdict.missed.join('; ') || 'none'}; wrongly matched: ${verdict.wronglyMatched.join('; ') || 'none'}`);
    expect(verdict.recall).toBeGreaterThanOrEqual(0.95);
    expect(verdict.precision).toBeGreaterThanOrEqual(0.95);
  });

  it('calls a slip of the day or month near, and a different year a different date', () => {
    expect(nearDate('2010-03-04', '2010-04-03')).toBe(true);
    expect(nearDate('2010-03-04', '2010-03-05')).toBe(true);
    expect(nearDate('2010-03-04', '2013-03-04')).toBe(false);
    expect(nearDate('2010-03-04', '2010-05-06')).toBe(false);
    expect(nearDates('2010-03-04')).toContain('2010-04-03');
    expect(nearDates('2010-03-04')).toContain('2010-03-14');
    expect(nearDates('2010-02-28')).not.toContain('2010-02-38');
    expect(nearDates('2010-02-18')).not.toContain('2010-02-30');
  });
});

describe('one matcher for the duplicate check, the search page and the API', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await testApp();
  });
  afterAll(() => t.close());

  it('offers Muhammad Aly as Mohammed Ali (same date of birth, no postcode), and finds him by a swapped day and month', async () => {
    const council = await makeAgency(t.db, { kind: 'council' });
    const coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
    const year = new Date().getFullYear() - 15;
    const person = (given: string, family: string, extra: Record<string, string> = {}) => ({ givenName: given, familyName: family, 'dateOfBirth-day': '4', 'dateOfBirth-month': '9', 'dateOfBirth-year': String(year), sex: 'male', ethnicity: 'asian_pakistani', ...extra });
    const first = await coordinator.post('/people', person('Muhammad', 'Aly'));
    expect(first.statusCode).toBe(303);
    const id = (first.headers.location as string).split('/').pop()!;

    const check = await coordinator.post('/people', person('Mohammed', 'Ali'));
    expect(check.statusCode).toBe(200);
    expect(check.body).toContain('Is this one of these people?');
    expect(check.body).toContain('Names sound the same: another spelling or a transliteration');
    expect(check.body).toContain(`href="/people/${id}"`);

    const page = await coordinator.post('/people/search', { name: 'Mohammed Ali', 'dateOfBirth-day': '9', 'dateOfBirth-month': '4', 'dateOfBirth-year': String(year) });
    expect(page.body).toContain(`href="/people/${id}"`);
    const { secret } = await createApiClient(t.db, { agencyId: council.id, name: 'Case system', role: 'coordinator', createdBy: null });
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/people?name=Mohammed+Ali&dateOfBirth=${year}-04-09`, headers: { authorization: `Bearer ${secret}` } });
    expect(api.statusCode).toBe(200);
    const match = (api.json().matches as { personId: string; reasons: string[] }[]).find((m) => m.personId === id);
    expect(match?.reasons).toEqual(expect.arrayContaining([expect.stringContaining('day and month swapped')]));
  });
});
