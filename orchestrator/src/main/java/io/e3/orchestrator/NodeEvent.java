package io.e3.orchestrator;

import java.util.Objects;

/**
 * A change in a node's membership.
 *
 * @param nodeId the node
 * @param server its server, the fault domain (§5.4.5)
 * @param up     true when it is back, false when it is declared down
 * @param reason why, for logs and events
 */
public record NodeEvent(String nodeId, String server, boolean up, String reason) {

    public NodeEvent {
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(reason, "reason");
    }
}
