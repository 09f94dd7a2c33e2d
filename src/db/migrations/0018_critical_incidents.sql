-- Critical incidents and their community impact assessments (issue 20; seed
-- 003 steps f and g; seed 004 5.1.13 and 5.2.3).

-- Faith and community venues are among the places a serious incident affects.
ALTER TABLE place DROP CONSTRAINT place_kind_check;
ALTER TABLE place ADD CONSTRAINT place_kind_check CHECK (kind IN ('school', 'station', 'park', 'pub', 'estate', 'shops', 'youth_centre', 'street', 'faith', 'community', 'other'));

-- Who is told when a critical incident is declared (kept by administrators).
CREATE TABLE critical_incident_contact (
  user_id uuid PRIMARY KEY REFERENCES app_user (id),
  added_by uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL DEFAULT now()
);

CREATE SEQUENCE critical_incident_reference_seq;
CREATE TABLE critical_incident (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  incident_id uuid NOT NULL UNIQUE REFERENCES incident (id),
  reason text NOT NULL CHECK (reason IN ('young_person_harmed', 'death', 'series', 'disorder_risk', 'other')),
  reason_detail text,
  -- The leading agency: the one that declared it, and the only one that changes its assessment.
  agency_id uuid NOT NULL REFERENCES agency (id),
  declared_by uuid REFERENCES app_user (id),
  declared_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz,
  closed_by uuid REFERENCES app_user (id),
  closure_reason text,
  version integer NOT NULL DEFAULT 1,
  CHECK ((closed_at IS NULL) = (closure_reason IS NULL))
);
CREATE INDEX critical_incident_open_idx ON critical_incident (declared_at) WHERE closed_at IS NULL;

-- Each saved assessment, never changed: number 0 is the first assessment, 1 and on the reviews.
CREATE TABLE community_impact_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  critical_incident_id uuid NOT NULL REFERENCES critical_incident (id),
  number integer NOT NULL CHECK (number >= 0),
  tension_level integer NOT NULL CHECK (tension_level BETWEEN 1 AND 5),
  tension_reason text NOT NULL,
  wards text[] NOT NULL DEFAULT '{}',
  communities text,
  place_ids uuid[] NOT NULL DEFAULT '{}',
  indicators jsonb NOT NULL DEFAULT '[]',
  risks text,
  holding_line text,
  spokesperson text,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (critical_incident_id, number)
);

-- Who was consulted, which neighbouring boroughs were told, and what was said where.
CREATE TABLE community_contact (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  critical_incident_id uuid NOT NULL REFERENCES critical_incident (id),
  kind text NOT NULL CHECK (kind IN ('consulted', 'borough_told', 'said')),
  party text NOT NULL,
  party_kind text NOT NULL,
  happened_at timestamptz NOT NULL,
  by_whom text NOT NULL,
  what text NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX community_contact_incident_idx ON community_contact (critical_incident_id, happened_at);

-- Reassurance actions live on the one actions list.
ALTER TABLE action ADD COLUMN critical_incident_id uuid REFERENCES critical_incident (id);

ALTER TABLE notification ADD COLUMN critical_incident_id uuid REFERENCES critical_incident (id);
ALTER TABLE notification DROP CONSTRAINT notification_event_check;
ALTER TABLE notification ADD CONSTRAINT notification_event_check CHECK (event IN ('due_soon', 'breached', 'possible_breach', 'critical_incident'));
ALTER TABLE notification DROP CONSTRAINT notification_about_one;
ALTER TABLE notification ADD CONSTRAINT notification_about_one CHECK (num_nonnulls(urgent_response_id, possible_breach_id, critical_incident_id) = 1);
CREATE UNIQUE INDEX notification_critical_once ON notification (critical_incident_id, recipient_id) WHERE critical_incident_id IS NOT NULL;

ALTER TABLE meeting_item ADD COLUMN critical_incident_id uuid REFERENCES critical_incident (id);
DROP INDEX meeting_item_subject;
CREATE UNIQUE INDEX meeting_item_subject ON meeting_item (meeting_id, rule, coalesce(urgent_response_id, incident_id, person_id, referral_id, carried_action_id, possible_breach_id, critical_incident_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(place_key, '')) WHERE rule <> 'chair';
-- At the top of every DRM agenda.
UPDATE meeting_type SET agenda_rules = ARRAY['critical_incidents'] || agenda_rules WHERE code = 'drm';
ALTER TABLE action DROP CONSTRAINT action_check;
ALTER TABLE action ADD CONSTRAINT action_from_somewhere CHECK (num_nonnulls(urgent_response_id, meeting_item_id, critical_incident_id) >= 1);
