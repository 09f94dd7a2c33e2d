// Table types for Kysely, matching migrations/*.sql.
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface SettingTable {
  key: string;
  value: ColumnType<unknown, string, string>;
}

export interface AgencyTable {
  id: Generated<string>;
  name: string;
  kind: string;
  receives_incidents: Generated<boolean>;
  disabled_at: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface AppUserTable {
  id: Generated<string>;
  agency_id: string;
  email: string;
  display_name: string;
  roles: string[];
  password_hash: string | null;
  totp_secret: string | null;
  totp_last_step: number | null;
  setup_token_hash: string | null;
  setup_expires_at: Timestamp | null;
  disabled_at: Timestamp | null;
  last_signed_in_at: Timestamp | null;
  locked_until: Timestamp | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface SignInFailureTable {
  id: Generated<string>;
  user_id: string;
  at: DefaultTimestamp;
}

export interface IdempotencyKeyTable {
  api_client_id: string;
  route: string;
  key: string;
  fingerprint: string;
  created_at: DefaultTimestamp;
}

export interface SharingDecisionTable {
  id: Generated<string>;
  person_id: string;
  to_agency_id: string | null;
  kind: 'consent' | 'refusal' | 'lawful_basis';
  by_whom: 'young_person' | 'parent_carer' | null;
  decided_at: Timestamp;
  purpose: string;
  basis: string | null;
  reason: string | null;
  agency_id: string;
  recorded_by: string | null;
  recorded_by_client: string | null;
  recorded_at: DefaultTimestamp;
  confirmed_by: string | null;
  confirmed_at: Timestamp | null;
  withdrawn_by: string | null;
  withdrawn_at: Timestamp | null;
  version: Generated<number>;
}

export interface PasskeyTable {
  id: Generated<string>;
  user_id: string;
  credential_id: string;
  public_key: string;
  sign_count: Generated<string>;
  transports: Generated<string[]>;
  name: string;
  created_at: DefaultTimestamp;
  last_used_at: Timestamp | null;
  version: Generated<number>;
}

export interface WorkedOutTable {
  key: string;
  state: 'running' | 'done';
  done: Generated<number>;
  total: number;
  result: ColumnType<unknown, string | null | undefined, string | null>;
  started_at: DefaultTimestamp;
  beat_at: DefaultTimestamp;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  stage: 'password' | 'passkey' | 'active';
  via: Generated<string>;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  pending_totp_secret: string | null;
  failed_codes: Generated<number>;
  pending_challenge: string | null;
  confirmation: string | null;
}

export interface ApiClientTable {
  id: Generated<string>;
  agency_id: string;
  name: string;
  role: string;
  secret_hash: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
  version: Generated<number>;
}

export interface AuditEventTable {
  seq: number;
  chain: number;
  position: number;
  at: Timestamp;
  user_id: string | null;
  agency_id: string | null;
  api_client_id: string | null;
  action: string;
  record_type: string | null;
  record_id: string | null;
  person_id: string | null;
  purpose: string | null;
  outcome: 'allowed' | 'denied';
  detail: ColumnType<Record<string, unknown>, string, never>;
  correlation_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface IncidentTypeTable {
  code: string;
  label: string;
  sort: number;
  active: Generated<boolean>;
}

export interface PersonTable {
  id: Generated<string>;
  agency_id: string;
  given_name: string;
  family_name: string;
  date_of_birth: ColumnType<string | null, string | null, string | null>;
  sex: string;
  ethnicity: string;
  address: string | null;
  postcode: string | null;
  gender: string | null;
  school: string | null;
  phone: string | null;
  email: string | null;
  match_keys: ColumnType<string[], string[] | undefined, string[]>;
  merged_into: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface IncidentTable {
  id: Generated<string>;
  reference: string;
  agency_id: string;
  occurred_at: Timestamp;
  notified_at: Timestamp;
  type_code: string;
  weapon: string;
  place_description: string;
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
  borough_code: string | null;
  borough_name: string | null;
  lsoa_code: string | null;
  source_agency_id: string;
  source_reference: string | null;
  narrative: string | null;
  domestic_abuse: Generated<boolean>;
  submission_key: string | null;
  created_by: string | null;
  created_by_client: string | null;
  created_at: DefaultTimestamp;
  updated_by: string | null;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface IncidentShareTable {
  incident_id: string;
  agency_id: string;
}

export interface InvolvementTable {
  id: Generated<string>;
  incident_id: string;
  person_id: string;
  role: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface UrgentResponseTable {
  id: Generated<string>;
  reference: string;
  person_id: string;
  agency_id: string;
  status: Generated<'open' | 'closed'>;
  source: string;
  notified_at: Timestamp;
  custody_booked_at: Timestamp | null;
  custody_suite: string | null;
  custody_notified_at: Timestamp | null;
  owner_id: string | null;
  opened_at: DefaultTimestamp;
  opened_by: string | null;
  opened_how: string;
  opened_reason: Generated<string | null>;
  closed_at: Timestamp | null;
  closed_by: string | null;
  closure_reason: string | null;
  closure_note: string | null;
  version: Generated<number>;
}

export interface UrgentResponseIncidentTable {
  urgent_response_id: string;
  incident_id: string;
  linked_at: DefaultTimestamp;
}

export interface ContactAttemptTable {
  id: Generated<string>;
  urgent_response_id: string;
  attempted_at: Timestamp;
  with_whom: string;
  channel: string;
  outcome: string;
  note: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface NotificationTable {
  id: Generated<string>;
  urgent_response_id: string | null;
  possible_breach_id: string | null;
  critical_incident_id: string | null;
  missing_episode_id: string | null;
  sharing_agreement_id: string | null;
  break_glass_id: string | null;
  clock: string;
  event: string;
  recipient_id: string;
  created_at: DefaultTimestamp;
  sent_via: Generated<string>;
  read_at: Timestamp | null;
  delivered_at: Timestamp | null;
  delivery_reference: string | null;
  delivery_error: string | null;
  delivery_attempts: Generated<number>;
}

export interface ConsentTable {
  id: Generated<string>;
  urgent_response_id: string;
  status: string;
  by_whom: string | null;
  decided_at: Timestamp;
  note: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface LawfulBasisTable {
  id: Generated<string>;
  urgent_response_id: string;
  basis: string;
  reason: string;
  recorded_by: string;
  recorded_at: DefaultTimestamp;
  approved_by: string | null;
  approved_at: Timestamp | null;
}

export interface MashReferralTable {
  id: Generated<string>;
  urgent_response_id: string;
  concern: string;
  referred_at: Timestamp;
  reference: string | null;
  outcome: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface NeedsAssessmentTable {
  id: Generated<string>;
  urgent_response_id: string;
  domain: string;
  level: string;
  strengths: string | null;
  notes: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface MeetingTypeTable {
  code: string;
  name: string;
  description: string;
  agenda_rules: string[];
  interval_days: number;
  default_time: string;
  chair_agency_id: string | null;
  member_agency_ids: Generated<string[]>;
  quorum: Generated<number>;
  rule_settings: Generated<RuleSettings>;
  shipped: Generated<boolean>;
  created_by: string | null;
  created_at: Timestamp | null;
  version: Generated<number>;
}

/** Each agenda rule's parameters, by rule code. */
export type RuleSettings = Record<string, Record<string, number | string | string[]>>;

export interface MissingEpisodeTable {
  id: Generated<string>;
  reference: string;
  person_id: string;
  agency_id: string;
  reporting_agency_id: string;
  reported_by: string;
  police_reference: string | null;
  missing_from: Timestamp;
  reported_at: Timestamp;
  returned_at: Timestamp | null;
  found_where: string | null;
  interview_offered_at: Timestamp | null;
  interview_outcome: string | null;
  interview_by: string | null;
  interview_learned: string | null;
  indicators: Generated<string[]>;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface NrmReferralTable {
  id: Generated<string>;
  reference: string;
  person_id: string;
  agency_id: string;
  kind: string;
  first_responder: string;
  referred_on: DateColumn;
  exploitation: string[];
  reasonable_grounds: string | null;
  reasonable_grounds_on: DateColumn | null;
  conclusive_grounds: string | null;
  conclusive_grounds_on: DateColumn | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface EducationEventTable {
  id: Generated<string>;
  person_id: string;
  agency_id: string;
  kind: string;
  school: string;
  started_on: DateColumn;
  ended_on: DateColumn | null;
  alternative_provision: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface RiskPlanReviewTable {
  id: Generated<string>;
  urgent_response_id: string;
  meeting_item_id: string | null;
  criteria: Record<string, string>;
  rating: string;
  comments: string | null;
  rereview_on: DateColumn;
  reviewed_by: string | null;
  reviewed_at: DefaultTimestamp;
}

export interface ProductTable {
  id: Generated<string>;
  kind: 'problem_profile' | 'intelligence_pack' | 'board_pack' | 'needs_assessment';
  title: string;
  period_from: DateColumn;
  period_to: DateColumn;
  boroughs: Generated<string[]>;
  audience: 'partnership' | 'restricted';
  agency_ids: Generated<string[]>;
  sections: ColumnType<unknown, string, string>;
  state: Generated<'draft' | 'generating' | 'generated'>;
  done: Generated<number>;
  total: Generated<number>;
  beat_at: Timestamp | null;
  failure: string | null;
  content: ColumnType<unknown, string | null | undefined, string | null>;
  agency_id: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
  generated_at: Timestamp | null;
  meeting_id: string | null;
  version: Generated<number>;
}

export interface SharingAgreementTable {
  id: Generated<string>;
  title: string;
  party_agency_ids: string[];
  purposes: string[];
  data_categories: string[];
  article6: string;
  article9: string | null;
  article10: string | null;
  schedule1: string | null;
  starts_on: DateColumn;
  review_on: DateColumn;
  ends_on: OptionalDate;
  signatories: string;
  document: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface BreakGlassTable {
  id: Generated<string>;
  user_id: string;
  agency_id: string;
  record_type: 'urgent_response' | 'incident' | 'episode';
  record_id: string;
  reference: string;
  reason: string;
  words: string;
  opened_at: DefaultTimestamp;
  expires_at: Timestamp;
  decision: 'appropriate' | 'not_appropriate' | null;
  review_note: string | null;
  reviewed_by: string | null;
  reviewed_at: Timestamp | null;
  version: Generated<number>;
}

export interface SubjectAccessRequestTable {
  id: Generated<string>;
  reference: string;
  requester_name: string;
  requester_relationship: 'self' | 'parent_carer' | 'solicitor' | 'other';
  subject_given_name: string;
  subject_family_name: string;
  subject_date_of_birth: OptionalDate;
  subject_postcode: string | null;
  received_on: DateColumn;
  identity_checked_on: OptionalDate;
  identity_evidence: string | null;
  due_on: DateColumn;
  extended_reason: string | null;
  person_id: string | null;
  completed_on: OptionalDate;
  recorded_by: string;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface SubjectAccessRedactionTable {
  request_id: string;
  item_key: string;
  exemption: 'third_party' | 'crime_prevention' | 'social_work' | 'legal_privilege';
  note: string | null;
  marked_by: string;
  marked_at: DefaultTimestamp;
}

export interface RightsRequestTable {
  id: Generated<string>;
  reference: string;
  kind: 'rectification' | 'erasure' | 'restriction' | 'objection';
  requester_name: string;
  about: string;
  asked: string;
  received_on: DateColumn;
  due_on: DateColumn;
  decision: 'agreed' | 'partly_agreed' | 'refused' | null;
  decision_reason: string | null;
  changed: string | null;
  decided_on: OptionalDate;
  decided_by: string | null;
  recorded_by: string;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface RetentionRuleTable {
  id: Generated<string>;
  kind: string;
  months: number;
  trigger: 'closed' | 'last_activity' | 'birthday_25' | 'recorded' | 'occurred';
  policy: string;
  changed_by: string | null;
  changed_at: Timestamp | null;
  version: Generated<number>;
}

export interface LegalHoldTable {
  id: Generated<string>;
  person_id: string | null;
  incident_id: string | null;
  kind: string | null;
  matter: string;
  reason: string;
  placed_by: string;
  placed_at: DefaultTimestamp;
  lifted_by: string | null;
  lifted_at: Timestamp | null;
  lift_reason: string | null;
  version: Generated<number>;
}

export interface RetentionDueTable {
  kind: string;
  key: string;
  records: number;
  due_on: DateColumn;
  found_at: DefaultTimestamp;
  approved_by: string | null;
  approved_at: Timestamp | null;
}

export interface SharingAgreementDocumentTable {
  agreement_id: string;
  content: ColumnType<Uint8Array, Buffer, Buffer>;
  bytes: number;
  sha256: string;
  uploaded_by: string;
  uploaded_at: DefaultTimestamp;
}

export interface AuditReviewThresholdTable {
  id: Generated<string>;
  one: Generated<boolean>;
  people_per_hour: number;
  day_starts_hour: number;
  day_ends_hour: number;
  policy: string;
  changed_by: string | null;
  changed_at: Timestamp | null;
  version: Generated<number>;
}

export interface RetentionCheckTable {
  day: DateColumn;
  found: number;
  took_ms: number;
  /** Per kind: records due, held and approved that day. */
  by_kind: ColumnType<Record<string, { due: number; held: number; approved: number }>, string | undefined, string>;
  checked_at: DefaultTimestamp;
}

export interface MeetingTable {
  id: Generated<string>;
  type_code: string;
  agency_id: string;
  starts_at: Timestamp;
  chair_id: string | null;
  status: Generated<'planned' | 'held'>;
  agenda_built_at: Timestamp | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface MeetingAttendanceTable {
  meeting_id: string;
  agency_id: string;
  status: string;
  attendees: string | null;
}

export interface MeetingReferralTable {
  id: Generated<string>;
  type_code: string;
  agency_id: string;
  urgent_response_id: string | null;
  person_id: string | null;
  context_assessment_id: string | null;
  reason: string;
  referred_by: string | null;
  referred_at: DefaultTimestamp;
}

export interface MeetingItemTable {
  id: Generated<string>;
  meeting_id: string;
  position: number;
  rule: string;
  title: string;
  why: string;
  urgent_response_id: string | null;
  incident_id: string | null;
  person_id: string | null;
  referral_id: string | null;
  carried_action_id: string | null;
  place_key: string | null;
  possible_breach_id: string | null;
  critical_incident_id: string | null;
  summary: string | null;
  decisions: string | null;
  added_by: string | null;
  added_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface ActionTable {
  id: Generated<string>;
  reference: string;
  urgent_response_id: string | null;
  meeting_item_id: string | null;
  critical_incident_id: string | null;
  description: string;
  owner_agency_id: string;
  owner_name: string;
  due_on: string;
  status: Generated<string>;
  agency_id: string;
  created_by: string | null;
  created_at: DefaultTimestamp;
  completed_at: Timestamp | null;
  version: Generated<number>;
}

type DateColumn = ColumnType<string, string, string>;
type OptionalDate = ColumnType<string | null, string | null | undefined, string | null>;

export interface PersonAliasTable {
  id: Generated<string>;
  person_id: string;
  given_name: string;
  family_name: string;
  kind: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface PersonIdentifierTable {
  id: Generated<string>;
  person_id: string;
  scheme: string;
  value: string;
  agency_id: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface PersonAddressTable {
  id: Generated<string>;
  person_id: string;
  address: string;
  postcode: string | null;
  from_date: OptionalDate;
  to_date: OptionalDate;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface PersonMarkerTable {
  id: Generated<string>;
  person_id: string;
  kind: string;
  detail: string | null;
  agency_id: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface PersonInvolvementTable {
  id: Generated<string>;
  person_id: string;
  agency_id: string;
  kind: string;
  since: DateColumn;
  contact_name: string;
  contact_detail: string | null;
  ended_on: OptionalDate;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface PersonMergeTable {
  id: Generated<string>;
  kept_id: string;
  merged_id: string;
  reason: string;
  moved: ColumnType<{ table: string; ids: string[] }[], string, string>;
  merged_by: string | null;
  merged_at: DefaultTimestamp;
  undone_by: string | null;
  undone_at: Timestamp | null;
}

export interface FamilyTable {
  id: Generated<string>;
  name: string;
  agency_id: string;
  champion_id: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface FamilyMemberTable {
  id: Generated<string>;
  family_id: string;
  person_id: string;
  relationship: string;
  added_by: string | null;
  added_at: DefaultTimestamp;
}

export interface ServiceTable {
  id: Generated<string>;
  name: string;
  provider_agency_id: string;
  domain: string;
  description: string;
  min_age: number;
  max_age: number;
  capacity: number;
  referral_criteria: string;
  contact: string;
  planned_weeks: number | null;
  yef_impact: Generated<string>;
  yef_evidence: Generated<number>;
  active: Generated<boolean>;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface ReferralTable {
  id: Generated<string>;
  reference: string;
  person_id: string;
  service_id: string;
  from_agency_id: string;
  from_user_id: string | null;
  from_client_id: string | null;
  urgent_response_id: string | null;
  from_episode_id: string | null;
  is_transfer: Generated<boolean>;
  reason: string;
  sharing_basis: string;
  consent_by: string | null;
  consent_on: OptionalDate;
  lawful_basis: string | null;
  basis_reason: string | null;
  status: Generated<string>;
  status_reason: string | null;
  response_due_on: DateColumn;
  sent_at: DefaultTimestamp;
  decided_by: string | null;
  decided_at: Timestamp | null;
  consent_confirmed_by: string | null;
  end_reason: string | null;
  submission_key: string | null;
  version: Generated<number>;
}

export interface EpisodeTable {
  id: Generated<string>;
  person_id: string;
  service_id: string;
  agency_id: string;
  referral_id: string;
  lead_worker_id: string;
  started_on: DateColumn;
  planned_end_on: OptionalDate;
  review_on: DateColumn;
  closed_on: OptionalDate;
  outcome: string | null;
  closure_note: string | null;
  closed_by: string | null;
  created_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface EpisodeNoteTable {
  id: Generated<string>;
  episode_id: string;
  kind: string;
  method: string | null;
  happened_at: Timestamp;
  body: string;
  visibility: string;
  author_id: string;
  recorded_at: DefaultTimestamp;
}

export interface EpisodeGoalTable {
  id: Generated<string>;
  episode_id: string;
  description: string;
  status: Generated<string>;
  progress_note: string | null;
  set_by: string | null;
  set_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
}

export interface OutcomeMeasureTable {
  id: Generated<string>;
  episode_id: string;
  stage: string;
  measured_on: DateColumn;
  offences_6m: number;
  victimisation_6m: number;
  attendance_pct: ColumnType<string | null, number | null, number | null>;
  exclusions: number | null;
  ete_status: string;
  benefit_status: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface CohortMembershipTable {
  id: Generated<string>;
  person_id: string;
  strand: string;
  reason: string;
  agency_id: string;
  decided_on: DateColumn;
  decided_by: string;
  review_on: DateColumn;
  ended_on: OptionalDate;
  ended_by: string | null;
  end_reason: string | null;
  recorded_at: DefaultTimestamp;
}

// Strategy, outcomes and the board (migration 0007).
/** numeric comes back from pg as a string, to keep its precision. */
type Numeric = ColumnType<string, number | string, number | string>;
type OptionalNumeric = ColumnType<string | null, number | string | null | undefined, number | string | null>;

export interface PrincipleTable {
  id: Generated<string>;
  kind: 'strategic' | 'enabling' | 'guiding';
  number: number;
  statement: string;
}

export interface StrategyTable {
  id: Generated<string>;
  name: string;
  kind: 'strategy' | 'action_plan';
  starts_on: OptionalDate;
  ends_on: OptionalDate;
  vision: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface StrategyDomainTable {
  id: Generated<string>;
  strategy_id: string;
  name: string;
  summary: string | null;
  sort: Generated<number>;
}

export interface CommitmentTable {
  id: Generated<string>;
  strategy_id: string;
  domain_id: string | null;
  statement: string;
  sort: Generated<number>;
}

export interface StrategyActionTable {
  id: Generated<string>;
  strategy_id: string;
  commitment_id: string | null;
  number: string;
  statement: string;
  lead_partners: ColumnType<string[], string[] | undefined, string[]>;
  starts_on: OptionalDate;
  due_on: OptionalDate;
  status: Generated<string>;
  rag: string | null;
  rag_reason: string | null;
  sort: Generated<number>;
  created_by: string | null;
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface ActionPrincipleTable {
  action_id: string;
  principle_id: string;
}

export interface ActionMilestoneTable {
  id: Generated<string>;
  action_id: string;
  statement: string;
  due_on: DateColumn;
  done_on: OptionalDate;
}

export interface ActionUpdateTable {
  id: Generated<string>;
  action_id: string;
  status: string;
  rag: string | null;
  rag_reason: string | null;
  note: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface IndicatorTable {
  id: Generated<string>;
  name: string;
  measure: string | null;
  unit: 'count' | 'percent' | 'score';
  better: 'lower' | 'higher' | 'neither';
  target: OptionalNumeric;
  source: string;
  description: string;
  sort: Generated<number>;
  version: Generated<number>;
}

export interface IndicatorValueTable {
  indicator_id: string;
  month: string;
  value: Numeric;
  source: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface SuccessMeasureTable {
  id: Generated<string>;
  strategy_id: string;
  domain_id: string | null;
  statement: string;
  sort: Generated<number>;
}

export interface SuccessMeasureIndicatorTable {
  success_measure_id: string;
  indicator_id: string;
}

export interface PopulationTable {
  ethnicity: string;
  sex: 'female' | 'male';
  age_from: number;
  age_to: number;
  people: number;
  source: string;
  loaded_by: string | null;
  loaded_at: DefaultTimestamp;
}

export interface RapidReviewTable {
  id: Generated<string>;
  reference: string;
  incident_id: string;
  agency_id: string;
  scope: string;
  status: Generated<'open' | 'closed'>;
  opened_by: string | null;
  opened_at: DefaultTimestamp;
  closed_by: string | null;
  closed_at: Timestamp | null;
  version: Generated<number>;
}

export interface ReviewEntryTable {
  id: Generated<string>;
  review_id: string;
  kind: 'finding' | 'recommendation';
  statement: string;
  action_id: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface PlaceTable {
  id: Generated<string>;
  name: string;
  kind: string;
  latitude: number | null;
  longitude: number | null;
  easting: number | null;
  northing: number | null;
  borough_name: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface NetworkGroupTable {
  id: Generated<string>;
  name: string;
  kind: 'peer_group' | 'street_gang' | 'ocg';
  area: string | null;
  description: string | null;
  agency_id: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface ContextAssessmentTable {
  id: Generated<string>;
  context_kind: 'peer_group' | 'school' | 'location';
  group_id: string | null;
  place_id: string | null;
  agency_id: string;
  lead_user_id: string | null;
  assessed_on: DateColumn;
  harm_indicators: string[];
  harm_detail: string;
  protective_factors: string[];
  protective_detail: string | null;
  consulted: string;
  plan: string;
  review_on: DateColumn;
  closed_at: Date | null;
  closed_reason: string | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface ContextInterventionTable {
  id: Generated<string>;
  assessment_id: string;
  kind: string;
  description: string;
  lead_agency_id: string;
  due_on: OptionalDate;
  status: Generated<'planned' | 'in_place' | 'done' | 'stopped'>;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface ContextReviewTable {
  id: Generated<string>;
  assessment_id: string;
  reviewed_on: DateColumn;
  summary: string;
  next_review_on: OptionalDate;
  reviewed_by: string | null;
  created_at: DefaultTimestamp;
}

export interface ContextLinkTable {
  id: Generated<string>;
  assessment_id: string;
  person_id: string | null;
  incident_id: string | null;
  reason: string;
  added_by: string | null;
  added_at: DefaultTimestamp;
  removed_at: Date | null;
  removed_by: string | null;
  removal_reason: string | null;
}

export interface ImportRunTable {
  id: Generated<string>;
  kind: 'police_street' | 'stop_search' | 'istv' | 'lsoa_boundaries';
  file_name: string;
  rows_read: number;
  rows_added: number;
  imported_by: string | null;
  imported_at: DefaultTimestamp;
}

/** Rings as [x, y] pairs: outer ring first, then holes; several polygons make a MultiPolygon. */
export type Polygons = [number, number][][][];

export interface LsoaBoundaryTable {
  code: string;
  name: string;
  /** Longitude and latitude, for the map. */
  outline: ColumnType<Polygons, string, never>;
  /** British National Grid metres, for counting. */
  grid: ColumnType<Polygons, string, never>;
  min_easting: number;
  min_northing: number;
  max_easting: number;
  max_northing: number;
  import_id: string;
}

export interface CrimeRecordTable {
  id: string;
  crime_id: string | null;
  month: DateColumn;
  reported_by: string;
  falls_within: string;
  longitude: number | null;
  latitude: number | null;
  easting: number | null;
  northing: number | null;
  location: string | null;
  lsoa_code: string | null;
  lsoa_name: string | null;
  crime_type: string;
  last_outcome: string | null;
  context: string | null;
  import_id: string;
}

export interface StopSearchTable {
  id: string;
  search_type: string;
  searched_at: Date;
  part_of_operation: boolean | null;
  operation: string | null;
  longitude: number | null;
  latitude: number | null;
  easting: number | null;
  northing: number | null;
  gender: string | null;
  age_range: string | null;
  self_defined_ethnicity: string | null;
  officer_defined_ethnicity: string | null;
  legislation: string | null;
  object_of_search: string | null;
  outcome: string | null;
  outcome_linked: boolean | null;
  removal_of_clothing: boolean | null;
  import_id: string;
}

export interface IstvCodeTable {
  list: 'method' | 'location_type';
  code: string;
  description: string;
}

export interface AeAttendanceTable {
  id: string;
  site_code: string;
  reporting_period: DateColumn;
  arrived_at: Date;
  assault_on: OptionalDate;
  assaulted_at: Date | null;
  method_code: string | null;
  method_description: string | null;
  location_type_code: string | null;
  location_type_description: string | null;
  location_text: string | null;
  place_id: string | null;
  match_status: 'matched' | 'chosen' | 'unmatched' | 'none';
  import_id: string;
}

export interface PlaceMatchTable {
  location_key: string;
  place_id: string | null;
  chosen_by: string | null;
  chosen_at: DefaultTimestamp;
}

export interface TermPeriodTable {
  id: Generated<string>;
  name: string;
  starts_on: DateColumn;
  ends_on: DateColumn;
}

export interface GroupAliasTable {
  group_id: string;
  alias: string;
}

export interface AssociationTable {
  id: Generated<string>;
  kind: 'person_person' | 'membership' | 'person_place' | 'group_place' | 'group_group';
  link_type: string;
  person_id: string | null;
  other_person_id: string | null;
  group_id: string | null;
  other_group_id: string | null;
  place_id: string | null;
  agency_id: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  valid_from: DateColumn;
  valid_to: OptionalDate;
  reason: string;
  source_evaluation: number | null;
  intelligence_assessment: string | null;
  handling_code: 'P' | 'C' | null;
  handling_conditions: string | null;
  review_on: DateColumn;
  reviewed_at: Timestamp | null;
  removed_at: Timestamp | null;
  removed_by: string | null;
  removal_reason: string | null;
  version: Generated<number>;
}

export interface OrderKindTable {
  code: string;
  label: string;
  law: string;
  place_based: Generated<boolean>;
  voluntary: Generated<boolean>;
  minimum_age: number | null;
  created_by: string | null;
  created_at: DefaultTimestamp;
}

export interface CourtOrderTable {
  id: Generated<string>;
  kind_code: string;
  person_id: string | null;
  area: ColumnType<unknown, string | null | undefined, string | null>;
  area_label: string | null;
  court: string;
  case_reference: string | null;
  made_on: DateColumn;
  in_force_from: DateColumn;
  until: OptionalDate;
  interim: Generated<boolean>;
  applying_agency_id: string;
  lead_officer_id: string | null;
  lead_officer_name: string;
  lead_officer_contact: string;
  agency_id: string;
  recorded_by: string | null;
  recorded_by_client: string | null;
  recorded_at: DefaultTimestamp;
  submission_key: string | null;
  ended_on: OptionalDate;
  end_reason: string | null;
  version: Generated<number>;
}

export interface OrderReviewTable {
  id: Generated<string>;
  order_id: string;
  due_from: DateColumn;
  due_by: DateColumn;
  why: string;
  source: string;
  held_on: OptionalDate;
  outcome: string | null;
}

export interface OrderConditionTable {
  id: Generated<string>;
  order_id: string;
  kind: 'curfew' | 'exclusion_zone' | 'non_association' | 'no_bladed_article' | 'social_media' | 'reporting' | 'positive_requirement' | 'words';
  wording: string;
  detail: ColumnType<Record<string, unknown>, string | undefined, string>;
  min_easting: number | null;
  min_northing: number | null;
  max_easting: number | null;
  max_northing: number | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
  removed_at: Timestamp | null;
  removed_by: string | null;
}

export interface PossibleBreachTable {
  id: Generated<string>;
  order_id: string;
  condition_id: string;
  person_id: string;
  incident_id: string | null;
  association_id: string | null;
  with_person_id: string | null;
  evidence: string;
  raised_at: DefaultTimestamp;
  decision: 'confirmed' | 'not_a_breach' | null;
  action: 'warning' | 'arrest' | 'application_to_court' | 'no_further_action' | null;
  reason: string | null;
  decided_by: string | null;
  decided_at: Timestamp | null;
  version: Generated<number>;
}

export interface CriticalIncidentContactTable {
  user_id: string;
  added_by: string | null;
  added_at: DefaultTimestamp;
}

export interface CriticalIncidentTable {
  id: Generated<string>;
  reference: string;
  incident_id: string;
  reason: 'young_person_harmed' | 'death' | 'series' | 'disorder_risk' | 'other';
  reason_detail: string | null;
  agency_id: string;
  declared_by: string | null;
  declared_at: DefaultTimestamp;
  closed_at: Timestamp | null;
  closed_by: string | null;
  closure_reason: string | null;
  version: Generated<number>;
}

export interface CommunityImpactAssessmentTable {
  id: Generated<string>;
  critical_incident_id: string;
  number: number;
  tension_level: number;
  tension_reason: string;
  wards: ColumnType<string[], string[] | undefined, string[]>;
  communities: string | null;
  place_ids: ColumnType<string[], string[] | undefined, string[]>;
  indicators: ColumnType<unknown, string | undefined, string>;
  risks: string | null;
  holding_line: string | null;
  spokesperson: string | null;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface CommunityContactTable {
  id: Generated<string>;
  critical_incident_id: string;
  kind: 'consulted' | 'borough_told' | 'said';
  party: string;
  party_kind: string;
  happened_at: Timestamp;
  by_whom: string;
  what: string;
  recorded_by: string | null;
  recorded_at: DefaultTimestamp;
}

export interface DB {
  order_kind: OrderKindTable;
  court_order: CourtOrderTable;
  critical_incident: CriticalIncidentTable;
  critical_incident_contact: CriticalIncidentContactTable;
  community_impact_assessment: CommunityImpactAssessmentTable;
  community_contact: CommunityContactTable;
  order_review: OrderReviewTable;
  order_condition: OrderConditionTable;
  possible_breach: PossibleBreachTable;
  worked_out: WorkedOutTable;
  principle: PrincipleTable;
  strategy: StrategyTable;
  strategy_domain: StrategyDomainTable;
  commitment: CommitmentTable;
  strategy_action: StrategyActionTable;
  action_principle: ActionPrincipleTable;
  action_milestone: ActionMilestoneTable;
  action_update: ActionUpdateTable;
  indicator: IndicatorTable;
  indicator_value: IndicatorValueTable;
  success_measure: SuccessMeasureTable;
  success_measure_indicator: SuccessMeasureIndicatorTable;
  population: PopulationTable;
  rapid_review: RapidReviewTable;
  review_entry: ReviewEntryTable;
  place: PlaceTable;
  network_group: NetworkGroupTable;
  group_alias: GroupAliasTable;
  context_assessment: ContextAssessmentTable;
  context_intervention: ContextInterventionTable;
  context_review: ContextReviewTable;
  context_link: ContextLinkTable;
  import_run: ImportRunTable;
  crime_record: CrimeRecordTable;
  lsoa_boundary: LsoaBoundaryTable;
  stop_search: StopSearchTable;
  istv_code: IstvCodeTable;
  ae_attendance: AeAttendanceTable;
  place_match: PlaceMatchTable;
  term_period: TermPeriodTable;
  association: AssociationTable;
  person_alias: PersonAliasTable;
  person_identifier: PersonIdentifierTable;
  person_address: PersonAddressTable;
  person_marker: PersonMarkerTable;
  person_involvement: PersonInvolvementTable;
  person_merge: PersonMergeTable;
  family: FamilyTable;
  family_member: FamilyMemberTable;
  service: ServiceTable;
  referral: ReferralTable;
  episode: EpisodeTable;
  episode_note: EpisodeNoteTable;
  episode_goal: EpisodeGoalTable;
  outcome_measure: OutcomeMeasureTable;
  cohort_membership: CohortMembershipTable;
  needs_assessment: NeedsAssessmentTable;
  meeting_type: MeetingTypeTable;
  missing_episode: MissingEpisodeTable;
  nrm_referral: NrmReferralTable;
  education_event: EducationEventTable;
  risk_plan_review: RiskPlanReviewTable;
  product: ProductTable;
  sharing_agreement: SharingAgreementTable;
  retention_rule: RetentionRuleTable;
  break_glass: BreakGlassTable;
  subject_access_request: SubjectAccessRequestTable;
  rights_request: RightsRequestTable;
  subject_access_redaction: SubjectAccessRedactionTable;
  legal_hold: LegalHoldTable;
  retention_due: RetentionDueTable;
  retention_check: RetentionCheckTable;
  audit_review_threshold: AuditReviewThresholdTable;
  sharing_agreement_document: SharingAgreementDocumentTable;
  meeting: MeetingTable;
  meeting_attendance: MeetingAttendanceTable;
  meeting_referral: MeetingReferralTable;
  meeting_item: MeetingItemTable;
  action: ActionTable;
  consent: ConsentTable;
  lawful_basis: LawfulBasisTable;
  mash_referral: MashReferralTable;
  urgent_response: UrgentResponseTable;
  urgent_response_incident: UrgentResponseIncidentTable;
  contact_attempt: ContactAttemptTable;
  notification: NotificationTable;
  sign_in_failure: SignInFailureTable;
  passkey: PasskeyTable;
  idempotency_key: IdempotencyKeyTable;
  sharing_decision: SharingDecisionTable;
  setting: SettingTable;
  agency: AgencyTable;
  app_user: AppUserTable;
  session: SessionTable;
  api_client: ApiClientTable;
  audit_event: AuditEventTable;
  incident_type: IncidentTypeTable;
  person: PersonTable;
  incident: IncidentTable;
  incident_share: IncidentShareTable;
  involvement: InvolvementTable;
}
