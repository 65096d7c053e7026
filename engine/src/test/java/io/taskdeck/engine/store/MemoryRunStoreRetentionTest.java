package io.taskdeck.engine.store;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The memory store's retention: finished runs go after their age or beyond the cap, oldest
 * first; pending and executing runs and open dead letters stay. Times are arguments, as for
 * every store call, so the test drives time by passing it.
 */
class MemoryRunStoreRetentionTest {

    private static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
    private static final String NODE = "node-a";

    private MemoryRunStore store;
    private int sequence;

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    private void open(Duration retention, int maxFinished) {
        store = MemoryRunStore.builder().finishedRunRetention(retention).maxFinishedRuns(maxFinished).build();
        store.ensureQueue("q", 100, 1, T0);
    }

    private static Instant at(Duration d) {
        return T0.plus(d);
    }

    private Run.Builder run() {
        int n = ++sequence;
        return Run.builder(String.format("run_%08d", n), "t1", "q", T0.plusMillis(n)).maxAttempts(1);
    }

    private Run insert(Run.Builder b) {
        return store.insert(List.of(b.build()), T0).getFirst().run();
    }

    private Run claimOne(Instant now) {
        return store.claim(new ClaimRequest(NODE, Set.of("t1"), 1, now, now.plusSeconds(30))).getFirst();
    }

    /** Inserts, claims and completes a run at {@code now}. */
    private Run completed(Instant now) {
        insert(run());
        Run c = claimOne(now);
        return store.apply(List.of(Transition.of(c.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .heldBy(NODE).atAttempt(c.attempts()).closeAttempt(AttemptOutcome.SUCCEEDED).build()), now)
                .getFirst().run();
    }

    private Run failed(Instant now) {
        insert(run());
        Run c = claimOne(now);
        return store.apply(List.of(Transition.of(c.id(), RunStatus.FAILED, RunStatus.EXECUTING)
                .heldBy(NODE).atAttempt(c.attempts()).error(RunError.of("Boom", "boom"))
                .closeAttempt(AttemptOutcome.FAILED).build()), now).getFirst().run();
    }

    @Test
    void finishedRunsOlderThanTheRetentionAreDeletedOthersStay() {
        open(Duration.ofHours(24), 1_000);
        Run old = completed(at(Duration.ofHours(1)));
        Run recent = completed(at(Duration.ofHours(20)));
        Run queued = insert(run());
        insert(run());
        Run executing = claimOne(at(Duration.ofHours(2)));

        assertThat(store.pruneFinished(at(Duration.ofHours(24)), 100)).as("nothing is 24 h old yet").isZero();
        assertThat(store.pruneFinished(at(Duration.ofHours(26)), 100)).isEqualTo(1);

        assertThat(store.find(old.id())).isEmpty();
        assertThat(store.attempts(old.id())).isEmpty();
        assertThat(store.find(recent.id())).isPresent();
        assertThat(store.find(queued.id())).as("pending runs are never deleted").isPresent();
        assertThat(store.find(executing.id())).as("executing runs are never deleted").isPresent();
        assertThat(store.list(RunQuery.all()).runs()).extracting(Run::id).doesNotContain(old.id()).contains(recent.id());
        assertThat(store.countByStatus(null, null).get(RunStatus.COMPLETED)).isEqualTo(1);
        assertThat(store.countByStatus("q", null).get(RunStatus.COMPLETED)).isEqualTo(1);

        assertThat(store.pruneFinished(at(Duration.ofDays(30)), 100)).isEqualTo(1);
        assertThat(store.find(recent.id())).isEmpty();
        assertThat(store.find(queued.id())).isPresent();
    }

    @Test
    void openDeadLettersStayUntilResolvedThenAgeFromTheResolution() {
        open(Duration.ofHours(1), 1_000);
        Run dead = failed(at(Duration.ofMinutes(1)));
        assertThat(dead.deadLetter()).isEqualTo(DeadLetterState.OPEN);

        assertThat(store.pruneFinished(at(Duration.ofDays(7)), 100)).isZero();
        assertThat(store.find(dead.id())).isPresent();
        assertThat(store.deadLetterGroups(null)).hasSize(1);

        Instant discardedAt = at(Duration.ofDays(7));
        store.apply(List.of(Transition.of(dead.id(), null, RunStatus.FAILED).deadLetter(DeadLetterState.DISCARDED)
                .build()), discardedAt);
        assertThat(store.pruneFinished(discardedAt.plus(Duration.ofMinutes(59)), 100)).isZero();
        assertThat(store.find(dead.id())).as("kept for the retention after it was discarded").isPresent();
        assertThat(store.pruneFinished(discardedAt.plus(Duration.ofMinutes(61)), 100)).isEqualTo(1);
        assertThat(store.find(dead.id())).isEmpty();
        assertThat(store.deadLetterGroups(null)).isEmpty();
    }

    @Test
    void aRequeuedRunIsNotDeletedWhileItRunsAgain() {
        open(Duration.ofHours(1), 1_000);
        Run dead = failed(at(Duration.ofMinutes(1)));
        store.apply(List.of(Transition.of(dead.id(), RunStatus.QUEUED, RunStatus.FAILED).maxAttempts(2).build()),
                at(Duration.ofHours(3)));

        assertThat(store.pruneFinished(at(Duration.ofHours(10)), 100)).isZero();
        Run again = claimOne(at(Duration.ofHours(10)));
        assertThat(again.id()).isEqualTo(dead.id());
        store.apply(List.of(Transition.of(again.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .closeAttempt(AttemptOutcome.SUCCEEDED).build()), at(Duration.ofHours(11)));

        assertThat(store.pruneFinished(at(Duration.ofMinutes(11 * 60 + 59)), 100)).isZero();
        assertThat(store.attempts(dead.id())).hasSize(2);
        assertThat(store.pruneFinished(at(Duration.ofHours(13)), 100)).isEqualTo(1);
        assertThat(store.find(dead.id())).isEmpty();
    }

    @Test
    void theCapKeepsTheNewestFinishedRunsAsTheyFinish() {
        open(Duration.ofDays(365), 3);
        List<Run> done = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            done.add(completed(at(Duration.ofMinutes(i))));
        }
        Run dead = failed(at(Duration.ofMinutes(10)));

        // no pruneFinished call: completing runs keeps the cap by itself
        assertThat(store.list(RunQuery.builder().oldestFirst(true).build()).runs()).extracting(Run::id)
                .containsExactly(done.get(2).id(), done.get(3).id(), done.get(4).id(), dead.id());
        assertThat(store.countByStatus(null, null).get(RunStatus.COMPLETED)).isEqualTo(3);
    }

    @Test
    void aDeletedRunForgetsItsIdempotencyKeyAndLeavesItsParentsChildren() {
        open(Duration.ofHours(1), 1_000);
        Run parent = insert(run());
        Run child = insert(run().parentId(parent.id()).idempotencyKey("k").idempotencyKeyExpiresAt(at(Duration.ofDays(30))));
        Run sibling = insert(run().parentId(parent.id()));
        Run c = store.claim(new ClaimRequest(NODE, Set.of("t1"), 3, T0, T0.plusSeconds(30))).stream()
                .filter(r -> r.id().equals(child.id())).findFirst().orElseThrow();
        store.apply(List.of(Transition.of(c.id(), RunStatus.COMPLETED, RunStatus.EXECUTING)
                .closeAttempt(AttemptOutcome.SUCCEEDED).build()), T0);

        store.pruneFinished(at(Duration.ofHours(2)), 100);

        assertThat(store.children(parent.id())).extracting(Run::id).containsExactly(sibling.id());
        assertThat(store.list(RunQuery.builder().parentId(parent.id()).build()).runs()).extracting(Run::id)
                .containsExactly(sibling.id());
        InsertResult again = store.insert(List.of(run().idempotencyKey("k")
                .idempotencyKeyExpiresAt(at(Duration.ofDays(30))).build()), at(Duration.ofHours(2))).getFirst();
        assertThat(again.cached()).as("the key went with its run").isFalse();
    }

    @Test
    void pruningIsBoundedPerCall() {
        open(Duration.ofMinutes(1), 1_000);
        for (int i = 0; i < 10; i++) {
            completed(T0);
        }
        assertThat(store.pruneFinished(at(Duration.ofHours(1)), 4)).isEqualTo(4);
        assertThat(store.pruneFinished(at(Duration.ofHours(1)), 100)).isEqualTo(6);
        assertThat(store.pruneFinished(at(Duration.ofHours(1)), 100)).isZero();
    }

    @Test
    void badRetentionSettingsAreRefusedWithTheirName() {
        assertThatThrownBy(() -> MemoryRunStore.builder().maxFinishedRuns(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxFinishedRuns");
        assertThatThrownBy(() -> MemoryRunStore.builder().finishedRunRetention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("finishedRunRetention");
        assertThatThrownBy(() -> MemoryRunStore.builder().journalRetention(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journalRetention");
    }

    @Test
    void statusFilteredListsPageInIdOrderLikeAFullScan() {
        open(Duration.ofDays(365), 10_000);
        for (int i = 0; i < 40; i++) {
            switch (i % 4) {
                case 0 -> completed(T0);
                case 1 -> failed(T0);
                case 2 -> {
                    Run r = insert(run());
                    store.apply(List.of(Transition.of(r.id(), RunStatus.CANCELED, RunStatus.QUEUED).build()), T0);
                }
                default -> insert(run());
            }
        }
        claimOne(T0);
        for (Set<RunStatus> statuses : List.of(Set.of(RunStatus.FAILED), Set.of(RunStatus.FAILED, RunStatus.CANCELED),
                Set.of(RunStatus.EXECUTING, RunStatus.CANCELED), Set.of(RunStatus.QUEUED))) {
            for (boolean oldestFirst : new boolean[] {false, true}) {
                List<String> expected = store.list(RunQuery.builder().oldestFirst(oldestFirst).limit(1000).build()).runs()
                        .stream().filter(r -> statuses.contains(r.status())).map(Run::id).toList();
                List<String> paged = new ArrayList<>();
                String cursor = null;
                do {
                    RunPage page = store.list(RunQuery.builder().statuses(statuses).oldestFirst(oldestFirst)
                            .cursor(cursor).limit(3).build());
                    page.runs().forEach(r -> paged.add(r.id()));
                    cursor = page.nextCursor();
                } while (cursor != null);
                assertThat(paged).as(statuses + (oldestFirst ? " oldest first" : " newest first")).isEqualTo(expected);
            }
        }
    }
}
