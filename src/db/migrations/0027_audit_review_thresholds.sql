-- Audit review thresholds (issue 21): the partnership's policy, agreed by the
-- information governance officer with the data protection officer, and
-- changed by the officer from the Audit review page. One row.
CREATE TABLE audit_review_threshold (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  one boolean NOT NULL DEFAULT true UNIQUE CHECK (one),
  people_per_hour integer NOT NULL CHECK (people_per_hour BETWEEN 2 AND 1000),
  day_starts_hour integer NOT NULL CHECK (day_starts_hour BETWEEN 0 AND 23),
  day_ends_hour integer NOT NULL CHECK (day_ends_hour BETWEEN 1 AND 24),
  policy text NOT NULL CHECK (length(trim(policy)) > 0),
  changed_by uuid REFERENCES app_user (id),
  changed_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (day_starts_hour < day_ends_hour)
);
INSERT INTO audit_review_threshold (id, people_per_hour, day_starts_hour, day_ends_hour, policy)
VALUES ('6f1f7c53-3a57-4b39-9d1e-2a0d6c0b7a11', 30, 7, 20, 'Reachable’s starting thresholds: change them to those agreed with your data protection officer');
