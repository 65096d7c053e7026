package io.taskdeck.app.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ErrorReportTest {

    private final Path log = Path.of("/home/me/.taskdeck/logs/taskdeck.log");

    @Test
    void saysWhatHappenedAndWhereTheLogIsWithoutAStackTrace() {
        ErrorReport report = ErrorReport.of(new IllegalStateException("Queue 'emails' is unknown"), log);

        assertThat(report.body())
                .startsWith("Queue 'emails' is unknown")
                .contains(log.toString())
                .doesNotContain("\tat ")
                .doesNotContain("IllegalStateException");
        assertThat(report.details()).contains("IllegalStateException").contains("\tat ");
    }

    @Test
    void namesTheRootCauseWhenItAddsSomething() {
        Exception error = new IllegalStateException("Cannot open the local store",
                new UncheckedIOException("disk full", new IOException("No space left on device")));

        assertThat(ErrorReport.of(error, log).message())
                .isEqualTo("Cannot open the local store\nCause: No space left on device");
    }

    @Test
    void errorWithoutMessageIsNamedByItsKind() {
        assertThat(ErrorReport.of(new NullPointerException(), log).message()).isEqualTo("NullPointerException");
    }

    @Test
    void reporterLogsAndPresents() {
        List<ErrorReport> shown = new ArrayList<>();
        ErrorReporter reporter = new ErrorReporter(log, shown::add);

        reporter.uncaughtException(Thread.currentThread(), new IllegalArgumentException("bad payload"));

        assertThat(shown).singleElement().extracting(ErrorReport::message).isEqualTo("bad payload");
    }

    @Test
    void aFailingPresenterDoesNotThrowBackAtTheFailingThread() {
        ErrorReporter reporter = new ErrorReporter(log, r -> {
            throw new IllegalStateException("no screen");
        });

        reporter.report(new RuntimeException("first"));
        // reaching here is the assertion: the reporter swallowed (and logged) its own failure
    }
}
