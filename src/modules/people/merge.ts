// Merging two records of one child: every row that hangs off the merged
// record moves to the kept one, and the merge lists exactly which rows moved,
// so undoing it moves those back and nothing else. The merged record itself
// stays (marked merged_into), so nothing either record held is lost.
import { sql, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { refreshMatchKeys } from './queries.ts';

// Every table with a person_id: a new one must be added here (test/people/merge.test.ts checks the schema).
export const PERSON_TABLES = [
  'involvement',
  'urgent_response',
  'meeting_referral',
  'meeting_item',
  'person_alias',
  'person_identifier',
  'person_address',
  'person_marker',
  'person_involvement',
  'family_member',
  'referral',
  'episode',
  'cohort_membership',
  'association',
  'context_link',
  'sharing_decision',
  'court_order',
  'possible_breach',
  'missing_episode',
  'nrm_referral',
  'education_event',
  'legal_hold',
  'subject_access_request',
] as const;

/** Every column that names a person: each table's person_id, and the far end of a link between two people. */
const PERSON_COLUMNS: { table: string; column: string }[] = [
  ...PERSON_TABLES.map((table) => ({ table, column: 'person_id' })),
  { table: 'association', column: 'other_person_id' },
  { table: 'possible_breach', column: 'with_person_id' },
];

/** What would collide if both records' rows sat on one person: the user settles these first. */
async function conflicts(trx: Transaction<DB>, keptId: string, mergedId: string): Promise<string[]> {
  const both = (table: string, where: string, by: string) =>
    sql<{ n: number }>`SELECT count(*)::int AS n FROM ${sql.table(table)} a JOIN ${sql.table(table)} b ON ${sql.raw(by)}
      WHERE a.person_id = ${keptId} AND b.person_id = ${mergedId} AND ${sql.raw(where)}`.execute(trx).then((r) => r.rows[0].n > 0);
  const problems: string[] = [];
  if (await both('urgent_response', `a.status = 'open' AND b.status = 'open'`, 'true')) problems.push('Both records have an open urgent response: close one before merging.');
  if (await both('cohort_membership', 'a.ended_on IS NULL AND b.ended_on IS NULL', 'true')) problems.push('Both records are in a cohort strand: end one before merging.');
  if (await both('involvement', 'true', 'a.incident_id = b.incident_id AND a.role = b.role')) problems.push('Both records are in the same incident in the same role: remove one from the incident before merging.');
  if (await both('family_member', 'true', 'a.family_id = b.family_id')) problems.push('Both records are in the same family: remove one from the family before merging.');
  if (await both('context_link', 'a.removed_at IS NULL AND b.removed_at IS NULL', 'a.assessment_id = b.assessment_id')) problems.push('Both records are linked to the same context assessment: take one off the assessment before merging.');
  const linked = await trx
    .selectFrom('association')
    .select('id')
    .where((eb) => eb.or([eb.and([eb('person_id', '=', keptId), eb('other_person_id', '=', mergedId)]), eb.and([eb('person_id', '=', mergedId), eb('other_person_id', '=', keptId)])]))
    .executeTakeFirst();
  if (linked) problems.push('The two records are linked to each other in the network: a person cannot be linked to themselves, so take that link off (or ask the agency that recorded it) before merging.');
  return problems;
}

export async function mergePeople(trx: Transaction<DB>, keptId: string, mergedId: string, reason: string, userId: string | null): Promise<{ mergeId: string } | { problems: string[] }> {
  const problems = await conflicts(trx, keptId, mergedId);
  if (problems.length) return { problems };
  const moved: { table: string; column?: string; ids: string[] }[] = [];
  for (const { table, column } of PERSON_COLUMNS) {
    const rows = await sql<{ id: string }>`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${keptId} WHERE ${sql.ref(column)} = ${mergedId} RETURNING id`.execute(trx);
    if (rows.rows.length) moved.push({ table, ...(column === 'person_id' ? {} : { column }), ids: rows.rows.map((r) => r.id) });
  }
  await trx.updateTable('person').set({ merged_into: keptId, version: sql`version + 1` }).where('id', '=', mergedId).execute();
  const merge = await trx
    .insertInto('person_merge')
    .values({ kept_id: keptId, merged_id: mergedId, reason, moved: JSON.stringify(moved), merged_by: userId })
    .returning('id')
    .executeTakeFirstOrThrow();
  await refreshMatchKeys(trx, [keptId]);
  return { mergeId: merge.id };
}

export async function undoMerge(trx: Transaction<DB>, mergeId: string, userId: string | null): Promise<{ keptId: string; mergedId: string } | undefined> {
  const merge = await trx.selectFrom('person_merge').selectAll().where('id', '=', mergeId).where('undone_at', 'is', null).forUpdate().executeTakeFirst();
  if (!merge) return undefined;
  for (const { table, column = 'person_id', ids } of merge.moved as { table: string; column?: string; ids: string[] }[]) {
    if (!PERSON_COLUMNS.some((c) => c.table === table && c.column === column)) throw new Error(`Unknown column in merge ${mergeId}: ${table}.${column}`);
    await sql`UPDATE ${sql.table(table)} SET ${sql.ref(column)} = ${merge.merged_id} WHERE id IN (${sql.join(ids)}) AND ${sql.ref(column)} = ${merge.kept_id}`.execute(trx);
  }
  await trx.updateTable('person').set({ merged_into: null, version: sql`version + 1` }).where('id', '=', merge.merged_id).execute();
  await trx.updateTable('person_merge').set({ undone_at: new Date(), undone_by: userId }).where('id', '=', mergeId).execute();
  await refreshMatchKeys(trx, [merge.kept_id, merge.merged_id]);
  return { keptId: merge.kept_id, mergedId: merge.merged_id };
}
