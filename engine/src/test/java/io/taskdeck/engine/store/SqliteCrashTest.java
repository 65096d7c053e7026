package io.taskdeck.engine.store;

import io.taskdeck.engine.Attempt;
import io.taskdeck.engine.AttemptOutcome;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunPage;
import io.taskdeck.engine.RunQuery;
import io.taskdeck.engine.RunStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An engine on a SQLite file, in a child JVM under load, is killed with SIGKILL at random moments
 * and restarted on the same file. Afterwards every trigger that returned is accounted for: its
 * run exists and completed, no completed run ran again, and a run ran more than once only when
 * an attempt was lost in a kill (recorded as CRASHED).
 */
class SqliteCrashTest {

    private static final int KILLS = 10;

    @TempDir
    Path dir;

    @Test
    void killedEngineLosesNoTriggeredRunAndNeverRerunsACompletedOne() throws Exception {
        Path db = dir.resolve("crash.db");
        Path executions = dir.resolve("executions.log");
        Path triggers = dir.resolve("triggers.log");
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int triggered = 0;
        for (int kill = 0; kill < KILLS; kill++) {
            Process child = start(db, executions, triggers, kill);
            int before = triggered;
            // Let it get going, then kill it at a random moment: mid-trigger, mid-run, mid-commit.
            waitFor("child " + kill + " to trigger runs (seed " + seed + ")", child,
                    () -> lines(triggers).size() >= before + 20);
            Thread.sleep(random.nextInt(250));
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            triggered = lines(triggers).size();
        }

        // Restart once more and let everything finish.
        try (FileChannel execLog = SqliteCrashChild.openLog(executions);
             SqliteRunStore store = SqliteRunStore.open(db)) {
            Engine engine = Engine.builder().store(store).nodeId("final").build();
            engine.register(SqliteCrashChild.task(execLog));
            engine.start();
            try {
                waitFor("every run to finish (seed " + seed + ")", null, () -> unfinished(store) == 0);
            } finally {
                engine.stop(Duration.ofSeconds(5));
            }
            check(store, lines(triggers), lines(executions), seed);
        }
    }

    private void check(SqliteRunStore store, List<String> triggerLines, List<String> execLines, long seed) {
        List<Run> all = allRuns(store);
        Map<String, Run> byId = new HashMap<>();
        all.forEach(r -> byId.put(r.id(), r));
        // No trigger that returned is lost; every run (those whose trigger returned unlogged too) completed.
        assertThat(byId.keySet()).as("seed %d", seed).containsAll(triggerLines);
        assertThat(all).as("seed %d", seed).allSatisfy(r -> assertThat(r.status()).isEqualTo(RunStatus.COMPLETED));

        Map<String, List<Integer>> executedAttempts = new HashMap<>();
        for (String line : execLines) {
            String[] parts = line.split(" ");
            executedAttempts.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
        }
        int ranTwice = 0;
        for (Run r : all) {
            List<Integer> executed = executedAttempts.getOrDefault(r.id(), List.of());
            assertThat(executed).as("executions of %s (seed %d)", r.id(), seed).contains(r.attempts());
            // Never executed after the attempt that completed it, never one attempt twice.
            assertThat(executed).as("executions of %s (seed %d)", r.id(), seed)
                    .allSatisfy(a -> assertThat(a).isLessThanOrEqualTo(r.attempts()))
                    .doesNotHaveDuplicates();
            if (executed.size() > 1) {
                ranTwice++;
            }
            // Every attempt before the last was lost in a kill and recorded as such.
            List<Attempt> attempts = store.attempts(r.id());
            assertThat(attempts).as("attempts of %s (seed %d)", r.id(), seed).hasSize(r.attempts());
            for (Attempt a : attempts) {
                AttemptOutcome expected = a.number() == r.attempts() ? AttemptOutcome.SUCCEEDED : AttemptOutcome.CRASHED;
                assertThat(a.outcome()).as("attempt %d of %s (seed %d)", a.number(), r.id(), seed).isEqualTo(expected);
            }
        }
        System.out.printf("crash test (seed %d): %d kills, %d runs (%d triggers logged), %d executions, %d runs executed more than once%n",
                seed, KILLS, all.size(), triggerLines.size(), execLines.size(), ranTwice);
        // Only runs in flight at a kill ran again: at most a queue's worth (8) per kill.
        assertThat(ranTwice).as("runs executed more than once (seed %d)", seed).isLessThanOrEqualTo(KILLS * 8);
        assertThat(all.size()).isGreaterThanOrEqualTo(KILLS * 20);
    }

    private static long unfinished(RunStore store) {
        Map<RunStatus, Long> counts = store.countByStatus(null, null);
        return counts.entrySet().stream().filter(e -> !e.getKey().isFinal()).mapToLong(Map.Entry::getValue).sum();
    }

    private static List<Run> allRuns(RunStore store) {
        List<Run> out = new ArrayList<>();
        String cursor = null;
        do {
            RunPage page = store.list(RunQuery.builder().limit(RunQuery.MAX_LIMIT).cursor(cursor).build());
            out.addAll(page.runs());
            cursor = page.nextCursor();
        } while (cursor != null);
        return out;
    }

    private Process start(Path db, Path executions, Path triggers, int n) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "-Xshare:auto",
                SqliteCrashChild.class.getName(), db.toString(), executions.toString(), triggers.toString(), "trigger")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("child-" + n + ".out").toFile()))
                .start();
    }

    /** Only complete lines: a kill may cut the last one short. */
    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        return end < 0 ? List.of() : List.of(text.substring(0, end).split("\n"));
    }

    /** Polls a condition until it holds; fails (with the child's output) if the child dies or a minute passes. */
    private void waitFor(String what, Process child, Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.holds()) {
            if (child != null && !child.isAlive()) {
                throw new AssertionError("the child died while waiting for " + what + ":\n" + childOutput());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + ":\n" + childOutput());
            }
            Thread.sleep(10);
        }
    }

    private String childOutput() throws IOException {
        try (var files = Files.list(dir)) {
            Path last = files.filter(p -> p.getFileName().toString().startsWith("child-")).sorted()
                    .reduce((a, b) -> b).orElse(null);
            return last == null ? "(no output)" : Files.readString(last);
        }
    }

    @FunctionalInterface
    private interface Check {
        boolean holds() throws Exception;
    }
}
