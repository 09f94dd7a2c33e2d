// The needs assessment (issue 3): each domain with a level of need, the
// young person's strengths and notes. A description of needs to plan
// support around, never a score of the young person. Each save adds rows;
// the newest per domain is the current assessment, older ones its history.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { FormErrors, choice, text, type Body } from '../../platform/forms.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const NEED_DOMAINS = {
  education: 'Education, training and employment',
  family: 'Family and relationships',
  health: 'Physical and mental health',
  substance_use: 'Substance use',
  peers_exploitation: 'Peers and exploitation',
  housing: 'Housing',
  finance: 'Finance',
  offending: 'Offending',
} as const;
export type NeedDomain = keyof typeof NEED_DOMAINS;

export const NEED_LEVELS = { not_assessed: 'Not assessed yet', none: 'No identified need', low: 'Low need', medium: 'Medium need', high: 'High need' } as const;
type NeedLevel = keyof typeof NEED_LEVELS;

export interface NeedInput {
  domain: NeedDomain;
  level: NeedLevel;
  strengths: string | null;
  notes: string | null;
}

/** Every domain of the form; a domain is only saved when something in it changed. */
export function readNeeds(body: Body, errors: FormErrors): NeedInput[] | null {
  const needs = (Object.keys(NEED_DOMAINS) as NeedDomain[]).map((domain) => {
    const label = NEED_DOMAINS[domain];
    const level = choice(body, `${domain}-level`, errors, Object.keys(NEED_LEVELS) as NeedLevel[], `Select the level of need for ${label.toLowerCase()}`);
    const strengths = text(body, `${domain}-strengths`, errors, { label: `Strengths for ${label.toLowerCase()}`, max: 2000 });
    const notes = text(body, `${domain}-notes`, errors, { label: `Notes for ${label.toLowerCase()}`, max: 4000 });
    return { domain, level: level as NeedLevel, strengths, notes };
  });
  return errors.any ? null : needs;
}

export async function currentNeeds(db: Db, responseId: string) {
  const rows = await db
    .selectFrom('needs_assessment')
    .leftJoin('app_user', 'app_user.id', 'needs_assessment.recorded_by')
    .selectAll('needs_assessment')
    .select('app_user.display_name as recorded_by_name')
    .where('urgent_response_id', '=', responseId)
    .orderBy('recorded_at', 'desc')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const row of rows) if (!latest.has(row.domain)) latest.set(row.domain, row);
  return (Object.keys(NEED_DOMAINS) as NeedDomain[]).map((domain) => ({ domain, label: NEED_DOMAINS[domain], current: latest.get(domain) ?? null }));
}
export type CurrentNeeds = Awaited<ReturnType<typeof currentNeeds>>;

/** The domains whose level, strengths or notes differ from the current assessment. */
export function changedNeeds(input: NeedInput[], current: CurrentNeeds): NeedInput[] {
  return input.filter((need) => {
    const was = current.find((c) => c.domain === need.domain)?.current;
    if (!was) return need.level !== 'not_assessed' || need.strengths || need.notes;
    return was.level !== need.level || (was.strengths ?? null) !== need.strengths || (was.notes ?? null) !== need.notes;
  });
}
