-- Contextual safeguarding (issue 5): assessments of the contexts where young
-- people come to harm outside their families (a peer group, a school, a
-- location), with what harms and protects there, who was consulted, the plan
-- and the interventions aimed at the context itself, reviews, and the people
-- and incidents in that context. A context assessment is a partnership record:
-- every agency with a part in contextual safeguarding reads it; the agency
-- that leads it changes it.
CREATE TABLE context_assessment (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  context_kind text NOT NULL CHECK (context_kind IN ('peer_group', 'school', 'location')),
  group_id uuid REFERENCES network_group (id),
  place_id uuid REFERENCES place (id),
  agency_id uuid NOT NULL REFERENCES agency (id),
  lead_user_id uuid REFERENCES app_user (id),
  assessed_on date NOT NULL,
  harm_indicators text[] NOT NULL DEFAULT '{}',
  harm_detail text NOT NULL,
  protective_factors text[] NOT NULL DEFAULT '{}',
  protective_detail text,
  consulted text NOT NULL,
  plan text NOT NULL,
  review_on date NOT NULL,
  closed_at timestamptz,
  closed_reason text,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  -- A peer group is a recorded group; a school or a location is a named place.
  CHECK ((context_kind = 'peer_group') = (group_id IS NOT NULL) AND (context_kind <> 'peer_group') = (place_id IS NOT NULL))
);
CREATE INDEX context_assessment_review ON context_assessment (review_on) WHERE closed_at IS NULL;

-- What is done to the context, not to a child: detached youth work, lighting, guardianship.
CREATE TABLE context_intervention (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assessment_id uuid NOT NULL REFERENCES context_assessment (id),
  kind text NOT NULL,
  description text NOT NULL,
  lead_agency_id uuid NOT NULL REFERENCES agency (id),
  due_on date,
  status text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'in_place', 'done', 'stopped')),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX context_intervention_assessment ON context_intervention (assessment_id);

CREATE TABLE context_review (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assessment_id uuid NOT NULL REFERENCES context_assessment (id),
  reviewed_on date NOT NULL,
  summary text NOT NULL,
  next_review_on date,
  reviewed_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX context_review_assessment ON context_review (assessment_id);

-- The people and incidents in the context, each with why; taken off with a reason, kept as history.
CREATE TABLE context_link (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  assessment_id uuid NOT NULL REFERENCES context_assessment (id),
  person_id uuid REFERENCES person (id),
  incident_id uuid REFERENCES incident (id),
  reason text NOT NULL,
  added_by uuid REFERENCES app_user (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  removed_at timestamptz,
  removed_by uuid REFERENCES app_user (id),
  removal_reason text,
  CHECK ((person_id IS NULL) <> (incident_id IS NULL))
);
CREATE UNIQUE INDEX context_link_person ON context_link (assessment_id, person_id) WHERE removed_at IS NULL AND person_id IS NOT NULL;
CREATE UNIQUE INDEX context_link_incident ON context_link (assessment_id, incident_id) WHERE removed_at IS NULL AND incident_id IS NOT NULL;
CREATE INDEX context_link_person_id ON context_link (person_id);
