-- The signed data sharing agreement itself (issue 21), uploaded as a PDF by
-- the information governance officer: one current copy per agreement, with
-- its SHA-256 so the copy read can be checked against the one signed. Each
-- upload's hash is also in the audit log.
CREATE TABLE sharing_agreement_document (
  agreement_id uuid PRIMARY KEY REFERENCES sharing_agreement (id),
  content bytea NOT NULL,
  bytes integer NOT NULL CHECK (bytes > 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_by uuid NOT NULL REFERENCES app_user (id),
  uploaded_at timestamptz NOT NULL DEFAULT now()
);
