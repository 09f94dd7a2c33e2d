-- Retention (issue 21): how long each kind of record is kept, from which
-- trigger, under which policy; legal holds that stop deletion; and the
-- records the sweep found past their time, waiting for the information
-- governance officer's approval before they are removed.
CREATE TABLE retention_rule (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL UNIQUE,
  months integer NOT NULL CHECK (months BETWEEN 0 AND 1200),
  trigger text NOT NULL CHECK (trigger IN ('closed', 'last_activity', 'birthday_25', 'recorded')),
  policy text NOT NULL,
  changed_by uuid REFERENCES app_user (id),
  -- Null for the shipped default, until the officer changes it.
  changed_at timestamptz,
  version integer NOT NULL DEFAULT 1
);

-- The partnership's starting schedule; the information governance officer changes it.
INSERT INTO retention_rule (kind, months, trigger, policy) VALUES
  ('episode', 72, 'closed', 'IRMS Retention Guidelines for Local Government: early help and youth support case files, six years after the case closes'),
  ('referral', 72, 'closed', 'IRMS Retention Guidelines for Local Government: referrals not leading to a case, six years after the decision'),
  ('association', 24, 'last_activity', 'Partnership policy after the ICO enforcement notice on the Gangs Matrix (2018): a link not confirmed for two years is no longer kept'),
  ('crime_record', 36, 'recorded', 'police.uk publishes the last 36 months of street-level crime: older months are not kept'),
  ('stop_search', 36, 'recorded', 'police.uk publishes the last 36 months of stop and search: older months are not kept'),
  ('ae_attendance', 36, 'recorded', 'ISTV data sharing agreement: anonymised A&E assaults kept three years for analysis');

-- A legal hold stops deletion: of one person's records, of an incident's
-- people's records, or of every record of a kind (a matter such as an inquiry).
CREATE TABLE legal_hold (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid REFERENCES person (id),
  incident_id uuid REFERENCES incident (id),
  kind text REFERENCES retention_rule (kind),
  matter text NOT NULL,
  reason text NOT NULL,
  placed_by uuid NOT NULL REFERENCES app_user (id),
  placed_at timestamptz NOT NULL DEFAULT now(),
  lifted_by uuid REFERENCES app_user (id),
  lifted_at timestamptz,
  lift_reason text,
  version integer NOT NULL DEFAULT 1,
  CHECK (num_nonnulls(person_id, incident_id, kind) = 1),
  CHECK ((lifted_at IS NULL) = (lifted_by IS NULL) AND (lifted_at IS NULL) = (lift_reason IS NULL))
);
CREATE INDEX legal_hold_person_idx ON legal_hold (person_id) WHERE lifted_at IS NULL;
CREATE INDEX legal_hold_incident_idx ON legal_hold (incident_id) WHERE lifted_at IS NULL;

-- What the sweep found past its time: a record (its id as the key) or, for
-- imported data, a month of it (the key is the month). Nothing about the
-- record's content is kept here. Approved rows are removed by the sweep.
CREATE TABLE retention_due (
  kind text NOT NULL REFERENCES retention_rule (kind),
  key text NOT NULL,
  records integer NOT NULL,
  due_on date NOT NULL,
  found_at timestamptz NOT NULL DEFAULT now(),
  approved_by uuid REFERENCES app_user (id),
  approved_at timestamptz,
  PRIMARY KEY (kind, key)
);
CREATE INDEX retention_due_approved_idx ON retention_due (approved_at) WHERE approved_at IS NOT NULL;

-- When the sweep last looked (once a day is enough: periods are months).
CREATE TABLE retention_check (
  day date PRIMARY KEY,
  found integer NOT NULL,
  took_ms integer NOT NULL,
  checked_at timestamptz NOT NULL DEFAULT now()
);

-- Removing an episode checks no referral still names it as the case it came from: without this index, a scan of every referral per episode.
CREATE INDEX referral_from_episode_idx ON referral (from_episode_id) WHERE from_episode_id IS NOT NULL;
