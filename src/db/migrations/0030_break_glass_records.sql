-- Emergency access reaches incidents and casework episodes as well as urgent
-- responses (issue 21): the records that stay with the agency that holds
-- them. A person's identity record is open to every role that finds people,
-- so it needs none.
ALTER TABLE break_glass DROP CONSTRAINT break_glass_record_type_check;
ALTER TABLE break_glass ADD CONSTRAINT break_glass_record_type_check CHECK (record_type IN ('urgent_response', 'incident', 'episode'));
