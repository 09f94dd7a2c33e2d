// The 48-hour, 24-hour and 1-hour figures as monthly trend charts beside
// their table (issue 22): each chart's points are the table's percentages,
// a hidden or undecided month is a gap, and the aim (100%) is drawn.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { monthLabel, monthOf } from '../../src/modules/figures/figures.ts';
import { makeAgency, makeUser, newResponse, signedIn, testApp, type Client, type TestApp } from '../support/app.ts';

let t: TestApp;
let coordinator: Client;
beforeAll(async () => {
  t = await testApp();
  const council = await makeAgency(t.db, { kind: 'council', receivesIncidents: true });
  coordinator = await signedIn(t, await makeUser(t.db, council.id, ['coordinator']));
  for (let i = 0; i < 6; i++) await newResponse(t, council.id, `Chart${String.fromCharCode(65 + i)}`);
  // Every first attempt made an hour after the partnership was told: 6 of 6 in time.
  await sql`INSERT INTO contact_attempt (urgent_response_id, attempted_at, with_whom, channel, outcome) SELECT id, notified_at + interval '1 hour', 'young_person', 'home', 'no_answer' FROM urgent_response`.execute(t.db);
});
afterAll(() => t.close());

const charts = (html: string) => [...html.matchAll(/<figcaption class="govuk-heading-s">([^<]+)<\/figcaption>\s*<svg class="reachable-chart"[^>]*role="img" aria-label="([^"]+)"/g)].map((m) => ({ caption: m[1], label: m[2].replace(/&amp;/g, '&') }));

describe('the figures page', () => {
  it('draws each clock month by month with the aim, from the same numbers as its table', async () => {
    const page = await coordinator.get('/figures');
    expect(page.statusCode).toBe(200);
    const drawn = charts(page.body);
    expect(drawn.map((c) => c.caption)).toEqual(['Contact made within 48 hours', 'First attempt within 24 hours', 'MASH told within 1 hour of custody booking-in']);
    // The month the responses were notified in (a day before now: in the first hours of a month, the last one).
    const { notified_at } = await t.db.selectFrom('urgent_response').select('notified_at').executeTakeFirstOrThrow();
    const month = monthLabel(monthOf(new Date(notified_at)));
    expect(drawn[1].label).toContain(`${month}: 100%`);
    // Nothing decided yet for contact within 48 hours (the clocks are still running): a gap, not a zero.
    expect(drawn[0].label).toContain(`${month}: no value`);
    expect(page.body).toContain('Target 100%');
    // The table beside it says the same.
    expect(page.body).toMatch(/<strong>100\.0%<\/strong><br><span class="govuk-body-s">6 of 6<\/span>/);
  });
});

describe('indicators as small multiples', () => {
  const small = (html: string) => [...html.matchAll(/<svg class="reachable-chart reachable-chart--small"[^>]*role="img" aria-label="([^"]+)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));

  it.each(['/indicators', '/board'])('%s draws every indicator at one size, each named, with its values in words and a link to its page', async (url) => {
    const analyst = await signedIn(t, await makeUser(t.db, (await makeAgency(t.db, { kind: 'council' })).id, ['board_member']));
    const page = await analyst.get(url);
    expect(page.statusCode).toBe(200);
    const indicators = await t.db.selectFrom('indicator').select(['id', 'name']).orderBy('sort').execute();
    expect(indicators.length).toBeGreaterThan(1);
    const drawn = small(page.body);
    expect(drawn).toHaveLength(indicators.length);
    for (const i of indicators) {
      expect(drawn.some((label) => label.startsWith(`${i.name}, rolling years.`)), i.name).toBe(true);
      expect(page.body).toContain(`href="/indicators/${i.id}?month=`);
    }
    // Every point in words, a month and a value or "no value", for someone who cannot see the line.
    for (const label of drawn) expect(label, label).toMatch(/([A-Z][a-z]{2}\w* \d{4}: (no value|[\d.]+%?)|No values yet)$/);
    expect(drawn.some((label) => /\d{4}: [\d.]+/.test(label))).toBe(true);
  });
});
