-- Usage counters split into downloads and API calls (issue 4). `n` stays the total of every use;
-- rows written before this migration count in `n` only.
ALTER TABLE usage_counts ADD COLUMN downloads INTEGER NOT NULL DEFAULT 0;
ALTER TABLE usage_counts ADD COLUMN api_calls INTEGER NOT NULL DEFAULT 0;
-- The "most used" list and the quality score read a period of days across datasets.
CREATE INDEX usage_counts_day ON usage_counts (day, dataset_id);
