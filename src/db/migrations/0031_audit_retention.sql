-- The audit log's own place in the retention schedule (issue 21). Kept as
-- long as the longest-kept record it describes: a ten-year-old's safeguarding
-- record is kept to their 25th birthday, fifteen years on. Approved months are
-- removed by the database owner (`reachable audit expire`), behind a signed
-- cut so that `reachable audit verify` still passes.
INSERT INTO retention_rule (kind, months, trigger, policy) VALUES
  ('audit_event', 180, 'recorded', 'Data Protection Act 2018 s62 and UK GDPR Article 5(2): who saw or changed a record is kept as long as the longest-kept record it describes (a ten-year-old''s safeguarding record, to their 25th birthday)');
