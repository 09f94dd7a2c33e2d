-- Analyses too long for one page request (issue 22: near repeats' 999
-- permutations), worked out in the background once per question and kept:
-- the key is a hash of the analysis, its settings and the events it counts,
-- so new data or new settings are a new question. Results are counts, never
-- people. The process working one out beats every few hundred milliseconds;
-- one that stops beating is taken over.
CREATE TABLE worked_out (
  key text PRIMARY KEY,
  state text NOT NULL CHECK (state IN ('running', 'done')),
  done integer NOT NULL DEFAULT 0,
  total integer NOT NULL,
  result jsonb,
  started_at timestamptz NOT NULL DEFAULT now(),
  beat_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
