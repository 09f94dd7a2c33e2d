-- Two people never silently overwrite each other (issue 18): the records a
-- page changes that had no version yet carry one, claimed by every change.
ALTER TABLE meeting ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE indicator ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE api_client ADD COLUMN version integer NOT NULL DEFAULT 1;
ALTER TABLE passkey ADD COLUMN version integer NOT NULL DEFAULT 1;

-- Every change confirms itself (issue 22): the change a session's last form
-- made, shown once as a success banner on the page it leads to. Kept on the
-- server, never in the address or the browser.
ALTER TABLE session ADD COLUMN confirmation text;
