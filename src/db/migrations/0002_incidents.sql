-- Incidents, the people involved in them, and who they are shared with.

CREATE TABLE incident_type (
  code text PRIMARY KEY,
  label text NOT NULL,
  sort integer NOT NULL,
  active boolean NOT NULL DEFAULT true
);
-- The seeds' kinds and the Serious Violence Duty's (Home Office, 2022).
INSERT INTO incident_type (code, label, sort) VALUES
  ('knife_injury', 'Knife injury', 10),
  ('gun_discharge', 'Gun discharge', 20),
  ('homicide', 'Homicide', 30),
  ('wounding_gbh', 'Wounding or grievous bodily harm', 40),
  ('weapon_robbery', 'Robbery with a weapon', 50),
  ('weapon_possession', 'Possession of a bladed article or firearm', 60),
  ('pwits_arrest', 'Arrest for possession with intent to supply', 70),
  ('ae_violence_injury', 'A&E attendance with a violence injury', 80),
  ('missing_exploitation', 'Return from a missing episode with exploitation indicators', 90),
  ('risk_disclosure', 'Disclosure of risk', 100),
  ('other', 'Other', 110);

CREATE TABLE person (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agency (id),
  given_name text NOT NULL,
  family_name text NOT NULL,
  date_of_birth date,
  sex text NOT NULL CHECK (sex IN ('female', 'male', 'not_known')),
  ethnicity text NOT NULL,
  address text,
  postcode text,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE INDEX person_name_idx ON person (lower(family_name), lower(given_name));
CREATE INDEX person_agency_idx ON person (agency_id);

CREATE SEQUENCE incident_reference_seq;

CREATE TABLE incident (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  -- The recording agency: it owns the record and decides who it is shared with.
  agency_id uuid NOT NULL REFERENCES agency (id),
  occurred_at timestamptz NOT NULL,
  notified_at timestamptz NOT NULL,
  type_code text NOT NULL REFERENCES incident_type (code),
  weapon text NOT NULL,
  place_description text NOT NULL,
  latitude double precision,
  longitude double precision,
  -- British National Grid (EPSG:27700), computed once when the point is saved.
  easting double precision,
  northing double precision,
  borough_code text,
  borough_name text,
  lsoa_code text,
  source_agency_id uuid NOT NULL REFERENCES agency (id),
  source_reference text,
  narrative text,
  -- Hidden field of the form (or Idempotency-Key header): a second submit finds the first incident.
  submission_key text,
  created_by uuid REFERENCES app_user (id),
  created_by_client uuid REFERENCES api_client (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_by uuid REFERENCES app_user (id),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX incident_submission_key ON incident (agency_id, submission_key);
-- The list's orders and filters, each an index walked in list order (bench/incidents.ts).
CREATE INDEX incident_occurred_idx ON incident (occurred_at DESC, id DESC);
CREATE INDEX incident_agency_occurred_idx ON incident (agency_id, occurred_at DESC);
CREATE INDEX incident_type_idx ON incident (type_code, occurred_at DESC);
CREATE INDEX incident_borough_idx ON incident (borough_code, occurred_at DESC);
CREATE INDEX incident_borough_type_idx ON incident (borough_code, type_code, occurred_at DESC);

CREATE TABLE incident_share (
  incident_id uuid NOT NULL REFERENCES incident (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  PRIMARY KEY (incident_id, agency_id)
);
CREATE INDEX incident_share_agency_idx ON incident_share (agency_id, incident_id);

CREATE TABLE involvement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incident (id),
  person_id uuid NOT NULL REFERENCES person (id),
  role text NOT NULL CHECK (role IN ('victim', 'suspect', 'witness', 'associate', 'other')),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (incident_id, person_id, role)
);
CREATE INDEX involvement_person_idx ON involvement (person_id);

-- The key behind pseudonyms shown to roles that may not identify people.
INSERT INTO setting (key, value) VALUES ('pseudonym_key', to_jsonb(gen_random_uuid()::text));
