package io.taskdeck.app.shell;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskdeck.app.Console;
import io.taskdeck.app.theme.Theme;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ShellViewModelTest {

    private final ShellViewModel viewModel = new ShellViewModel(Console.strings(Locale.ENGLISH), Locale.ENGLISH);

    @Test
    void opensOnTheRunsOfTheLocalConnection() {
        assertThat(viewModel.connections()).containsExactly(Connection.LOCAL);
        assertThat(viewModel.destination()).isEqualTo(new Destination(Connection.LOCAL, View.RUNS));
        assertThat(viewModel.title().get()).isEqualTo("Runs");
        assertThat(viewModel.breadcrumb().get()).isEqualTo("Local");
    }

    @Test
    void navigatingChangesTheTitle() {
        viewModel.navigate(View.DEAD_LETTERS);

        assertThat(viewModel.destination().view()).isEqualTo(View.DEAD_LETTERS);
        assertThat(viewModel.title().get()).isEqualTo("Dead letters");
    }

    @Test
    void everyViewHasATitle() {
        for (View view : View.values()) {
            assertThat(viewModel.titleOf(view)).isNotBlank();
        }
    }

    @Test
    void navigatingToAnUnknownConnectionIsRefused() {
        Connection remote = new Connection("prod", "Production", Connection.Kind.REMOTE);

        assertThatThrownBy(() -> viewModel.navigate(remote, View.QUEUES))
                .hasMessage("Unknown connection prod");
    }

    @Test
    void navigationKeepsTheConnection() {
        Connection remote = new Connection("prod", "Production", Connection.Kind.REMOTE);
        viewModel.connections().add(remote);
        viewModel.navigate(remote, View.RUNS);

        viewModel.navigate(View.QUEUES);

        assertThat(viewModel.destination()).isEqualTo(new Destination(remote, View.QUEUES));
        assertThat(viewModel.breadcrumb().get()).isEqualTo("Production");
        assertThat(viewModel.destination().navigationId()).isEqualTo("nav-prod-queues");
    }

    @Test
    void themeToggles() {
        viewModel.toggleTheme();
        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.DARK);
        viewModel.toggleTheme();
        assertThat(viewModel.themeProperty().get()).isEqualTo(Theme.LIGHT);
    }

    @Test
    void statusBarShowsPlaceholdersUntilFiguresArrive() {
        assertThat(viewModel.connectionStateText().get()).isEqualTo("Local: engine not started");
        assertThat(viewModel.runsPerSecondText().get()).isEqualTo("—");
        assertThat(viewModel.backlogText().get()).isEqualTo("—");
    }

    @Test
    void statusBarFormatsFigures() {
        viewModel.connectionStateProperty().set(ConnectionState.CONNECTED);
        viewModel.backlogProperty().set(12_345L);
        viewModel.runsPerSecondProperty().set(3.14159);

        assertThat(viewModel.connectionStateText().get()).isEqualTo("Local: connected");
        assertThat(viewModel.backlogText().get()).isEqualTo("12,345");
        assertThat(viewModel.runsPerSecondText().get()).isEqualTo("3.1");

        viewModel.runsPerSecondProperty().set(1520.6);
        assertThat(viewModel.runsPerSecondText().get()).isEqualTo("1,521");
    }

    @Test
    void connectionIdsAreChecked() {
        assertThatThrownBy(() -> new Connection("Prod EU", "Prod", Connection.Kind.REMOTE))
                .hasMessageContaining("lower-case letters, digits and dashes, was 'Prod EU'");
    }
}
