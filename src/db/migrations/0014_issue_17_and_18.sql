-- Second factors held to account (issue 17).

-- Wrong second-factor attempts, per account, whatever address or session
-- they came from: enough in an hour locks the account for a cool-down.
CREATE TABLE sign_in_failure (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES app_user (id),
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failure_user_idx ON sign_in_failure (user_id, at);
ALTER TABLE app_user ADD COLUMN locked_until timestamptz;

-- Passkeys (WebAuthn credentials): a user may have several, each named.
CREATE TABLE passkey (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES app_user (id),
  -- The authenticator's credential id (base64url) and COSE public key (base64url).
  credential_id text NOT NULL UNIQUE,
  public_key text NOT NULL,
  sign_count bigint NOT NULL DEFAULT 0,
  transports text[] NOT NULL DEFAULT '{}',
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX passkey_user_idx ON passkey (user_id);

-- The WebAuthn challenge a session is answering (registration or sign-in), used once.
ALTER TABLE session ADD COLUMN pending_challenge text;

-- A third stage: the second factor was given, and the partnership requires a
-- passkey to be registered before anything else.
ALTER TABLE session DROP CONSTRAINT session_stage_check;
ALTER TABLE session ADD CONSTRAINT session_stage_check CHECK (stage IN ('password', 'passkey', 'active'));

-- Idempotency keys (IETF HTTPAPI Idempotency-Key draft, issue 18): the
-- request a partner system first sent with a key, by its fingerprint, so the
-- same key with a different request is refused rather than answered with
-- the first record.
CREATE TABLE idempotency_key (
  api_client_id uuid NOT NULL REFERENCES api_client (id),
  route text NOT NULL,
  key text NOT NULL,
  fingerprint text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (api_client_id, route, key)
);

-- One sharing decision per young person and receiving agency (issue 18):
-- consent given or refused (who, when, for what), or a lawful basis to share
-- without it, which a second person confirms. Read together with the
-- consent and lawful bases recorded on urgent responses (sharing/decision.ts).
CREATE TABLE sharing_decision (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  person_id uuid NOT NULL REFERENCES person (id),
  -- The agency it is about; null: every partner agency.
  to_agency_id uuid REFERENCES agency (id),
  kind text NOT NULL CHECK (kind IN ('consent', 'refusal', 'lawful_basis')),
  by_whom text CHECK (by_whom IN ('young_person', 'parent_carer')),
  decided_at timestamptz NOT NULL,
  purpose text NOT NULL,
  basis text,
  reason text,
  agency_id uuid NOT NULL REFERENCES agency (id),
  recorded_by uuid REFERENCES app_user (id),
  recorded_by_client uuid REFERENCES api_client (id),
  recorded_at timestamptz NOT NULL DEFAULT now(),
  confirmed_by uuid REFERENCES app_user (id),
  confirmed_at timestamptz,
  withdrawn_by uuid REFERENCES app_user (id),
  withdrawn_at timestamptz,
  version integer NOT NULL DEFAULT 1,
  CHECK (kind = 'lawful_basis' OR by_whom IS NOT NULL),
  CHECK (kind <> 'lawful_basis' OR (basis IS NOT NULL AND reason IS NOT NULL)),
  -- The second person is a different person, and only a lawful basis is confirmed.
  CHECK (confirmed_by IS NULL OR (kind = 'lawful_basis' AND confirmed_by IS DISTINCT FROM recorded_by)),
  CHECK ((confirmed_by IS NULL) = (confirmed_at IS NULL))
);
CREATE INDEX sharing_decision_person_idx ON sharing_decision (person_id, decided_at DESC);
