-- Taskdeck's SQLite store, schema version 3.
-- Claims and concurrency-key slots are decided from the writer's in-memory mirror of the
-- unfinished runs (OpenRuns), so the indexes that served them only cost writes: runs_claim was
-- written at every trigger and every claim, runs_key at every status change of a keyed run.
DROP INDEX runs_claim;
DROP INDEX runs_key;

-- What the mirror loads at open: the unfinished runs (their completed_at is empty), found
-- without scanning the whole table. Written when a run is triggered and when it ends (and on a
-- requeue); a claim or a lease renewal leaves it alone (neither column changes).
CREATE INDEX runs_open ON runs (created_at) WHERE completed_at IS NULL;

-- The console's list filtered by concurrency key (with or without queues), in id order. The
-- key and the id never change, so only inserting a keyed run writes it.
CREATE INDEX runs_concurrency_key ON runs (concurrency_key, id) WHERE concurrency_key IS NOT NULL;
