package io.taskdeck.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped logback configuration writes a rolling log into the directory Main gives it. */
class LoggingConfigurationTest {

    @TempDir
    Path logs;

    @Test
    void logsLandInTheHomesLogDirectory() throws Exception {
        URL config = Main.class.getResource("/io/taskdeck/app/logback.xml");
        assertThat(config).as("io/taskdeck/app/logback.xml on the class path").isNotNull();
        LoggerContext context = new LoggerContext();
        context.putProperty(Main.LOG_DIR_PROPERTY, logs.toString());
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
            assertThat(context.getStatusManager().getCopyOfStatusList())
                    .noneMatch(s -> s.getLevel() >= ch.qos.logback.core.status.Status.ERROR);

            context.getLogger("io.taskdeck.test").info("hello from the test");
        } finally {
            context.stop();
        }

        assertThat(Files.readString(logs.resolve("taskdeck.log"))).contains("INFO").contains("hello from the test");
    }
}
