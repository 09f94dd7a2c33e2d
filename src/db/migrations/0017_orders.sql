-- Orders and sanctions (issue 19; DESIGN.md journey 7). The kinds the law
-- provides are shipped in code (src/modules/orders/kinds.ts, each with its
-- Act, limits and reviews); order_kind holds the kinds an administrator adds.
CREATE TABLE order_kind (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9_]{1,49}$'),
  label text NOT NULL UNIQUE,
  law text NOT NULL,
  place_based boolean NOT NULL DEFAULT false,
  voluntary boolean NOT NULL DEFAULT false,
  minimum_age integer CHECK (minimum_age BETWEEN 0 AND 25),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- An order against a person, or (a closure order, a dispersal direction, a
-- section 60 authorisation) over a place. "order" is a reserved word.
CREATE TABLE court_order (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind_code text NOT NULL,
  person_id uuid REFERENCES person (id),
  -- A place-based power's area, as a condition would draw it (jsonb zone: polygon, circle or borough).
  area jsonb,
  area_label text,
  court text NOT NULL,
  case_reference text,
  made_on date NOT NULL,
  in_force_from date NOT NULL,
  until date,
  interim boolean NOT NULL DEFAULT false,
  applying_agency_id uuid NOT NULL REFERENCES agency (id),
  lead_officer_id uuid REFERENCES app_user (id),
  lead_officer_name text NOT NULL,
  lead_officer_contact text NOT NULL,
  -- The agency that recorded it changes it; everyone allowed reads it.
  agency_id uuid NOT NULL REFERENCES agency (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_by_client uuid REFERENCES api_client (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  submission_key text,
  -- Ended early (discharged by the court, the contract withdrawn), with why.
  ended_on date,
  end_reason text,
  version integer NOT NULL DEFAULT 1,
  CHECK ((person_id IS NULL) <> (area IS NULL)),
  CHECK (in_force_from >= made_on),
  CHECK (until IS NULL OR until >= in_force_from),
  UNIQUE (agency_id, submission_key)
);
CREATE INDEX court_order_person_idx ON court_order (person_id) WHERE person_id IS NOT NULL;
CREATE INDEX court_order_until_idx ON court_order (until);

-- Review dates: those the law sets (worked out when the order is recorded,
-- with their source) and those the court sets (entered with the order).
CREATE TABLE order_review (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES court_order (id),
  due_from date NOT NULL,
  due_by date NOT NULL,
  why text NOT NULL,
  source text NOT NULL,
  held_on date,
  outcome text,
  CHECK (due_by >= due_from)
);
CREATE INDEX order_review_order_idx ON order_review (order_id);
CREATE INDEX order_review_due_idx ON order_review (due_by) WHERE held_on IS NULL;

-- Each condition typed so a machine can test it (detail holds the kind's
-- facts: hours, zone, named people and groups); "words" and the kinds no
-- feed can test are kept and say so.
CREATE TABLE order_condition (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES court_order (id),
  kind text NOT NULL CHECK (kind IN ('curfew', 'exclusion_zone', 'non_association', 'no_bladed_article', 'social_media', 'reporting', 'positive_requirement', 'words')),
  wording text NOT NULL,
  detail jsonb NOT NULL DEFAULT '{}',
  -- The zone's bounding box on the grid, for the map's "what is in view".
  min_easting double precision,
  min_northing double precision,
  max_easting double precision,
  max_northing double precision,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by uuid REFERENCES app_user (id)
);
CREATE INDEX order_condition_order_idx ON order_condition (order_id) WHERE removed_at IS NULL;

-- Found by the machine, decided by a person. One per condition, person,
-- what raised it (an incident or a link) and, for non-association, whom.
CREATE TABLE possible_breach (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  order_id uuid NOT NULL REFERENCES court_order (id),
  condition_id uuid NOT NULL REFERENCES order_condition (id),
  person_id uuid NOT NULL REFERENCES person (id),
  incident_id uuid REFERENCES incident (id),
  association_id uuid REFERENCES association (id),
  with_person_id uuid REFERENCES person (id),
  evidence text NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  decision text CHECK (decision IN ('confirmed', 'not_a_breach')),
  action text CHECK (action IN ('warning', 'arrest', 'application_to_court', 'no_further_action')),
  reason text,
  decided_by uuid REFERENCES app_user (id),
  decided_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK ((incident_id IS NULL) <> (association_id IS NULL)),
  CHECK ((decision IS NULL) = (decided_at IS NULL)),
  CHECK (decision IS DISTINCT FROM 'confirmed' OR action IS NOT NULL),
  CHECK (decision IS DISTINCT FROM 'not_a_breach' OR reason IS NOT NULL)
);
CREATE UNIQUE INDEX possible_breach_once ON possible_breach (condition_id, person_id, coalesce(incident_id, association_id), coalesce(with_person_id, '00000000-0000-0000-0000-000000000000'::uuid));
CREATE INDEX possible_breach_waiting_idx ON possible_breach (raised_at) WHERE decision IS NULL;
CREATE INDEX possible_breach_order_idx ON possible_breach (order_id);

-- The outbox carries possible breaches as well as clock reminders.
ALTER TABLE notification ALTER COLUMN urgent_response_id DROP NOT NULL;
ALTER TABLE notification ADD COLUMN possible_breach_id uuid REFERENCES possible_breach (id);
ALTER TABLE notification DROP CONSTRAINT notification_event_check;
ALTER TABLE notification ADD CONSTRAINT notification_event_check CHECK (event IN ('due_soon', 'breached', 'possible_breach'));
ALTER TABLE notification ADD CONSTRAINT notification_about_one CHECK ((urgent_response_id IS NULL) <> (possible_breach_id IS NULL));
CREATE UNIQUE INDEX notification_breach_once ON notification (possible_breach_id, recipient_id) WHERE possible_breach_id IS NOT NULL;

-- The DRM agenda lists possible breaches waiting for a decision.
ALTER TABLE meeting_item ADD COLUMN possible_breach_id uuid REFERENCES possible_breach (id);
DROP INDEX meeting_item_subject;
CREATE UNIQUE INDEX meeting_item_subject ON meeting_item (meeting_id, rule, coalesce(urgent_response_id, incident_id, person_id, referral_id, carried_action_id, possible_breach_id, '00000000-0000-0000-0000-000000000000'::uuid), coalesce(place_key, '')) WHERE rule <> 'chair';
UPDATE meeting_type SET agenda_rules = agenda_rules || ARRAY['possible_breaches'] WHERE code = 'drm';
