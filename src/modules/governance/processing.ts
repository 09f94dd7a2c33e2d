// What we hold (issue 21): the record of processing (UK GDPR Article 30) a
// DPIA needs, made from the code itself. Each category names the tables
// that hold it; the columns are read from the database's own catalogue, the
// purpose from the purposes every audit event records, the sharing from the
// agreements in force today and the period from the retention schedule. A
// test fails when a table that names a person is in no category, so a new
// kind of record cannot go unlisted.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import { PURPOSES, type Purpose } from '../../platform/purposes.ts';
import { londonToday } from '../../platform/time.ts';
import { SHARING_PURPOSES, type SharingPurpose } from './agreements.ts';
import { RETENTION_KINDS, TRIGGERS, type RetentionKindCode, type Trigger } from './retention.ts';

const PUBLIC_TASK = 'Article 6(1)(e) public task (Crime and Disorder Act 1998 s17 and s115; Children Act 2004 s10 and s11; Police, Crime, Sentencing and Courts Act 2022 Part 2, the serious violence duty)';
const SAFEGUARDING = 'Article 9(2)(g) with Schedule 1 paragraph 18 (safeguarding of children and individuals at risk)';
const CRIMINAL = 'Article 10 with Schedule 1 paragraph 10 (preventing or detecting unlawful acts)';

interface Category {
  name: string;
  tables: string[];
  purpose: Purpose;
  basis: string[];
  /** The sharing purpose an agreement must cover for it to leave its agency; null when it stays with the agency that recorded it. */
  shared: SharingPurpose | null;
  /** The retention rules its records are kept under (none yet: an empty list). */
  retention: RetentionKindCode[];
}

export const CATEGORIES: Category[] = [
  { name: 'Young people’s identity: names, aliases, dates of birth, addresses, identifiers, safety markers', tables: ['person', 'person_alias', 'person_address', 'person_identifier', 'person_marker'], purpose: 'casework', basis: [PUBLIC_TASK, SAFEGUARDING], shared: 'incident_sharing', retention: [] },
  { name: 'Incidents and each person’s part in them', tables: ['incident', 'involvement'], purpose: 'urgent_response', basis: [PUBLIC_TASK, CRIMINAL], shared: 'incident_sharing', retention: ['incident'] },
  { name: 'Urgent responses: clocks, contact attempts, consent and lawful bases, needs, MASH referrals', tables: ['urgent_response', 'contact_attempt', 'consent', 'lawful_basis', 'needs_assessment', 'mash_referral', 'sharing_decision'], purpose: 'urgent_response', basis: [PUBLIC_TASK, SAFEGUARDING], shared: 'incident_sharing', retention: ['urgent_response'] },
  { name: 'Referrals to services', tables: ['referral'], purpose: 'casework', basis: [PUBLIC_TASK, SAFEGUARDING], shared: 'referral', retention: ['referral'] },
  { name: 'Casework episodes: notes, goals and outcome measures', tables: ['episode', 'episode_note', 'episode_goal', 'outcome_measure'], purpose: 'casework', basis: [PUBLIC_TASK, SAFEGUARDING], shared: 'referral', retention: ['episode'] },
  { name: 'Families and agency involvement', tables: ['family_member', 'person_involvement', 'cohort_membership'], purpose: 'casework', basis: [PUBLIC_TASK, SAFEGUARDING], shared: null, retention: [] },
  { name: 'Network links, police intelligence and contextual safeguarding', tables: ['association', 'context_assessment', 'context_link'], purpose: 'network', basis: [PUBLIC_TASK, SAFEGUARDING, CRIMINAL], shared: null, retention: ['association', 'intelligence', 'context_assessment'] },
  { name: 'Meetings and panels: referrals and agenda items about a person', tables: ['meeting_referral', 'meeting_item'], purpose: 'meeting', basis: [PUBLIC_TASK, SAFEGUARDING], shared: 'meeting', retention: [] },
  { name: 'Orders, conditions and possible breaches', tables: ['court_order', 'possible_breach'], purpose: 'enforcement', basis: [PUBLIC_TASK, CRIMINAL], shared: 'action', retention: [] },
  { name: 'Missing episodes, NRM referrals and time out of school', tables: ['missing_episode', 'nrm_referral', 'education_event'], purpose: 'exploitation', basis: [PUBLIC_TASK, SAFEGUARDING], shared: null, retention: [] },
  { name: 'Intelligence products for named agencies, kept as made (they may name people)', tables: ['product'], purpose: 'analysis', basis: [PUBLIC_TASK, CRIMINAL], shared: 'meeting', retention: ['product'] },
  { name: 'Imported police.uk street crime (anonymised by the police)', tables: ['crime_record'], purpose: 'analysis', basis: [PUBLIC_TASK], shared: null, retention: ['crime_record'] },
  { name: 'Imported police.uk stop and search (anonymised by the police)', tables: ['stop_search'], purpose: 'analysis', basis: [PUBLIC_TASK], shared: null, retention: ['stop_search'] },
  { name: 'Imported A&E assaults (ISTV, anonymised by the hospital)', tables: ['ae_attendance'], purpose: 'analysis', basis: [PUBLIC_TASK], shared: null, retention: ['ae_attendance'] },
  { name: 'Information governance: subject access and other data rights requests, legal holds, emergency access', tables: ['subject_access_request', 'subject_access_redaction', 'rights_request', 'legal_hold', 'break_glass'], purpose: 'governance', basis: ['Article 6(1)(c) legal obligation (UK GDPR Articles 5(2), 15 and 30)'], shared: null, retention: [] },
  { name: 'The audit log: who opened or changed what, when and why', tables: ['audit_event'], purpose: 'governance', basis: ['Article 6(1)(c) legal obligation (UK GDPR Article 32; Data Protection Act 2018 s62, logging)'], shared: null, retention: ['audit_event'] },
  { name: 'Staff accounts', tables: ['app_user', 'session'], purpose: 'administration', basis: ['Article 6(1)(e) public task, and 6(1)(c) for security (UK GDPR Article 32)'], shared: null, retention: [] },
];

const HOUSEKEEPING = new Set(['id', 'version', 'created_at', 'updated_at', 'created_by', 'updated_by', 'recorded_by', 'recorded_at', 'match_keys', 'merged_into', 'submission_key']);

export interface ProcessingRow {
  category: string;
  holds: string;
  purpose: string;
  basis: string;
  sharedWith: string;
  keptFor: string;
}

/** The record of processing as it stands today. */
export async function whatWeHold(db: Kysely<DB>, today = londonToday()): Promise<ProcessingRow[]> {
  const { rows: columns } = await sql<{ table_name: string; column_name: string }>`SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`.execute(db);
  const [rules, agreements, agencies] = await Promise.all([
    db.selectFrom('retention_rule').selectAll().execute(),
    db.selectFrom('sharing_agreement').select(['party_agency_ids', 'purposes']).where('starts_on', '<=', today).where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', today)])).execute(),
    db.selectFrom('agency').select(['id', 'name']).execute(),
  ]);
  const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
  return CATEGORIES.map((c) => {
    const held = columns.filter((col) => c.tables.includes(col.table_name) && !HOUSEKEEPING.has(col.column_name) && !col.column_name.endsWith('_id')).map((col) => col.column_name.replace(/_/g, ' '));
    const parties = c.shared ? [...new Set(agreements.filter((a) => a.purposes.includes(c.shared!)).flatMap((a) => a.party_agency_ids.map((id) => agencyName.get(id) ?? id)))].sort() : [];
    const kept = c.retention.flatMap((kind) => {
      const rule = rules.find((r) => r.kind === kind);
      return rule ? [`${c.retention.length > 1 ? `${RETENTION_KINDS[kind].label}: ` : ''}${rule.months} months from ${TRIGGERS[rule.trigger as Trigger].toLowerCase()}; then ${RETENTION_KINDS[kind].disposal.toLowerCase()}. ${rule.policy}`] : [];
    });
    return {
      category: c.name,
      holds: [...new Set(held)].join(', '),
      purpose: PURPOSES[c.purpose],
      basis: c.basis.join('; '),
      sharedWith: !c.shared ? 'Not shared beyond the agency that recorded it, except by emergency access or a subject access request' : parties.length ? `${SHARING_PURPOSES[c.shared]}, under agreements in force with: ${parties.join(', ')}` : `${SHARING_PURPOSES[c.shared]}: no agreement is in force, so nothing is shared`,
      keptFor: kept.length ? kept.join(' ') : 'No retention rule yet: kept until one is set on the Retention page',
    };
  });
}
