package io.taskdeck.examples;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.TriggerOptions;
import io.taskdeck.examples.DemoPayloads.AnalyticsEvent;
import io.taskdeck.examples.DemoPayloads.Payment;
import io.taskdeck.examples.DemoPayloads.Report;
import io.taskdeck.examples.DemoPayloads.ReportDelivery;
import io.taskdeck.examples.DemoPayloads.SensorReading;
import io.taskdeck.examples.DemoPayloads.Sleep;
import io.taskdeck.examples.DemoPayloads.WelcomeEmail;
import io.taskdeck.examples.DemoPayloads.WorkspaceUpdate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * A weighted mix of tasks and how to make each one's payload and options. The order is a smooth
 * weighted round-robin, so it is deterministic and every window of {@code sum(weights)} triggers
 * holds each task exactly {@code weight} times. The n-th trigger (from 0) gets sequence number n.
 */
public final class TaskMix {

    /** One task of the mix. */
    public record Entry(String taskId, int weight, LongFunction<Object> payload, LongFunction<TriggerOptions> options) {
        public Entry {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(payload, "payload");
            options = options == null ? seq -> TriggerOptions.NONE : options;
            if (weight < 1) {
                throw new IllegalArgumentException("weight of " + taskId + " must be >= 1, got " + weight);
            }
        }
    }

    private final List<Entry> entries;
    private final int totalWeight;

    private TaskMix(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("a task mix needs at least one task");
        }
        this.entries = List.copyOf(entries);
        this.totalWeight = entries.stream().mapToInt(Entry::weight).sum();
    }

    public static TaskMix of(Entry... entries) {
        return new TaskMix(List.of(entries));
    }

    /** One task with one payload maker. */
    public static TaskMix single(String taskId, LongFunction<Object> payload) {
        return of(new Entry(taskId, 1, payload, null));
    }

    public List<Entry> entries() {
        return entries;
    }

    public TaskMix with(String taskId, int weight, LongFunction<Object> payload) {
        return with(new Entry(taskId, weight, payload, null));
    }

    public TaskMix with(Entry entry) {
        List<Entry> next = new ArrayList<>(entries);
        next.add(entry);
        return new TaskMix(next);
    }

    /**
     * The demo workload: payments (none declined), welcome mails, workspace updates keyed by
     * workspace, analytics, reports and sensor readings, all finishing at once.
     */
    public static TaskMix demo() {
        return of(
                demoEntry(DemoTasks.PROCESS_PAYMENT, 3),
                demoEntry(DemoTasks.SEND_WELCOME_EMAIL, 1),
                demoEntry(DemoTasks.UPDATE_WORKSPACE, 2),
                demoEntry(DemoTasks.PROCESS_ANALYTICS, 6),
                demoEntry(DemoTasks.PROCESS_REPORT, 1),
                demoEntry(DemoTasks.SEND_REPORT, 1),
                demoEntry(DemoTasks.IOT_DATA_PROCESSOR, 2));
    }

    /**
     * A mix of demo tasks from text, {@code "process-payment=3,noop=1"}; a task without a weight
     * weighs 1. Payloads are the demo workload's.
     */
    public static TaskMix parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("task mix is empty; expected e.g. \"process-payment=3,noop=1\"");
        }
        List<Entry> out = new ArrayList<>();
        for (String part : text.split(",")) {
            String[] kv = part.trim().split("=", 2);
            int weight = 1;
            if (kv.length == 2) {
                try {
                    weight = Integer.parseInt(kv[1].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("task mix: weight of " + kv[0].trim() + " is not a whole number: \""
                            + kv[1].trim() + "\"");
                }
            }
            out.add(demoEntry(kv[0].trim(), weight));
        }
        return new TaskMix(out);
    }

    /** A demo task with the demo workload's payloads for it. */
    public static Entry demoEntry(String taskId, int weight) {
        return switch (taskId) {
            case DemoTasks.PROCESS_PAYMENT, DemoTasks.FRAUD_DETECTION ->
                    new Entry(taskId, weight, seq -> new Payment("load_pay_" + seq, 1 + (seq % 50) * 10.0), null);
            case DemoTasks.SEND_WELCOME_EMAIL ->
                    new Entry(taskId, weight, seq -> new WelcomeEmail("load_user_" + seq, "user" + seq + "@example.com"), null);
            case DemoTasks.UPDATE_WORKSPACE -> new Entry(taskId, weight,
                    seq -> new WorkspaceUpdate(workspaceOf(seq), Map.of("seq", seq)),
                    seq -> TriggerOptions.builder().concurrencyKey(workspaceOf(seq)).build());
            case DemoTasks.PROCESS_ANALYTICS ->
                    new Entry(taskId, weight, seq -> new AnalyticsEvent("load_user_" + (seq % 1_000), "page_view"), null);
            case DemoTasks.PROCESS_REPORT -> new Entry(taskId, weight, seq -> new Report("load_report_" + seq), null);
            case DemoTasks.SEND_REPORT ->
                    new Entry(taskId, weight, seq -> new ReportDelivery("load_report_" + seq, "ops@example.com", null), null);
            case DemoTasks.IOT_DATA_PROCESSOR -> new Entry(taskId, weight,
                    seq -> new SensorReading("sensor_" + (seq % 20), seq % 100 / 2.0, "2025-01-01T00:00:00Z", "lab"), null);
            case DemoTasks.NOOP -> new Entry(taskId, weight, seq -> Map.of("seq", seq), null);
            case DemoTasks.SLEEP -> new Entry(taskId, weight, seq -> new Sleep(10), null);
            case DemoTasks.FLAKY -> new Entry(taskId, weight, seq -> new DemoPayloads.Flaky(1), null);
            case DemoTasks.ALWAYS_FAIL -> new Entry(taskId, weight, seq -> new DemoPayloads.AlwaysFail(null), null);
            default -> throw new IllegalArgumentException("task mix: no demo payloads for task \"" + taskId
                    + "\"; the demo tasks with payloads are " + DemoTasks.TASK_IDS.stream()
                    .filter(id -> !id.equals(DemoTasks.ALERT_FRAUD_TEAM) && !id.equals(DemoTasks.PAYMENT_DEAD_LETTER)
                            && !id.equals(DemoTasks.UPDATE_WORKSPACE_CACHE)).toList());
        };
    }

    private static String workspaceOf(long seq) {
        return "load_ws_" + (seq % 50);
    }

    /** A fresh cursor over the mix, starting at sequence 0. */
    public Cursor cursor() {
        return new Cursor();
    }

    /** Hands out the mix's triggers in order. Not thread-safe. */
    public final class Cursor {
        private final int[] current = new int[entries.size()];
        private long seq;
        private final Map<String, Long> counts = new LinkedHashMap<>();

        private Cursor() {
        }

        public BatchItem next() {
            int best = 0;
            for (int i = 0; i < entries.size(); i++) {
                current[i] += entries.get(i).weight();
                if (current[i] > current[best]) {
                    best = i;
                }
            }
            current[best] -= totalWeight;
            Entry e = entries.get(best);
            long n = seq++;
            counts.merge(e.taskId(), 1L, Long::sum);
            return new BatchItem(e.taskId(), e.payload().apply(n), e.options().apply(n));
        }

        public List<BatchItem> next(int count) {
            List<BatchItem> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                out.add(next());
            }
            return out;
        }

        /** How many items of each task this cursor handed out. */
        public Map<String, Long> counts() {
            return Map.copyOf(counts);
        }
    }
}
