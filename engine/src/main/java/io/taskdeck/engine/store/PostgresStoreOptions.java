package io.taskdeck.engine.store;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a {@link PostgresRunStore} connects and behaves.
 *
 * <pre>{@code
 * PostgresStoreOptions.builder("jdbc:postgresql://db:5432/taskdeck")
 *         .credentials("taskdeck", secret).nodeId("node-1").build();
 * }</pre>
 *
 * @param schema              where the tables live (created and migrated on open unless {@code migrate} is off)
 * @param maxPoolSize         connections this node keeps open at most, plus one for LISTEN
 * @param nodeId              this node in the node registry; null: the store does not register a node
 * @param heartbeatInterval   how often the node heartbeats (on the database's clock)
 * @param nodeTimeout         a node silent this long is lost: its leases are ended so others rescue its runs
 * @param fallbackPollInterval how often listeners are woken while the LISTEN connection is down
 */
public record PostgresStoreOptions(
        String jdbcUrl,
        String username,
        String password,
        String schema,
        int maxPoolSize,
        String nodeId,
        Duration heartbeatInterval,
        Duration nodeTimeout,
        Duration fallbackPollInterval,
        boolean migrate) {

    private static final Pattern SCHEMA = Pattern.compile("[a-z_][a-z0-9_]{0,40}");

    public PostgresStoreOptions {
        Objects.requireNonNull(jdbcUrl, "jdbcUrl");
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("jdbcUrl must start with jdbc:postgresql:, got " + jdbcUrl);
        }
        if (schema == null || !SCHEMA.matcher(schema).matches()) {
            throw new IllegalArgumentException("schema must be lowercase letters, digits and _ (at most 41), got " + schema);
        }
        if (maxPoolSize < 2) {
            throw new IllegalArgumentException("maxPoolSize must be >= 2, got " + maxPoolSize);
        }
        if (nodeId != null && nodeId.isBlank()) {
            throw new IllegalArgumentException("nodeId must not be blank");
        }
        requirePositive("heartbeatInterval", heartbeatInterval);
        requirePositive("nodeTimeout", nodeTimeout);
        requirePositive("fallbackPollInterval", fallbackPollInterval);
        if (nodeTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("nodeTimeout (" + nodeTimeout + ") must be at least twice the heartbeatInterval ("
                    + heartbeatInterval + ")");
        }
    }

    private static void requirePositive(String name, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + value);
        }
    }

    public static Builder builder(String jdbcUrl) {
        return new Builder(jdbcUrl);
    }

    public Builder toBuilder() {
        Builder b = new Builder(jdbcUrl);
        b.username = username;
        b.password = password;
        b.schema = schema;
        b.maxPoolSize = maxPoolSize;
        b.nodeId = nodeId;
        b.heartbeatInterval = heartbeatInterval;
        b.nodeTimeout = nodeTimeout;
        b.fallbackPollInterval = fallbackPollInterval;
        b.migrate = migrate;
        return b;
    }

    @Override
    public String toString() {
        return "PostgresStoreOptions[" + jdbcUrl + ", schema=" + schema + ", node=" + nodeId + "]";
    }

    public static final class Builder {
        private final String jdbcUrl;
        private String username;
        private String password;
        private String schema = "public";
        private int maxPoolSize = 8;
        private String nodeId;
        private Duration heartbeatInterval = Duration.ofSeconds(2);
        private Duration nodeTimeout = Duration.ofSeconds(10);
        private Duration fallbackPollInterval = Duration.ofSeconds(1);
        private boolean migrate = true;

        private Builder(String jdbcUrl) {
            this.jdbcUrl = jdbcUrl;
        }

        public Builder credentials(String user, String secret) { username = user; password = secret; return this; }
        public Builder schema(String value) { schema = value; return this; }
        public Builder maxPoolSize(int value) { maxPoolSize = value; return this; }
        public Builder nodeId(String value) { nodeId = value; return this; }
        public Builder heartbeatInterval(Duration value) { heartbeatInterval = value; return this; }
        public Builder nodeTimeout(Duration value) { nodeTimeout = value; return this; }
        public Builder fallbackPollInterval(Duration value) { fallbackPollInterval = value; return this; }
        public Builder migrate(boolean value) { migrate = value; return this; }

        public PostgresStoreOptions build() {
            return new PostgresStoreOptions(jdbcUrl, username, password, schema, maxPoolSize, nodeId,
                    heartbeatInterval, nodeTimeout, fallbackPollInterval, migrate);
        }
    }
}
