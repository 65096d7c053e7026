package io.taskdeck.app.connections;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.client.Role;
import io.taskdeck.server.ApiKey;
import io.taskdeck.server.TaskdeckServer;
import java.net.BindException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import java.util.function.Supplier;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * "Expose Local on localhost": the server's HTTP API over Local's engine, on 127.0.0.1, so that
 * scripts, curl and the Trigger.dev SDK can trigger into Local. Off until the user turns it on;
 * the operator key it accepts is generated once and kept in the owner-only credential store.
 *
 * <p>Runs on the UI thread; starting and stopping the HTTP server happen in the background.
 */
public final class LocalExposure implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalExposure.class);
    /** The key's name in the credential store (a dot: never a remote connection's id). */
    static final String CREDENTIAL_ID = "local.http";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalEngine local;
    private final UiTasks tasks;
    private final CredentialStore credentials;
    private final ReadOnlyBooleanWrapper running = new ReadOnlyBooleanWrapper(this, "running");
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(this, "busy");
    private final ReadOnlyStringWrapper url = new ReadOnlyStringWrapper(this, "url");
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper(this, "problem");
    private TaskdeckServer server;

    public LocalExposure(LocalEngine local, UiTasks tasks, CredentialStore credentials) {
        this.local = Objects.requireNonNull(local, "local");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
    }

    /** The operator key scripts present ({@code Authorization: Bearer <key>}); generated on first use. */
    public String apiKey() {
        return credentials.key(CREDENTIAL_ID).orElseGet(() -> {
            String key = generateKey();
            credentials.put(CREDENTIAL_ID, key);
            return key;
        });
    }

    /** Replaces the key; the old one stops working at once (the server restarts when it runs). */
    public String newApiKey(Supplier<Integer> port) {
        String key = generateKey();
        credentials.put(CREDENTIAL_ID, key);
        if (server != null) {
            stop();
            start(port.get());
        }
        return key;
    }

    static String generateKey() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return "tdk_local_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Starts serving on {@code port} (0: any free port); the URL shows once it listens. */
    public void start(int port) {
        if (server != null || busy.get()) {
            return;
        }
        busy.set(true);
        problem.set(null);
        ApiKey key = new ApiKey("local-console", apiKey(), Role.OPERATOR);
        tasks.supply(() -> local.serve(port, key))
                .onSuccess(started -> {
                    server = started;
                    url.set(started.baseUrl());
                    running.set(true);
                    LOG.info("Local is served on {}", started.baseUrl());
                })
                .onError(e -> {
                    problem.set(describe(e, port));
                    LOG.warn("Cannot serve Local on port {}: {}", port, e.toString());
                })
                .andFinally(() -> busy.set(false))
                .start();
    }

    /** Stops serving; scripts get "connection refused" from now on. */
    public void stop() {
        TaskdeckServer s = server;
        server = null;
        running.set(false);
        url.set(null);
        if (s != null) {
            s.close();
            LOG.info("Local is no longer served over HTTP");
        }
    }

    static String describe(Throwable error, int port) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return "Port " + port + " is in use by another program; choose another port (0 picks a free one).";
            }
            if (t instanceof IllegalStateException && t.getMessage() != null && t.getMessage().contains("not open")) {
                return "Local is not open, so there is nothing to serve; open Local first.";
            }
        }
        String message = error.getMessage();
        return "Cannot serve Local on port " + port + ": "
                + (message == null || message.isBlank() ? error.getClass().getSimpleName() : message);
    }

    public ReadOnlyBooleanProperty runningProperty() {
        return running.getReadOnlyProperty();
    }

    /** True while the server starts. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** Where Local is served, e.g. {@code http://127.0.0.1:7821}; null when it is not. */
    public ReadOnlyStringProperty urlProperty() {
        return url.getReadOnlyProperty();
    }

    /** Why serving failed, in a sentence; null when it did not. */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    @Override
    public void close() {
        stop();
    }
}
