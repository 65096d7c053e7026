package io.taskdeck.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppHomeTest {

    @TempDir
    Path dir;

    @Test
    void defaultsToDotTaskdeckInTheUsersHome() {
        Properties props = new Properties();
        props.setProperty("user.home", dir.toString());

        assertThat(AppHome.resolve(props).dir()).isEqualTo(dir.resolve(".taskdeck"));
    }

    @Test
    void systemPropertyOverridesTheHome() {
        Properties props = new Properties();
        props.setProperty("user.home", "/nowhere");
        props.setProperty(AppHome.PROPERTY, dir.resolve("custom").toString());

        AppHome home = AppHome.resolve(props).prepare();

        assertThat(home.dir()).isEqualTo(dir.resolve("custom"));
        assertThat(home.logsDir()).isDirectory();
        assertThat(home.settingsFile()).isEqualTo(dir.resolve("custom/settings.json"));
    }

    @Test
    void testsRunInTheBuildDirectoryNotTheRealHome() {
        assertThat(AppHome.resolve().dir().toString()).endsWith("target/taskdeck-home");
    }

    @Test
    void homeThatIsAFileIsRefusedWithItsName() throws IOException {
        Path file = Files.writeString(dir.resolve("home"), "");

        assertThatThrownBy(() -> new AppHome(file).prepare())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining(file + " exists but is not a directory");
    }
}
