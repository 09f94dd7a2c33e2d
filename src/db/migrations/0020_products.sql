-- Intelligence products (issue 25): the monthly problem profile, the
-- intelligence meeting's pack, the board pack and the strategic needs
-- assessment, made from live data. A product starts as a draft whose
-- sections an analyst orders, leaves out or adds to; once generated its
-- content is kept as it was made (never silently made again), with who it is
-- for: the whole partnership (aggregates only, small numbers hidden, nobody
-- named) or named agencies (people named or pseudonymised by the opener's role).
CREATE TABLE product (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('problem_profile', 'intelligence_pack', 'board_pack', 'needs_assessment')),
  title text NOT NULL,
  -- The first and last months of the period (each month's first day).
  period_from date NOT NULL,
  period_to date NOT NULL,
  boroughs text[] NOT NULL DEFAULT '{}',
  audience text NOT NULL CHECK (audience IN ('partnership', 'restricted')),
  agency_ids uuid[] NOT NULL DEFAULT '{}',
  sections jsonb NOT NULL,
  state text NOT NULL DEFAULT 'draft' CHECK (state IN ('draft', 'generating', 'generated')),
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL DEFAULT 0,
  beat_at timestamptz,
  failure text,
  content jsonb,
  -- Whose view of the partnership's own incidents the product is made from.
  agency_id uuid NOT NULL REFERENCES agency (id),
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  generated_at timestamptz,
  -- The meeting whose agenda the pack is attached to (one pack per meeting).
  meeting_id uuid UNIQUE REFERENCES meeting (id),
  version integer NOT NULL DEFAULT 1,
  CHECK (period_from <= period_to),
  CHECK (audience = 'partnership' OR cardinality(agency_ids) > 0)
);
CREATE INDEX product_period_idx ON product (period_to DESC, created_at DESC);
