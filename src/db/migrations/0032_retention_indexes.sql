-- Removing an urgent response, an incident or a context assessment checks the
-- records that may name it: without these, each removed record scanned every
-- referral and agenda item (2 seconds a batch at London scale).
CREATE INDEX referral_urgent_response_idx ON referral (urgent_response_id) WHERE urgent_response_id IS NOT NULL;
CREATE INDEX meeting_item_urgent_response_idx ON meeting_item (urgent_response_id) WHERE urgent_response_id IS NOT NULL;
CREATE INDEX meeting_item_incident_idx ON meeting_item (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX meeting_item_referral_idx ON meeting_item (referral_id) WHERE referral_id IS NOT NULL;
CREATE INDEX meeting_item_possible_breach_idx ON meeting_item (possible_breach_id) WHERE possible_breach_id IS NOT NULL;
CREATE INDEX meeting_referral_urgent_response_idx ON meeting_referral (urgent_response_id) WHERE urgent_response_id IS NOT NULL;
CREATE INDEX meeting_referral_context_assessment_idx ON meeting_referral (context_assessment_id) WHERE context_assessment_id IS NOT NULL;
CREATE INDEX possible_breach_incident_idx ON possible_breach (incident_id) WHERE incident_id IS NOT NULL;
CREATE INDEX context_link_incident_idx ON context_link (incident_id) WHERE incident_id IS NOT NULL;
