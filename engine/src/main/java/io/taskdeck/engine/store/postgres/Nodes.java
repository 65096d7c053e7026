package io.taskdeck.engine.store.postgres;

import io.taskdeck.engine.store.NodeInfo;
import io.taskdeck.engine.store.PostgresStoreOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node registry. A registered node heartbeats on the database's clock (so nodes' clocks
 * need not agree); each beat also looks for nodes silent past the timeout and ends the leases
 * they hold, so the surviving nodes' rescuers take their runs without waiting out the leases.
 */
public final class Nodes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Nodes.class);

    private final Db db;
    private final PostgresStoreOptions options;
    private final Runnable onLeasesEnded;
    private ScheduledExecutorService timer;

    public Nodes(Db db, PostgresStoreOptions options, Runnable onLeasesEnded) {
        this.db = db;
        this.options = options;
        this.onLeasesEnded = onLeasesEnded;
    }

    public void start() {
        if (options.nodeId() == null) {
            return;
        }
        register();
        timer = Executors.newSingleThreadScheduledExecutor(r -> Thread.ofPlatform().daemon()
                .name("taskdeck-pg-heartbeat-" + options.nodeId()).unstarted(r));
        long every = options.heartbeatInterval().toMillis();
        timer.scheduleWithFixedDelay(() -> {
            try {
                beat();
            } catch (RuntimeException e) {
                LOG.warn("node {}: heartbeat failed, retrying in {} ms: {}", options.nodeId(), every, e.getMessage());
            }
        }, every, every, TimeUnit.MILLISECONDS);
    }

    private void register() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "unknown";
        }
        String h = host;
        db.tx("registering node " + options.nodeId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO td_node (node_id, host, pid, started_at, "
                    + "last_heartbeat) VALUES (?, ?, ?, now(), now()) ON CONFLICT (node_id) DO UPDATE SET host = EXCLUDED.host, "
                    + "pid = EXCLUDED.pid, started_at = now(), last_heartbeat = now(), stopped_at = NULL")) {
                ps.setString(1, options.nodeId());
                ps.setString(2, h);
                ps.setLong(3, ProcessHandle.current().pid());
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Heartbeats (when registered) and ends the leases of lost nodes; returns the leases ended. */
    public int beat() {
        int ended = db.tx("node heartbeat", c -> {
            if (options.nodeId() != null) {
                try (PreparedStatement ps = c.prepareStatement("UPDATE td_node SET last_heartbeat = now(), stopped_at = NULL "
                        + "WHERE node_id = ?")) {
                    ps.setString(1, options.nodeId());
                    ps.executeUpdate();
                }
            }
            // A lost node's lease ends at its last heartbeat: the rescuers see it as expired.
            try (PreparedStatement ps = c.prepareStatement("UPDATE td_run r SET lease_until = n.last_heartbeat "
                    + "FROM td_node n WHERE r.node_id = n.node_id AND r.status IN ('EXECUTING', 'WAITING') "
                    + "AND n.last_heartbeat < now() - make_interval(secs => ?) AND r.lease_until > n.last_heartbeat")) {
                ps.setDouble(1, options.nodeTimeout().toMillis() / 1000.0);
                return ps.executeUpdate();
            }
        });
        if (ended > 0) {
            LOG.warn("ended {} leases held by nodes silent for over {}", ended, options.nodeTimeout());
            onLeasesEnded.run();
        }
        return ended;
    }

    public List<NodeInfo> list() {
        return db.tx("listing nodes", c -> {
            List<NodeInfo> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT n.node_id, n.host, n.pid, n.started_at, n.last_heartbeat, "
                    + "n.stopped_at, n.last_heartbeat < now() - make_interval(secs => ?) AS lost, "
                    + "coalesce(r.running, 0) AS running FROM td_node n LEFT JOIN (SELECT node_id, count(*) AS running "
                    + "FROM td_run WHERE status IN ('EXECUTING', 'WAITING') GROUP BY node_id) r ON r.node_id = n.node_id "
                    + "ORDER BY n.node_id")) {
                ps.setDouble(1, options.nodeTimeout().toMillis() / 1000.0);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        NodeInfo.State state = rs.getObject("stopped_at") != null ? NodeInfo.State.STOPPED
                                : rs.getBoolean("lost") ? NodeInfo.State.LOST : NodeInfo.State.LIVE;
                        out.add(new NodeInfo(rs.getString("node_id"), rs.getString("host"), rs.getLong("pid"),
                                RunRows.instant(rs, "started_at"), RunRows.instant(rs, "last_heartbeat"),
                                rs.getInt("running"), state));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public void close() {
        if (timer == null) {
            return;
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.tx("stopping node " + options.nodeId(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE td_node SET stopped_at = now() WHERE node_id = ?")) {
                ps.setString(1, options.nodeId());
                ps.executeUpdate();
            }
            return null;
        });
    }
}
