// Retention (issue 21): each kind of record is kept for a period after a
// trigger (closure, last activity, the young person's 25th birthday, or when
// it happened), under a policy the information governance officer names.
// What is past its time is listed for their approval; approved records are
// then removed by the sweep, a batch per transaction so the service is never
// held up, with whatever hangs off them, leaving an audit event that says
// what was removed and under which rule, never what it said. A legal hold
// (on a person, on everyone in an incident, or on a whole kind) stops it.
//
// One query decides what is due (`dueQuery`): the page lists it, approval
// takes it, and removal asks it again for the approved keys, so a record
// reopened, put on hold or given a longer period after approval is kept.
import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { recordAudits, type Actor } from '../../platform/audit.ts';
import { claimVersion } from '../../platform/versions.ts';
import { londonDayStart, londonToday } from '../../platform/time.ts';
import { expireAudit, type Expiry } from '../../platform/auditExpiry.ts';
import type { AnchorConfig } from '../../platform/auditAnchor.ts';
import { FormErrors, choice, decimal, text, type Body } from '../../platform/forms.ts';

type Db = Kysely<DB> | Transaction<DB>;

export const TRIGGERS = {
  closed: 'When it was closed or ended',
  last_activity: 'The last time anything was recorded on it',
  birthday_25: 'The young person’s 25th birthday, or its closure if that is later',
  recorded: 'The month it was recorded for',
  occurred: 'When it happened',
} as const;
export type Trigger = keyof typeof TRIGGERS;

interface RetentionKind {
  label: string;
  /** What removal does, in words: deleted or anonymised, and what goes with it. */
  disposal: string;
  triggers: Trigger[];
  /** A record at a time, or (imported data) a month at a time. */
  unit: 'record' | 'month';
  /** Each candidate's key, records, the people it is about (for holds), what it is (no personal data) and its trigger day; only these keys when given (by the records' own index). */
  candidates(trigger: Trigger, keys?: string[]): RawBuilder<unknown>;
  /** Removes these keys and everything hanging off them; returns, per key, how many rows went from each table. */
  remove(trx: Transaction<DB>, keys: string[]): Promise<Removed>;
  /** Removed by the database owner's command, not the sweep (the audit log: the service may only add to it). */
  byOwner?: true;
}

type Removed = Map<string, Record<string, number>>;

/** Tallies deleted rows by the key each belongs to, under the table's name. */
function tally(removed: Removed, table: string, rows: { key: string | null }[]): void {
  for (const { key } of rows) {
    if (key === null) continue;
    const counts = removed.get(key) ?? {};
    counts[table] = (counts[table] ?? 0) + 1;
    removed.set(key, counts);
  }
}

/** Only these records, by their primary key (so removal finds a batch by index, not by scanning every candidate). */
const only = (alias: string, keys: string[] | undefined) => (keys ? sql`AND ${sql.ref(`${alias}.id`)} = ANY(${keys}::uuid[])` : sql``);

/** The 25th-birthday trigger: the later of the young person's (alias p) 25th birthday and the day the record closed. */
const birthday25 = (closed: RawBuilder<unknown>) => sql`GREATEST(${closed}, (p.date_of_birth + interval '25 years')::date)`;

/** Months of imported data: the month's rows go together. */
function importedMonths(table: 'crime_record' | 'stop_search' | 'ae_attendance' | 'audit_event', label: string, month: RawBuilder<string>): RetentionKind {
  return {
    label,
    disposal: 'Deleted: every row for the month',
    triggers: ['recorded'],
    unit: 'month',
    candidates: (_trigger, keys) => sql`SELECT to_char(m, 'YYYY-MM') AS key, n AS records, '{}'::uuid[] AS person_ids, ${label + ' for '} || to_char(m, 'FMMonth YYYY') AS about, m AS trigger_on
      FROM (SELECT ${month} AS m, count(*)::int AS n FROM ${sql.table(table)} ${keys ? sql`WHERE ${month} = ANY(${keys.map((k) => `${k}-01`)}::date[])` : sql``} GROUP BY 1) g`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      for (const key of keys) {
        const gone = await trx.deleteFrom(table).where(sql<boolean>`${month} = ${`${key}-01`}::date`).executeTakeFirst();
        removed.set(key, { [table]: Number(gone.numDeletedRows) });
      }
      return removed;
    },
  };
}

/** Network links: police intelligence (graded) or the rest, each under its own rule. */
function links(label: string, graded: boolean): RetentionKind {
  return {
    label,
    disposal: 'Deleted, with any possible order breach it raised and that breach’s reminders; an agenda item about the breach keeps its words',
    triggers: ['closed', 'last_activity'],
    unit: 'record',
    candidates: (trigger, keys) => sql`SELECT l.id::text AS key, 1 AS records, array_remove(ARRAY[l.person_id, l.other_person_id], NULL) AS person_ids,
        'Link (' || replace(l.link_type, '_', ' ') || ') recorded by ' || a.name || ' on ' || to_char(l.recorded_at, 'FMDD FMMonth YYYY') AS about,
        ${
          trigger === 'closed'
            ? sql`coalesce(l.valid_to, l.removed_at::date)`
            : sql`GREATEST(l.recorded_at::date, l.reviewed_at::date, l.removed_at::date, l.valid_to)`
        } AS trigger_on
      FROM association l JOIN agency a ON a.id = l.agency_id WHERE l.source_evaluation IS ${graded ? sql`NOT NULL` : sql`NULL`} ${only('l', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      const breaches = trx.selectFrom('possible_breach').select('id').where('association_id', 'in', keys);
      await trx.updateTable('meeting_item').set({ possible_breach_id: null }).where('possible_breach_id', 'in', breaches).execute();
      tally(
        removed,
        'notification',
        await trx.deleteFrom('notification').using('possible_breach').whereRef('possible_breach.id', '=', 'notification.possible_breach_id').where('possible_breach.association_id', 'in', keys).returning('possible_breach.association_id as key').execute(),
      );
      tally(removed, 'possible_breach', await trx.deleteFrom('possible_breach').where('association_id', 'in', keys).returning('association_id as key').execute());
      tally(removed, 'association', await trx.deleteFrom('association').where('id', 'in', keys).returning('id as key').execute());
      return removed;
    },
  };
}

export const RETENTION_KINDS = {
  episode: {
    label: 'Casework episodes, with their notes, goals and outcome measures',
    disposal: 'Deleted, with its notes, goals and outcome measures; a referral made from it no longer names it',
    triggers: ['closed', 'last_activity', 'birthday_25'],
    unit: 'record',
    candidates: (trigger, keys) => sql`SELECT e.id::text AS key, 1 AS records, ARRAY[e.person_id] AS person_ids,
        'Episode with ' || s.name || ' (' || a.name || '), closed ' || to_char(e.closed_on, 'FMDD FMMonth YYYY') AS about,
        ${
          trigger === 'birthday_25'
            ? birthday25(sql`e.closed_on`)
            : trigger === 'last_activity'
              ? sql`GREATEST(e.closed_on, (SELECT max(n.recorded_at) FROM episode_note n WHERE n.episode_id = e.id)::date)`
              : sql`e.closed_on`
        } AS trigger_on
      FROM episode e JOIN service s ON s.id = e.service_id JOIN agency a ON a.id = e.agency_id JOIN person p ON p.id = e.person_id
      WHERE e.closed_on IS NOT NULL ${only('e', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      await trx.updateTable('referral').set({ from_episode_id: null }).where('from_episode_id', 'in', keys).execute();
      for (const table of ['episode_note', 'episode_goal', 'outcome_measure'] as const) tally(removed, table, await trx.deleteFrom(table).where('episode_id', 'in', keys).returning('episode_id as key').execute());
      tally(removed, 'episode', await trx.deleteFrom('episode').where('id', 'in', keys).returning('id as key').execute());
      return removed;
    },
  },
  referral: {
    label: 'Referrals that did not lead to a case (declined, withdrawn or ended)',
    disposal: 'Deleted',
    triggers: ['closed', 'birthday_25'],
    unit: 'record',
    candidates: (trigger, keys) => sql`SELECT r.id::text AS key, 1 AS records, ARRAY[r.person_id] AS person_ids,
        'Referral ' || r.reference || ' to ' || s.name || ', ' || r.status AS about,
        ${trigger === 'birthday_25' ? birthday25(sql`coalesce(r.decided_at, r.sent_at)::date`) : sql`coalesce(r.decided_at, r.sent_at)::date`} AS trigger_on
      FROM referral r JOIN service s ON s.id = r.service_id JOIN person p ON p.id = r.person_id
      WHERE r.status IN ('declined', 'withdrawn', 'ended') AND NOT EXISTS (SELECT 1 FROM episode e WHERE e.referral_id = r.id) ${only('r', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      tally(removed, 'referral', await trx.deleteFrom('referral').where('id', 'in', keys).returning('id as key').execute());
      return removed;
    },
  },
  association: links('Network links (associations between people, groups and places), other than police intelligence', false),
  intelligence: links('Police intelligence: network links graded under the 3x5x2 model', true),
  urgent_response: {
    label: 'Urgent responses, with their contact attempts, consent, lawful bases, needs and plan reviews',
    disposal: 'Deleted, with its contact attempts, consents, lawful bases, MASH referrals, needs assessments, plan reviews, meeting referrals and reminders; actions, referrals and agenda items made from it keep their words but no longer name it',
    triggers: ['closed', 'birthday_25'],
    unit: 'record',
    candidates: (trigger, keys) => sql`SELECT r.id::text AS key, 1 AS records, ARRAY[r.person_id] AS person_ids,
        'Urgent response ' || r.reference || ' (' || a.name || '), closed ' || to_char(r.closed_at AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY') AS about,
        ${trigger === 'birthday_25' ? birthday25(sql`(r.closed_at AT TIME ZONE 'Europe/London')::date`) : sql`(r.closed_at AT TIME ZONE 'Europe/London')::date`} AS trigger_on
      FROM urgent_response r JOIN agency a ON a.id = r.agency_id JOIN person p ON p.id = r.person_id
      WHERE r.status = 'closed' AND r.closed_at IS NOT NULL ${only('r', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      // What other records made from it keep, without the link.
      const meetingReferrals = trx.selectFrom('meeting_referral').select('id').where('urgent_response_id', 'in', keys);
      await trx.updateTable('meeting_item').set({ referral_id: null }).where('referral_id', 'in', meetingReferrals).execute();
      await trx.updateTable('meeting_item').set({ urgent_response_id: null }).where('urgent_response_id', 'in', keys).execute();
      await trx.updateTable('action').set({ urgent_response_id: null }).where('urgent_response_id', 'in', keys).execute();
      await trx.updateTable('referral').set({ urgent_response_id: null }).where('urgent_response_id', 'in', keys).execute();
      for (const table of ['urgent_response_incident', 'contact_attempt', 'notification', 'consent', 'lawful_basis', 'mash_referral', 'needs_assessment', 'risk_plan_review', 'meeting_referral'] as const) {
        tally(removed, table, await trx.deleteFrom(table).where('urgent_response_id', 'in', keys).returning('urgent_response_id as key').execute());
      }
      tally(removed, 'urgent_response', await trx.deleteFrom('urgent_response').where('id', 'in', keys).returning('id as key').execute());
      return removed;
    },
  },
  incident: {
    label: 'Incidents: who was involved and what the record says about them',
    disposal: 'Anonymised: the people involved, the narrative, the place’s description and the source’s reference are removed; the type, time and map position stay for the partnership’s statistics',
    triggers: ['occurred', 'last_activity'],
    unit: 'record',
    // Not while an urgent response for it is open; an incident already anonymised is not due again.
    candidates: (trigger, keys) => sql`SELECT i.id::text AS key, 1 AS records, ARRAY(SELECT v.person_id FROM involvement v WHERE v.incident_id = i.id) AS person_ids,
        'Incident ' || i.reference || ' (' || t.label || '), ' || to_char(i.occurred_at AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY') AS about,
        (${trigger === 'last_activity' ? sql`GREATEST(i.occurred_at, i.updated_at)` : sql`i.occurred_at`} AT TIME ZONE 'Europe/London')::date AS trigger_on
      FROM incident i JOIN incident_type t ON t.code = i.type_code
      WHERE (i.narrative IS NOT NULL OR EXISTS (SELECT 1 FROM involvement v WHERE v.incident_id = i.id))
        AND NOT EXISTS (SELECT 1 FROM urgent_response_incident ui JOIN urgent_response r ON r.id = ui.urgent_response_id WHERE ui.incident_id = i.id AND r.status <> 'closed') ${only('i', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      tally(removed, 'involvement', await trx.deleteFrom('involvement').where('incident_id', 'in', keys).returning('incident_id as key').execute());
      tally(
        removed,
        'incident (anonymised)',
        await trx.updateTable('incident').set({ narrative: null, source_reference: null, place_description: 'Not kept: anonymised under the retention schedule', submission_key: null }).where('id', 'in', keys).returning('id as key').execute(),
      );
      return removed;
    },
  },
  context_assessment: {
    label: 'Context assessments (places and groups), with their interventions, reviews and links',
    disposal: 'Deleted, with its interventions, reviews, links to people and incidents, and meeting referrals; agenda items from those referrals keep their words',
    triggers: ['closed'],
    unit: 'record',
    candidates: (_trigger, keys) => sql`SELECT c.id::text AS key, 1 AS records, ARRAY(SELECT l.person_id FROM context_link l WHERE l.assessment_id = c.id AND l.person_id IS NOT NULL) AS person_ids,
        'Context assessment by ' || a.name || ', closed ' || to_char(c.closed_at AT TIME ZONE 'Europe/London', 'FMDD FMMonth YYYY') AS about,
        (c.closed_at AT TIME ZONE 'Europe/London')::date AS trigger_on
      FROM context_assessment c JOIN agency a ON a.id = c.agency_id WHERE c.closed_at IS NOT NULL ${only('c', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      const meetingReferrals = trx.selectFrom('meeting_referral').select('id').where('context_assessment_id', 'in', keys);
      await trx.updateTable('meeting_item').set({ referral_id: null }).where('referral_id', 'in', meetingReferrals).execute();
      tally(removed, 'meeting_referral', await trx.deleteFrom('meeting_referral').where('context_assessment_id', 'in', keys).returning('context_assessment_id as key').execute());
      for (const table of ['context_intervention', 'context_review', 'context_link'] as const) tally(removed, table, await trx.deleteFrom(table).where('assessment_id', 'in', keys).returning('assessment_id as key').execute());
      tally(removed, 'context_assessment', await trx.deleteFrom('context_assessment').where('id', 'in', keys).returning('id as key').execute());
      return removed;
    },
  },
  crime_record: importedMonths('crime_record', 'police.uk street-level crime', sql<string>`month`),
  stop_search: importedMonths('stop_search', 'police.uk stop and search', sql<string>`date_trunc('month', searched_at AT TIME ZONE 'Europe/London')::date`),
  ae_attendance: importedMonths('ae_attendance', 'A&E assaults (ISTV)', sql<string>`date_trunc('month', reporting_period)::date`),
  product: {
    label: 'Intelligence products made for named agencies (they name people and keep their content as made)',
    disposal: 'Deleted, content and all; products for the whole partnership hold counts only and are not on this schedule',
    triggers: ['recorded'],
    unit: 'record',
    candidates: (_trigger, keys) => sql`SELECT x.id::text AS key, 1 AS records, '{}'::uuid[] AS person_ids,
        x.title || ' (' || a.name || '), covering ' || to_char(x.period_from, 'FMMonth YYYY') || ' to ' || to_char(x.period_to, 'FMMonth YYYY') AS about,
        x.period_to AS trigger_on
      FROM product x JOIN agency a ON a.id = x.agency_id WHERE x.audience = 'restricted' ${only('x', keys)}`,
    remove: async (trx, keys) => {
      const removed: Removed = new Map();
      tally(removed, 'product', await trx.deleteFrom('product').where('id', 'in', keys).returning('id as key').execute());
      return removed;
    },
  },
  audit_event: {
    ...importedMonths('audit_event', 'Audit events', sql<string>`date_trunc('month', at AT TIME ZONE 'Europe/London')::date`),
    label: 'The audit log: who opened or changed what, when and why',
    disposal: 'Deleted a month at a time by the database owner with “reachable audit expire” (the service itself can only add to the log), after a signed checkpoint records where each lane of the log now starts, so “reachable audit verify” still passes',
    byOwner: true,
  },
} satisfies Record<string, RetentionKind>;
export type RetentionKindCode = keyof typeof RETENTION_KINDS;
export const RETENTION_KIND_CODES = Object.keys(RETENTION_KINDS) as RetentionKindCode[];
const kindOf = (code: RetentionKindCode): RetentionKind => RETENTION_KINDS[code];

export type Rule = { kind: string; months: number; trigger: Trigger; policy: string };

export function rules(db: Db) {
  return db.selectFrom('retention_rule').selectAll().orderBy('kind').execute();
}

/** The hold that keeps a candidate (its matter), if any: on the kind, on one of its people, or on an incident one of them was in. */
const heldBy = (kind: string) => sql<string | null>`(SELECT h.matter FROM legal_hold h WHERE h.lifted_at IS NULL AND (h.kind = ${kind}
  OR h.person_id = ANY(c.person_ids)
  OR h.incident_id IN (SELECT i.incident_id FROM involvement i WHERE i.person_id = ANY(c.person_ids))) ORDER BY h.placed_at LIMIT 1)`;

export interface DueRecord {
  key: string;
  records: number;
  about: string;
  due_on: string;
  held_by: string | null;
  approved_at: Date | null;
}

/** What is past its time under this rule today (optionally only these keys), oldest first, each with the hold keeping it. */
export function dueQuery(db: Db, rule: Rule, today: string, options: { keys?: string[]; limit?: number; offset?: number } = {}) {
  const kind = kindOf(rule.kind as RetentionKindCode);
  // The newest trigger day that is due today: a period of `months` after it has run out.
  const cutoff = sql`(${today}::date - make_interval(months => ${rule.months}))::date`;
  return sql<DueRecord>`SELECT c.key, c.records, c.about, (c.trigger_on + make_interval(months => ${rule.months}))::date::text AS due_on,
      ${heldBy(rule.kind)} AS held_by, d.approved_at
    FROM (${kind.candidates(rule.trigger, options.keys)}) c
    LEFT JOIN retention_due d ON d.kind = ${rule.kind} AND d.key = c.key
    WHERE c.trigger_on <= ${cutoff}
    ORDER BY c.trigger_on, c.key
    ${options.limit ? sql`LIMIT ${options.limit} OFFSET ${options.offset ?? 0}` : sql``}`.execute(db).then((r) => r.rows);
}

/** How many records of one kind are due, held and approved today under its rule. */
async function dueCounts(db: Db, rule: Rule, today: string) {
  const rows = await dueQuery(db, rule, today);
  const records = (keep: (r: DueRecord) => unknown) => rows.filter(keep).reduce((n, r) => n + r.records, 0);
  return { due: records(() => true), held: records((r) => r.held_by), approved: records((r) => r.approved_at) };
}
export type DueCounts = Awaited<ReturnType<typeof dueCounts>>;

export function readRule(body: Body, errors: FormErrors, kind: RetentionKindCode): Omit<Rule, 'kind'> | null {
  const months = decimal(body, 'months', errors, { label: 'The period in months', min: 0, max: 1200, required: true });
  if (months !== null && !Number.isInteger(months)) errors.add('months', 'The period in months must be a whole number, like 72');
  const trigger = choice(body, 'trigger', errors, kindOf(kind).triggers, 'Select what the period runs from');
  const policy = text(body, 'policy', errors, { label: 'The policy', required: true, max: 500, missing: 'Enter the policy the period comes from' });
  return months === null || !trigger || !policy || errors.any ? null : { months, trigger, policy };
}

/** Changes a kind's period, trigger and policy from the version the form read. */
export async function changeRule(trx: Transaction<DB>, actor: { userId: string }, id: string, version: number | null, input: Omit<Rule, 'kind'>): Promise<void> {
  await claimVersion(trx, 'retention_rule', id, version);
  await trx.updateTable('retention_rule').set({ months: input.months, trigger: input.trigger, policy: input.policy, changed_by: actor.userId, changed_at: new Date() }).where('id', '=', id).execute();
  // Today's look counted under the old rule: the sweep looks again.
  await trx.deleteFrom('retention_check').where('day', '=', londonToday()).execute();
}

/** Approves removal of everything of this kind due today and not held; returns how many records. */
export async function approveDue(trx: Transaction<DB>, actor: { userId: string }, kind: RetentionKindCode, today = londonToday()): Promise<number> {
  const rule = await trx.selectFrom('retention_rule').selectAll().where('kind', '=', kind).executeTakeFirstOrThrow();
  const rows = (await dueQuery(trx, rule as Rule, today)).filter((r) => !r.held_by && !r.approved_at);
  for (let i = 0; i < rows.length; i += 1000) {
    await trx
      .insertInto('retention_due')
      .values(rows.slice(i, i + 1000).map((r) => ({ kind, key: r.key, records: r.records, due_on: r.due_on, approved_by: actor.userId, approved_at: new Date() })))
      .onConflict((oc) => oc.columns(['kind', 'key']).doNothing())
      .execute();
  }
  return rows.reduce((n, r) => n + r.records, 0);
}

/** Records (case records) per transaction when removing; imported data goes a month per transaction. */
export const REMOVAL_BATCH = 200;

/**
 * Removes approved records that are still due and not held, a batch per
 * transaction, each with its audit event (the approver's, naming the rule
 * and counts: no content). An approval no longer due is dropped: the record
 * comes back to the list if it falls due again.
 */
export async function removeApproved(db: Kysely<DB>, now = new Date(), onBatch?: (kind: string, removed: number) => void): Promise<number> {
  const today = londonToday(now);
  let removed = 0;
  for (const rule of await rules(db)) {
    const kind = kindOf(rule.kind as RetentionKindCode);
    if (kind.byOwner) continue;
    for (;;) {
      const done = await db.transaction().execute(async (trx) => {
        // SKIP LOCKED: a second sweep (or instance) takes other rows, never the same ones.
        const approved = await trx
          .selectFrom('retention_due')
          .select(['key', 'approved_by'])
          .where('kind', '=', rule.kind)
          .where('approved_at', 'is not', null)
          .orderBy('due_on')
          .limit(kind.unit === 'month' ? 1 : REMOVAL_BATCH)
          .forUpdate()
          .skipLocked()
          .execute();
        if (approved.length === 0) return null;
        const keys = approved.map((a) => a.key);
        const still = (await dueQuery(trx, rule as Rule, today, { keys })).filter((r) => !r.held_by);
        const gone = still.map((r) => r.key);
        const counts = still.length ? await kind.remove(trx, still.map((r) => r.key)) : new Map();
        await trx.deleteFrom('retention_due').where('kind', '=', rule.kind).where('key', 'in', keys).execute();
        // One event per record (a month of imported data) removed, in its approver's name: its id, the rule and what went with it, never its content.
        const approver = new Map(approved.map((a) => [a.key, a.approved_by]));
        for (const userId of new Set(still.map((r) => approver.get(r.key) ?? null))) {
          const entries = still
            .filter((r) => (approver.get(r.key) ?? null) === userId)
            .map((r) => ({ action: 'retention.remove', recordType: rule.kind, recordId: r.key, detail: { rule: { months: rule.months, trigger: rule.trigger }, dueOn: r.due_on, rows: counts.get(r.key) ?? {} } }));
          await recordAudits(trx, { userId } satisfies Actor, entries);
        }
        return still.reduce((n, r) => n + r.records, 0);
      });
      if (done === null) break;
      removed += done;
      onBatch?.(rule.kind, done);
    }
  }
  return removed;
}

/** The sweep's daily look: what is due today, kind by kind, kept once a day for the Retention page (and safe to run twice). */
export async function checkRetention(db: Kysely<DB>, now = new Date()): Promise<number | null> {
  const day = londonToday(now);
  const seen = await db.selectFrom('retention_check').select('day').where('day', '=', day).executeTakeFirst();
  if (seen) return null;
  const t0 = performance.now();
  const byKind: Record<string, DueCounts> = {};
  for (const rule of await rules(db)) byKind[rule.kind] = await dueCounts(db, rule as Rule, day);
  const found = Object.values(byKind).reduce((n, k) => n + k.due - k.approved, 0);
  await db.insertInto('retention_check').values({ day, found, took_ms: Math.round(performance.now() - t0), by_kind: JSON.stringify(byKind) }).onConflict((oc) => oc.column('day').doNothing()).execute();
  return found;
}

/** The Retention page's figures: the last daily look per kind, with approvals as they stand now (approving changes them at once). */
export async function lastCheck(db: Db) {
  const [check, approved] = await Promise.all([
    db.selectFrom('retention_check').selectAll().orderBy('day', 'desc').limit(1).executeTakeFirst(),
    db.selectFrom('retention_due').select(['kind', (eb) => eb.fn.sum<string>('records').as('n')]).where('approved_at', 'is not', null).groupBy('kind').execute(),
  ]);
  const approvedNow = new Map(approved.map((a) => [a.kind, Number(a.n)]));
  const ruleRows = await rules(db);
  return {
    check,
    kinds: ruleRows.map((rule) => ({ rule, ...kindOf(rule.kind as RetentionKindCode), counted: check?.by_kind[rule.kind] ?? null, approved: approvedNow.get(rule.kind) ?? 0 })),
  };
}

/**
 * The database owner's part (`reachable audit expire`): removes the months of
 * the audit log the officer approved that are still due and not held, as one
 * prefix of the log behind a signed cut. Null when none are approved.
 */
export async function removeApprovedAudit(db: Kysely<DB>, config: AnchorConfig, now = new Date()): Promise<(Expiry & { months: string[] }) | null> {
  const rule = await db.selectFrom('retention_rule').selectAll().where('kind', '=', 'audit_event').executeTakeFirstOrThrow();
  const approved = await db.selectFrom('retention_due').select('key').where('kind', '=', 'audit_event').where('approved_at', 'is not', null).execute();
  if (approved.length === 0) return null;
  const months = (await dueQuery(db, rule as Rule, londonToday(now), { keys: approved.map((a) => a.key) })).filter((r) => !r.held_by).map((r) => r.key).sort();
  if (months.length === 0) return null;
  // Everything before the first day after the newest approved month: the older months are due too, so this is a prefix of the log.
  const [y, m] = months.at(-1)!.split('-').map(Number);
  const before = londonDayStart(`${m === 12 ? y + 1 : y}-${String((m % 12) + 1).padStart(2, '0')}-01`);
  const result = await expireAudit(db, config, before, now);
  if (!('refused' in result)) await db.deleteFrom('retention_due').where('kind', '=', 'audit_event').where('key', 'in', approved.map((a) => a.key)).execute();
  return { ...result, months };
}
