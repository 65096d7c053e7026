package io.taskdeck.server;

import io.taskdeck.client.Role;
import java.util.Objects;

/**
 * A secret key a client presents as {@code Authorization: Bearer <secret>}.
 *
 * @param name   shown in logs and in a queue override's {@code by}; never the secret
 * @param secret at least 16 characters
 * @param role   what the key may do
 */
public record ApiKey(String name, String secret, Role role) {
    public static final int MIN_SECRET_LENGTH = 16;

    public ApiKey {
        Objects.requireNonNull(role, "role");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("an API key needs a name");
        }
        if (secret == null || secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException("API key " + name + ": the secret must have at least "
                    + MIN_SECRET_LENGTH + " characters");
        }
    }

    @Override
    public String toString() {
        return "ApiKey[" + name + ", " + role + "]";
    }
}
