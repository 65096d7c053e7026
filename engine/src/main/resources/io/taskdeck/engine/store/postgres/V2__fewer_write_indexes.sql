-- Throughput: every entry of a full index is written on each run status change or journal
-- append. These two served rare reads that do without them:
-- td_run_node: the node registry counts a node's runs among EXECUTING/WAITING rows, which
-- td_run_leases already indexes; a completed run no longer needs an entry per node.
DROP INDEX td_run_node;
-- td_journal_at: event times never go backwards along seq, so seqAt is a binary search on
-- the primary key (a few lookups) instead of an index entry per event appended.
DROP INDEX td_journal_at;
