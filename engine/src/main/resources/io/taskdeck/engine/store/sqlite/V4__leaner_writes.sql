-- Taskdeck's SQLite store, schema version 4.
-- A run's events form a chain: each journal row names the seq of the run's event before it
-- (prev_seq, NULL for its first), the run's row the seq of its last (last_seq). Both are written
-- with rows each transition writes anyway, at a constant size however many events a run has; a
-- run's events are read back along the chain by the journal's primary key. The index
-- journal_run, one entry per event (three per run at least), goes.
ALTER TABLE journal ADD COLUMN prev_seq INTEGER;
ALTER TABLE runs ADD COLUMN last_seq INTEGER;
UPDATE journal SET prev_seq = (SELECT max(earlier.seq) FROM journal AS earlier
    WHERE earlier.run_id = journal.run_id AND earlier.seq < journal.seq)
WHERE run_id IS NOT NULL;
UPDATE runs SET last_seq = (SELECT max(seq) FROM journal WHERE journal.run_id = runs.id);
DROP INDEX journal_run;

-- Leases and timers are answered from the writer's mirror of the unfinished runs (OpenRuns): the
-- lease index was written at every claim, completion and lease renewal, the timer indexes at
-- every status change of a delayed, retried or expiring run, and read only by the scheduler.
DROP INDEX runs_lease;
DROP INDEX runs_delayed;
DROP INDEX runs_retry;
DROP INDEX runs_ttl;

-- The attempt that makes a run final stays in the run's row (it ended when the run completed),
-- with its node and outcome: no attempts row and no attempts_ended entry for the last attempt of
-- a run, until the run changes again (a requeue moves it to the attempts table). Attempts that
-- ended before are in the attempts table, as before.
ALTER TABLE runs ADD COLUMN attempt_node_id TEXT;
ALTER TABLE runs ADD COLUMN attempt_outcome TEXT;
