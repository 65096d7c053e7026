package io.taskdeck.app.connections;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API keys of remote connections, by connection id, in a file only its owner may read or write
 * (POSIX {@code 600}): never in the plain settings. The file is created with those permissions
 * (no moment where it is readable by others), and an existing file with wider permissions is
 * narrowed when read.
 */
public final class CredentialStore {

    private static final Logger LOG = LoggerFactory.getLogger(CredentialStore.class);
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final Path file;

    public CredentialStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<String> key(String connectionId) {
        return Optional.ofNullable(readAll().get(connectionId));
    }

    public synchronized void put(String connectionId, String apiKey) {
        Map<String, String> keys = readAll();
        if (apiKey == null || apiKey.isBlank()) {
            keys.remove(connectionId);
        } else {
            keys.put(connectionId, apiKey.strip());
        }
        writeAll(keys);
    }

    public synchronized void remove(String connectionId) {
        Map<String, String> keys = readAll();
        if (keys.remove(connectionId) != null) {
            writeAll(keys);
        }
    }

    private Map<String, String> readAll() {
        Map<String, String> keys = new TreeMap<>();
        if (!Files.exists(file)) {
            return keys;
        }
        narrowPermissions();
        Properties p = new Properties();
        try (var reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(reader);
        } catch (IOException | IllegalArgumentException e) {
            throw new UncheckedIOException("Cannot read the API keys in " + file + ": " + e.getMessage(),
                    e instanceof IOException io ? io : new IOException(e));
        }
        p.stringPropertyNames().forEach(k -> keys.put(k, p.getProperty(k)));
        return keys;
    }

    private void writeAll(Map<String, String> keys) {
        Properties p = new Properties();
        p.putAll(keys);
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = posix()
                    ? Files.createTempFile(file.getParent(), ".credentials", ".tmp",
                            PosixFilePermissions.asFileAttribute(OWNER_ONLY))
                    : Files.createTempFile(file.getParent(), ".credentials", ".tmp");
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, "Taskdeck API keys by connection id: keep this file private");
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the API keys to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // a leftover temp file is owner-only and never read
                }
            }
        }
    }

    private void narrowPermissions() {
        if (!posix()) {
            return;
        }
        try {
            if (!Files.getPosixFilePermissions(file).equals(OWNER_ONLY)) {
                LOG.warn("{} was readable by others; restricting it to its owner", file);
                Files.setPosixFilePermissions(file, OWNER_ONLY);
            }
        } catch (IOException e) {
            LOG.warn("Cannot restrict the permissions of {}", file, e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
