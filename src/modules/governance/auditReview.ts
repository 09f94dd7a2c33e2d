// Audit review (issue 21): the information governance officer's rules for
// unusual access, each with its threshold, run over a period of the audit
// log, each finding leading to the audit rows behind it. The rules flag for
// a person to look at; they judge no one.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/schema.ts';

type Db = Kysely<DB> | Transaction<DB>;

/** Partnership policy: thresholds the information governance officer agreed with the data protection officer. */
export const REVIEW_THRESHOLDS = {
  /** Different people one user opened within one clock hour. */
  peoplePerHour: 30,
  /** Office hours in London, on weekdays: access outside them is listed. */
  dayStartsHour: 7,
  dayEndsHour: 20,
} as const;

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

/** Each rule over [from, to): findings newest first, at most 200 each. */
export async function reviewAudit(db: Db, from: Date, to: Date): Promise<Record<'peoplePerHour' | 'outOfHours' | 'breakGlass' | 'noOpenWork', Finding[]>> {
  const t = REVIEW_THRESHOLDS;
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
