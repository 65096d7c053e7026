package io.taskdeck.app;

import static io.taskdeck.app.ConsoleFixture.onFx;
import static org.assertj.core.api.Assertions.assertThat;

import io.taskdeck.app.theme.Theme;
import java.nio.file.Files;
import javafx.application.Application;
import javafx.scene.control.Button;
import javafx.scene.input.KeyCode;
import org.junit.jupiter.api.Test;

class RememberedAcrossRestartUiTest extends ConsoleUiTest {

    @Test
    void firstStartIsLight() {
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Theme.LIGHT.userAgentStylesheet());
        assertThat(robot.lookup("#theme-toggle").queryAs(Button.class).getText()).isEqualTo("Dark theme");
    }

    @Test
    void darkThemeIsRememberedAcrossARestart() throws Exception {
        robot.clickOn("#theme-toggle");

        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Theme.DARK.userAgentStylesheet());
        assertThat(Files.readString(home.resolve("settings.json"))).contains("\"dark\"");

        app.close();
        onFx(() -> {
            Application.setUserAgentStylesheet(null); // as a new process would start
            return null;
        });
        app.open();

        assertThat(app.console.shellViewModel().themeProperty().get()).isEqualTo(Theme.DARK);
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Theme.DARK.userAgentStylesheet());
        assertThat(robot.lookup("#theme-toggle").queryAs(Button.class).getText()).isEqualTo("Light theme");
    }

    @Test
    void themeShortcutSwitchesBackAndForth() {
        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Theme.DARK.userAgentStylesheet());

        robot.push(KeyCode.CONTROL, KeyCode.SHIFT, KeyCode.L);
        assertThat(Application.getUserAgentStylesheet()).isEqualTo(Theme.LIGHT.userAgentStylesheet());
        assertThat(app.console.settings().current().theme()).isEqualTo(Theme.LIGHT);
    }

    @Test
    void windowPositionIsSavedEvenWhenTheProcessIsKilledWithTheWindowOpen() throws Exception {
        onFx(() -> {
            app.stage.setX(55);
            app.stage.setWidth(990);
            return null;
        });

        app.console.rememberWindow(); // what the shutdown hook does

        String saved = Files.readString(home.resolve("settings.json"));
        assertThat(saved).contains("\"x\" : 55.0").contains("\"width\" : 990.0");
    }

    @Test
    void windowSizeAndPositionAreRememberedAcrossARestart() throws Exception {
        onFx(() -> {
            app.stage.setX(40);
            app.stage.setY(30);
            app.stage.setWidth(1000);
            app.stage.setHeight(640);
            return null;
        });

        app.close();
        app.open();

        assertThat(app.stage.getX()).isEqualTo(40);
        assertThat(app.stage.getY()).isEqualTo(30);
        assertThat(app.stage.getWidth()).isEqualTo(1000);
        assertThat(app.stage.getHeight()).isEqualTo(640);
    }
}
