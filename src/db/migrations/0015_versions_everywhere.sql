-- Two people never silently overwrite each other (issue 18): the records a
-- page changes that had no version yet carry one, claimed by every change.
ALTER TABLE meeting ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE indicator ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE api_client ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE passkey ADD COLUMN version integer NOT NULL DEFAULT 1;
