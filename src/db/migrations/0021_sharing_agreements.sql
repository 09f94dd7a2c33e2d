-- Data sharing agreements (issue 21): the partnership's register of who may
-- share what with whom, for which purposes, under which lawful bases (UK
-- GDPR Article 6 and, for special category and criminal offence data,
-- Article 9 and 10 conditions with the Data Protection Act 2018 Schedule 1
-- paragraph), from when, reviewed when, ending when, signed by whom, and
-- where the signed document is kept. Sharing between agencies is refused
-- when no agreement in force covers the purpose between them.
CREATE TABLE sharing_agreement (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL,
  party_agency_ids uuid[] NOT NULL CHECK (cardinality(party_agency_ids) >= 2),
  purposes text[] NOT NULL CHECK (cardinality(purposes) >= 1),
  data_categories text[] NOT NULL CHECK (cardinality(data_categories) >= 1),
  article6 text NOT NULL,
  article9 text,
  article10 text,
  schedule1 text,
  starts_on date NOT NULL,
  review_on date NOT NULL,
  ends_on date,
  signatories text NOT NULL,
  document text NOT NULL,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1,
  CHECK (ends_on IS NULL OR ends_on >= starts_on),
  CHECK (review_on >= starts_on)
);
CREATE INDEX sharing_agreement_parties_idx ON sharing_agreement USING gin (party_agency_ids);

-- Reminders to information governance officers of agreements due for review:
-- once per agreement, review date and officer (a new review date reminds again).
ALTER TABLE notification ADD COLUMN sharing_agreement_id uuid REFERENCES sharing_agreement (id);
ALTER TABLE notification DROP CONSTRAINT notification_about_one;
ALTER TABLE notification ADD CONSTRAINT notification_about_one CHECK (num_nonnulls(urgent_response_id, possible_breach_id, critical_incident_id, missing_episode_id, sharing_agreement_id) = 1);
CREATE UNIQUE INDEX notification_agreement_once ON notification (sharing_agreement_id, clock, recipient_id) WHERE sharing_agreement_id IS NOT NULL;
ALTER TABLE notification DROP CONSTRAINT notification_event_check;
ALTER TABLE notification ADD CONSTRAINT notification_event_check CHECK (event IN ('due_soon', 'breached', 'possible_breach', 'critical_incident', 'review_due'));
