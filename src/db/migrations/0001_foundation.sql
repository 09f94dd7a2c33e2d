-- Foundation: settings, agencies, users, sessions, API clients and the
-- tamper-evident audit log.

CREATE TABLE setting (
  key text PRIMARY KEY,
  value jsonb NOT NULL
);

CREATE TABLE agency (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('council', 'police', 'nhs_trust', 'probation', 'youth_justice', 'school', 'voluntary')),
  -- Agencies that are told of every incident recorded by a partner (the council's urgent response coordinators).
  receives_incidents boolean NOT NULL DEFAULT false,
  disabled_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX agency_name_key ON agency (lower(name));

CREATE TABLE app_user (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agency (id),
  email text NOT NULL,
  display_name text NOT NULL,
  roles text[] NOT NULL,
  password_hash text,
  totp_secret text,
  totp_last_step bigint,
  -- One-time set-up link: only its SHA-256 is kept.
  setup_token_hash text,
  setup_expires_at timestamptz,
  disabled_at timestamptz,
  last_signed_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  version integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX app_user_email_key ON app_user (lower(email));
CREATE UNIQUE INDEX app_user_setup_token_key ON app_user (setup_token_hash);

CREATE TABLE session (
  -- SHA-256 of the cookie's token, so a copy of the table opens no session.
  token_hash text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  -- 'password': password checked, second factor still to come; 'active': signed in.
  stage text NOT NULL CHECK (stage IN ('password', 'active')),
  via text NOT NULL DEFAULT 'password',
  -- Sign-in state kept on the session, not the user: a TOTP secret being enrolled, wrong codes so far.
  pending_totp_secret text,
  failed_codes integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX session_user_idx ON session (user_id);

CREATE TABLE api_client (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agency (id),
  name text NOT NULL,
  role text NOT NULL,
  -- SHA-256 of the credential: it is 256 random bits, so a fast hash is enough.
  secret_hash text NOT NULL UNIQUE,
  created_by uuid REFERENCES app_user (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  last_used_at timestamptz
);

-- The audit log is several hash chains ("lanes") side by side: an event joins
-- whichever lane is free, so concurrent requests do not queue behind one lock,
-- and each lane is a strict chain of its own. seq orders events overall.
CREATE SEQUENCE audit_event_seq;
CREATE TABLE audit_event (
  seq bigint PRIMARY KEY,
  chain smallint NOT NULL,
  position bigint NOT NULL,
  at timestamptz NOT NULL,
  user_id uuid,
  agency_id uuid,
  api_client_id uuid,
  action text NOT NULL,
  record_type text,
  record_id text,
  person_id uuid,
  purpose text,
  outcome text NOT NULL CHECK (outcome IN ('allowed', 'denied')),
  detail jsonb NOT NULL DEFAULT '{}',
  correlation_id text,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  UNIQUE (chain, position)
);
CREATE INDEX audit_event_record_idx ON audit_event (record_type, record_id);
CREATE INDEX audit_event_user_idx ON audit_event (user_id, at);
CREATE INDEX audit_event_person_idx ON audit_event (person_id);
CREATE INDEX audit_event_at_idx ON audit_event (at);

-- The log is append-only for everyone, the table's owner included. (A
-- superuser can still get round it, which is why the chain is hashed.)
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_event is append-only';
END;
$$;
CREATE TRIGGER audit_event_no_update BEFORE UPDATE OR DELETE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_append_only();
CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
  FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only();


-- The key that signs cookies, made here once for every instance to share.
INSERT INTO setting (key, value) VALUES ('cookie_key', to_jsonb(gen_random_uuid()::text || gen_random_uuid()::text));
