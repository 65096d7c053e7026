-- Writers no longer number their events. Each writing transaction appends to td_journal_stage
-- (no lock shared with other writers, so their commits overlap and share WAL flushes); one
-- sequencer at a time (any node, under a transaction-scoped advisory lock) moves committed staged
-- events into td_journal with the next gap-free seqs and advances td_journal_head. Readers of the
-- journal sequence what is staged before they read, so they still see every committed event.
--
-- Order: id is taken when the event is staged, the last step of a writing transaction, after it
-- locked the rows of the runs it changed. A later transition of the same run waits for that lock,
-- so it is staged only after the earlier one committed: ids order each run's events, and the
-- sequencer moves the committed events in id order.
CREATE TABLE td_journal_stage (
    id           bigserial PRIMARY KEY,
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
-- Rows live for milliseconds: vacuum it by dead rows, not by a fraction of its (tiny) size.
ALTER TABLE td_journal_stage SET (autovacuum_vacuum_scale_factor = 0, autovacuum_vacuum_threshold = 5000,
    autovacuum_vacuum_cost_delay = 0);
