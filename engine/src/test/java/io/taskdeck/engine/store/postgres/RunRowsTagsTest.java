package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.PostgresRunStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** RunRows tells an empty tags array from its raw value: tags must read the same in text and in binary results. */
class RunRowsTagsTest {

    @Test
    void tagsReadTheSameWhetherTheResultCameAsTextOrBinary() {
        Instant t0 = Instant.parse("2030-01-01T00:00:00Z");
        List<String> tags = List.of("a", "{b}", "c,d", "");
        try (PostgresRunStore store = TestPostgres.freshStore()) {
            store.insert(List.of(
                    Run.builder("run_tagged", "t", "q", t0).payload("{}").status(RunStatus.QUEUED).tags(tags).build(),
                    Run.builder("run_plain", "t", "q", t0).payload("{}").status(RunStatus.QUEUED).build()), t0);
            // pgjdbc prepares a statement on the server, with binary results, from its fifth execution on
            // a connection: enough reads here go through both formats on every pooled connection.
            for (int i = 0; i < 60; i++) {
                assertThat(store.find("run_tagged").orElseThrow().tags()).as("read %d", i).isEqualTo(tags);
                assertThat(store.find("run_plain").orElseThrow().tags()).as("read %d", i).isEmpty();
            }
        }
    }
}
