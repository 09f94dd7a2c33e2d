-- Retention for the rest of the case record (issue 21): urgent responses,
-- incidents (anonymised, not deleted: their type, time and place stay for the
-- partnership's statistics), police intelligence (graded network links) and
-- context assessments. An incident's period runs from when it happened.
ALTER TABLE retention_rule DROP CONSTRAINT retention_rule_trigger_check;
ALTER TABLE retention_rule ADD CONSTRAINT retention_rule_trigger_check CHECK (trigger IN ('closed', 'last_activity', 'birthday_25', 'recorded', 'occurred'));

INSERT INTO retention_rule (kind, months, trigger, policy) VALUES
  ('urgent_response', 0, 'birthday_25', 'Working Together to Safeguard Children and the IRMS Retention Guidelines: a child''s safeguarding record is kept until their 25th birthday'),
  ('incident', 72, 'occurred', 'Partnership information sharing agreement: who was involved in an incident is kept six years; what happened, when and where is kept without them for the partnership''s statistics'),
  ('intelligence', 72, 'last_activity', 'College of Policing APP, Management of Police Information: intelligence is reviewed six years after anything was last added to it, and not kept without a reason'),
  ('context_assessment', 72, 'closed', 'IRMS Retention Guidelines for Local Government: contextual safeguarding assessments, six years after closure');
