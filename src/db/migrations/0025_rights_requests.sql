-- Requests to correct, erase, restrict or object (issue 21; UK GDPR Articles
-- 16, 17, 18 and 21): recorded with their clock (one month, as for subject
-- access), the decision with its reason, and what was changed.
CREATE SEQUENCE rights_request_reference_seq;
CREATE TABLE rights_request (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  kind text NOT NULL CHECK (kind IN ('rectification', 'erasure', 'restriction', 'objection')),
  requester_name text NOT NULL,
  about text NOT NULL,
  asked text NOT NULL,
  received_on date NOT NULL,
  due_on date NOT NULL,
  decision text CHECK (decision IN ('agreed', 'partly_agreed', 'refused')),
  decision_reason text,
  changed text,
  decided_on date,
  decided_by uuid REFERENCES app_user (id),
  recorded_by uuid NOT NULL REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK ((decision IS NULL) = (decided_on IS NULL) AND (decision IS NULL) = (decision_reason IS NULL)),
  CHECK (decision IS DISTINCT FROM 'agreed' AND decision IS DISTINCT FROM 'partly_agreed' OR changed IS NOT NULL)
);
