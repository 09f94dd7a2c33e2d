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
  created_at: DefaultTimestamp;
  updated_at: DefaultTimestamp;
  version: Generated<number>;
}

export interface SessionTable {
  token_hash: string;
  user_id: string;
  stage: 'password' | 'active';
  via: Generated<string>;
  created_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
  pending_totp_secret: string | null;
  failed_codes: Generated<number>;
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
  urgent_response_id: string;
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
  person_id: string;
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

export interface DB {
  needs_assessment: NeedsAssessmentTable;
  meeting_type: MeetingTypeTable;
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
