package io.taskdeck.app.connections;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialStoreTest {

    @TempDir
    Path dir;

    @Test
    void keysAreKeptInAFileOnlyItsOwnerCanRead() throws Exception {
        CredentialStore store = new CredentialStore(dir.resolve("credentials.properties"));
        store.put("prod", "secret-1");

        assertThat(Files.getPosixFilePermissions(store.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(new CredentialStore(store.file()).key("prod")).contains("secret-1");
        assertThat(Files.readString(dir.resolve("connections.json").getParent().resolve("credentials.properties")))
                .contains("secret-1");
    }

    @Test
    void aFileOthersCouldReadIsNarrowedOnRead() throws Exception {
        CredentialStore store = new CredentialStore(dir.resolve("credentials.properties"));
        store.put("prod", "secret-1");
        Files.setPosixFilePermissions(store.file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(store.key("prod")).contains("secret-1");
        assertThat(Files.getPosixFilePermissions(store.file())).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    @Test
    void removingForgetsTheKey() {
        CredentialStore store = new CredentialStore(dir.resolve("credentials.properties"));
        store.put("a", "k1");
        store.put("b", "k2");
        store.remove("a");

        assertThat(store.key("a")).isEmpty();
        assertThat(store.key("b")).contains("k2");
    }

    @Test
    void connectionsAreSavedWithoutTheirKeys() throws Exception {
        ConnectionStore store = new ConnectionStore(dir.resolve("connections.json"));
        store.save(java.util.List.of(new RemoteConnection("prod", "Prod", "https://tasks.example.com/")));

        assertThat(store.load()).containsExactly(new RemoteConnection("prod", "Prod", "https://tasks.example.com"));
        assertThat(Files.readString(dir.resolve("connections.json"))).doesNotContain("key");
    }

    @Test
    void aBadUrlSaysWhatIsWrong() {
        assertThatThrownBy(() -> new RemoteConnection("x", "X", "tasks.example.com"))
                .hasMessageContaining("must start with http:// or https://");
        assertThatThrownBy(() -> new RemoteConnection("x", " ", "http://h"))
                .hasMessageContaining("name must not be empty");
    }
}
