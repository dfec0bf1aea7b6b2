-- "Alias X at T" and a page of aliases at T read, for each alias, the version begun last by T
-- (latestBegunWithin, src/projections/temporal/temporal-cut.ts): an index scan, then a heap page of
-- temporal_alias_versions per alias, at a random place, which a busy server seldom has in memory.
-- With every other column of a version in the index, it is an index-only scan (the versions of a
-- rebuilt or vacuumed model are all-visible). On the 1,000,000-event history (pgbench, 600 random
-- pages of 100 at random times, without the cause lookups): p50 0.75-0.9 -> 0.52-0.57 ms, p99
-- 8.1-9.5 -> 4.7-6.5 ms. valid_to is already in an index predicate (the open index), so updates of
-- an ended version were not HOT before either.
DROP INDEX temporal_alias_versions_at_idx;
CREATE INDEX temporal_alias_versions_at_idx ON temporal_alias_versions (alias_id, valid_from DESC, version DESC)
  INCLUDE (valid_to, key_id, from_position, to_position, ended_reason);
