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
    const month = monthLabel(monthOf(new Date()));
    expect(drawn[1].label).toContain(`${month}: 100%`);
    // Nothing decided yet for contact within 48 hours (the clocks are still running): a gap, not a zero.
    expect(drawn[0].label).toContain(`${month}: no value`);
    expect(page.body).toContain('Target 100%');
    // The table beside it says the same.
    expect(page.body).toMatch(/<strong>100\.0%<\/strong><br><span class="govuk-body-s">6 of 6<\/span>/);
  });
});
