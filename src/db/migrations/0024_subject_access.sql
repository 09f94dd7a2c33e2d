-- Subject access requests (issue 21; UK GDPR Article 15): who asked and for
-- whom, when it was received and how identity was checked, the statutory
-- clock (one month, extendable by two with a reason), the person it was
-- matched to across every agency's records, and what the information
-- governance officer redacted from the bundle, each with its exemption.
CREATE SEQUENCE subject_access_reference_seq;
CREATE TABLE subject_access_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  requester_name text NOT NULL,
  requester_relationship text NOT NULL CHECK (requester_relationship IN ('self', 'parent_carer', 'solicitor', 'other')),
  subject_given_name text NOT NULL,
  subject_family_name text NOT NULL,
  subject_date_of_birth date,
  subject_postcode text,
  received_on date NOT NULL,
  identity_checked_on date,
  identity_evidence text,
  due_on date NOT NULL,
  extended_reason text,
  person_id uuid REFERENCES person (id),
  completed_on date,
  recorded_by uuid NOT NULL REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((identity_checked_on IS NULL) = (identity_evidence IS NULL)),
  CHECK (completed_on IS NULL OR person_id IS NOT NULL)
);
CREATE INDEX subject_access_open_idx ON subject_access_request (due_on) WHERE completed_on IS NULL;

CREATE TABLE subject_access_redaction (
  request_id uuid NOT NULL REFERENCES subject_access_request (id),
  item_key text NOT NULL,
  exemption text NOT NULL CHECK (exemption IN ('third_party', 'crime_prevention', 'social_work', 'legal_privilege')),
  note text,
  marked_by uuid NOT NULL REFERENCES app_user (id),
  marked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (request_id, item_key)
);
