-- The embedded queue's claim (issue #17): the next waiting job in priority order is the first entry
-- of an index that holds only waiting jobs, so a claim reads one entry instead of every job's entry
-- (jobs_next led with status and the claim's `OR` on status made it a bitmap scan of every waiting
-- and active entry, then a sort; PGlite has no autovacuum, so those entries included every job run
-- since the start). Active jobs whose lock expired are found through their own small index.
DROP INDEX jobs_next;
CREATE INDEX jobs_waiting ON jobs (priority, run_at, id) WHERE status = 'waiting';
CREATE INDEX jobs_locked ON jobs (locked_until) WHERE status = 'active';
