-- Consent, and the lawful basis for sharing without it (confirmed by a
-- second person), and the safeguarding referral to MASH that needs one of them.

CREATE TABLE consent (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  status text NOT NULL CHECK (status IN ('given', 'refused', 'not_sought', 'not_possible')),
  by_whom text CHECK (by_whom IN ('young_person', 'parent_carer')),
  decided_at timestamptz NOT NULL,
  note text,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  CHECK (status NOT IN ('given', 'refused') OR by_whom IS NOT NULL)
);
CREATE INDEX consent_response_idx ON consent (urgent_response_id, recorded_at DESC);

CREATE TABLE lawful_basis (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  basis text NOT NULL,
  reason text NOT NULL,
  recorded_by uuid NOT NULL REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  approved_by uuid REFERENCES app_user (id),
  approved_at timestamptz,
  -- The second person is a different person.
  CHECK (approved_by IS NULL OR approved_by <> recorded_by),
  CHECK ((approved_by IS NULL) = (approved_at IS NULL))
);
CREATE INDEX lawful_basis_response_idx ON lawful_basis (urgent_response_id);

CREATE TABLE mash_referral (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  concern text NOT NULL,
  referred_at timestamptz NOT NULL,
  reference text,
  outcome text,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mash_referral_response_idx ON mash_referral (urgent_response_id);
