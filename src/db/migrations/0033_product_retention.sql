-- Products made for named agencies name people, and keep their content as
-- made (issue 21: "exports kept in Reachable"): they are kept two years after
-- the last month they cover. Whole-partnership products hold counts only.
INSERT INTO retention_rule (kind, months, trigger, policy) VALUES
  ('product', 24, 'recorded', 'Partnership policy: a product that names people is kept two years after the period it covers; a new one is made from live data if needed');
