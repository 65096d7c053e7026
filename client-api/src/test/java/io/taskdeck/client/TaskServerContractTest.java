package io.taskdeck.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link TaskServer} must show, end to end. A subclass supplies a server connected
 * to a fresh, empty backend on which these demo tasks are registered:
 * <ul>
 *   <li>{@code "noop"}: returns {@code {"ok":true}} at once;</li>
 *   <li>{@code "sleep"} {@code {"ms": n}}: sleeps n ms, returns {@code {"slept": n}};</li>
 *   <li>{@code "always-fail"}: throws {@code IllegalStateException("always-fail")} on every attempt;</li>
 *   <li>{@code "flaky"} {@code {"failTimes": n}}: fails its first n attempts, then returns {@code {"attempt": k}}.</li>
 * </ul>
 * Each task has its own queue named like the task, a concurrency limit of 10, and a retry policy of
 * 3 attempts with short timeouts ({@code minTimeoutInMs} ≤ 50, {@code maxTimeoutInMs} ≤ 200) so that
 * failing runs finish fast. Waits are bounded by {@link #timeout()}; nothing sleeps for luck.
 */
@SuppressWarnings("try") // try-with-resources keeps subscriptions open for a block
public abstract class TaskServerContractTest {
    protected static final ObjectMapper JSON = TaskdeckJson.newMapper();

    protected TaskServer server;

    /** A server connected to a fresh backend with the demo tasks registered. */
    protected abstract TaskServer createServer() throws Exception;

    /** Releases the backend after {@link TaskServer#close()}; default does nothing. */
    protected void destroyBackend() throws Exception {
    }

    /** The longest a run may take to reach the status a test waits for. */
    protected Duration timeout() {
        return Duration.ofSeconds(20);
    }

    @BeforeEach
    void openServer() throws Exception {
        server = createServer();
    }

    @AfterEach
    void closeServer() throws Exception {
        if (server != null) {
            server.close();
        }
        destroyBackend();
    }

    protected static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    /** Polls (every 10 ms, bounded by {@link #timeout()}) until the condition holds. */
    protected <T> T await(String what, Supplier<T> probe, Predicate<T> done) {
        long deadline = System.nanoTime() + timeout().toNanos();
        T last = probe.get();
        while (!done.test(last)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout() + " waiting for " + what + "; last: " + last);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
            last = probe.get();
        }
        return last;
    }

    protected Run awaitStatus(String runId, RunStatus... statuses) {
        Set<RunStatus> wanted = Set.of(statuses);
        return await("run " + runId + " in " + wanted, () -> server.getRun(runId).run(),
                run -> wanted.contains(run.status()));
    }

    protected String trigger(String taskId, String payload, TriggerOptions options) {
        return server.trigger(taskId, json(payload), options).id();
    }

    // --- trigger and run lifecycle -------------------------------------------------------------------

    @Test
    void aTriggeredRunIsVisibleAtOnceAndCompletes() {
        String id = trigger("noop", "{}", TriggerOptions.builder().tags("contract").build());

        assertThat(id).startsWith("run_");
        RunDetail detail = server.getRun(id);
        assertThat(detail.run().taskId()).isEqualTo("noop");
        assertThat(detail.run().tags()).containsExactly("contract");
        Run done = awaitStatus(id, RunStatus.COMPLETED);
        assertThat(done.output()).isEqualTo(json("{\"ok\":true}"));
        assertThat(done.finishedAt()).isNotNull();
        RunDetail finished = server.getRun(id);
        assertThat(finished.attempts()).extracting(Attempt::status).containsExactly(RunStatus.COMPLETED);
        assertThat(finished.events()).extracting(RunEvent::seq).isSorted();
        assertThat(finished.events().getLast().status()).isEqualTo(RunStatus.COMPLETED);
    }

    @Test
    void anUnknownTaskOrRunIsNotFound() {
        assertThatThrownBy(() -> server.trigger("no-such-task", json("{}"), null))
                .isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> server.getRun("run_doesnotexist")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void retriggeringWithTheSameIdempotencyKeyReturnsTheSameRun() {
        TriggerOptions options = TriggerOptions.builder().idempotencyKey("contract-key-1").build();
        TriggerResult first = server.trigger("noop", json("{}"), options);
        TriggerResult second = server.trigger("noop", json("{}"), options);

        assertThat(first.cached()).isFalse();
        assertThat(second.cached()).isTrue();
        assertThat(second.id()).isEqualTo(first.id());

        server.resetIdempotencyKey("noop", "contract-key-1");
        assertThat(server.trigger("noop", json("{}"), options).id()).isNotEqualTo(first.id());
    }

    @Test
    void batchTriggerCreatesEveryRunInOrder() {
        List<TriggerResult> results = server.batchTrigger(List.of(
                new TriggerRequest("noop", json("{}"), null),
                new TriggerRequest("sleep", json("{\"ms\":1}"), null)));

        assertThat(results).hasSize(2);
        assertThat(server.getRun(results.get(0).id()).run().taskId()).isEqualTo("noop");
        assertThat(server.getRun(results.get(1).id()).run().taskId()).isEqualTo("sleep");
        awaitStatus(results.get(1).id(), RunStatus.COMPLETED);
    }

    @Test
    void aFlakyRunIsRetriedUntilItSucceeds() {
        String id = trigger("flaky", "{\"failTimes\":1}", null);
        awaitStatus(id, RunStatus.COMPLETED);
        RunDetail detail = server.getRun(id);
        assertThat(detail.run().attemptCount()).isEqualTo(2);
        assertThat(detail.attempts()).extracting(Attempt::status)
                .containsExactly(RunStatus.FAILED, RunStatus.COMPLETED);
        assertThat(detail.attempts().getFirst().error().message()).isNotBlank();
    }

    // --- listing -------------------------------------------------------------------------------------

    @Test
    void listingFiltersAndPagesWithACursor() {
        List<String> tagged = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            tagged.add(trigger("noop", "{}", TriggerOptions.builder().tags("page-me").build()));
        }
        String other = trigger("sleep", "{\"ms\":1}", TriggerOptions.builder().tags("other").build());

        List<String> seen = new ArrayList<>();
        PageRequest page = PageRequest.first(2);
        RunFilter byTag = RunFilter.builder().tag("page-me").build();
        int pages = 0;
        while (true) {
            Page<Run> result = server.listRuns(byTag, page);
            assertThat(result.data()).hasSizeLessThanOrEqualTo(2);
            result.data().forEach(run -> seen.add(run.id()));
            pages++;
            if (!result.hasMore()) {
                break;
            }
            page = page.after(result.nextCursor());
            assertThat(pages).as("pages").isLessThan(10);
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(tagged).doesNotHaveDuplicates();
        assertThat(pages).isGreaterThanOrEqualTo(3);

        assertThat(server.listRuns(RunFilter.builder().taskId("sleep").build(), PageRequest.first()).data())
                .extracting(Run::id).containsExactly(other);
        assertThat(server.listRuns(RunFilter.builder().search(other).build(), PageRequest.first()).data())
                .extracting(Run::id).containsExactly(other);
        awaitStatus(other, RunStatus.COMPLETED);
        assertThat(server.listRuns(RunFilter.builder().taskId("sleep").statuses(RunStatus.FAILED).build(),
                PageRequest.first()).data()).isEmpty();
    }

    @Test
    void listingIsNewestFirst() {
        String older = trigger("noop", "{}", TriggerOptions.builder().tags("order").build());
        String newer = trigger("noop", "{}", TriggerOptions.builder().tags("order").build());
        assertThat(server.listRuns(RunFilter.builder().tag("order").build(), PageRequest.first()).data())
                .extracting(Run::id).containsExactly(newer, older);
    }

    // --- cancel, replay, reschedule ------------------------------------------------------------------

    @Test
    void aDelayedRunCanBeRescheduledAndCanceled() {
        String id = trigger("noop", "{}", TriggerOptions.builder().delay(Duration.ofHours(1)).build());
        assertThat(server.getRun(id).run().status()).isEqualTo(RunStatus.DELAYED);

        Instant later = Instant.now().plus(Duration.ofHours(2));
        Run rescheduled = server.reschedule(id, later);
        assertThat(rescheduled.delayUntil()).isAfter(later.minusSeconds(1));

        Run canceled = server.cancel(id);
        assertThat(canceled.status()).isEqualTo(RunStatus.CANCELED);
        assertThat(server.getRun(id).run().status()).isEqualTo(RunStatus.CANCELED);
        assertThatThrownBy(() -> server.cancel(id)).isInstanceOf(ConflictException.class);
    }

    @Test
    void replayMakesANewRunFromTheSameOrAnEditedPayload() {
        String id = trigger("sleep", "{\"ms\":1}", null);
        awaitStatus(id, RunStatus.COMPLETED);

        Run same = server.replay(id);
        Run edited = server.replay(id, json("{\"ms\":2}"));

        assertThat(same.id()).isNotEqualTo(id);
        assertThat(awaitStatus(same.id(), RunStatus.COMPLETED).output()).isEqualTo(json("{\"slept\":1}"));
        assertThat(awaitStatus(edited.id(), RunStatus.COMPLETED).output()).isEqualTo(json("{\"slept\":2}"));
    }

    // --- dead letters --------------------------------------------------------------------------------

    @Test
    void aFailedRunIsADeadLetterThatCanBeRequeued() {
        String id = trigger("always-fail", "{}", TriggerOptions.builder().maxAttempts(2).build());
        Run failed = awaitStatus(id, RunStatus.FAILED);
        assertThat(failed.attemptCount()).isEqualTo(2);
        assertThat(failed.error().message()).contains("always-fail");

        DeadLetterGroup group = await("a dead-letter group for always-fail", server::deadLetterGroups,
                groups -> groups.stream().anyMatch(g -> g.taskId().equals("always-fail"))).stream()
                .filter(g -> g.taskId().equals("always-fail")).findFirst().orElseThrow();
        assertThat(group.count()).isEqualTo(1);
        assertThat(server.deadLetterRuns(group.fingerprint(), PageRequest.first()).data())
                .extracting(Run::id).containsExactly(id);

        Run requeued = server.requeue(id, RequeueOptions.AS_IS);
        assertThat(requeued.id()).isEqualTo(id);
        assertThat(requeued.status()).isIn(RunStatus.QUEUED, RunStatus.EXECUTING, RunStatus.WAITING, RunStatus.FAILED);
        await("the run to fail again", () -> server.getRun(id).run(),
                run -> run.status() == RunStatus.FAILED && run.attemptCount() > 2);
        assertThat(server.getRun(id).attempts()).hasSizeGreaterThan(2);
    }

    @Test
    void requeueWithAnEditedPayloadCanSucceed() {
        String id = trigger("flaky", "{\"failTimes\":5}", TriggerOptions.builder().maxAttempts(1).build());
        awaitStatus(id, RunStatus.FAILED);
        server.requeue(id, new RequeueOptions(json("{\"failTimes\":0}"), null));
        assertThat(awaitStatus(id, RunStatus.COMPLETED).payload()).isEqualTo(json("{\"failTimes\":0}"));
        assertThat(server.deadLetterGroups()).noneMatch(g -> g.taskId().equals("flaky"));
    }

    @Test
    void discardResolvesTheDeadLetter() {
        String id = trigger("always-fail", "{}", TriggerOptions.builder().maxAttempts(1).build());
        awaitStatus(id, RunStatus.FAILED);
        await("a dead-letter group", server::deadLetterGroups, groups -> !groups.isEmpty());

        server.discard(id);

        assertThat(server.deadLetterGroups()).noneMatch(g -> g.taskId().equals("always-fail"));
        assertThat(server.getRun(id).run().status()).isEqualTo(RunStatus.FAILED);
        assertThatThrownBy(() -> server.discard(id)).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> server.requeue(id, null)).isInstanceOf(ConflictException.class);
    }

    @Test
    void aBulkDiscardByFilterReportsProgressToCompletion() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(trigger("always-fail", "{}", TriggerOptions.builder().maxAttempts(1).build()));
        }
        ids.forEach(id -> awaitStatus(id, RunStatus.FAILED));
        DeadLetterGroup group = await("the group to hold 3 runs", server::deadLetterGroups,
                groups -> groups.stream().anyMatch(g -> g.count() == 3)).stream()
                .filter(g -> g.count() == 3).findFirst().orElseThrow();

        BulkAction started = server.startBulkAction(BulkActionRequest.of(BulkActionKind.DISCARD,
                RunFilter.builder().fingerprint(group.fingerprint()).build()));
        BulkAction done = await("the bulk action to finish", () -> server.getBulkAction(started.id()),
                action -> action.state() != BulkActionState.RUNNING);

        assertThat(done.state()).isEqualTo(BulkActionState.COMPLETED);
        assertThat(done.total()).isEqualTo(3);
        assertThat(done.succeeded()).isEqualTo(3);
        assertThat(server.listBulkActions()).extracting(BulkAction::id).contains(started.id());
        assertThat(server.deadLetterGroups()).isEmpty();
    }

    // --- queues --------------------------------------------------------------------------------------

    @Test
    void aPausedQueueHoldsRunsUntilResumed() {
        QueueInfo paused = server.pauseQueue("noop");
        assertThat(paused.paused()).isTrue();

        String id = trigger("noop", "{}", null);
        assertThat(server.getRun(id).run().status()).isEqualTo(RunStatus.QUEUED);
        await("the queue to count the run", () -> server.getQueue("noop"), q -> q.queued() == 1);

        assertThat(server.resumeQueue("noop").paused()).isFalse();
        awaitStatus(id, RunStatus.COMPLETED);
    }

    @Test
    void aConcurrencyOverrideTakesEffectAndResets() {
        QueueInfo before = server.getQueue("sleep");
        assertThat(before.override()).isNull();

        QueueInfo overridden = server.overrideConcurrency("sleep", 3);
        assertThat(overridden.concurrencyLimit()).isEqualTo(3);
        assertThat(overridden.override().limit()).isEqualTo(3);
        assertThat(overridden.baseConcurrencyLimit()).isEqualTo(before.baseConcurrencyLimit());
        assertThat(server.listQueues()).filteredOn(q -> q.name().equals("sleep")).singleElement()
                .satisfies(q -> assertThat(q.concurrencyLimit()).isEqualTo(3));

        QueueInfo reset = server.resetConcurrency("sleep");
        assertThat(reset.override()).isNull();
        assertThat(reset.concurrencyLimit()).isEqualTo(before.baseConcurrencyLimit());
        assertThatThrownBy(() -> server.getQueue("no-such-queue")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aZeroOverrideStopsStartingRuns() {
        server.overrideConcurrency("noop", 0);
        String id = trigger("noop", "{}", null);
        await("the queue to count the run", () -> server.getQueue("noop"), q -> q.queued() == 1);
        assertThat(server.getRun(id).run().status()).isEqualTo(RunStatus.QUEUED);
        server.resetConcurrency("noop");
        awaitStatus(id, RunStatus.COMPLETED);
    }

    // --- tasks, stats, nodes, role -------------------------------------------------------------------

    @Test
    void theDemoTasksAreListed() {
        assertThat(server.listTasks()).extracting(TaskInfo::id)
                .contains("noop", "sleep", "always-fail", "flaky");
        TaskInfo flaky = server.getTask("flaky");
        assertThat(flaky.queue()).isEqualTo("flaky");
        assertThat(flaky.retry().maxAttempts()).isEqualTo(3);
        assertThatThrownBy(() -> server.getTask("no-such-task")).isInstanceOf(NotFoundException.class);
    }

    @Test
    void statsNodesAndRoleAnswer() {
        String id = trigger("noop", "{}", null);
        awaitStatus(id, RunStatus.COMPLETED);
        Stats stats = server.stats();
        assertThat(stats.lastSeq()).isPositive();
        assertThat(stats.runsByStatus().getOrDefault(RunStatus.COMPLETED, 0L)).isGreaterThanOrEqualTo(1);
        assertThat(server.nodes()).isNotEmpty();
        assertThat(server.role()).isNotNull();
    }

    // --- live events ---------------------------------------------------------------------------------

    @Test
    void aSubscriptionFromASeqSeesTheRunsTransitionsInOrderWithoutGaps() {
        long from = server.stats().lastSeq();
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        try (Subscription subscription = server.subscribe(from, events::add)) {
            String id = trigger("flaky", "{\"failTimes\":1}", null);
            await("the run's COMPLETED event", () -> List.copyOf(events),
                    seen -> seen.stream().anyMatch(e -> e.runId().equals(id) && e.status() == RunStatus.COMPLETED));

            List<RunEvent> seen = List.copyOf(events);
            for (int i = 0; i < seen.size(); i++) {
                assertThat(seen.get(i).seq()).as("event %d", i).isEqualTo(from + 1 + i);
            }
            List<RunStatus> statuses = seen.stream().filter(e -> e.runId().equals(id)).map(RunEvent::status)
                    .toList();
            assertThat(statuses.getFirst()).isIn(RunStatus.QUEUED, RunStatus.DELAYED);
            assertThat(statuses).containsSubsequence(RunStatus.EXECUTING, RunStatus.EXECUTING, RunStatus.COMPLETED);
            assertThat(statuses.getLast()).isEqualTo(RunStatus.COMPLETED);
            assertThat(subscription.lastSeq()).isEqualTo(seen.getLast().seq());
        }
    }

    @Test
    void aLaterSubscriptionFromTheSameSeqReplaysTheSameEvents() {
        long from = server.stats().lastSeq();
        List<RunEvent> live = new CopyOnWriteArrayList<>();
        List<RunEvent> replayed = new CopyOnWriteArrayList<>();
        try (Subscription ignored = server.subscribe(from, live::add)) {
            awaitStatus(trigger("noop", "{}", null), RunStatus.COMPLETED);
            long last = server.stats().lastSeq();
            await("the live subscription to reach seq " + last, live::size, n -> n >= last - from);
            try (Subscription ignoredToo = server.subscribe(from, replayed::add)) {
                await("the replaying subscription to reach seq " + last, replayed::size, n -> n >= last - from);
            }
            int n = (int) (last - from);
            assertThat(replayed.subList(0, n)).isEqualTo(live.subList(0, n));
        }
    }
}
