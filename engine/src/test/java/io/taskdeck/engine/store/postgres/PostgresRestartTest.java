package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.BatchItem;
import io.taskdeck.engine.Engine;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.PostgresRunStore;
import io.taskdeck.engine.store.PostgresStoreOptions;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/** PostgreSQL restarts under load: the nodes reconnect and carry on, and nothing acknowledged is lost. */
class PostgresRestartTest {

    @TempDir
    Path dataDir;

    private EmbeddedPostgres start(int port) throws IOException {
        return EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                .setPGStartupWait(Duration.ofSeconds(30)).start();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Triggers a batch, retrying while the database is away; returns the acknowledged ids. */
    private static List<String> triggerUntilAcknowledged(Engine client, int from, int count) {
        List<BatchItem> items = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(BatchItem.of("job", Map.of("n", from + i)));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                return client.batchTrigger(items).runs().stream().map(r -> r.runId()).toList();
            } catch (PostgresStoreException e) {
                assertThat(System.nanoTime()).as("trigger accepted again within 60 s").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    @Test
    void nodesReconnectAfterARestartAndFinishEveryAcknowledgedRun() throws Exception {
        int port = freePort();
        EmbeddedPostgres pg = start(port);
        String url = "jdbc:postgresql://localhost:" + port + "/postgres";
        List<PostgresRunStore> stores = new ArrayList<>();
        List<Engine> engines = new ArrayList<>();
        try {
            for (String id : List.of("r1", "r2")) {
                PostgresRunStore s = PostgresRunStore.open(NodeProcess.options(url, "restart", id));
                stores.add(s);
                engines.add(Engine.builder().store(s).nodeId(id).leaseDuration(Duration.ofSeconds(2)).build()
                        .register(NodeProcess.job()).start());
            }
            PostgresRunStore clientStore = PostgresRunStore.open(
                    NodeProcess.options(url, "restart", "client").toBuilder().nodeId(null).build());
            stores.add(clientStore);
            Engine client = Engine.builder().store(clientStore).nodeId("client").build().register(NodeProcess.job());

            List<String> acknowledged = new ArrayList<>(triggerUntilAcknowledged(client, 0, 300));
            pg.close();  // stops the server mid-load; the data directory stays
            pg = start(port);
            acknowledged.addAll(triggerUntilAcknowledged(client, 300, 300));

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
            while (true) {
                long completed;
                try {
                    completed = clientStore.countByStatus(NodeProcess.QUEUE, null).get(RunStatus.COMPLETED);
                } catch (PostgresStoreException e) {
                    completed = -1;
                }
                if (completed == acknowledged.size()) {
                    break;
                }
                assertThat(System.nanoTime()).as("all acknowledged runs completed within 90 s").isLessThan(deadline);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
            for (String id : acknowledged) {
                assertThat(clientStore.find(id).orElseThrow().status()).isEqualTo(RunStatus.COMPLETED);
            }
            // The LISTEN connections came back too, so wake-ups cross nodes again without polling.
            assertThat(stores).allSatisfy(s -> assertThat(s.isListening()).isTrue());
        } finally {
            engines.forEach(e -> e.stop(Duration.ofSeconds(5)));
            stores.forEach(PostgresRunStore::close);
            pg.close();
        }
    }
}
