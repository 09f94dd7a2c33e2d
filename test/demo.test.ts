import { ROLES } from '../src/platform/permissions.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { seedDemo } from '../src/modules/demo/seed.ts';
import { isDemoDatabase } from '../src/platform/settings.ts';
import { verifyAuditChain } from '../src/platform/audit.ts';
import { testDatabase } from './support/app.ts';
import { londonToday } from '../src/platform/time.ts';
import type { Database } from '../src/db/database.ts';

const NOW = new Date('2026-11-20T12:00:00Z');
let a: Database;
let b: Database;
beforeAll(async () => {
  [a, b] = await Promise.all([testDatabase(), testDatabase()]);
  await seedDemo(a.db, { scale: 'borough', seed: 7, now: NOW, people: 400, incidents: 1500 });
  await seedDemo(b.db, { scale: 'borough', seed: 7, now: NOW, people: 400, incidents: 1500 });
});
afterAll(async () => {
  await a.close();
  await b.close();
});

const fingerprint = async (database: Database) =>
  (
    await sql<{ f: string }>`SELECT md5(string_agg(reference || occurred_at::text || type_code || coalesce(borough_code, ''), ',' ORDER BY reference)) AS f FROM incident`.execute(database.db)
  ).rows[0].f;

describe('demo seed', () => {
  it('writes the same partnership from the same seed', async () => {
    expect(await fingerprint(a)).toBe(await fingerprint(b));
  });

  it('marks the database as a demo one, with a user for every role, and an intact audit chain', async () => {
    expect(await isDemoDatabase(a.db)).toBe(true);
    const roles = (await a.db.selectFrom('app_user').select('roles').execute()).flatMap((u) => u.roles);
    expect(new Set(roles)).toEqual(new Set(ROLES));
    expect((await verifyAuditChain(a.db)).intact).toBe(true);
  });

  it('has orders with their conditions, a place-based power, and possible breaches found by the checks every entrance runs', async () => {
    const orders = await a.db.selectFrom('court_order').select(['kind_code', 'person_id']).execute();
    expect(orders.map((o) => o.kind_code).sort()).toEqual(['criminal_behaviour_order', 'dispersal_direction', 'gang_injunction', 'knife_crime_prevention_order']);
    expect(await a.db.selectFrom('order_condition').select('id').execute()).toHaveLength(6);
    expect((await a.db.selectFrom('order_review').select('id').execute()).length).toBeGreaterThanOrEqual(1);
  });

  it('has a year of urgent responses, the older ones closed, and tomorrow’s DRM meeting with its agenda', async () => {
    const rows = await a.db.selectFrom('urgent_response').select(['status', 'notified_at', 'closure_reason']).execute();
    expect(rows.length).toBeGreaterThan(100);
    const old = rows.filter((r) => NOW.getTime() - new Date(r.notified_at).getTime() > 15 * 86_400_000);
    expect(old.length).toBeGreaterThan(50);
    expect(old.every((r) => r.status === 'closed')).toBe(true);
    expect(new Set(old.map((r) => r.closure_reason)).size).toBeGreaterThan(2);
    const meetings = await a.db.selectFrom('meeting').select(['id', 'status', 'starts_at']).where('type_code', '=', 'drm').orderBy('starts_at').execute();
    expect(meetings.map((m) => m.status)).toEqual(['held', 'planned']);
    const items = await a.db.selectFrom('meeting_item').select('rule').where('meeting_id', '=', meetings[1].id).execute();
    expect(new Set(items.map((i) => i.rule))).toContain('carried_forward');
    expect(new Set(items.map((i) => i.rule))).toContain('clocks_at_risk');
  });

  it('has the exploitation picture: a child missing twice with no return home interview, an NRM referral waiting, an exclusion, and the Extra-Familial Risk Panel planned with them on its agenda', async () => {
    const panel = await a.db.selectFrom('meeting').select('id').where('type_code', '=', 'extra_familial_risk').executeTakeFirstOrThrow();
    const items = await a.db.selectFrom('meeting_item').select('rule').where('meeting_id', '=', panel.id).execute();
    const rules = items.map((i) => i.rule);
    for (const rule of ['missing_without_interview', 'nrm_waiting', 'education']) expect(rules).toContain(rule);
    const searches = await a.db.selectFrom('stop_search').select(['self_defined_ethnicity', 'legislation']).execute();
    expect(searches.filter((r) => r.self_defined_ethnicity?.startsWith('Black/')).length).toBeGreaterThan(0);
    expect(searches.filter((r) => r.legislation?.includes('section 60')).length).toBeGreaterThan(0);
  });

  it('has the gangs intelligence meeting on the next working day, whose pack the sweep makes today and attaches', async () => {
    const { schedulePacks, settle } = await import('../src/modules/products/operations.ts');
    const meeting = await a.db.selectFrom('meeting').select(['id', 'starts_at']).where('type_code', '=', 'gangs_intelligence').executeTakeFirstOrThrow();
    expect(londonToday(new Date(meeting.starts_at))).toBe('2026-11-23'); // NOW is Friday 20 November
    expect(await schedulePacks(a.db, NOW)).toHaveLength(1);
    await settle(60_000);
    const pack = await a.db.selectFrom('product').select(['state', 'kind']).where('meeting_id', '=', meeting.id).executeTakeFirstOrThrow();
    expect(pack).toEqual({ state: 'generated', kind: 'intelligence_pack' });
  });

  it('has casework: episodes with measures at both ends for every service with workers, incoming referrals, families and strands', async () => {
    const { measurePairs, byGroup } = await import('../src/modules/outcomes/outcomes.ts');
    const groups = byGroup(await measurePairs(a.db, 'service'));
    expect(groups.size).toBeGreaterThanOrEqual(8);
    expect(groups.get('A&E navigators')!.length).toBeGreaterThanOrEqual(5);
    expect((await a.db.selectFrom('referral').select('id').where('status', '=', 'sent').execute()).length).toBeGreaterThan(5);
    expect((await a.db.selectFrom('family').select('champion_id').execute()).every((f) => f.champion_id)).toBe(true);
    expect((await a.db.selectFrom('cohort_membership').select('id').execute()).length).toBeGreaterThan(30);
  });

  it('has a closed rapid review whose recommendations are actions in the knife crime plan, and an open one', async () => {
    const reviews = await a.db.selectFrom('rapid_review').select(['id', 'status']).orderBy('opened_at').execute();
    expect(reviews.map((r) => r.status).sort()).toEqual(['closed', 'open']);
    const closed = reviews.find((r) => r.status === 'closed')!;
    const tracked = await a.db
      .selectFrom('review_entry')
      .innerJoin('strategy_action', 'strategy_action.id', 'review_entry.action_id')
      .innerJoin('strategy', 'strategy.id', 'strategy_action.strategy_id')
      .select(['strategy.name', 'strategy_action.number'])
      .where('review_entry.review_id', '=', closed.id)
      .execute();
    expect(tracked).toEqual(expect.arrayContaining([{ name: 'Knife Crime Action Plan', number: '5.2.1' }, { name: 'Knife Crime Action Plan', number: '5.2.2' }]));
  });

  it('has groups with graded members, a rivalry, links past review, police intelligence under C, and a context assessment with interventions', async () => {
    const count = (rows: unknown[]) => rows.length;
    const groups = await a.db.selectFrom('network_group').select(['id', 'kind']).execute();
    expect(groups.map((g) => g.kind).sort()).toEqual(['peer_group', 'street_gang', 'street_gang']);
    const links = await a.db.selectFrom('association').select(['kind', 'link_type', 'handling_code', 'review_on']).execute();
    expect(count(links.filter((l) => l.kind === 'membership'))).toBeGreaterThanOrEqual(12);
    expect(links.some((l) => l.link_type === 'rivalry')).toBe(true);
    expect(links.some((l) => l.handling_code === 'C' && l.link_type === 'exploitation')).toBe(true);
    expect(links.filter((l) => l.review_on < '2026-11-20').length).toBe(2);
    const context = await a.db.selectFrom('context_assessment').select('id').executeTakeFirstOrThrow();
    expect(count(await a.db.selectFrom('context_intervention').select('id').where('assessment_id', '=', context.id).execute())).toBe(3);
    expect(count(await a.db.selectFrom('context_link').select('id').where('assessment_id', '=', context.id).execute())).toBe(4);
  });

  it('has a year of police.uk crime and stop and search and ISTV assaults, imported through the real readers, and school terms', async () => {
    const count = async (table: 'crime_record' | 'stop_search' | 'ae_attendance' | 'term_period') => (await a.db.selectFrom(table).select('id').execute()).length;
    expect(await count('crime_record')).toBe(12 * 320);
    expect(await count('stop_search')).toBe(12 * 120);
    expect(await count('ae_attendance')).toBe(12 * 35);
    expect(await count('term_period')).toBe(18);
    const matched = await a.db.selectFrom('ae_attendance').select('id').where('match_status', '=', 'matched').execute();
    expect(matched.length).toBeGreaterThan(12 * 35 * 0.6);
    expect(await a.db.selectFrom('ae_attendance').select('id').where('match_status', '=', 'unmatched').execute()).not.toHaveLength(0);
  });

  it('refuses to run on a database that already has data', async () => {
    await expect(seedDemo(a.db, { scale: 'borough', seed: 1 })).rejects.toThrow(/empty database/);
  });

  it('places every incident in Waltham Forest, in the past, learned of after it happened', async () => {
    const rows = await sql<{ outside: number; future: number; backwards: number }>`
      SELECT count(*) FILTER (WHERE borough_code <> 'E09000031') AS outside,
             count(*) FILTER (WHERE occurred_at > ${NOW}) AS future,
             count(*) FILTER (WHERE notified_at < occurred_at) AS backwards
      FROM incident`.execute(a.db);
    expect(rows.rows[0]).toEqual({ outside: 0, future: 0, backwards: 0 });
  });

  it('puts a clear share of school-day incidents in the two hours after school (seed 000)', async () => {
    const { rows } = await sql<{ share: number }>`
      SELECT avg(CASE WHEN extract(hour FROM occurred_at AT TIME ZONE 'Europe/London') IN (15, 16) THEN 1.0 ELSE 0.0 END)::float8 AS share
      FROM incident
      WHERE extract(isodow FROM occurred_at AT TIME ZONE 'Europe/London') BETWEEN 1 AND 5
        AND extract(month FROM occurred_at AT TIME ZONE 'Europe/London') <> 8`.execute(a.db);
    // 35% placed after school, plus the evening-weighted rest that falls in those hours by chance: far above 2/24.
    expect(rows[0].share).toBeGreaterThan(0.3);
    expect(rows[0].share).toBeLessThan(0.55);
  });

  it('gives people believable ages and ONS ethnic groups', async () => {
    const { rows } = await sql<{ young: number; stated: number }>`
      SELECT avg(CASE WHEN date_part('year', age(${NOW}::date, date_of_birth)) < 25 THEN 1.0 ELSE 0 END)::float8 AS young,
             avg(CASE WHEN ethnicity <> 'not_stated' THEN 1.0 ELSE 0 END)::float8 AS stated
      FROM person`.execute(a.db);
    expect(rows[0].young).toBeGreaterThan(0.75);
    expect(rows[0].stated).toBeGreaterThan(0.85);
  });
  it('counts exclusions for the before-and-after outcomes from the education records where a young person has them, the typed number otherwise', async () => {
    const { measurePairs } = await import('../src/modules/outcomes/outcomes.ts');
    const pair = await a.db
      .selectFrom('episode')
      .innerJoin('outcome_measure as s', (j) => j.onRef('s.episode_id', '=', 'episode.id').on('s.stage', '=', 'start'))
      .innerJoin('outcome_measure as e', (j) => j.onRef('e.episode_id', '=', 'episode.id').on('e.stage', '=', 'end'))
      .select(['episode.person_id', 'episode.agency_id', 's.exclusions as s_exc', 'e.exclusions as e_exc', 's.measured_on as start_on', 'e.measured_on as end_on'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('education_event').select('id').whereRef('education_event.person_id', '=', 'episode.person_id'))))
      .where((eb) => eb(eb.selectFrom('episode as other').select((x) => x.fn.countAll().as('n')).whereRef('other.person_id', '=', 'episode.person_id'), '=', 1))
      .where((eb) => eb('s.measured_on', '<', eb.ref('e.measured_on')))
      .executeTakeFirstOrThrow();
    const total = (pairs: Awaited<ReturnType<typeof measurePairs>>, side: 'before' | 'after') => pairs.reduce((n, p) => n + (p[side].exclusions ?? 0), 0);
    const typed = await measurePairs(a.db, 'service');
    const event = await a.db.insertInto('education_event').values({ person_id: pair.person_id, agency_id: pair.agency_id, kind: 'suspension', school: 'Test School', started_on: pair.end_on }).returning('id').executeTakeFirstOrThrow();
    const counted = await measurePairs(a.db, 'service');
    await a.db.deleteFrom('education_event').where('id', '=', event.id).execute();
    // After: one suspension on the day of the end measure, instead of the number typed; before: none in the six months to the start.
    expect(total(counted, 'after') - total(typed, 'after')).toBe(1 - (pair.e_exc ?? 0));
    expect(total(counted, 'before') - total(typed, 'before')).toBe(0 - (pair.s_exc ?? 0));
  });
});
