package io.taskdeck.app.settings;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.taskdeck.app.theme.Theme;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@link Settings} as a small JSON file.
 *
 * <p>Reading is forgiving: a missing file gives the defaults, and a damaged file or field
 * is logged and replaced by its default rather than keeping the console from starting (a
 * damaged file is kept aside as {@code settings.json.broken} for inspection). Writing is
 * atomic: a temporary file in the same directory is moved over the old one, so a crash
 * mid-write never leaves half a file.
 */
public final class SettingsStore {

    private static final Logger LOG = LoggerFactory.getLogger(SettingsStore.class);
    static final int FORMAT_VERSION = 1;

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public SettingsStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public Path file() {
        return file;
    }

    /** The stored settings; the defaults for anything missing or unreadable. Never throws on bad content. */
    public Settings load() {
        if (!Files.exists(file)) {
            return Settings.DEFAULTS;
        }
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            LOG.warn("Settings file {} is not valid JSON ({}); using defaults", file, e.getOriginalMessage());
            keepBrokenCopy();
            return Settings.DEFAULTS;
        } catch (IOException e) {
            LOG.warn("Cannot read settings file {}; using defaults", file, e);
            return Settings.DEFAULTS;
        }
        if (root == null || !root.isObject()) {
            LOG.warn("Settings file {} does not hold a JSON object; using defaults", file);
            keepBrokenCopy();
            return Settings.DEFAULTS;
        }
        return new Settings(readTheme(root.get("theme")), readWindow(root.get("window")),
                readLocalStore(root.get("localStore")), readPort(root.get("localHttpPort")));
    }

    private Theme readTheme(JsonNode node) {
        if (node == null || node.isNull()) {
            return Settings.DEFAULTS.theme();
        }
        try {
            return Theme.valueOf(node.asText().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            LOG.warn("Settings file {}: unknown theme {} (expected light or dark); using {}",
                    file, node, Settings.DEFAULTS.theme());
            return Settings.DEFAULTS.theme();
        }
    }

    private WindowBounds readWindow(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            for (String field : new String[] {"x", "y", "width", "height"}) {
                if (!node.path(field).isNumber()) {
                    throw new IllegalArgumentException("window " + field + " must be a number, was " + node.get(field));
                }
            }
            return new WindowBounds(node.get("x").asDouble(), node.get("y").asDouble(),
                    node.get("width").asDouble(), node.get("height").asDouble(),
                    node.path("maximized").asBoolean(false));
        } catch (IllegalArgumentException e) {
            LOG.warn("Settings file {}: ignoring the saved window position ({})", file, e.getMessage());
            return null;
        }
    }

    private Path readLocalStore(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            if (!node.isTextual() || node.asText().isBlank()) {
                throw new IllegalArgumentException("expected a file path, was " + node);
            }
            return Path.of(node.asText());
        } catch (IllegalArgumentException e) {
            LOG.warn("Settings file {}: ignoring Local's store file ({}); using the default", file, e.getMessage());
            return null;
        }
    }

    private int readPort(JsonNode node) {
        if (node == null || node.isNull()) {
            return Settings.DEFAULT_LOCAL_HTTP_PORT;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 0 || node.asInt() > 65_535) {
            LOG.warn("Settings file {}: localHttpPort must be a port number (0-65535), was {}; using {}",
                    file, node, Settings.DEFAULT_LOCAL_HTTP_PORT);
            return Settings.DEFAULT_LOCAL_HTTP_PORT;
        }
        return node.asInt();
    }

    private void keepBrokenCopy() {
        try {
            Files.copy(file, file.resolveSibling(file.getFileName() + ".broken"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            LOG.debug("Could not keep a copy of the broken settings file", e);
        }
    }

    /**
     * Writes the settings atomically. Thread-safe: concurrent writers never interleave.
     *
     * @throws UncheckedIOException naming the file when it cannot be written
     */
    public synchronized void save(Settings settings) {
        Objects.requireNonNull(settings, "settings");
        ObjectNode root = mapper.createObjectNode();
        root.put("version", FORMAT_VERSION);
        root.put("theme", settings.theme().name().toLowerCase(Locale.ROOT));
        settings.localStoreFile().ifPresent(f -> root.put("localStore", f.toString()));
        root.put("localHttpPort", settings.localHttpPort());
        settings.windowBounds().ifPresent(w -> {
            ObjectNode window = root.putObject("window");
            window.put("x", w.x());
            window.put("y", w.y());
            window.put("width", w.width());
            window.put("height", w.height());
            window.put("maximized", w.maximized());
        });
        Path tmp = null;
        try {
            Files.createDirectories(file.getParent());
            tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
            mapper.writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save settings to " + file + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a leftover temp file is harmless and never read
                }
            }
        }
    }
}
