-- Plans that stay fast when the planner has no statistics: a new database, or autovacuum off (as on
-- the CI machines), where nothing has been ANALYZEd. Both were measured under load.

-- 1. The index for "aliases of key K" led with (account_id, region), so it also matched a lookup by
-- (account_id, region, alias_name), with alias_name as a non-leading condition. Without statistics
-- both indexes cost the same, the planner took this one, and the trigger's UPDATE/DELETE of one
-- alias walked every alias of the Region: 12 ms instead of 0.1 ms with 22,000 aliases. Led by
-- key_id, it no longer looks like a way to find an alias by name.
DROP INDEX kms_aliases_key_idx;
CREATE INDEX kms_aliases_key_idx ON kms_aliases (key_id, account_id, region, alias_name);

-- 2. A history read for a batch of units names many tags. Without statistics the planner guessed
-- tens of thousands of rows for `tags && $1`, and picked either two parallel workers (80-150 ms for
-- a read of a few hundred rows) or, as the array grew, a sequential scan that compares every
-- event's tags with every tag asked for (1.3 s at 100,000 events and 96 tags). The read is always
-- a lookup of a few tags' events: always the GIN index, never in parallel.
ALTER FUNCTION events_lock_and_read(text[]) SET max_parallel_workers_per_gather = 0;
ALTER FUNCTION events_lock_and_read(text[]) SET enable_seqscan = off;
