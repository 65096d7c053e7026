-- Taskdeck's SQLite store, schema version 3.
-- Claims and concurrency-key slots are decided from the writer's in-memory mirror of the
-- unfinished runs (OpenRuns), so the indexes that served them only cost writes: runs_claim was
-- written at every trigger and every claim, runs_key at every status change of a keyed run.
DROP INDEX runs_claim;
DROP INDEX runs_key;

-- One index on completed_at for both ends of a run's life: its NULL entries are the unfinished
-- runs, which the mirror loads at open without scanning the whole table; the others are what
-- retention prunes, oldest first (replaces the partial runs_completed). A claim or a lease
-- renewal changes neither column, so it is not touched; a completion moves the run's entry.
DROP INDEX runs_completed;
CREATE INDEX runs_ended ON runs (completed_at);

-- The console's list filtered by concurrency key (with or without queues), in id order. The
-- key and the id never change, so only inserting a keyed run writes it.
CREATE INDEX runs_concurrency_key ON runs (concurrency_key, id) WHERE concurrency_key IS NOT NULL;
