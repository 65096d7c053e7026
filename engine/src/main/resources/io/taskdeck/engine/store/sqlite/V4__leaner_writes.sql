-- Taskdeck's SQLite store, schema version 4.
-- A run's row lists the seqs of its journal events (comma-separated, oldest first), appended in
-- the UPDATE each transition makes anyway; a run's events are read through it by the journal's
-- primary key. The index journal_run, one entry per event (three per run at least), goes.
ALTER TABLE runs ADD COLUMN journal_seqs TEXT;
UPDATE runs SET journal_seqs = (SELECT group_concat(seq, ',') FROM
    (SELECT seq FROM journal WHERE journal.run_id = runs.id ORDER BY seq));
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
