-- Rapid reviews (issue 7, item 5): one review per incident, and readable
-- references (RR-2026-007) drawn from a sequence so two reviewers opening
-- at once never clash.
CREATE SEQUENCE rapid_review_reference_seq;
CREATE UNIQUE INDEX rapid_review_incident_idx ON rapid_review (incident_id);
CREATE INDEX rapid_review_status_idx ON rapid_review (status, opened_at);
