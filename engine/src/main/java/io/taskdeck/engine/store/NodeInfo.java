package io.taskdeck.engine.store;

import java.time.Instant;

/**
 * A node of a shared store as the registry sees it.
 *
 * @param lastHeartbeat on the database's clock
 * @param runningRuns   runs the node holds now (EXECUTING or WAITING)
 * @param state         LIVE while it heartbeats, LOST once silent past the node timeout, STOPPED after a clean close
 */
public record NodeInfo(String nodeId, String host, long pid, Instant startedAt, Instant lastHeartbeat,
                       int runningRuns, State state) {

    public enum State { LIVE, LOST, STOPPED }
}
