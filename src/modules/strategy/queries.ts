// Strategies, their commitments and numbered actions, read and written.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { ActionInput, ProgressInput, StrategyInput } from './rules.ts';
import type { ImportedCommitment } from './planImport.ts';

type Db = Kysely<DB> | Transaction<DB>;

export function principles(db: Db) {
  return db.selectFrom('principle').select(['id', 'kind', 'number', 'statement']).orderBy(sql`array_position(array['strategic','enabling','guiding'], kind)`).orderBy('number').execute();
}

export function strategies(db: Db) {
  return db
    .selectFrom('strategy')
    .leftJoin('strategy_action as a', 'a.strategy_id', 'strategy.id')
    .select(['strategy.id', 'strategy.name', 'strategy.kind', 'strategy.starts_on', 'strategy.ends_on'])
    .select((eb) => [
      eb.fn.count<string>('a.id').as('actions'),
      eb.fn.count<string>('a.id').filterWhere('a.rag', '=', 'red').as('red'),
      eb.fn.count<string>('a.id').filterWhere('a.rag', '=', 'amber').as('amber'),
      eb.fn.count<string>('a.id').filterWhere('a.rag', '=', 'green').as('green'),
      eb.fn.count<string>('a.id').filterWhere('a.status', '=', 'complete').as('complete'),
    ])
    .groupBy('strategy.id')
    .orderBy('strategy.kind', 'desc')
    .orderBy('strategy.name')
    .execute();
}

export async function createStrategy(trx: Transaction<DB>, input: StrategyInput, userId: string | null): Promise<string> {
  const { id } = await trx
    .insertInto('strategy')
    .values({ name: input.name, kind: input.kind, starts_on: input.startsOn, ends_on: input.endsOn, vision: input.vision, created_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.domains.length) await trx.insertInto('strategy_domain').values(input.domains.map((name, sort) => ({ strategy_id: id, name, sort }))).execute();
  return id;
}

/** Actions sort by their numbers as people read them: 5.2 before 5.10. */
export const byNumber = (column: string) => sql`string_to_array(regexp_replace(${sql.ref(column)}, '[^0-9.]', '', 'g'), '.')::int[] NULLS LAST`;

export async function loadStrategy(db: Db, id: string) {
  const strategy = await db.selectFrom('strategy').selectAll().where('id', '=', id).executeTakeFirst();
  if (!strategy) return undefined;
  const [domains, commitments, actions, links, measures, measureLinks] = await Promise.all([
    db.selectFrom('strategy_domain').selectAll().where('strategy_id', '=', id).orderBy('sort').execute(),
    db.selectFrom('commitment').selectAll().where('strategy_id', '=', id).orderBy('sort').execute(),
    db.selectFrom('strategy_action').selectAll().where('strategy_id', '=', id).orderBy(byNumber('number')).orderBy('number').execute(),
    db.selectFrom('action_principle').innerJoin('strategy_action as a', 'a.id', 'action_principle.action_id').innerJoin('principle as p', 'p.id', 'action_principle.principle_id').select(['a.id as action_id', 'p.kind', 'p.number']).where('a.strategy_id', '=', id).orderBy('p.kind', 'desc').orderBy('p.number').execute(),
    db.selectFrom('success_measure').selectAll().where('strategy_id', '=', id).orderBy('sort').execute(),
    db.selectFrom('success_measure_indicator as l').innerJoin('success_measure as m', 'm.id', 'l.success_measure_id').innerJoin('indicator as i', 'i.id', 'l.indicator_id').select(['m.id as measure_id', 'i.id', 'i.name']).where('m.strategy_id', '=', id).orderBy('i.sort').execute(),
  ]);
  const withPrinciples = actions.map((a) => ({ ...a, principles: links.filter((l) => l.action_id === a.id) }));
  const commitmentsWith = commitments.map((c) => ({ ...c, actions: withPrinciples.filter((a) => a.commitment_id === c.id) }));
  const measuresWith = measures.map((m) => ({ ...m, indicators: measureLinks.filter((l) => l.measure_id === m.id) }));
  return {
    strategy,
    domains: domains.map((d) => ({ ...d, commitments: commitmentsWith.filter((c) => c.domain_id === d.id), measures: measuresWith.filter((m) => m.domain_id === d.id) })),
    undomained: { commitments: commitmentsWith.filter((c) => !c.domain_id), measures: measuresWith.filter((m) => !m.domain_id) },
    looseActions: withPrinciples.filter((a) => !a.commitment_id),
    commitments,
    actions: withPrinciples,
  };
}

export async function addAction(trx: Transaction<DB>, strategyId: string, input: ActionInput, userId: string | null): Promise<string> {
  const { id } = await trx
    .insertInto('strategy_action')
    .values({ strategy_id: strategyId, commitment_id: input.commitmentId, number: input.number, statement: input.statement, lead_partners: input.leadPartners, starts_on: input.startsOn, due_on: input.dueOn, created_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  if (input.principleIds.length) await trx.insertInto('action_principle').values(input.principleIds.map((principle_id) => ({ action_id: id, principle_id }))).execute();
  return id;
}

export function numberTaken(db: Db, strategyId: string, number: string) {
  return db.selectFrom('strategy_action').select('id').where('strategy_id', '=', strategyId).where('number', '=', number).executeTakeFirst();
}

/** An imported plan's commitments and actions, appended after what the plan already holds. */
export async function importPlan(trx: Transaction<DB>, strategyId: string, commitments: ImportedCommitment[], userId: string | null): Promise<number> {
  const start = await trx.selectFrom('commitment').select((eb) => eb.fn.coalesce(eb.fn.max('sort'), sql<number>`-1`).as('sort')).where('strategy_id', '=', strategyId).executeTakeFirstOrThrow();
  let count = 0;
  for (const [i, c] of commitments.entries()) {
    const { id: commitmentId } = await trx.insertInto('commitment').values({ strategy_id: strategyId, statement: c.statement, sort: Number(start.sort) + 1 + i }).returning('id').executeTakeFirstOrThrow();
    for (const a of c.actions) {
      await addAction(trx, strategyId, { number: a.number, statement: a.statement, leadPartners: a.leadPartners, startsOn: null, dueOn: null, commitmentId, principleIds: a.principleIds }, userId);
      count++;
    }
  }
  return count;
}

export async function loadAction(db: Db, id: string) {
  const action = await db
    .selectFrom('strategy_action as a')
    .innerJoin('strategy as s', 's.id', 'a.strategy_id')
    .leftJoin('commitment as c', 'c.id', 'a.commitment_id')
    .selectAll('a')
    .select(['s.name as strategy_name', 'c.statement as commitment'])
    .where('a.id', '=', id)
    .executeTakeFirst();
  if (!action) return undefined;
  const [principleRows, milestones, updates, review] = await Promise.all([
    db.selectFrom('action_principle').innerJoin('principle as p', 'p.id', 'action_principle.principle_id').select(['p.kind', 'p.number', 'p.statement']).where('action_id', '=', id).orderBy('p.kind', 'desc').orderBy('p.number').execute(),
    db.selectFrom('action_milestone').selectAll().where('action_id', '=', id).orderBy('due_on').execute(),
    db.selectFrom('action_update as u').leftJoin('app_user as w', 'w.id', 'u.recorded_by').leftJoin('agency as g', 'g.id', 'w.agency_id').select(['u.status', 'u.rag', 'u.rag_reason', 'u.note', 'u.recorded_at', 'w.display_name as by_name', 'g.name as by_agency']).where('u.action_id', '=', id).orderBy('u.recorded_at', 'desc').execute(),
    db.selectFrom('review_entry as e').innerJoin('rapid_review as r', 'r.id', 'e.review_id').select(['r.id', 'r.reference']).where('e.action_id', '=', id).executeTakeFirst(),
  ]);
  return { action, principles: principleRows, milestones, updates, review };
}

/** An update: the action takes its new status and rating, and the update keeps them with who and when. Stale versions change nothing. */
export async function recordProgress(trx: Transaction<DB>, id: string, version: number, input: ProgressInput, userId: string | null): Promise<boolean> {
  const changed = await trx
    .updateTable('strategy_action')
    .set({ status: input.status, rag: input.rag, rag_reason: input.ragReason, updated_at: new Date(), version: sql`version + 1` })
    .where('id', '=', id)
    .where('version', '=', version)
    .executeTakeFirst();
  if (Number(changed.numUpdatedRows) !== 1) return false;
  await trx.insertInto('action_update').values({ action_id: id, status: input.status, rag: input.rag, rag_reason: input.ragReason, note: input.note, recorded_by: userId }).execute();
  return true;
}
