package io.taskdeck.engine.store;

import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.DeadLetterState;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunError;
import io.taskdeck.engine.RunStatus;

import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * A guarded change of one run: "if the run is in one of {@code expected} (and still held by
 * this node, at this attempt, or with its lease expired), move it to {@code to} and patch these
 * fields". Stores apply it atomically with its journal event; {@link #accepts} and
 * {@link #applyTo} are the one definition of what it means, shared by every store.
 *
 * <p>Moving to EXECUTING is not a transition: only {@link RunStore#claim} and
 * {@link RunStore#resume} do that, because they enforce the concurrency limits.
 */
public final class Transition {

    private final String runId;
    private final Set<RunStatus> expected;
    private final RunStatus to;
    private final String expectNodeId;
    private final int expectAttempt;
    private final Instant leaseExpiredBy;
    private final String output;
    private final RunError error;
    private final boolean clearError;
    private final Instant runAt;
    private final String payload;
    private final String queue;
    private final Integer maxAttempts;
    private final String metadata;
    private final DeadLetterState deadLetter;
    private final String fingerprint;
    private final AttemptOutcome attemptOutcome;
    private final String detail;

    private Transition(Builder b) {
        this.runId = Objects.requireNonNull(b.runId, "runId");
        if (b.expected == null || b.expected.isEmpty()) {
            throw new IllegalArgumentException("a transition needs the statuses it starts from");
        }
        // An EnumSet: the guard is checked on every completion, and contains() is a bit test.
        this.expected = Collections.unmodifiableSet(EnumSet.copyOf(b.expected));
        this.to = b.to;
        if (to == RunStatus.EXECUTING) {
            throw new IllegalArgumentException("only claim and resume move a run to EXECUTING");
        }
        if (to != null) {
            for (RunStatus from : expected) {
                if (from != to && !from.canTransitionTo(to)) {
                    throw new IllegalArgumentException("transition " + from + " -> " + to + " is not allowed");
                }
            }
        }
        this.expectNodeId = b.expectNodeId;
        this.expectAttempt = b.expectAttempt;
        this.leaseExpiredBy = b.leaseExpiredBy;
        this.output = b.output;
        this.error = b.error;
        this.clearError = b.clearError;
        this.runAt = b.runAt;
        this.payload = b.payload;
        this.queue = b.queue;
        this.maxAttempts = b.maxAttempts;
        this.metadata = b.metadata;
        this.deadLetter = b.deadLetter;
        this.fingerprint = b.fingerprint;
        this.attemptOutcome = b.attemptOutcome;
        this.detail = b.detail;
    }

    /** A transition of {@code runId} from any of {@code from} to {@code to} (null: patch only). */
    public static Builder of(String runId, RunStatus to, RunStatus... from) {
        Builder b = new Builder();
        b.runId = runId;
        b.to = to;
        b.expected = from.length == 0 ? EnumSet.noneOf(RunStatus.class) : EnumSet.of(from[0], from);
        return b;
    }

    public static Builder of(String runId, RunStatus to, Set<RunStatus> from) {
        Builder b = new Builder();
        b.runId = runId;
        b.to = to;
        b.expected = from;
        return b;
    }

    public String runId() { return runId; }
    public Set<RunStatus> expected() { return expected; }
    /** The target status; null for a patch that keeps the status. */
    public RunStatus to() { return to; }
    public String expectNodeId() { return expectNodeId; }
    public int expectAttempt() { return expectAttempt; }
    public Instant leaseExpiredBy() { return leaseExpiredBy; }
    public AttemptOutcome attemptOutcome() { return attemptOutcome; }
    public String detail() { return detail; }

    /** Whether the guard holds for the run as it is now. */
    public boolean accepts(Run current) {
        if (current == null || !expected.contains(current.status())) {
            return false;
        }
        if (expectNodeId != null && !expectNodeId.equals(current.nodeId())) {
            return false;
        }
        if (expectAttempt > 0 && expectAttempt != current.attempts()) {
            return false;
        }
        return leaseExpiredBy == null
                || (current.leaseUntil() != null && current.leaseUntil().isBefore(leaseExpiredBy));
    }

    /** The run after this transition; call only when {@link #accepts} holds. */
    public Run applyTo(Run current, Instant now) {
        // Every run's completion goes through here: one copy straight through the canonical
        // constructor rather than a builder copied twice.
        RunStatus from = current.status();
        RunStatus target = to == null ? from : to;
        String nextOutput = output != null ? output : current.output();
        RunError nextError = error != null ? error : clearError ? null : current.error();
        Instant nextRunAt = runAt != null ? runAt : current.runAt();
        String nextFingerprint = fingerprint != null ? fingerprint : current.fingerprint();
        DeadLetterState nextDeadLetter = deadLetter != null ? deadLetter : current.deadLetter();
        boolean held = target == RunStatus.EXECUTING || target == RunStatus.WAITING;
        Instant completedAt = target.isFinal() ? (from.isFinal() ? current.completedAt() : now) : null;
        if (target.isDeadLetter() && !from.isDeadLetter()) {
            nextDeadLetter = DeadLetterState.OPEN;
            if (fingerprint == null && current.fingerprint() == null) {
                nextFingerprint = current.taskId() + ":" + (error == null ? "unknown" : error.type());
            }
        }
        if (from.isFinal() && target == RunStatus.QUEUED) {
            // A requeue: the run starts afresh, its history stays in its attempts.
            nextError = null;
            nextOutput = null;
            nextRunAt = runAt == null ? now : runAt;
            if (deadLetter == null) {
                nextDeadLetter = DeadLetterState.REQUEUED;
            }
        }
        return new Run(current.id(), current.taskId(), queue != null ? queue : current.queue(), target,
                payload != null ? payload : current.payload(), nextOutput, nextError,
                metadata != null ? metadata : current.metadata(), current.tags(), current.idempotencyKey(),
                current.idempotencyKeyExpiresAt(), current.concurrencyKey(), current.priority(), current.createdAt(),
                nextRunAt, current.expiresAt(), current.startedAt(), completedAt, now, current.attempts(),
                maxAttempts != null ? maxAttempts : current.maxAttempts(), current.parentId(), current.rootId(),
                current.batchId(), held ? current.nodeId() : null, held ? current.leaseUntil() : null,
                nextDeadLetter, nextFingerprint);
    }

    /** The journal entry for this transition (seq 0: the store assigns it). */
    public JournalEvent event(Run before, Run after, Instant now) {
        boolean statusChanged = before.status() != after.status();
        String text = detail;
        if (text == null && after.error() != null && statusChanged && after.error() != before.error()) {
            text = after.error().message();
        }
        return new JournalEvent(0, now,
                statusChanged ? JournalEvent.Kind.RUN_STATUS_CHANGED : JournalEvent.Kind.RUN_UPDATED,
                after.id(), after.taskId(), after.queue(), before.status(), after.status(), after.attempts(), text);
    }

    @Override
    public String toString() {
        return "Transition[" + runId + " " + expected + " -> " + to + "]";
    }

    public static final class Builder {
        private String runId;
        private Set<RunStatus> expected;
        private RunStatus to;
        private String expectNodeId;
        private int expectAttempt;
        private Instant leaseExpiredBy;
        private String output;
        private RunError error;
        private boolean clearError;
        private Instant runAt;
        private String payload;
        private String queue;
        private Integer maxAttempts;
        private String metadata;
        private DeadLetterState deadLetter;
        private String fingerprint;
        private AttemptOutcome attemptOutcome;
        private String detail;

        private Builder() {
        }

        /** Only if this node still holds the run (fencing after a rescue). */
        public Builder heldBy(String nodeId) { expectNodeId = nodeId; return this; }
        /** Only if the run is still at this attempt. */
        public Builder atAttempt(int attempt) { expectAttempt = attempt; return this; }
        /** Only if the run's lease ended before this instant (rescue). */
        public Builder leaseExpiredBy(Instant at) { leaseExpiredBy = at; return this; }
        public Builder output(String json) { output = json; return this; }
        public Builder error(RunError value) { error = value; return this; }
        public Builder clearError() { clearError = true; return this; }
        public Builder runAt(Instant at) { runAt = at; return this; }
        public Builder payload(String json) { payload = json; return this; }
        public Builder queue(String name) { queue = name; return this; }
        public Builder maxAttempts(int value) { maxAttempts = value; return this; }
        public Builder metadata(String json) { metadata = json; return this; }
        public Builder deadLetter(DeadLetterState value) { deadLetter = value; return this; }
        public Builder fingerprint(String value) { fingerprint = value; return this; }
        /** Closes the run's current attempt with this outcome (and the error, if any). */
        public Builder closeAttempt(AttemptOutcome outcome) { attemptOutcome = outcome; return this; }
        public Builder detail(String text) { detail = text; return this; }

        public Transition build() {
            return new Transition(this);
        }
    }
}
