-- Throughput: an attempt row used to be inserted RUNNING by the claim and updated by its end, a
-- second tuple and, since ended_at is indexed, two more index entries per attempt. The open
-- attempt of an EXECUTING or WAITING run now lives on its run row (written by the claim's update
-- anyway), and td_attempt gains one row per attempt, complete, when the attempt ends.
-- Every node must run a version with this migration (OPERATIONS.md: stop every node to upgrade).
ALTER TABLE td_run ADD COLUMN attempt_started_at timestamptz, ADD COLUMN attempt_wait_ms bigint;
UPDATE td_run r SET attempt_started_at = a.started_at, attempt_wait_ms = a.wait_ms
    FROM td_attempt a
    WHERE a.run_id = r.id AND a.number = r.attempts AND a.outcome = 'RUNNING'
      AND r.status IN ('EXECUTING', 'WAITING');
DELETE FROM td_attempt WHERE outcome = 'RUNNING';
