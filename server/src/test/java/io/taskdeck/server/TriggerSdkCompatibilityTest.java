package io.taskdeck.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

import io.taskdeck.client.Role;
import io.taskdeck.engine.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Drives a real server with the official {@code @trigger.dev/sdk} 4.x from npm, through a small node
 * script (src/test/resources/trigger-sdk/compat.cjs). Skipped, saying so, where node 18+ or npm's
 * registry is not available. The SDK is installed once under target/trigger-sdk.
 */
class TriggerSdkCompatibilityTest {
    private static final String SECRET = "sdk-compat-secret-0123456789";

    private Engine engine;
    private TaskdeckServer server;

    @BeforeEach
    void start() {
        engine = ContractTasks.newEngine();
        server = TaskdeckServer.builder().engine(engine).host("127.0.0.1").port(0)
                .key(new ApiKey("sdk", SECRET, Role.OPERATOR)).start();
    }

    @AfterEach
    void stop() {
        server.stop(Duration.ofSeconds(5));
        engine.stop(Duration.ofSeconds(5));
    }

    @Test
    void theOfficialSdkWorksUnchanged() throws Exception {
        int nodeMajor = nodeMajorVersion();
        if (nodeMajor < 18) {
            abort(nodeMajor < 0 ? "node is not on PATH: skipping the Trigger.dev SDK compatibility test"
                    : "node " + nodeMajor + " is too old (18+ needed): skipping the Trigger.dev SDK compatibility test");
        }
        Path dir = Path.of(System.getProperty("taskdeck.sdkCache", "target/trigger-sdk")).toAbsolutePath();
        installSdk(dir);
        Path script = dir.resolve("compat.cjs");
        try (InputStream in = getClass().getResourceAsStream("/trigger-sdk/compat.cjs")) {
            Files.write(script, in.readAllBytes());
        }
        ProcessBuilder pb = new ProcessBuilder("node", script.toString()).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("TASKDECK_URL", server.baseUrl());
        pb.environment().put("TASKDECK_KEY", SECRET);
        pb.environment().put("TRIGGER_TELEMETRY_DISABLED", "1");
        Result result = run(pb, Duration.ofSeconds(90));
        assertThat(result.output()).as("node output (exit %d)", result.exit()).contains("SDK-COMPAT-OK");
        assertThat(result.exit()).isZero();
    }

    private record Result(int exit, String output) {
    }

    private static Result run(ProcessBuilder pb, Duration timeout) throws IOException, InterruptedException {
        Process p = pb.start();
        byte[][] out = new byte[1][];
        Thread reader = Thread.ofVirtual().start(() -> {
            try {
                out[0] = p.getInputStream().readAllBytes();
            } catch (IOException e) {
                out[0] = ("cannot read output: " + e).getBytes(StandardCharsets.UTF_8);
            }
        });
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
        }
        reader.join(5_000);
        return new Result(p.isAlive() ? -1 : p.exitValue(), out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8));
    }

    private static int nodeMajorVersion() {
        try {
            Result r = run(new ProcessBuilder("node", "--version").redirectErrorStream(true), Duration.ofSeconds(20));
            String v = r.output().trim();
            if (r.exit() != 0 || !v.startsWith("v")) {
                return -1;
            }
            return Integer.parseInt(v.substring(1, v.indexOf('.')));
        } catch (Exception e) {
            return -1;
        }
    }

    private static void installSdk(Path dir) throws Exception {
        if (Files.isDirectory(dir.resolve("node_modules/@trigger.dev/sdk"))) {
            return;
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("package.json"), "{\"name\":\"taskdeck-sdk-compat\",\"private\":true}\n");
        String npm = System.getProperty("os.name").toLowerCase().contains("win") ? "npm.cmd" : "npm";
        Result r;
        try {
            r = run(new ProcessBuilder(npm, "install", "--no-audit", "--no-fund", "--loglevel=error", "@trigger.dev/sdk@4")
                    .directory(dir.toFile()).redirectErrorStream(true), Duration.ofMinutes(5));
        } catch (IOException e) {
            abort("npm is not on PATH: skipping the Trigger.dev SDK compatibility test (" + e.getMessage() + ")");
            return;
        }
        if (r.exit() != 0) {
            abort("npm could not install @trigger.dev/sdk@4 (no registry?): skipping the compatibility test\n" + r.output());
        }
        assertThat(List.of(dir.resolve("node_modules/@trigger.dev/sdk").toFile().list())).isNotEmpty();
    }
}
