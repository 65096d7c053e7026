package io.taskdeck.engine.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.engine.Run;
import io.taskdeck.engine.RunStatus;
import io.taskdeck.engine.store.PostgresRunStore;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the one-statement batch writes must keep exact: values that need escaping, and which run was a duplicate. */
class BulkWritesTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00.123456Z");

    private static Run run(String id, List<String> tags) {
        return Run.builder(id, "t", "q", T0).payload("{}").status(RunStatus.QUEUED).maxAttempts(3).tags(tags).build();
    }

    @Test
    void tagsAndTimesSurviveTheBatchInsertExactly() {
        List<String> awkward = List.of("quote\"d", "back\\slash", "comma,brace{}", "üñíçødé ✓", "tab\there", "NULL", "");
        try (PostgresRunStore store = TestPostgres.freshStore()) {
            store.insert(List.of(run("run_a", awkward), run("run_b", List.of())), T0);
            Run a = store.find("run_a").orElseThrow();
            assertThat(a.tags()).containsExactlyElementsOf(awkward);
            assertThat(a.createdAt()).isEqualTo(T0);
            assertThat(store.find("run_b").orElseThrow().tags()).isEmpty();
        }
    }

    @Test
    void timesTravelAsMicrosecondsAndRoundAsPostgresRoundsALiteral() throws Exception {
        List<Instant> times = List.of(T0, Instant.parse("2030-01-01T00:00:00.1234565Z"),
                Instant.parse("2030-01-01T00:00:00.1234575Z"), Instant.parse("2030-01-01T00:00:00.9999996Z"),
                Instant.parse("1969-12-31T23:59:59.9999994Z"), Instant.parse("1900-02-28T12:34:56.000001Z"));
        try (PostgresRunStore store = TestPostgres.freshStore();
             java.sql.Connection c = TestPostgres.server().getPostgresDatabase().getConnection();
             java.sql.PreparedStatement literal = c.prepareStatement("SELECT ?::timestamptz")) {
            for (int i = 0; i < times.size(); i++) {
                Instant at = times.get(i);
                Run r = Run.builder("run_" + i, "t", "q", at).payload("{}").status(RunStatus.QUEUED).maxAttempts(3)
                        .runAt(at).build();
                store.insert(List.of(r), at);
                literal.setString(1, at.toString());
                Instant parsed;
                try (java.sql.ResultSet rs = literal.executeQuery()) {
                    rs.next();
                    parsed = rs.getObject(1, java.time.OffsetDateTime.class).toInstant();
                }
                Run stored = store.find(r.id()).orElseThrow();
                assertThat(stored.createdAt()).as("created_at of %s", at).isEqualTo(parsed);
                assertThat(stored.runAt()).as("run_at of %s", at).isEqualTo(parsed);
            }
        }
    }

    @Test
    void duplicateRunIdIsNamedAndNothingOfTheBatchIsStored() {
        try (PostgresRunStore store = TestPostgres.freshStore()) {
            store.insert(List.of(run("run_a", List.of())), T0);
            assertThatThrownBy(() -> store.insert(List.of(run("run_new", List.of()), run("run_a", List.of())), T0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("run run_a already exists");
            assertThat(store.find("run_new")).isEmpty();
            assertThat(store.lastSeq()).isEqualTo(1);
        }
    }

    @Test
    void columnSpecsAndRowsAreChecked() {
        assertThatThrownBy(() -> new Columns("id")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column spec must be 'name type', got 'id'");
        assertThatThrownBy(() -> new Columns("id uuid")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unsupported column type uuid in 'id uuid'");
        assertThatThrownBy(() -> new Columns("id text", "n int4").row("x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("row has 1 values for 2 columns");
        assertThat(new Columns("id text", "n int4").fromWithOrdinality())
                .isEqualTo("unnest(?::text[], ?::int4[]) WITH ORDINALITY AS v(id, n, pos)");
        assertThatThrownBy(() -> new Columns("pos int8")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("column name pos is reserved for the row position");
    }
}
