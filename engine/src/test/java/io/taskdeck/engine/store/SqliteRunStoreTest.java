package io.taskdeck.engine.store;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.sqlite.Reads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The SQLite store passes the store conformance suite, including reopening its file. */
class SqliteRunStoreTest extends DurableRunStoreContract {

    @TempDir
    Path dir;

    private SqliteStoreOptions options() {
        return SqliteStoreOptions.builder(dir.resolve("store.db")).clock(() -> T0).build();
    }

    @Override
    protected RunStore createStore() {
        return SqliteRunStore.open(options());
    }

    @Override
    protected RunStore reopenStore() {
        return SqliteRunStore.open(options());
    }

    @Test
    void aRefusedBatchLeavesNoQueueBehindAndTheQueueIsCreatedByTheNextInsert() {
        Run stored = insert(run());
        Run intoNewQueue = run().queue("fresh").build();
        Run duplicate = run().id(stored.id()).queue("fresh").build();

        assertThatThrownBy(() -> store.insert(List.of(intoNewQueue, duplicate), T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(stored.id()).hasMessageContaining("already exists");
        assertThat(store.find(intoNewQueue.id())).isEmpty();
        assertThat(store.queue("fresh")).isEmpty();

        store.insert(List.of(intoNewQueue), T0);
        assertThat(store.queue("fresh")).hasValueSatisfying(q -> assertThat(q.queued()).isEqualTo(1));
        restart();
        assertThat(store.queue("fresh")).hasValueSatisfying(q -> assertThat(q.queued()).isEqualTo(1));
    }

    @Test
    void theRunningAttemptIsReadFromTheRunRowAndWrittenOnceWhenItEnds() {
        insert(run());
        Run held = claim(1, at(2)).getFirst();

        assertThat(store.attempts(held.id())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.RUNNING);
            assertThat(a.startedAt()).isEqualTo(at(2));
            assertThat(a.waitMs()).isEqualTo(2000 - 1);
            assertThat(a.nodeId()).isEqualTo(NODE);
        });
        complete(held, at(3));
        assertThat(store.attempts(held.id())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.SUCCEEDED);
            assertThat(a.startedAt()).isEqualTo(at(2));
            assertThat(a.endedAt()).isEqualTo(at(3));
        });
        assertThat(store.attemptsEndedBetween(at(0), at(10), null, null, 10)).extracting(Attempt::runId)
                .containsExactly(held.id());
    }

    @Test
    void theAttemptThatEndsARunStaysInItsRowUntilARequeueMovesItToTheAttemptsTable() throws Exception {
        insert(run());
        Run held = claim(1, at(2)).getFirst();
        Run failed = store.apply(List.of(Transition.of(held.id(), RunStatus.FAILED, RunStatus.EXECUTING).heldBy(NODE)
                .error(RunError.of("Declined", "card declined")).closeAttempt(AttemptOutcome.FAILED).build()), at(3))
                .getFirst().run();
        Attempt first = new Attempt(held.id(), 1, "t1", "q", NODE, 2000 - 1, at(2), at(3), AttemptOutcome.FAILED,
                RunError.of("Declined", "card declined"));
        assertThat(attemptRows()).isZero();
        assertThat(store.attempts(held.id())).containsExactly(first);
        assertThat(store.attemptsEndedBetween(at(0), at(10), "q", "t1", 10)).containsExactly(first);
        restart();
        assertThat(store.attempts(held.id())).containsExactly(first);

        store.apply(List.of(Transition.of(failed.id(), RunStatus.QUEUED, RunStatus.FAILED).maxAttempts(5).build()), at(4));
        assertThat(attemptRows()).isEqualTo(1);
        assertThat(store.attempts(held.id())).containsExactly(first);
        Run again = claim(1, at(5)).getFirst();
        complete(again, at(6));
        assertThat(store.attempts(held.id())).extracting(Attempt::number, Attempt::outcome, Attempt::endedAt)
                .containsExactly(tuple(1, AttemptOutcome.FAILED, at(3)), tuple(2, AttemptOutcome.SUCCEEDED, at(6)));
        assertThat(store.attemptsEndedBetween(at(0), at(10), null, null, 10)).extracting(Attempt::number)
                .containsExactly(2, 1);
        assertThat(store.attemptsEndedBetween(at(0), at(10), null, null, 1)).extracting(Attempt::number)
                .containsExactly(2);
        assertThat(store.attemptsEndedBetween(at(0), at(10), "other", null, 10)).isEmpty();
    }

    private long attemptRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM attempts")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    @Test
    void anAttemptLeftRunningInTheAttemptsTableByASchemaVersion1StoreIsClosedInPlace() throws Exception {
        insert(run());
        Run held = claim(1, at(1)).getFirst();
        store.close();
        // What version 1 left behind: the running attempt as a row, nothing in the run's row.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE runs SET attempt_started_at = NULL, attempt_wait_ms = NULL");
            st.executeUpdate("INSERT INTO attempts (run_id, number, task_id, queue, node_id, wait_ms, started_at, outcome) "
                    + "VALUES ('" + held.id() + "', 1, 't1', 'q', '" + NODE + "', 7, 1735689601000000000, 'RUNNING')");
        }
        store = reopenStore();

        assertThat(store.attempts(held.id())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.RUNNING));
        store.apply(List.of(Transition.of(held.id(), RunStatus.QUEUED, RunStatus.EXECUTING).leaseExpiredBy(at(2))
                .error(RunError.of("LeaseExpiredError", "node lost")).runAt(at(2))
                .closeAttempt(AttemptOutcome.CRASHED).build()), at(2));

        assertThat(store.attempts(held.id())).singleElement().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(AttemptOutcome.CRASHED);
            assertThat(a.waitMs()).isEqualTo(7);
            assertThat(a.endedAt()).isEqualTo(at(2));
        });
    }

    @Test
    void aRefusedRequestInAGroupLeavesNothingClaimableAndTheJournalWithoutItsEvents() {
        Run kept = insert(run());
        long seq = store.lastSeq();
        Run refused = run().build();
        Run duplicate = run().id(kept.id()).build();
        assertThatThrownBy(() -> store.insert(List.of(refused, duplicate), T0)).isInstanceOf(IllegalArgumentException.class);

        assertThat(store.lastSeq()).isEqualTo(seq);
        assertThat(store.readJournal(0, 100)).extracting(JournalEvent::runId).doesNotContain(refused.id());
        assertThat(ids(claim(10, at(1)))).containsExactly(kept.id());
        assertThat(claim(10, at(1))).isEmpty();
    }

    @Test
    void unfinishedRunsAreTakenUpAgainAfterAReopenWithTheirLimitsAndKeys() {
        store.ensureQueue("q", 2, 1, T0);
        Run a = insert(run().concurrencyKey("k"));
        Run b = insert(run().concurrencyKey("k"));
        Run c = insert(run());
        Run d = insert(run().status(RunStatus.DELAYED).runAt(at(50)));
        List<Run> held = claim(10, at(1));
        assertThat(ids(held)).containsExactly(a.id(), c.id());
        restart();

        // The lease of the previous process ended; the key is still held by a until it is rescued.
        assertThat(claim(10, at(2))).isEmpty();
        assertThat(store.expiredLeases(at(2), 10)).extracting(Run::id).containsExactlyInAnyOrder(a.id(), c.id());
        complete(held.get(0), at(3));
        assertThat(ids(claim(10, at(3)))).containsExactly(b.id());
        assertThat(store.promoteDue(at(60), 10)).extracting(Run::id).containsExactly(d.id());
        assertThat(claim(10, at(60))).isEmpty(); // c and b hold both slots
        complete(held.get(1), at(61));
        assertThat(ids(claim(10, at(61)))).containsExactly(d.id());
    }

    @Test
    void theJournalTailServedFromMemoryMatchesTheFile() {
        for (int i = 0; i < 50; i++) {
            insert(run());
        }
        List<JournalEvent> fromMemory = store.readJournal(10, 20);
        restart(); // a fresh process serves what it did not write from the file
        assertThat(store.readJournal(10, 20)).isEqualTo(fromMemory);
        assertThat(fromMemory).extracting(JournalEvent::seq).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(11, 30).boxed().toList());
    }

    @Test
    void rowsThatRepeatMostValuesInABatchKeepEachTheirOwnAcrossARestart() {
        // 85 runs are written in chunks of 64, 16, 4 and 1 rows; in the larger chunks a value shared
        // by every row is bound once and an all-NULL column is written as NULL. Each run differs from
        // the others in one place at the edge of a chunk (its last or first row).
        store.ensureQueue("q", 100, 100, T0);
        List<Run> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 85; i++) {
            Run.Builder b = run().payload("{\"same\":true}");
            if (i == 63) {
                b.payload("{\"last of 64\":true}");
            }
            if (i == 64) {
                b.concurrencyKey("first of 16");
            }
            if (i == 79) {
                b.tags(List.of("last of 16"));
            }
            batch.add(b.build());
        }
        store.insert(batch, T0);
        List<Run> held = claim(85, at(1));
        assertThat(held).hasSize(85);
        List<Transition> done = new java.util.ArrayList<>();
        for (int i = 0; i < held.size(); i++) {
            Run r = held.get(i);
            done.add(Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy(NODE)
                    .atAttempt(r.attempts()).output(i == 63 ? "{\"own\":63}" : i == 16 ? null : "{\"ok\":true}")
                    .closeAttempt(AttemptOutcome.SUCCEEDED).build());
        }
        assertThat(store.apply(done, at(2))).allMatch(TransitionResult::applied);

        restart();
        for (int i = 0; i < 85; i++) {
            Run stored = store.find(held.get(i).id()).orElseThrow();
            assertThat(stored.status()).isEqualTo(RunStatus.COMPLETED);
            assertThat(stored.payload()).isEqualTo(i == 63 ? "{\"last of 64\":true}" : "{\"same\":true}");
            assertThat(stored.concurrencyKey()).isEqualTo(i == 64 ? "first of 16" : null);
            assertThat(stored.tags()).isEqualTo(i == 79 ? List.of("last of 16") : List.of());
            assertThat(stored.output()).isEqualTo(i == 63 ? "{\"own\":63}" : i == 16 ? null : "{\"ok\":true}");
            assertThat(stored.completedAt()).isEqualTo(at(2));
            assertThat(store.runEvents(stored.id())).extracting(JournalEvent::to)
                    .containsExactly(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.COMPLETED);
        }
    }

    @Test
    void twoChangesOfOneRunInOneBatchAreWrittenAsTheLastSnapshot() {
        insert(run());
        Run held = claim(1, at(1)).getFirst();
        List<TransitionResult> results = store.apply(List.of(
                Transition.of(held.id(), RunStatus.QUEUED, RunStatus.EXECUTING).heldBy(NODE)
                        .error(RunError.of("Boom", "failed")).runAt(at(5)).closeAttempt(AttemptOutcome.FAILED).build(),
                Transition.of(held.id(), RunStatus.CANCELED, RunStatus.QUEUED).build()), at(2));

        assertThat(results).allMatch(TransitionResult::applied);
        Run last = results.get(1).run();
        assertThat(last.status()).isEqualTo(RunStatus.CANCELED);
        assertThat(store.find(held.id())).contains(last);
        restart();
        assertThat(store.find(held.id())).contains(last);
        assertThat(store.attempts(held.id())).singleElement()
                .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.FAILED));
        assertThat(claim(10, at(10))).isEmpty();
    }

    @Test
    void aVersion2FileIsUpgradedAndItsUnfinishedRunsAreTakenUpAgain() throws Exception {
        Run queued = insert(run().concurrencyKey("k"));
        Run done = insert(run());
        store.apply(List.of(Transition.of(done.id(), RunStatus.CANCELED, RunStatus.QUEUED).build()), at(1));
        store.close();
        // What version 2 left behind: its indexes, runs_completed, no runs_ended, no V3 in the history.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement()) {
            backToVersion3(st);
            st.execute("DROP INDEX runs_ended");
            st.execute("CREATE INDEX runs_completed ON runs (completed_at) WHERE completed_at IS NOT NULL");
            st.execute("DROP INDEX runs_concurrency_key");
            st.execute("CREATE INDEX runs_claim ON runs (queue, order_key, id) WHERE status = 'QUEUED'");
            st.execute("CREATE INDEX runs_key ON runs (queue, concurrency_key, status) WHERE concurrency_key IS NOT NULL");
            st.execute("DELETE FROM taskdeck_schema_history WHERE version = '3'");
        }
        store = reopenStore();

        assertThat(indexes()).contains("runs_ended", "runs_concurrency_key")
                .doesNotContain("runs_claim", "runs_key", "runs_completed");
        assertThat(ids(claim(10, at(2)))).containsExactly(queued.id());
    }

    @Test
    void aVersion3FileIsUpgradedWithTheEventsOfItsRunsAndItsUnfinishedRunsAreTakenUpAgain() throws Exception {
        Run done = insert(run());
        complete(claim(1, at(1)).getFirst(), at(2));
        Run queued = insert(run().concurrencyKey("k"));
        Run held = insert(run());
        assertThat(ids(claim(10, at(3)))).containsExactly(queued.id(), held.id());
        Run delayed = insert(run().status(RunStatus.DELAYED).runAt(at(50)));
        Run expiring = insert(run().status(RunStatus.DELAYED).runAt(at(70)).expiresAt(at(40)));
        store.apply(List.of(Transition.of(queued.id(), RunStatus.QUEUED, RunStatus.EXECUTING).heldBy(NODE)
                .error(RunError.of("Boom", "failed")).runAt(at(9)).closeAttempt(AttemptOutcome.FAILED).build()), at(4));
        Map<String, List<JournalEvent>> events = new java.util.HashMap<>();
        for (Run r : List.of(queued, done, held)) {
            events.put(r.id(), store.runEvents(r.id()));
        }
        List<Attempt> doneAttempts = store.attempts(done.id());
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement()) {
            backToVersion3(st);
        }
        store = reopenStore();

        assertThat(indexes()).doesNotContain("journal_run", "runs_lease", "runs_delayed", "runs_retry", "runs_ttl");
        for (Run r : List.of(queued, done, held)) {
            assertThat(store.runEvents(r.id())).as(r.id()).isEqualTo(events.get(r.id())).isNotEmpty();
        }
        assertThat(store.expiredLeases(at(5), 10)).extracting(Run::id).containsExactly(held.id());
        assertThat(store.attempts(done.id())).isEqualTo(doneAttempts).hasSize(1);
        assertThat(store.attemptsEndedBetween(at(0), at(10), null, null, 10)).extracting(Attempt::runId)
                .containsExactly(queued.id(), done.id());
        assertThat(claim(10, at(9))).extracting(Run::id).containsExactly(queued.id());
        assertThat(store.runEvents(queued.id())).extracting(JournalEvent::to).containsExactly(
                RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.QUEUED, RunStatus.EXECUTING);
        // The upgrade chained the events already there: a finished run's next event joins its chain.
        store.apply(List.of(patch(done.id(), RunStatus.COMPLETED, "{\"after\":\"upgrade\"}")), at(9));
        assertThat(store.runEvents(done.id())).hasSize(events.get(done.id()).size() + 1)
                .startsWith(events.get(done.id()).toArray(JournalEvent[]::new));
        assertThat(store.promoteDue(at(30), 10)).isEmpty();
        assertThat(store.promoteDue(at(60), 10)).extracting(Run::id).containsExactly(expiring.id(), delayed.id());
        assertThat(store.nextDueAt()).hasValueSatisfying(due -> assertThat(due).isBefore(at(60)));
    }

    @Test
    void theEventsOfARunAreFoundThroughItsRowWhateverTheRequestThatJournaledThem() {
        Run keyed = insert(run().idempotencyKey("once"));
        // One request: a cached repeat (a read of the file, which writes what is pending first), then a new run.
        Run other = run().build();
        store.insert(List.of(run().idempotencyKey("once").build(), other), T0);
        Run held = claim(1, at(1)).getFirst();
        store.apply(List.of(
                Transition.of(held.id(), RunStatus.QUEUED, RunStatus.EXECUTING).heldBy(NODE)
                        .error(RunError.of("Boom", "failed")).runAt(at(5)).closeAttempt(AttemptOutcome.FAILED).build(),
                Transition.of(held.id(), RunStatus.CANCELED, RunStatus.QUEUED).build()), at(2));

        assertThat(held.id()).isEqualTo(keyed.id());
        assertThat(store.runEvents(keyed.id())).extracting(JournalEvent::to).containsExactly(
                RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.QUEUED, RunStatus.CANCELED);
        assertThat(store.runEvents(other.id())).extracting(JournalEvent::to).containsExactly(RunStatus.QUEUED);
        assertThat(store.runEvents("no-such-run")).isEmpty();
        assertThat(store.readJournal(0, 100)).filteredOn(e -> keyed.id().equals(e.runId()))
                .isEqualTo(store.runEvents(keyed.id()));
    }

    @Test
    void aRunWithThousandsOfEventsKeepsOneSeqInItsRowAndReturnsThemAllInOrder() throws Exception {
        Run r = insert(run());
        claim(1, at(1));
        for (int i = 0; i < 1000; i++) {
            // Two events of the run in one request chain to each other.
            store.apply(List.of(patch(r.id(), RunStatus.EXECUTING, "{\"step\":" + (2 * i) + "}"),
                    patch(r.id(), RunStatus.EXECUTING, "{\"step\":" + (2 * i + 1) + "}")), at(2));
        }
        // The mirror takes the run's last seq up again from its row.
        restart();
        // A request rolled back after journaling for the run leaves its chain as it was.
        assertThatThrownBy(() -> store.apply(List.of(patch(r.id(), RunStatus.EXECUTING, "{}"),
                Transition.of(r.id(), null, RunStatus.EXECUTING).queue(" ").build()), at(3)))
                .isInstanceOf(IllegalArgumentException.class);
        store.apply(List.of(Transition.of(r.id(), RunStatus.COMPLETED, RunStatus.EXECUTING).heldBy(NODE)
                .closeAttempt(AttemptOutcome.SUCCEEDED).build()), at(4));
        // A finished run's event chains through its row.
        store.apply(List.of(patch(r.id(), RunStatus.COMPLETED, "{\"step\":\"done\"}")), at(5));

        List<JournalEvent> events = store.runEvents(r.id());
        assertThat(events).hasSize(2004).isSortedAccordingTo(java.util.Comparator.comparingLong(JournalEvent::seq))
                .isEqualTo(store.readJournal(0, 10_000).stream().filter(e -> r.id().equals(e.runId())).toList());
        assertThat(events).extracting(JournalEvent::to).startsWith(RunStatus.QUEUED, RunStatus.EXECUTING)
                .endsWith(RunStatus.COMPLETED, RunStatus.COMPLETED);
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT typeof(last_seq), last_seq FROM runs WHERE id = '"
                     + r.id() + "'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("integer");
            assertThat(rs.getLong(2)).isEqualTo(events.getLast().seq());
        }
        store = reopenStore();
    }

    private static Transition patch(String runId, RunStatus status, String metadata) {
        return Transition.of(runId, null, status).metadata(metadata).build();
    }

    @Test
    void theMirrorIsLoadedThroughTheEndedIndexAndTheKeyListThroughItsOwn() throws Exception {
        insert(run());
        store.close();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement()) {
            assertThat(plan(st, "SELECT * FROM runs WHERE completed_at IS NULL AND status IN ('DELAYED', 'QUEUED', "
                    + "'EXECUTING', 'WAITING')")).contains("USING INDEX runs_ended");
            assertThat(plan(st, "SELECT * FROM runs WHERE 1 = 1 AND queue IN ('q') AND concurrency_key = 'k' "
                    + "AND id < 'x' ORDER BY id DESC LIMIT 51")).contains("USING INDEX runs_concurrency_key")
                    .doesNotContain("TEMP B-TREE");
            assertThat(plan(st, "SELECT id FROM runs WHERE completed_at IS NOT NULL AND completed_at < 5 "
                    + "AND dead_letter <> 'OPEN' AND status IN ('COMPLETED') ORDER BY completed_at LIMIT 10"))
                    .contains("USING INDEX runs_ended").doesNotContain("TEMP B-TREE");
            assertThat(plan(st, Reads.RUN_EVENTS.replaceFirst("\\?", "'x'").replaceFirst("\\?", "9")))
                    .contains("SEARCH journal USING INTEGER PRIMARY KEY", "USING INDEX sqlite_autoindex_runs_1")
                    .doesNotContain("SCAN journal", "SCAN runs");
            assertThat(plan(st, Reads.ATTEMPTS_ENDED_BETWEEN)).contains("USING INDEX attempts_ended", "USING INDEX runs_ended")
                    .doesNotContain("TEMP B-TREE", "SCAN attempts", "SCAN runs");
        }
        store = reopenStore();
    }

    @Test
    void anUnfinishedRunWithACompletionTimeIsStillLoadedByAFullScan() throws Exception {
        Run odd = insert(run());
        store.close();
        // run_counts says one run is QUEUED, its completed_at is set: the count check catches it.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE runs SET completed_at = 1");
        }
        store = reopenStore();

        assertThat(ids(claim(10, at(1)))).containsExactly(odd.id());
    }

    /**
     * Undoes V4 as a version 3 store would have left the file: the attempts that ended runs in
     * the attempts table, no chain of journal seqs, its indexes back.
     */
    private static void backToVersion3(Statement st) throws Exception {
        st.execute("INSERT INTO attempts SELECT id, attempts, task_id, queue, attempt_node_id, attempt_wait_ms, "
                + "attempt_started_at, completed_at, attempt_outcome, iif(attempt_outcome = 'SUCCEEDED', NULL, error_type), "
                + "iif(attempt_outcome = 'SUCCEEDED', NULL, error_message), iif(attempt_outcome = 'SUCCEEDED', NULL, error_stack) "
                + "FROM runs WHERE attempt_outcome IS NOT NULL");
        st.execute("ALTER TABLE runs DROP COLUMN last_seq");
        st.execute("ALTER TABLE journal DROP COLUMN prev_seq");
        st.execute("ALTER TABLE runs DROP COLUMN attempt_node_id");
        st.execute("ALTER TABLE runs DROP COLUMN attempt_outcome");
        st.execute("CREATE INDEX journal_run ON journal (run_id, seq) WHERE run_id IS NOT NULL");
        st.execute("CREATE INDEX runs_lease ON runs (lease_until) WHERE status IN ('EXECUTING', 'WAITING')");
        st.execute("CREATE INDEX runs_delayed ON runs (run_at) WHERE status = 'DELAYED'");
        st.execute("CREATE INDEX runs_retry ON runs (run_at) WHERE status = 'QUEUED' AND run_at IS NOT NULL");
        st.execute("CREATE INDEX runs_ttl ON runs (expires_at) "
                + "WHERE status IN ('DELAYED', 'QUEUED') AND attempts = 0 AND expires_at IS NOT NULL");
        st.execute("DELETE FROM taskdeck_schema_history WHERE version = '4'");
    }

    private List<String> indexes() throws Exception {
        List<String> out = new java.util.ArrayList<>();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("store.db"));
             Statement st = c.createStatement();
             java.sql.ResultSet rs = st.executeQuery("SELECT name FROM sqlite_master WHERE type = 'index'")) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    private static String plan(Statement st, String sql) throws Exception {
        StringBuilder out = new StringBuilder();
        try (java.sql.ResultSet rs = st.executeQuery("EXPLAIN QUERY PLAN " + sql)) {
            while (rs.next()) {
                out.append(rs.getString(4)).append('\n');
            }
        }
        return out.toString();
    }
}
