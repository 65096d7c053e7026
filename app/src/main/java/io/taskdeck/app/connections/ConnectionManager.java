package io.taskdeck.app.connections;

import io.taskdeck.app.concurrent.UiTasks;
import io.taskdeck.app.shell.Connection;
import io.taskdeck.client.HttpTaskServer;
import io.taskdeck.client.Role;
import io.taskdeck.client.TaskServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiFunction;
import javafx.collections.ObservableList;

/**
 * Every connection of the console and its open {@link ServerSession}: Local (always there, the
 * embedded engine) and the remote servers the user added, several open at once. Adding, editing
 * and removing a remote connection is saved at once (names and URLs in {@code connections.json},
 * keys in the owner-only {@link CredentialStore}).
 *
 * <p>Runs on the UI thread.
 */
public final class ConnectionManager implements AutoCloseable {

    private final ObservableList<Connection> connections;
    private final UiTasks tasks;
    private final ConnectionStore store;
    private final CredentialStore credentials;
    private final Callable<TaskServer> localServer;
    private final BiFunction<String, String, TaskServer> remoteServer;
    private final Map<String, RemoteConnection> remotes = new LinkedHashMap<>();
    private final Map<Connection, ServerSession> sessions = new LinkedHashMap<>();

    /**
     * @param connections  the list the navigation shows; Local must be in it
     * @param localServer  opens the embedded engine as a TaskServer
     * @param remoteServer opens a remote server from (URL, API key)
     */
    public ConnectionManager(ObservableList<Connection> connections, UiTasks tasks, ConnectionStore store,
                             CredentialStore credentials, Callable<TaskServer> localServer,
                             BiFunction<String, String, TaskServer> remoteServer) {
        this.connections = Objects.requireNonNull(connections, "connections");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.store = Objects.requireNonNull(store, "store");
        this.credentials = Objects.requireNonNull(credentials, "credentials");
        this.localServer = Objects.requireNonNull(localServer, "localServer");
        this.remoteServer = Objects.requireNonNull(remoteServer, "remoteServer");
        sessions.put(Connection.LOCAL, new ServerSession(Connection.LOCAL, tasks, localServer));
    }

    /** Opens a remote server over HTTP. */
    public static TaskServer http(String url, String apiKey) {
        return HttpTaskServer.builder().baseUrl(url).apiKey(apiKey).build();
    }

    /** Opens Local and every saved remote connection. */
    public void start() {
        sessions.get(Connection.LOCAL).open();
        for (RemoteConnection remote : store.load()) {
            remotes.put(remote.id(), remote);
            Connection connection = remote.toConnection();
            openSession(connection, remote);
            connections.add(connection);
        }
    }

    private void openSession(Connection connection, RemoteConnection remote) {
        String key = credentials.key(remote.id()).orElse("");
        ServerSession session = new ServerSession(connection, tasks, () -> remoteServer.apply(remote.url(), key));
        sessions.put(connection, session);
        session.open();
    }

    public ServerSession session(Connection connection) {
        ServerSession session = sessions.get(connection);
        if (session == null) {
            throw new IllegalArgumentException("No session for connection " + connection.id());
        }
        return session;
    }

    public List<ServerSession> sessions() {
        return List.copyOf(sessions.values());
    }

    public Optional<RemoteConnection> remote(Connection connection) {
        return Optional.ofNullable(remotes.get(connection.id()));
    }

    public Optional<String> apiKey(Connection connection) {
        return credentials.key(connection.id());
    }

    /**
     * Adds a remote connection, saves it and opens it.
     *
     * @throws IllegalArgumentException naming what is wrong with the name or URL
     */
    public Connection add(String name, String url, String apiKey) {
        String id = uniqueId(RemoteConnection.idFor(Objects.requireNonNullElse(name, "")));
        RemoteConnection remote = new RemoteConnection(id, name, url);
        credentials.put(id, apiKey);
        remotes.put(id, remote);
        save();
        Connection connection = remote.toConnection();
        openSession(connection, remote);
        connections.add(connection);
        return connection;
    }

    /** Closes Local and opens it again with {@code opener} (on another store file, say); its views stay. */
    public void reopenLocal(Callable<TaskServer> opener) {
        sessions.get(Connection.LOCAL).reopen(opener);
    }

    /** Changes a remote connection and reopens it with the new settings. */
    public Connection update(Connection existing, String name, String url, String apiKey) {
        RemoteConnection old = remotes.get(existing.id());
        if (old == null) {
            throw new IllegalArgumentException(existing.name() + " cannot be edited");
        }
        RemoteConnection changed = new RemoteConnection(old.id(), name, url);
        credentials.put(old.id(), apiKey);
        remotes.put(old.id(), changed);
        save();
        Connection connection = changed.toConnection();
        if (connection.equals(existing)) {
            // Same name: the views on screen stay and reload from the reopened server.
            String key = credentials.key(changed.id()).orElse("");
            sessions.get(existing).reopen(() -> remoteServer.apply(changed.url(), key));
            return connection;
        }
        ServerSession session = sessions.remove(existing);
        if (session != null) {
            session.close();
        }
        int index = connections.indexOf(existing);
        openSession(connection, changed);
        connections.set(index, connection);
        return connection;
    }

    /** Closes and forgets a remote connection, its key too. */
    public void remove(Connection connection) {
        if (connection.kind() == Connection.Kind.LOCAL) {
            throw new IllegalArgumentException("Local is always there and cannot be removed");
        }
        remotes.remove(connection.id());
        credentials.remove(connection.id());
        save();
        connections.remove(connection);
        ServerSession session = sessions.remove(connection);
        if (session != null) {
            session.close();
        }
    }

    /**
     * Tries a URL and key without saving them: completes with the key's role, or fails with the
     * reason (see {@link io.taskdeck.app.errors.ServerErrors}).
     */
    public CompletableFuture<Role> test(String url, String apiKey) {
        String checked = RemoteConnection.normalizeUrl(url);
        return tasks.supply(() -> {
            try (TaskServer server = remoteServer.apply(checked, apiKey)) {
                return server.role();
            }
        }).start();
    }

    /** Ticks every session: live events and states reach the views. */
    public void tick() {
        for (ServerSession session : List.copyOf(sessions.values())) {
            session.tick();
        }
    }

    private String uniqueId(String base) {
        String id = base;
        for (int n = 2; remotes.containsKey(id) || id.equals(Connection.LOCAL.id()); n++) {
            id = base + "-" + n;
        }
        return id;
    }

    private void save() {
        store.save(new ArrayList<>(remotes.values()));
    }

    @Override
    public void close() {
        for (ServerSession session : sessions.values()) {
            session.close();
        }
    }
}
