-- Places and times (issue 6): data imported for analysis, kept apart from
-- case records. police.uk street-level crime (anonymised points, months only)
-- with British National Grid coordinates worked out at import, so analysis
-- never reprojects. Each row's id is worked out from a key, so a re-import
-- adds nothing: the Crime ID where there is one, otherwise (anti-social
-- behaviour, stop and search, ISTV) the row's content and how many times that
-- content came before it in its file. The id is the key's MD5 as a uuid: one
-- compact index instead of a long text one, which keeps imports fast.
CREATE TABLE import_run (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('police_street', 'stop_search', 'istv')),
  file_name text NOT NULL,
  rows_read integer NOT NULL,
  rows_added integer NOT NULL,
  imported_by uuid REFERENCES app_user (id),
  imported_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE crime_record (
  id uuid PRIMARY KEY,
  crime_id text,
  month date NOT NULL,
  reported_by text NOT NULL,
  falls_within text NOT NULL,
  longitude double precision,
  latitude double precision,
  easting double precision,
  northing double precision,
  location text,
  lsoa_code text,
  lsoa_name text,
  crime_type text NOT NULL,
  last_outcome text,
  context text,
  import_id uuid NOT NULL REFERENCES import_run (id)
);
-- Months arrive in order, a file at a time: a BRIN index finds them and costs almost nothing to keep up as rows go in.
CREATE INDEX crime_record_month ON crime_record USING brin (month);

-- police.uk stop and search: date and time with the offset as published,
-- points anonymised as for crimes; no ID, so keyed by content.
CREATE TABLE stop_search (
  id uuid PRIMARY KEY,
  search_type text NOT NULL,
  searched_at timestamptz NOT NULL,
  part_of_operation boolean,
  operation text,
  longitude double precision,
  latitude double precision,
  easting double precision,
  northing double precision,
  gender text,
  age_range text,
  self_defined_ethnicity text,
  officer_defined_ethnicity text,
  legislation text,
  object_of_search text,
  outcome text,
  outcome_linked boolean,
  removal_of_clothing boolean,
  import_id uuid NOT NULL REFERENCES import_run (id)
);
CREATE INDEX stop_search_at ON stop_search USING brin (searched_at);

-- NHS Information Sharing to Tackle Violence (ISTV): anonymised assaults from
-- an emergency department, with the national code lists as data an
-- administrator maintains. Where a code is not in the list, the description
-- the file gave is kept. The free-text place of the assault is matched to the
-- partnership's named places; those not matched wait in a queue.
CREATE TABLE istv_code (
  list text NOT NULL CHECK (list IN ('method', 'location_type')),
  code text NOT NULL,
  description text NOT NULL,
  PRIMARY KEY (list, code)
);
INSERT INTO istv_code (list, code, description) VALUES
  ('method', '01', 'Body part (hands, feet, head)'),
  ('method', '02', 'Knife or other bladed article'),
  ('method', '03', 'Glass or bottle'),
  ('method', '04', 'Blunt object'),
  ('method', '05', 'Firearm'),
  ('method', '06', 'Other weapon'),
  ('method', '99', 'Not known'),
  ('location_type', '01', 'Home'),
  ('location_type', '02', 'Street or road'),
  ('location_type', '03', 'Pub, bar or club'),
  ('location_type', '04', 'School or college'),
  ('location_type', '05', 'Public transport'),
  ('location_type', '06', 'Park or open space'),
  ('location_type', '07', 'Shop or shopping area'),
  ('location_type', '08', 'Workplace'),
  ('location_type', '09', 'Other'),
  ('location_type', '99', 'Not known');

CREATE TABLE ae_attendance (
  id uuid PRIMARY KEY,
  site_code text NOT NULL,
  reporting_period date NOT NULL,
  arrived_at timestamptz NOT NULL,
  assault_on date,
  assaulted_at timestamptz,
  method_code text,
  method_description text,
  location_type_code text,
  location_type_description text,
  location_text text,
  place_id uuid REFERENCES place (id),
  -- matched (by name), chosen (by an analyst), unmatched (waiting), none (not a named place)
  match_status text NOT NULL CHECK (match_status IN ('matched', 'chosen', 'unmatched', 'none')),
  import_id uuid NOT NULL REFERENCES import_run (id)
);
CREATE INDEX ae_attendance_unmatched ON ae_attendance (location_text) WHERE match_status = 'unmatched';
CREATE INDEX ae_attendance_at ON ae_attendance (assault_on);

-- An analyst's answer for a free-text place that did not match by name: the
-- named place it is (or none), used for every row with that text, now and in
-- later imports.
CREATE TABLE place_match (
  location_key text PRIMARY KEY,
  place_id uuid REFERENCES place (id),
  chosen_by uuid REFERENCES app_user (id),
  chosen_at timestamptz NOT NULL DEFAULT now()
);

-- School terms, which the partnership keeps (seed 000: risk is higher on
-- school days and in the two hours after school). A school day is a weekday
-- in a term that is not a bank holiday.
CREATE TABLE term_period (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  starts_on date NOT NULL,
  ends_on date NOT NULL,
  CHECK (ends_on >= starts_on)
);
