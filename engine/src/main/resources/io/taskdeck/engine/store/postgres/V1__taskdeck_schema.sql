-- Taskdeck's PostgreSQL schema. Several nodes share it: every limit is enforced in here.

-- Queues. A claim locks the rows of the queues it draws from (in name order), so two nodes
-- never both see a free slot that only one of them may take.
CREATE TABLE td_queue (
    name               text COLLATE "C" PRIMARY KEY,
    concurrency_limit  integer NOT NULL,
    limit_override     integer,
    key_limit          integer NOT NULL,
    paused             boolean NOT NULL DEFAULT false,
    position           bigserial
);

CREATE TABLE td_run (
    id                          text COLLATE "C" PRIMARY KEY,
    task_id                     text COLLATE "C" NOT NULL,
    queue                       text COLLATE "C" NOT NULL,
    status                      text NOT NULL,
    payload                     text NOT NULL,
    output                      text,
    error_type                  text,
    error_message               text,
    error_stack                 text,
    metadata                    text,
    tags                        text[] NOT NULL DEFAULT '{}',
    idempotency_key             text COLLATE "C",
    idempotency_key_expires_at  timestamptz,
    idempotency_live            boolean NOT NULL DEFAULT false,
    concurrency_key             text COLLATE "C",
    priority                    integer NOT NULL,
    order_key                   bigint NOT NULL,
    created_at                  timestamptz NOT NULL,
    run_at                      timestamptz,
    expires_at                  timestamptz,
    started_at                  timestamptz,
    completed_at                timestamptz,
    updated_at                  timestamptz NOT NULL,
    attempts                    integer NOT NULL,
    max_attempts                integer NOT NULL,
    parent_id                   text COLLATE "C",
    root_id                     text COLLATE "C",
    batch_id                    text COLLATE "C",
    node_id                     text COLLATE "C",
    lease_until                 timestamptz,
    dead_letter                 text NOT NULL,
    fingerprint                 text,
    -- A keyed run waiting for its retry keeps its key's slot (Run.isRetryPending).
    retry_pending               boolean GENERATED ALWAYS AS
                                    (status = 'QUEUED' AND attempts > 0 AND error_type IS NOT NULL) STORED
);

-- One live run per (task, idempotency key) across every node. A key is "live" until reset; an
-- expired key is released by the insert that finds it expired.
CREATE UNIQUE INDEX td_run_idempotency ON td_run (task_id, idempotency_key) WHERE idempotency_live;

-- Claim order within a queue: unkeyed (or retry-due keyed) runs, and keyed runs.
CREATE INDEX td_run_ready ON td_run (queue, order_key, id)
    WHERE status = 'QUEUED' AND (concurrency_key IS NULL OR retry_pending);
CREATE INDEX td_run_ready_keyed ON td_run (queue, concurrency_key, order_key, id)
    WHERE status = 'QUEUED' AND concurrency_key IS NOT NULL AND NOT retry_pending;
-- Slots in use: executing runs per queue, key holders per queue and key.
CREATE INDEX td_run_executing ON td_run (queue) WHERE status = 'EXECUTING';
CREATE INDEX td_run_key_holders ON td_run (queue, concurrency_key)
    WHERE concurrency_key IS NOT NULL AND (status = 'EXECUTING' OR retry_pending);
-- Timers: delays, retry timers, TTLs, leases.
CREATE INDEX td_run_delayed ON td_run (run_at) WHERE status = 'DELAYED';
CREATE INDEX td_run_retry_due ON td_run (run_at) WHERE status = 'QUEUED' AND run_at IS NOT NULL;
CREATE INDEX td_run_ttl ON td_run (expires_at)
    WHERE status IN ('DELAYED', 'QUEUED') AND attempts = 0 AND expires_at IS NOT NULL;
CREATE INDEX td_run_leases ON td_run (lease_until) WHERE status IN ('EXECUTING', 'WAITING');
CREATE INDEX td_run_node ON td_run (node_id) WHERE node_id IS NOT NULL;
-- Reads. Every full (non-partial) index of td_run gains an entry on each status change, three
-- times per run at least, so run lists walk the primary key (newest first) and filter instead.
CREATE INDEX td_run_parent ON td_run (parent_id, created_at) WHERE parent_id IS NOT NULL;
CREATE INDEX td_run_dead_letters ON td_run (fingerprint) WHERE dead_letter = 'OPEN';

CREATE TABLE td_attempt (
    run_id         text COLLATE "C" NOT NULL,
    number         integer NOT NULL,
    task_id        text COLLATE "C" NOT NULL,
    queue          text COLLATE "C" NOT NULL,
    node_id        text COLLATE "C",
    wait_ms        bigint NOT NULL,
    started_at     timestamptz NOT NULL,
    ended_at       timestamptz,
    outcome        text NOT NULL,
    error_type     text,
    error_message  text,
    error_stack    text,
    PRIMARY KEY (run_id, number)
);
CREATE INDEX td_attempt_ended ON td_attempt (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE td_log (
    id        bigserial PRIMARY KEY,
    run_id    text COLLATE "C" NOT NULL,
    attempt   integer NOT NULL,
    at        timestamptz NOT NULL,
    level     text NOT NULL,
    message   text NOT NULL
);
CREATE INDEX td_log_run ON td_log (run_id, id);

-- The journal. Sequence numbers come from the single row of td_journal_head, locked by each
-- writing transaction just before it commits: transactions that journal commit in seq order,
-- so a reader on any node sees a gap-free prefix. last_at keeps event times non-decreasing.
CREATE TABLE td_journal_head (
    id       integer PRIMARY KEY CHECK (id = 1),
    last_seq bigint NOT NULL,
    last_at  timestamptz NOT NULL
);
INSERT INTO td_journal_head VALUES (1, 0, '-infinity');

CREATE TABLE td_journal (
    seq          bigint PRIMARY KEY,
    at           timestamptz NOT NULL,
    kind         text NOT NULL,
    run_id       text COLLATE "C",
    task_id      text COLLATE "C",
    queue        text COLLATE "C",
    from_status  text,
    to_status    text,
    attempt      integer NOT NULL,
    detail       text
);
CREATE INDEX td_journal_at ON td_journal (at);
CREATE INDEX td_journal_run ON td_journal (run_id, seq) WHERE run_id IS NOT NULL;

-- Node registry: each node heartbeats on the database's clock.
CREATE TABLE td_node (
    node_id         text COLLATE "C" PRIMARY KEY,
    host            text,
    pid             bigint,
    started_at      timestamptz NOT NULL,
    last_heartbeat  timestamptz NOT NULL,
    stopped_at      timestamptz
);
