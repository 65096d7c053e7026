-- Taskdeck's SQLite store, schema version 1.
-- Instants are INTEGER nanoseconds since the epoch (UTC); statuses and enums are their Java names.

CREATE TABLE queues (
    name              TEXT    NOT NULL PRIMARY KEY,
    concurrency_limit INTEGER NOT NULL,
    limit_override    INTEGER,
    key_limit         INTEGER NOT NULL,
    paused            INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;

CREATE TABLE runs (
    id                         TEXT    NOT NULL PRIMARY KEY,
    task_id                    TEXT    NOT NULL,
    queue                      TEXT    NOT NULL,
    status                     TEXT    NOT NULL,
    payload                    TEXT    NOT NULL,
    output                     TEXT,
    error_type                 TEXT,
    error_message              TEXT,
    error_stack                TEXT,
    metadata                   TEXT,
    tags                       TEXT,    -- JSON array; null when there are none
    idempotency_key            TEXT,
    idempotency_key_expires_at INTEGER,
    concurrency_key            TEXT,
    priority                   INTEGER NOT NULL,
    order_key                  INTEGER NOT NULL,  -- Run.orderKey(): created ms minus the priority head start
    created_at                 INTEGER NOT NULL,
    run_at                     INTEGER,
    expires_at                 INTEGER,
    started_at                 INTEGER,
    completed_at               INTEGER,
    updated_at                 INTEGER NOT NULL,
    attempts                   INTEGER NOT NULL,
    max_attempts               INTEGER NOT NULL,
    parent_id                  TEXT,
    root_id                    TEXT,
    batch_id                   TEXT,
    node_id                    TEXT,
    lease_until                INTEGER,
    dead_letter                TEXT    NOT NULL,
    fingerprint                TEXT
);

-- Claims scan a queue's QUEUED runs in scheduling order.
CREATE INDEX runs_claim ON runs (queue, order_key, id) WHERE status = 'QUEUED';
-- Key slots: runs of a concurrency key that are executing or waiting for their retry.
CREATE INDEX runs_key ON runs (queue, concurrency_key, status) WHERE concurrency_key IS NOT NULL;
-- Leases of held runs: rescue and the next due instant.
CREATE INDEX runs_lease ON runs (lease_until) WHERE status IN ('EXECUTING', 'WAITING');
-- Timers: delays, retry timers, TTLs.
CREATE INDEX runs_delayed ON runs (run_at) WHERE status = 'DELAYED';
CREATE INDEX runs_retry ON runs (run_at) WHERE status = 'QUEUED' AND run_at IS NOT NULL;
CREATE INDEX runs_ttl ON runs (expires_at)
    WHERE status IN ('DELAYED', 'QUEUED') AND attempts = 0 AND expires_at IS NOT NULL;
-- Children of a parent, open dead letters, retention.
CREATE INDEX runs_parent ON runs (parent_id, created_at) WHERE parent_id IS NOT NULL;
CREATE INDEX runs_dead_letter ON runs (fingerprint) WHERE dead_letter = 'OPEN';
CREATE INDEX runs_completed ON runs (completed_at) WHERE completed_at IS NOT NULL;

-- Live idempotency keys: the run each (task, key) points to. Resetting a key deletes its row.
CREATE TABLE idempotency_keys (
    task_id    TEXT    NOT NULL,
    key        TEXT    NOT NULL,
    run_id     TEXT    NOT NULL,
    expires_at INTEGER,
    PRIMARY KEY (task_id, key)
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_run ON idempotency_keys (run_id);

-- Run counts per queue, task and status, kept in step with every write.
CREATE TABLE run_counts (
    queue   TEXT    NOT NULL,
    status  TEXT    NOT NULL,
    task_id TEXT    NOT NULL,
    n       INTEGER NOT NULL,
    PRIMARY KEY (queue, status, task_id)
) WITHOUT ROWID;

CREATE TABLE attempts (
    run_id        TEXT    NOT NULL,
    number        INTEGER NOT NULL,
    task_id       TEXT    NOT NULL,
    queue         TEXT    NOT NULL,
    node_id       TEXT,
    wait_ms       INTEGER NOT NULL,
    started_at    INTEGER NOT NULL,
    ended_at      INTEGER,
    outcome       TEXT    NOT NULL,
    error_type    TEXT,
    error_message TEXT,
    error_stack   TEXT,
    PRIMARY KEY (run_id, number)
) WITHOUT ROWID;
CREATE INDEX attempts_ended ON attempts (ended_at) WHERE ended_at IS NOT NULL;

CREATE TABLE logs (
    id      INTEGER PRIMARY KEY,
    run_id  TEXT    NOT NULL,
    attempt INTEGER NOT NULL,
    at      INTEGER NOT NULL,
    level   TEXT    NOT NULL,
    message TEXT    NOT NULL
);
CREATE INDEX logs_run ON logs (run_id, id);

-- The append-only journal; seq is gap-free and times never go backwards along it.
CREATE TABLE journal (
    seq      INTEGER PRIMARY KEY,
    at       INTEGER NOT NULL,
    kind     TEXT    NOT NULL,
    run_id   TEXT,
    task_id  TEXT,
    queue    TEXT,
    from_status TEXT,
    to_status   TEXT,
    attempt  INTEGER NOT NULL,
    detail   TEXT
);
CREATE INDEX journal_run ON journal (run_id, seq) WHERE run_id IS NOT NULL;
