-- Emergency access ("break-glass", issue 21): a user opens a record outside
-- their usual reach, once, with a reason from a list and their own words, for
-- a limited time. Every use is notified to the information governance
-- officers and waits for their review: appropriate or not, with a note.
CREATE TABLE break_glass (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES app_user (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  record_type text NOT NULL CHECK (record_type IN ('urgent_response')),
  record_id uuid NOT NULL,
  reference text NOT NULL,
  reason text NOT NULL CHECK (reason IN ('immediate_risk', 'missing', 'out_of_hours', 'custody', 'other')),
  words text NOT NULL CHECK (length(trim(words)) > 0),
  opened_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  decision text CHECK (decision IN ('appropriate', 'not_appropriate')),
  review_note text,
  reviewed_by uuid REFERENCES app_user (id),
  reviewed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (expires_at > opened_at),
  CHECK ((decision IS NULL) = (reviewed_at IS NULL) AND (decision IS NULL) = (reviewed_by IS NULL)),
  CHECK (decision IS DISTINCT FROM 'not_appropriate' OR length(trim(coalesce(review_note, ''))) > 0)
);
CREATE INDEX break_glass_grant_idx ON break_glass (user_id, record_type, record_id, expires_at);
CREATE INDEX break_glass_waiting_idx ON break_glass (opened_at) WHERE reviewed_at IS NULL;

-- Each information governance officer is told of each use once.
ALTER TABLE notification ADD COLUMN break_glass_id uuid REFERENCES break_glass (id);
ALTER TABLE notification DROP CONSTRAINT notification_about_one;
ALTER TABLE notification ADD CONSTRAINT notification_about_one CHECK (num_nonnulls(urgent_response_id, possible_breach_id, critical_incident_id, missing_episode_id, sharing_agreement_id, break_glass_id) = 1);
CREATE UNIQUE INDEX notification_break_glass_once ON notification (break_glass_id, recipient_id) WHERE break_glass_id IS NOT NULL;
ALTER TABLE notification DROP CONSTRAINT notification_event_check;
ALTER TABLE notification ADD CONSTRAINT notification_event_check CHECK (event IN ('due_soon', 'breached', 'possible_breach', 'critical_incident', 'review_due', 'break_glass'));
