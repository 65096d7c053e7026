-- Taskdeck's SQLite store, schema version 2.
-- The attempt a run is executing lives in its run row until it ends, and its attempts row is
-- written once, when it ends: a claim no longer inserts into attempts and a completion no
-- longer updates it (one row write and one index write less per run).
-- Attempts left RUNNING in the attempts table by version 1 are still closed in place.
ALTER TABLE runs ADD COLUMN attempt_started_at INTEGER;
ALTER TABLE runs ADD COLUMN attempt_wait_ms INTEGER;
