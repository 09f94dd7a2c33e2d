-- The 48-hour urgent response (seed 003): one per young person while open,
-- linked to the incidents that led to it, with the work done on it.

CREATE SEQUENCE urgent_response_reference_seq;

CREATE TABLE urgent_response (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  reference text NOT NULL UNIQUE,
  person_id uuid NOT NULL REFERENCES person (id),
  -- The coordinating agency: the one told of every incident (the council), else the recording agency.
  agency_id uuid NOT NULL REFERENCES agency (id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  source text NOT NULL CHECK (source IN ('custody', 'ae', 'community', 'school')),
  -- The clocks start here: when the partnership learned of the first linked incident.
  notified_at timestamptz NOT NULL,
  custody_booked_at timestamptz,
  custody_suite text,
  custody_notified_at timestamptz,
  owner_id uuid REFERENCES app_user (id),
  opened_at timestamptz NOT NULL DEFAULT now(),
  opened_by uuid REFERENCES app_user (id),
  opened_how text NOT NULL CHECK (opened_how IN ('incident', 'by hand', 'custody notification', 'hospital referral')),
  drm_referred_at timestamptz,
  closed_at timestamptz,
  closed_by uuid REFERENCES app_user (id),
  closure_reason text CHECK (closure_reason IN ('supported', 'declined', 'no_contact', 'moved_away', 'not_eligible')),
  closure_note text,
  version integer NOT NULL DEFAULT 1,
  CHECK ((status = 'closed') = (closed_at IS NOT NULL AND closure_reason IS NOT NULL))
);
-- "unless one is already open for them": at most one open urgent response per person.
CREATE UNIQUE INDEX urgent_response_one_open ON urgent_response (person_id) WHERE status = 'open';
CREATE INDEX urgent_response_agency_idx ON urgent_response (agency_id, status, notified_at);
CREATE INDEX urgent_response_owner_idx ON urgent_response (owner_id, status);

CREATE TABLE urgent_response_incident (
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  incident_id uuid NOT NULL REFERENCES incident (id),
  linked_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (urgent_response_id, incident_id)
);
CREATE INDEX urgent_response_incident_incident_idx ON urgent_response_incident (incident_id);

CREATE TABLE contact_attempt (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  attempted_at timestamptz NOT NULL,
  with_whom text NOT NULL CHECK (with_whom IN ('young_person', 'parent_carer', 'professional')),
  channel text NOT NULL CHECK (channel IN ('hospital', 'custody', 'home', 'school', 'phone', 'text', 'letter', 'other_professional')),
  outcome text NOT NULL CHECK (outcome IN ('reached', 'no_answer', 'refused', 'wrong_details')),
  note text,
  recorded_by uuid REFERENCES app_user (id),
  recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX contact_attempt_response_idx ON contact_attempt (urgent_response_id, attempted_at);

-- One notification per clock event, however many sweeps or instances run.
CREATE TABLE notification (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  urgent_response_id uuid NOT NULL REFERENCES urgent_response (id),
  clock text NOT NULL,
  event text NOT NULL CHECK (event IN ('due_soon', 'breached')),
  recipient_id uuid NOT NULL REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_via text NOT NULL DEFAULT 'outbox',
  read_at timestamptz,
  UNIQUE (urgent_response_id, clock, event, recipient_id)
);
CREATE INDEX notification_recipient_idx ON notification (recipient_id, created_at DESC);
