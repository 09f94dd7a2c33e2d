-- Strategy, outcomes and the board (seeds 000 and 004): strategies and
-- action plans with domains, commitments, numbered actions and their
-- updates; the partnership's principles and which actions serve them;
-- indicators with targets and values entered by hand; the resident
-- population the disproportionality tracker divides by; rapid reviews.
-- None of it holds a person, except the rapid review's link to an incident.

-- Seed 004: six strategic and nine enabling principles; seed 000: four guiding ones.
CREATE TABLE principle (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('strategic', 'enabling', 'guiding')),
  number integer NOT NULL CHECK (number > 0),
  statement text NOT NULL,
  UNIQUE (kind, number)
);

CREATE TABLE strategy (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('strategy', 'action_plan')),
  starts_on date,
  ends_on date,
  vision text,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK (ends_on IS NULL OR starts_on IS NULL OR ends_on >= starts_on)
);

-- Seed 000: Strengthen, Support, Treat, Curtail; each strategy names its own.
CREATE TABLE strategy_domain (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  strategy_id uuid NOT NULL REFERENCES strategy (id),
  name text NOT NULL,
  summary text,
  sort integer NOT NULL DEFAULT 0,
  UNIQUE (strategy_id, name)
);

-- "We will achieve this by …"; an action plan imported from seed 004's tables has headings instead of domains.
CREATE TABLE commitment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  strategy_id uuid NOT NULL REFERENCES strategy (id),
  domain_id uuid REFERENCES strategy_domain (id),
  statement text NOT NULL,
  sort integer NOT NULL DEFAULT 0
);
CREATE INDEX commitment_strategy_idx ON commitment (strategy_id);

CREATE TABLE strategy_action (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  strategy_id uuid NOT NULL REFERENCES strategy (id),
  commitment_id uuid REFERENCES commitment (id),
  number text NOT NULL,
  statement text NOT NULL,
  -- As the plan names them ("Community Safety / Housing", "MPS"): partners are not all agencies in Reachable.
  lead_partners text[] NOT NULL DEFAULT '{}',
  starts_on date,
  due_on date,
  status text NOT NULL DEFAULT 'not_started' CHECK (status IN ('not_started', 'in_progress', 'complete', 'discontinued')),
  rag text CHECK (rag IN ('red', 'amber', 'green')),
  rag_reason text,
  sort integer NOT NULL DEFAULT 0,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  UNIQUE (strategy_id, number),
  CHECK (due_on IS NULL OR starts_on IS NULL OR due_on >= starts_on),
  -- A RAG rating always says why.
  CHECK (rag IS NULL OR rag_reason IS NOT NULL)
);

CREATE TABLE action_principle (
  action_id uuid NOT NULL REFERENCES strategy_action (id),
  principle_id uuid NOT NULL REFERENCES principle (id),
  PRIMARY KEY (action_id, principle_id)
);
CREATE INDEX action_principle_principle_idx ON action_principle (principle_id);

CREATE TABLE action_milestone (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action_id uuid NOT NULL REFERENCES strategy_action (id),
  statement text NOT NULL,
  due_on date NOT NULL,
  done_on date
);
CREATE INDEX action_milestone_action_idx ON action_milestone (action_id);

-- Progress over time: each update keeps the status and rating it set, who and when.
CREATE TABLE action_update (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  action_id uuid NOT NULL REFERENCES strategy_action (id),
  status text NOT NULL,
  rag text,
  rag_reason text,
  note text NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX action_update_action_idx ON action_update (action_id, recorded_at);

-- Defined once: computed from Reachable's records (measure names a rule in strategy/indicators.ts) or entered by hand.
CREATE TABLE indicator (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL UNIQUE,
  measure text,
  unit text NOT NULL CHECK (unit IN ('count', 'percent', 'score')),
  -- 'neither' for a description with no good direction (the share of victims who are male).
  better text NOT NULL CHECK (better IN ('lower', 'higher', 'neither')),
  target numeric,
  source text NOT NULL,
  description text NOT NULL,
  sort integer NOT NULL DEFAULT 0
);

-- The indicators issue 7 names, computed by rule (strategy/indicators.ts), and the survey one entered by hand.
INSERT INTO indicator (name, measure, unit, better, source, description, sort) VALUES
  ('Knife-injury victims under 25', 'knife_victims_under_25', 'count', 'lower', 'Reachable: incidents', 'Young people aged under 25 at the time who were victims of a knife injury in the twelve months, each counted once. A knife injury is an incident recorded as one, or a homicide, wounding or A&E violence injury with a knife. Victims whose date of birth is not known are not counted.', 10),
  ('Knife-injury victims under 18', 'knife_victims_under_18', 'count', 'lower', 'Reachable: incidents', 'As above, for children under 18 at the time.', 20),
  ('Share of knife-injury victims who are male', 'knife_victims_male_share', 'percent', 'neither', 'Reachable: incidents', 'Of knife-injury victims under 25 in the twelve months whose sex is recorded, the percentage who are male.', 30),
  ('Urgent responses with contact within 48 hours', 'contact_within_48_hours', 'percent', 'higher', 'Reachable: urgent responses', 'Of urgent responses notified in the twelve months whose 48-hour clock has been decided, the percentage where the young person was contacted in time (seed 003).', 40),
  ('Repeat victimisation within 12 months', 'repeat_victimisation', 'percent', 'lower', 'Reachable: incidents', 'Of young people under 25 who were victims of violence in the twelve months, the percentage who had also been a victim in the twelve months before.', 50),
  ('Residents who fear crime in their area', NULL, 'percent', 'lower', 'Residents’ survey', 'The percentage of residents surveyed who say they are worried about crime in their area. Entered by hand from each survey.', 60);

CREATE TABLE indicator_value (
  indicator_id uuid NOT NULL REFERENCES indicator (id),
  -- The period a value is for ends with this month, as YYYY-MM.
  month text NOT NULL CHECK (month ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
  value numeric NOT NULL,
  source text NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (indicator_id, month)
);

-- "Residents will know we have been successful when …", each tied to indicators.
CREATE TABLE success_measure (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  strategy_id uuid NOT NULL REFERENCES strategy (id),
  domain_id uuid REFERENCES strategy_domain (id),
  statement text NOT NULL,
  sort integer NOT NULL DEFAULT 0
);
CREATE TABLE success_measure_indicator (
  success_measure_id uuid NOT NULL REFERENCES success_measure (id),
  indicator_id uuid NOT NULL REFERENCES indicator (id),
  PRIMARY KEY (success_measure_id, indicator_id)
);

-- Residents by ethnicity (ONS 2021 codes as on the person record), sex and
-- age band, loaded by the partnership (e.g. from census table RM032).
CREATE TABLE population (
  ethnicity text NOT NULL,
  sex text NOT NULL CHECK (sex IN ('female', 'male')),
  age_from integer NOT NULL CHECK (age_from >= 0),
  age_to integer NOT NULL,
  people integer NOT NULL CHECK (people >= 0),
  source text NOT NULL,
  loaded_by uuid REFERENCES app_user (id),
  loaded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (ethnicity, sex, age_from),
  CHECK (age_to >= age_from)
);

CREATE TABLE rapid_review (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  incident_id uuid NOT NULL REFERENCES incident (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  scope text NOT NULL,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  opened_by uuid REFERENCES app_user (id),
  opened_at timestamptz NOT NULL DEFAULT now(),
  closed_by uuid REFERENCES app_user (id),
  closed_at timestamptz,
  version integer NOT NULL DEFAULT 1
);

-- Findings and recommendations: the learning, searchable; a recommendation becomes a tracked action.
CREATE TABLE review_entry (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES rapid_review (id),
  kind text NOT NULL CHECK (kind IN ('finding', 'recommendation')),
  statement text NOT NULL,
  action_id uuid REFERENCES strategy_action (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (kind = 'recommendation' OR action_id IS NULL)
);
CREATE INDEX review_entry_review_idx ON review_entry (review_id);
