-- The sweep's daily look keeps its count for each kind, so the Retention page
-- shows it rather than working out every kind as it opens (seconds at London scale).
ALTER TABLE retention_check ADD COLUMN by_kind jsonb NOT NULL DEFAULT '{}'::jsonb;
