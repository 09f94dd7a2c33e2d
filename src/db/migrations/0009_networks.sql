-- Networks and contexts (issue 5): named places, groups, and every typed
-- link between people, groups and places, each with its source, reason,
-- dates, review date and (for police intelligence) its 3x5x2 grading.
-- Links that follow from incidents are not stored: they are read from
-- involvement, so they can never disagree with the incident.

-- The partnership's named places: schools, stations, parks, estates. Shared
-- by networks (who lives, frequents, deals from) and by places and times.
CREATE TABLE place (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('school', 'station', 'park', 'pub', 'estate', 'shops', 'youth_centre', 'street', 'other')),
  latitude double precision,
  longitude double precision,
  easting double precision,
  northing double precision,
  borough_name text,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (kind, name)
);

-- Peer groups, street gangs, organised crime groups: what they are called,
-- where, and who recorded them. Membership is an association.
CREATE TABLE network_group (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('peer_group', 'street_gang', 'ocg')),
  area text,
  description text,
  agency_id uuid NOT NULL REFERENCES agency (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);

CREATE TABLE group_alias (
  group_id uuid NOT NULL REFERENCES network_group (id),
  alias text NOT NULL,
  PRIMARY KEY (group_id, alias)
);

-- One row per link. `kind` says what it joins; `link_type` what it is.
-- Removing a link keeps the row (the history) with who removed it and why;
-- every picture, list and export reads only links not removed.
CREATE TABLE association (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('person_person', 'membership', 'person_place', 'group_place', 'group_group')),
  link_type text NOT NULL,
  person_id uuid REFERENCES person (id),
  -- For exploitation the direction matters: person_id exploits other_person_id.
  other_person_id uuid REFERENCES person (id),
  group_id uuid REFERENCES network_group (id),
  other_group_id uuid REFERENCES network_group (id),
  place_id uuid REFERENCES place (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  valid_from date NOT NULL,
  valid_to date,
  reason text NOT NULL CHECK (length(trim(reason)) > 0),
  -- The 3x5x2 intelligence grading (College of Policing APP): all three or none.
  source_evaluation smallint CHECK (source_evaluation BETWEEN 1 AND 3),
  intelligence_assessment text CHECK (intelligence_assessment IN ('A', 'B', 'C', 'D', 'E')),
  handling_code text CHECK (handling_code IN ('P', 'C')),
  handling_conditions text,
  review_on date NOT NULL,
  reviewed_at timestamptz,
  removed_at timestamptz,
  removed_by uuid REFERENCES app_user (id),
  removal_reason text,
  version integer NOT NULL DEFAULT 1,
  CHECK (valid_to IS NULL OR valid_to >= valid_from),
  CHECK ((source_evaluation IS NULL) = (intelligence_assessment IS NULL) AND (source_evaluation IS NULL) = (handling_code IS NULL)),
  CHECK (handling_code IS DISTINCT FROM 'C' OR length(trim(coalesce(handling_conditions, ''))) > 0),
  CHECK (removed_at IS NULL OR removal_reason IS NOT NULL),
  CHECK (
    (kind = 'person_person' AND person_id IS NOT NULL AND other_person_id IS NOT NULL AND person_id <> other_person_id AND group_id IS NULL AND other_group_id IS NULL AND place_id IS NULL
      AND link_type IN ('family', 'friend', 'associate', 'co_offender', 'conflict', 'exploitation', 'victim_suspect'))
    OR (kind = 'membership' AND person_id IS NOT NULL AND group_id IS NOT NULL AND other_person_id IS NULL AND other_group_id IS NULL AND place_id IS NULL AND link_type = 'member')
    OR (kind = 'person_place' AND person_id IS NOT NULL AND place_id IS NOT NULL AND other_person_id IS NULL AND group_id IS NULL AND other_group_id IS NULL
      AND link_type IN ('lives', 'frequents', 'attends_school', 'deals_from'))
    OR (kind = 'group_place' AND group_id IS NOT NULL AND place_id IS NOT NULL AND person_id IS NULL AND other_person_id IS NULL AND other_group_id IS NULL
      AND link_type IN ('frequents', 'deals_from', 'area_claimed'))
    OR (kind = 'group_group' AND group_id IS NOT NULL AND other_group_id IS NOT NULL AND group_id <> other_group_id AND person_id IS NULL AND other_person_id IS NULL AND place_id IS NULL
      AND link_type IN ('rivalry', 'alliance'))
  )
);
-- "Who else" walks links from a person in both directions: one index each way, live links only.
CREATE INDEX association_person_idx ON association (person_id) WHERE removed_at IS NULL;
CREATE INDEX association_other_person_idx ON association (other_person_id) WHERE removed_at IS NULL;
CREATE INDEX association_group_idx ON association (group_id) WHERE removed_at IS NULL;
CREATE INDEX association_review_idx ON association (review_on) WHERE removed_at IS NULL;
