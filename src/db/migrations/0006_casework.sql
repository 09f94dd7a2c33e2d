-- Casework (seeds 000 and 002): the partnership's shared person record,
-- families with one champion, the services directory, referrals, episodes
-- of casework with notes and goals, outcomes before and after, and cohorts.

ALTER TABLE person
  ADD COLUMN gender text,
  ADD COLUMN school text,
  ADD COLUMN phone text,
  ADD COLUMN email text,
  -- How the person is found however the name was spelt or typed (people/matching.ts):
  -- phonetic codes and nickname roots of the names, date of birth, postcode, identifiers.
  ADD COLUMN match_keys text[] NOT NULL DEFAULT '{}',
  -- Set when this record was merged into another; the row stays so the merge can be undone.
  ADD COLUMN merged_into uuid REFERENCES person (id);
CREATE INDEX person_match_keys_idx ON person USING gin (match_keys);
-- A merged record's names still find the child: looked up from the kept record on every search.
CREATE INDEX person_merged_into_idx ON person (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE person_alias (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  given_name text NOT NULL,
  family_name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('alias', 'previous_name', 'known_as', 'street_name')),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_alias_person_idx ON person_alias (person_id);

CREATE TABLE person_identifier (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  scheme text NOT NULL CHECK (scheme IN ('nhs', 'upn', 'pnc', 'agency')),
  value text NOT NULL,
  -- For an agency's own reference: whose reference it is.
  agency_id uuid REFERENCES agency (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((scheme = 'agency') = (agency_id IS NOT NULL))
);
CREATE INDEX person_identifier_person_idx ON person_identifier (person_id);
CREATE INDEX person_identifier_value_idx ON person_identifier (scheme, value);

CREATE TABLE person_address (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  address text NOT NULL,
  postcode text,
  from_date date,
  to_date date,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (to_date IS NULL OR from_date IS NULL OR to_date >= from_date)
);
CREATE INDEX person_address_person_idx ON person_address (person_id);

-- Safety markers every worker must see before a visit or a call.
CREATE TABLE person_marker (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  kind text NOT NULL,
  detail text,
  agency_id uuid NOT NULL REFERENCES agency (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by uuid REFERENCES app_user (id)
);
CREATE INDEX person_marker_person_idx ON person_marker (person_id);

-- An agency telling the partnership it works with a person (a statutory
-- order, child in need, school, GP) with a named contact: shown to every
-- agency as a flag even when the detail is not shared.
CREATE TABLE person_involvement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  kind text NOT NULL,
  since date NOT NULL,
  contact_name text NOT NULL,
  contact_detail text,
  ended_on date,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX person_involvement_person_idx ON person_involvement (person_id);

-- A merge moves every row from one record to the other and lists them, so undoing it moves exactly those back.
CREATE TABLE person_merge (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kept_id uuid NOT NULL REFERENCES person (id),
  merged_id uuid NOT NULL REFERENCES person (id),
  reason text NOT NULL,
  moved jsonb NOT NULL,
  merged_by uuid REFERENCES app_user (id),
  merged_at timestamptz NOT NULL DEFAULT now(),
  undone_by uuid REFERENCES app_user (id),
  undone_at timestamptz
);
CREATE INDEX person_merge_kept_idx ON person_merge (kept_id);
CREATE INDEX person_merge_merged_idx ON person_merge (merged_id);

-- Seed 002: "every family having a single champion / point of contact".
CREATE TABLE family (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  agency_id uuid NOT NULL REFERENCES agency (id),
  champion_id uuid REFERENCES app_user (id),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE family_member (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  family_id uuid NOT NULL REFERENCES family (id),
  person_id uuid NOT NULL REFERENCES person (id),
  relationship text NOT NULL,
  added_by uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (family_id, person_id)
);
CREATE INDEX family_member_person_idx ON family_member (person_id);

-- Seed 000's four domains, and the Youth Endowment Fund Toolkit's two scales.
CREATE TABLE service (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  provider_agency_id uuid NOT NULL REFERENCES agency (id),
  domain text NOT NULL CHECK (domain IN ('strengthen', 'support', 'treat', 'curtail')),
  description text NOT NULL,
  min_age integer NOT NULL CHECK (min_age >= 0),
  max_age integer NOT NULL CHECK (max_age >= min_age),
  capacity integer NOT NULL CHECK (capacity >= 0),
  referral_criteria text NOT NULL,
  contact text NOT NULL,
  planned_weeks integer CHECK (planned_weeks > 0),
  yef_impact text NOT NULL DEFAULT 'not_rated' CHECK (yef_impact IN ('not_rated', 'harmful', 'no_effect', 'low', 'moderate', 'high')),
  yef_evidence integer NOT NULL DEFAULT 0 CHECK (yef_evidence BETWEEN 0 AND 5),
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE SEQUENCE referral_reference_seq;

CREATE TABLE referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES person (id),
  service_id uuid NOT NULL REFERENCES service (id),
  from_agency_id uuid NOT NULL REFERENCES agency (id),
  from_user_id uuid REFERENCES app_user (id),
  from_client_id uuid REFERENCES api_client (id),
  urgent_response_id uuid REFERENCES urgent_response (id),
  -- A referral from a case; with is_transfer, the case itself moves to the receiving agency.
  from_episode_id uuid,
  is_transfer boolean NOT NULL DEFAULT false,
  reason text NOT NULL,
  -- What the sharing rests on: consent, or a lawful basis to share without it.
  sharing_basis text NOT NULL CHECK (sharing_basis IN ('consent', 'lawful_basis')),
  consent_by text CHECK (consent_by IN ('young_person', 'parent_carer')),
  consent_on date,
  lawful_basis text,
  basis_reason text,
  status text NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'accepted', 'declined', 'waiting_list', 'started', 'ended', 'withdrawn')),
  status_reason text,
  response_due_on date NOT NULL,
  sent_at timestamptz NOT NULL DEFAULT now(),
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  consent_confirmed_by uuid REFERENCES app_user (id),
  end_reason text CHECK (end_reason IN ('completed', 'disengaged', 'moved')),
  submission_key text,
  version integer NOT NULL DEFAULT 1,
  CHECK (sharing_basis <> 'consent' OR (consent_by IS NOT NULL AND consent_on IS NOT NULL)),
  CHECK (sharing_basis <> 'lawful_basis' OR (lawful_basis IS NOT NULL AND basis_reason IS NOT NULL)),
  CHECK (status <> 'declined' OR status_reason IS NOT NULL)
);
CREATE UNIQUE INDEX referral_submission_key ON referral (from_agency_id, submission_key);
CREATE INDEX referral_person_idx ON referral (person_id);
CREATE INDEX referral_service_idx ON referral (service_id, status);

CREATE TABLE episode (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  service_id uuid NOT NULL REFERENCES service (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  referral_id uuid NOT NULL UNIQUE REFERENCES referral (id),
  lead_worker_id uuid NOT NULL REFERENCES app_user (id),
  started_on date NOT NULL,
  planned_end_on date,
  review_on date NOT NULL,
  closed_on date,
  outcome text CHECK (outcome IN ('completed', 'disengaged', 'moved', 'transferred')),
  closure_note text,
  closed_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((closed_on IS NULL) = (outcome IS NULL))
);
CREATE INDEX episode_person_idx ON episode (person_id);
CREATE INDEX episode_worker_idx ON episode (lead_worker_id, closed_on);
CREATE INDEX episode_agency_idx ON episode (agency_id, closed_on);
ALTER TABLE referral ADD CONSTRAINT referral_from_episode_fk FOREIGN KEY (from_episode_id) REFERENCES episode (id);

CREATE TABLE episode_note (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  episode_id uuid NOT NULL REFERENCES episode (id),
  kind text NOT NULL CHECK (kind IN ('contact', 'note')),
  method text CHECK (method IN ('face_to_face', 'phone', 'video', 'message', 'letter')),
  happened_at timestamptz NOT NULL,
  body text NOT NULL,
  -- everyone with access to the episode, the provider agency only, or the author and the lead worker only.
  visibility text NOT NULL CHECK (visibility IN ('all', 'agency', 'restricted')),
  author_id uuid NOT NULL REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((kind = 'contact') = (method IS NOT NULL))
);
CREATE INDEX episode_note_episode_idx ON episode_note (episode_id, happened_at DESC);

CREATE TABLE episode_goal (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  episode_id uuid NOT NULL REFERENCES episode (id),
  description text NOT NULL,
  status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'achieved', 'not_achieved')),
  progress_note text,
  set_by uuid REFERENCES app_user (id),
  set_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX episode_goal_episode_idx ON episode_goal (episode_id);

-- Seed 000: impact measured before and after (offending, school attendance, benefit status).
CREATE TABLE outcome_measure (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  episode_id uuid NOT NULL REFERENCES episode (id),
  stage text NOT NULL CHECK (stage IN ('start', 'end')),
  measured_on date NOT NULL,
  offences_6m integer NOT NULL CHECK (offences_6m >= 0),
  victimisation_6m integer NOT NULL CHECK (victimisation_6m >= 0),
  attendance_pct numeric(4, 1) CHECK (attendance_pct BETWEEN 0 AND 100),
  exclusions integer CHECK (exclusions >= 0),
  ete_status text NOT NULL,
  benefit_status text NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (episode_id, stage)
);

-- Seed 002's strands: a recorded professional judgement, never a score.
CREATE TABLE cohort_membership (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  strand text NOT NULL CHECK (strand IN ('periphery', 'at_risk', 'involved')),
  reason text NOT NULL,
  agency_id uuid NOT NULL REFERENCES agency (id),
  decided_on date NOT NULL,
  decided_by uuid NOT NULL REFERENCES app_user (id),
  review_on date NOT NULL,
  ended_on date,
  ended_by uuid REFERENCES app_user (id),
  end_reason text,
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX cohort_one_current ON cohort_membership (person_id) WHERE ended_on IS NULL;

-- A receiving agency answers a referral within this many working days (the partnership's setting; five by default).
INSERT INTO setting (key, value) VALUES ('referral_response_working_days', '5');
