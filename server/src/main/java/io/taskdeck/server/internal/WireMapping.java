package io.taskdeck.server.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskdeck.client.Attempt;
import io.taskdeck.client.LogEntry;
import io.taskdeck.client.LogLevel;
import io.taskdeck.client.Run;
import io.taskdeck.client.RunError;
import io.taskdeck.client.RunEvent;
import io.taskdeck.client.RunEventType;
import io.taskdeck.client.RunStatus;
import io.taskdeck.client.TaskdeckJson;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.JournalEvent;
import io.taskdeck.engine.LogLine;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Converts the engine's types into the wire records of {@code io.taskdeck.client}. */
public final class WireMapping {

    /** The engine writes a retry's time into the event detail: "attempt 1 failed, retry at 2025-...Z: message". */
    private static final Pattern RETRY_AT = Pattern.compile("retry at (\\S+?):");
    private static final Pattern RESCHEDULED_TO = Pattern.compile("rescheduled to (\\S+)");

    private final ObjectMapper json;

    public WireMapping(ObjectMapper json) {
        this.json = json;
    }

    public static final ObjectMapper MAPPER = TaskdeckJson.newMapper();

    public ObjectMapper json() {
        return json;
    }

    public static RunStatus status(io.taskdeck.engine.RunStatus status) {
        return RunStatus.valueOf(status.name());
    }

    public static io.taskdeck.engine.RunStatus status(RunStatus status) {
        return io.taskdeck.engine.RunStatus.valueOf(status.name());
    }

    public JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (Exception e) {
            // Stored JSON is written by the engine; unreadable text is shown as a string rather than lost.
            return json.getNodeFactory().textNode(text);
        }
    }

    public static RunError error(io.taskdeck.engine.RunError error) {
        if (error == null) {
            return null;
        }
        return new RunError(error.message(), error.type(), error.stackTrace().isEmpty() ? null : error.stackTrace());
    }

    /** A run; {@code full} includes payload and output (left out of lists), {@code seq} its last event. */
    public Run run(io.taskdeck.engine.Run r, boolean full, long seq) {
        return new Run(r.id(), r.taskId(), status(r.status()), r.queue(), r.concurrencyKey(), r.idempotencyKey(),
                r.tags(), parse(r.metadata()), r.priority(),
                full ? parse(r.payload()) : null, full ? parse(r.output()) : null,
                error(r.error()), r.attempts(), r.maxAttempts(), r.createdAt(), r.startedAt(), r.completedAt(),
                r.status() == io.taskdeck.engine.RunStatus.DELAYED ? r.runAt() : null, ttlOf(r), r.parentId(),
                r.rootId(), seq);
    }

    /** The engine keeps the TTL's deadline; the wire shows the duration it was triggered with. */
    public static Duration ttlOf(io.taskdeck.engine.Run r) {
        if (r.expiresAt() == null) {
            return null;
        }
        Instant base = r.runAt() != null && r.runAt().isAfter(r.createdAt()) && r.runAt().isBefore(r.expiresAt())
                && r.attempts() == 0 ? r.runAt() : r.createdAt();
        Duration d = Duration.between(base, r.expiresAt());
        return d.isNegative() ? Duration.ZERO : d;
    }

    public static RunStatus attemptStatus(AttemptOutcome outcome) {
        return switch (outcome) {
            case RUNNING -> RunStatus.EXECUTING;
            case SUCCEEDED -> RunStatus.COMPLETED;
            case FAILED -> RunStatus.FAILED;
            case TIMED_OUT -> RunStatus.TIMED_OUT;
            case CANCELED -> RunStatus.CANCELED;
            case CRASHED -> RunStatus.CRASHED;
            case SYSTEM_FAILURE -> RunStatus.SYSTEM_FAILURE;
            case SUSPENDED -> RunStatus.WAITING;
        };
    }

    public List<Attempt> attempts(List<io.taskdeck.engine.Attempt> attempts, List<JournalEvent> events) {
        Map<Integer, Instant> retries = new java.util.HashMap<>();
        for (JournalEvent e : events) {
            Instant at = retryAt(e);
            if (at != null) {
                retries.put(e.attempt(), at);
            }
        }
        List<Attempt> out = new ArrayList<>(attempts.size());
        for (io.taskdeck.engine.Attempt a : attempts) {
            out.add(new Attempt(a.number(), attemptStatus(a.outcome()), a.nodeId(), a.startedAt(), a.endedAt(),
                    error(a.error()), retries.get(a.number())));
        }
        return out;
    }

    public static LogEntry log(LogLine line) {
        return new LogEntry(line.at(), LogLevel.valueOf(line.level().name()), line.attempt(), line.message(), null);
    }

    static Instant retryAt(JournalEvent e) {
        if (e.kind() != JournalEvent.Kind.RUN_STATUS_CHANGED || e.from() != io.taskdeck.engine.RunStatus.EXECUTING
                || e.to() != io.taskdeck.engine.RunStatus.QUEUED || e.detail() == null) {
            return null;
        }
        return instantIn(RETRY_AT.matcher(e.detail()));
    }

    private static Instant instantIn(Matcher m) {
        if (!m.find()) {
            return null;
        }
        try {
            return Instant.parse(m.group(1));
        } catch (DateTimeParseException ex) {
            return null;
        }
    }

    /**
     * A journal event as the wire shows it. Queue events (a limit override, a pause) have no run
     * and no status: type {@code QUEUE_UPDATED}, details {@code {queue, change}}.
     */
    public RunEvent event(JournalEvent e) {
        RunEventType type;
        ObjectNode details = null;
        RunStatus status = e.to() == null ? null : status(e.to());
        Integer attempt = e.attempt() > 0 ? e.attempt() : null;
        switch (e.kind()) {
            case RUN_TRIGGERED -> type = RunEventType.TRIGGERED;
            case RUN_STATUS_CHANGED -> {
                Instant retryAt = retryAt(e);
                if (retryAt != null) {
                    type = RunEventType.RETRY_SCHEDULED;
                    details = json.createObjectNode().put("retryAt", retryAt.toString());
                } else if (e.from() != null && e.from().isDeadLetter() && e.to() == io.taskdeck.engine.RunStatus.QUEUED) {
                    type = RunEventType.REQUEUED;
                    details = json.createObjectNode().put("queue", e.queue());
                } else {
                    type = RunEventType.STATUS_CHANGED;
                }
            }
            case RUN_UPDATED -> {
                String detail = e.detail() == null ? "" : e.detail();
                if (detail.startsWith("discarded")) {
                    type = RunEventType.DISCARDED;
                } else if (detail.startsWith("rescheduled")) {
                    type = RunEventType.RESCHEDULED;
                    Instant at = instantIn(RESCHEDULED_TO.matcher(detail));
                    details = json.createObjectNode().put("delayUntil", at == null ? null : at.toString());
                } else if (detail.startsWith("metadata")) {
                    type = RunEventType.METADATA_UPDATED;
                } else {
                    type = RunEventType.UNKNOWN;
                }
            }
            case QUEUE_UPDATED -> {
                details = json.createObjectNode().put("queue", e.queue()).put("change", e.detail());
                return new RunEvent(e.seq(), e.at(), null, null, e.queue(), RunEventType.QUEUE_UPDATED, null, null,
                        details);
            }
            default -> type = RunEventType.UNKNOWN;
        }
        return new RunEvent(e.seq(), e.at(), e.runId(), e.taskId(), e.queue(), type, status, attempt, details);
    }

    /** The event's JSON for the SSE stream. */
    public String eventJson(JournalEvent e) {
        try {
            return json.writeValueAsString(event(e));
        } catch (Exception ex) {
            throw new IllegalStateException("cannot write event " + e.seq(), ex);
        }
    }

    public static Map<RunStatus, Long> counts(Map<io.taskdeck.engine.RunStatus, Long> counts) {
        Map<RunStatus, Long> out = new EnumMap<>(RunStatus.class);
        counts.forEach((k, v) -> {
            if (v != null && v > 0) {
                out.put(status(k), v);
            }
        });
        return out;
    }
}
