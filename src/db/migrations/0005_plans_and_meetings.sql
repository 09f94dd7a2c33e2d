-- Needs assessment and the multi-agency plan of an urgent response, and the
-- meetings that review them: the Daily Risk Management meeting and panels.

-- One row per assessment of a domain; the newest per domain is the current one.
CREATE TABLE needs_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  domain text NOT NULL CHECK (domain IN ('education', 'family', 'health', 'substance_use', 'peers_exploitation', 'housing', 'finance', 'offending')),
  level text NOT NULL CHECK (level IN ('none', 'low', 'medium', 'high', 'not_assessed')),
  strengths text,
  notes text,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX needs_assessment_response_idx ON needs_assessment (urgent_response_id, domain, recorded_at DESC);

-- Meeting types are configuration: their names and which agenda rules they use.
CREATE TABLE meeting_type (
  code text PRIMARY KEY,
  name text NOT NULL,
  description text NOT NULL,
  agenda_rules text[] NOT NULL,
  -- Days from one meeting to the next, for "due before the next meeting".
  interval_days integer NOT NULL CHECK (interval_days > 0),
  default_time text NOT NULL
);
INSERT INTO meeting_type (code, name, description, agenda_rules, interval_days, default_time) VALUES
  ('drm', 'Daily Risk Management meeting',
   'Each morning the partnership reviews new incidents and their urgent responses, clocks at risk, overdue actions and young people coming to notice again.',
   ARRAY['referred', 'carried_forward', 'incidents_since_last', 'clocks_at_risk', 'overdue_actions', 'repeat_people'], 1, '09:30'),
  ('exploitation_panel', 'Multi-agency exploitation and risk panel',
   'Monthly panel on young people at risk of exploitation: those referred to it, locations coming to notice, and actions still open.',
   ARRAY['referred', 'carried_forward', 'locations', 'overdue_actions'], 28, '14:00');

CREATE TABLE meeting (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type_code text NOT NULL REFERENCES meeting_type (code),
  -- The agency that runs the meeting: its records are the ones on the agenda.
  agency_id uuid NOT NULL REFERENCES agency (id),
  starts_at timestamptz NOT NULL,
  chair_id uuid REFERENCES app_user (id),
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'held')),
  agenda_built_at timestamptz,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (type_code, agency_id, starts_at)
);
CREATE INDEX meeting_type_idx ON meeting (agency_id, type_code, starts_at DESC);

CREATE TABLE meeting_attendance (
  meeting_id uuid NOT NULL REFERENCES meeting (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  status text NOT NULL CHECK (status IN ('present', 'apologies', 'absent')),
  attendees text,
  PRIMARY KEY (meeting_id, agency_id)
);

-- A referral of a young person to a meeting type, listed on its next agenda.
CREATE TABLE meeting_referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  type_code text NOT NULL REFERENCES meeting_type (code),
  agency_id uuid NOT NULL REFERENCES agency (id),
  urgent_response_id uuid REFERENCES urgent_response (id),
  person_id uuid NOT NULL REFERENCES person (id),
  reason text NOT NULL,
  referred_by uuid REFERENCES app_user (id),
  referred_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX meeting_referral_once ON meeting_referral (type_code, urgent_response_id) WHERE urgent_response_id IS NOT NULL;
CREATE INDEX meeting_referral_type_idx ON meeting_referral (agency_id, type_code, referred_at);

CREATE TABLE meeting_item (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  meeting_id uuid NOT NULL REFERENCES meeting (id),
  position integer NOT NULL,
  -- Which agenda rule put it there, or 'chair' for one added by hand.
  rule text NOT NULL,
  -- What it is about: written once, when it was listed, so minutes do not change later.
  title text NOT NULL,
  why text NOT NULL,
  urgent_response_id uuid REFERENCES urgent_response (id),
  incident_id uuid REFERENCES incident (id),
  person_id uuid REFERENCES person (id),
  referral_id uuid REFERENCES meeting_referral (id),
  carried_action_id uuid,
  place_key text,
  summary text,
  decisions text,
  added_by uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX meeting_item_meeting_idx ON meeting_item (meeting_id, position);
-- Building the agenda again never lists the same thing twice.
CREATE UNIQUE INDEX meeting_item_subject ON meeting_item (meeting_id, rule, coalesce(urgent_response_id, incident_id, person_id, referral_id, carried_action_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(place_key, '')) WHERE rule <> 'chair';

-- Actions, from an urgent response's plan or a meeting item: one list, so an
-- agency can see everything it owes in one place.
CREATE SEQUENCE action_reference_seq;
CREATE TABLE action (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  urgent_response_id uuid REFERENCES urgent_response (id),
  meeting_item_id uuid REFERENCES meeting_item (id),
  description text NOT NULL,
  owner_agency_id uuid NOT NULL REFERENCES agency (id),
  owner_name text NOT NULL,
  due_on date NOT NULL,
  status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'done', 'cancelled')),
  -- The agency whose record the action belongs to (the urgent response's or the meeting's).
  agency_id uuid NOT NULL REFERENCES agency (id),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (urgent_response_id IS NOT NULL OR meeting_item_id IS NOT NULL)
);
CREATE INDEX action_open_idx ON action (due_on) WHERE status IN ('not_started', 'in_progress');
CREATE INDEX action_response_idx ON action (urgent_response_id);
CREATE INDEX action_item_idx ON action (meeting_item_id);
CREATE INDEX action_owner_idx ON action (owner_agency_id, status, due_on);
ALTER TABLE meeting_item ADD FOREIGN KEY (carried_action_id) REFERENCES action (id);

-- The urgent response's referral flag becomes a referral to the DRM meeting.
INSERT INTO meeting_referral (type_code, agency_id, urgent_response_id, person_id, reason, referred_at)
  SELECT 'drm', agency_id, id, person_id, 'Referred from the urgent response', drm_referred_at FROM urgent_response WHERE drm_referred_at IS NOT NULL;

-- Incidents since the last meeting, and repeat incidents per person, are found by notification time.
CREATE INDEX incident_notified_idx ON incident (notified_at);
CREATE INDEX involvement_person_incident_idx ON involvement (person_id, incident_id);
ALTER TABLE urgent_response DROP COLUMN drm_referred_at;
-- Opened by hand: why (a witness at risk, an older young adult, a sibling).
ALTER TABLE urgent_response ADD COLUMN opened_reason text;
-- Reminders sent by GOV.UK Notify: whether and when each was handed over.
ALTER TABLE notification ADD COLUMN delivered_at timestamptz, ADD COLUMN delivery_reference text, ADD COLUMN delivery_error text, ADD COLUMN delivery_attempts integer NOT NULL DEFAULT 0;
CREATE INDEX notification_undelivered_idx ON notification (created_at) WHERE sent_via = 'notify' AND delivered_at IS NULL;
