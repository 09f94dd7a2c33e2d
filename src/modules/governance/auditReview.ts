// Audit review (issue 21): the information governance officer's rules for
// unusual access, each with its threshold, run over a period of the audit
// log, each finding leading to the audit rows behind it. The rules flag for
// a person to look at; they judge no one.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { FormErrors, decimal, text, type Body } from '../../platform/forms.ts';
import { claimVersion } from '../../platform/versions.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** The partnership's policy, kept by the information governance officer (agreed with the data protection officer). */
export interface Thresholds {
  /** Different people one user opened within one clock hour. */
  peoplePerHour: number;
  /** Office hours in London, on weekdays: access outside them is listed. */
  dayStartsHour: number;
  dayEndsHour: number;
  policy: string;
}

/** The thresholds in force, with who last changed them and the version a form carries. */
export async function reviewThresholds(db: Db) {
  const row = await db
    .selectFrom('audit_review_threshold')
    .leftJoin('app_user', 'app_user.id', 'audit_review_threshold.changed_by')
    .select(['audit_review_threshold.id', 'audit_review_threshold.people_per_hour', 'audit_review_threshold.day_starts_hour', 'audit_review_threshold.day_ends_hour', 'audit_review_threshold.policy', 'audit_review_threshold.changed_at', 'audit_review_threshold.version', 'app_user.display_name as changed_by_name'])
    .executeTakeFirstOrThrow();
  return { id: row.id, version: row.version, changedAt: row.changed_at, changedBy: row.changed_by_name, peoplePerHour: row.people_per_hour, dayStartsHour: row.day_starts_hour, dayEndsHour: row.day_ends_hour, policy: row.policy };
}

const wholeNumber = (body: Body, errors: FormErrors, field: string, label: string, min: number, max: number, example: string) => {
  const n = decimal(body, field, errors, { label, min, max, required: true });
  if (n !== null && !Number.isInteger(n)) errors.add(field, `${label} must be a whole number, like ${example}`);
  return n;
};

export function readThresholds(body: Body, errors: FormErrors): Thresholds | null {
  const peoplePerHour = wholeNumber(body, errors, 'peoplePerHour', 'The number of people in an hour', 2, 1000, '30');
  const dayStartsHour = wholeNumber(body, errors, 'dayStartsHour', 'The hour the working day starts', 0, 23, '7');
  const dayEndsHour = wholeNumber(body, errors, 'dayEndsHour', 'The hour the working day ends', 1, 24, '20');
  if (dayStartsHour !== null && dayEndsHour !== null && !errors.any && dayEndsHour <= dayStartsHour) errors.add('dayEndsHour', 'The working day must end after it starts');
  const policy = text(body, 'policy', errors, { label: 'The policy', required: true, max: 500, missing: 'Enter the policy or agreement the thresholds come from' });
  return peoplePerHour === null || dayStartsHour === null || dayEndsHour === null || !policy || errors.any ? null : { peoplePerHour, dayStartsHour, dayEndsHour, policy };
}

/** Changes the thresholds from the version the form read. */
export async function changeThresholds(trx: Transaction<DB>, actor: { userId: string }, id: string, version: number | null, t: Thresholds): Promise<void> {
  await claimVersion(trx, 'audit_review_threshold', id, version);
  await trx
    .updateTable('audit_review_threshold')
    .set({ people_per_hour: t.peoplePerHour, day_starts_hour: t.dayStartsHour, day_ends_hour: t.dayEndsHour, policy: t.policy, changed_by: actor.userId, changed_at: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Purposes that are casework on a person (not analysis, governance or emergency access, which have rules or reasons of their own). */
const CASEWORK_PURPOSES = ['urgent_response', 'casework', 'network', 'exploitation', 'enforcement', 'meeting'];

export interface Finding {
  user_id: string;
  user_name: string | null;
  agency_name: string | null;
  /** The London day the finding falls on, for the link to its audit rows. */
  day: string;
  what: string;
  events: number;
}

const who = sql`LEFT JOIN app_user u ON u.id = f.user_id LEFT JOIN agency g ON g.id = u.agency_id`;

/** Each rule over [from, to), at the thresholds in force: findings newest first, at most 200 each. */
export async function reviewAudit(db: Db, from: Date, to: Date): Promise<Record<'peoplePerHour' | 'outOfHours' | 'breakGlass' | 'noOpenWork', Finding[]>> {
  const t = await reviewThresholds(db);
  const run = (q: ReturnType<typeof sql<Finding>>) => q.execute(db).then((r) => r.rows.map((x) => ({ ...x, events: Number(x.events) })));
  const [peoplePerHour, outOfHours, breakGlass, noOpenWork] = await Promise.all([
    run(sql<Finding>`SELECT f.user_id, u.display_name AS user_name, g.name AS agency_name, to_char(f.hour AT TIME ZONE 'Europe/London', 'YYYY-MM-DD') AS day,
        f.people || ' different people between ' || to_char(f.hour AT TIME ZONE 'Europe/London', 'HH24:MI') || ' and ' || to_char((f.hour + interval '1 hour') AT TIME ZONE 'Europe/London', 'HH24:MI') AS what, f.events
      FROM (SELECT user_id, date_trunc('hour', at) AS hour, count(DISTINCT person_id) AS people, count(*) AS events FROM audit_event
            WHERE at >= ${from} AND at < ${to} AND user_id IS NOT NULL AND person_id IS NOT NULL AND outcome = 'allowed'
            GROUP BY 1, 2 HAVING count(DISTINCT person_id) >= ${t.peoplePerHour}) f ${who}
      ORDER BY f.hour DESC LIMIT 200`),
    run(sql<Finding>`SELECT f.user_id, u.display_name AS user_name, g.name AS agency_name, f.day::text AS day,
        f.people || ' people opened outside office hours, first at ' || to_char(f.first AT TIME ZONE 'Europe/London', 'HH24:MI') AS what, f.events
      FROM (SELECT user_id, (at AT TIME ZONE 'Europe/London')::date AS day, min(at) AS first, count(DISTINCT person_id) AS people, count(*) AS events FROM audit_event
            WHERE at >= ${from} AND at < ${to} AND user_id IS NOT NULL AND person_id IS NOT NULL AND outcome = 'allowed'
              AND (extract(hour FROM at AT TIME ZONE 'Europe/London') < ${t.dayStartsHour} OR extract(hour FROM at AT TIME ZONE 'Europe/London') >= ${t.dayEndsHour}
                   OR extract(isodow FROM at AT TIME ZONE 'Europe/London') >= 6)
            GROUP BY 1, 2) f ${who}
      ORDER BY f.day DESC LIMIT 200`),
    run(sql<Finding>`SELECT f.user_id, u.display_name AS user_name, g.name AS agency_name, (f.opened_at AT TIME ZONE 'Europe/London')::date::text AS day,
        'Emergency access to ' || f.reference || CASE WHEN f.decision IS NULL THEN ', waiting for review' ELSE ', reviewed: ' || replace(f.decision, '_', ' ') END AS what, 1 AS events
      FROM break_glass f ${who} WHERE f.opened_at >= ${from} AND f.opened_at < ${to} ORDER BY f.opened_at DESC LIMIT 200`),
    run(sql<Finding>`SELECT f.user_id, u.display_name AS user_name, g.name AS agency_name, f.day::text AS day,
        f.people || ' people their agency has no open work with' AS what, f.events
      FROM (SELECT a.user_id, (a.at AT TIME ZONE 'Europe/London')::date AS day, count(DISTINCT a.person_id) AS people, count(*) AS events FROM audit_event a
            WHERE a.at >= ${from} AND a.at < ${to} AND a.user_id IS NOT NULL AND a.person_id IS NOT NULL AND a.outcome = 'allowed'
              AND a.purpose = ANY(${CASEWORK_PURPOSES}::text[]) AND a.action NOT LIKE '%search%' AND a.action NOT LIKE '%candidates%'
              AND NOT EXISTS (SELECT 1 FROM urgent_response r WHERE r.person_id = a.person_id AND r.agency_id = a.agency_id AND r.status = 'open')
              AND NOT EXISTS (SELECT 1 FROM episode e WHERE e.person_id = a.person_id AND e.agency_id = a.agency_id AND e.closed_on IS NULL)
              AND NOT EXISTS (SELECT 1 FROM referral x JOIN service s ON s.id = x.service_id WHERE x.person_id = a.person_id
                              AND (x.from_agency_id = a.agency_id OR s.provider_agency_id = a.agency_id) AND x.status IN ('sent', 'accepted', 'waiting_list', 'started'))
              AND NOT EXISTS (SELECT 1 FROM person p WHERE p.id = a.person_id AND p.agency_id = a.agency_id AND p.created_at >= a.at - interval '1 day')
            GROUP BY 1, 2) f ${who}
      ORDER BY f.day DESC LIMIT 200`),
  ]);
  return { peoplePerHour, outOfHours, breakGlass, noOpenWork };
}
