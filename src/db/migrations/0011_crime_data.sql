-- Places and times (issue 6): data imported for analysis, kept apart from
-- case records. police.uk street-level crime (anonymised points, months only)
-- with British National Grid coordinates worked out at import, so analysis
-- never reprojects. Each row has a key that makes a re-import add nothing:
-- the Crime ID where there is one, otherwise (anti-social behaviour) the
-- row's content and how many times that content came before it in its file.
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
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  row_key text NOT NULL UNIQUE,
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
CREATE INDEX crime_record_month ON crime_record (month, crime_type);

-- police.uk stop and search: date and time with the offset as published,
-- points anonymised as for crimes; no ID, so keyed by content.
CREATE TABLE stop_search (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  row_key text NOT NULL UNIQUE,
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
CREATE INDEX stop_search_at ON stop_search (searched_at);
