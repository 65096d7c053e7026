package io.taskdeck.app.connections;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote connections the user added, in {@code connections.json} (names and URLs only; keys
 * live in the {@link CredentialStore}). Reading is forgiving: a damaged entry is logged and left
 * out rather than keeping the console from starting.
 */
public final class ConnectionStore {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionStore.class);

    private final Path file;
    private final ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public ConnectionStore(Path file) {
        this.file = Objects.requireNonNull(file, "file").toAbsolutePath();
    }

    public synchronized List<RemoteConnection> load() {
        List<RemoteConnection> result = new ArrayList<>();
        if (!Files.exists(file)) {
            return result;
        }
        JsonNode root;
        try {
            root = mapper.readTree(file.toFile());
        } catch (IOException e) {
            LOG.warn("Cannot read the connections in {} ({}); starting with Local only", file, e.getMessage());
            return result;
        }
        for (JsonNode node : root.path("connections")) {
            try {
                result.add(new RemoteConnection(node.path("id").asText(), node.path("name").asText(null),
                        node.path("url").asText(null)));
            } catch (RuntimeException e) {
                LOG.warn("{}: skipping connection {} ({})", file, node, e.getMessage());
            }
        }
        return result;
    }

    public synchronized void save(List<RemoteConnection> connections) {
        ObjectNode root = mapper.createObjectNode();
        root.put("version", 1);
        ArrayNode list = root.putArray("connections");
        for (RemoteConnection c : connections) {
            list.addObject().put("id", c.id()).put("name", c.name()).put("url", c.url());
        }
        try {
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), "connections", ".tmp");
            mapper.writeValue(tmp.toFile(), root);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot save the connections to " + file + ": " + e.getMessage(), e);
        }
    }
}
