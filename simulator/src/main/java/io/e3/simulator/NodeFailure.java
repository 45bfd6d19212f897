package io.e3.simulator;

import java.util.Objects;

/**
 * A compute node that stops at a point of simulated time: it runs nothing more, sends no more heartbeats, and what
 * was queued on it is lost. A host takes its server's SmartNICs with it (they share its power supply, §5.4.5). The
 * failover manager notices by the missing heartbeats ({@code Membership}) and promotes backups.
 *
 * @param atSeconds simulated time of the failure, at least 0
 * @param nodeId    a compute node of the cluster, e.g. {@code s3/nic0}
 */
public record NodeFailure(double atSeconds, String nodeId) {

    public NodeFailure {
        Objects.requireNonNull(nodeId, "nodeId");
        if (!(atSeconds >= 0) || Double.isInfinite(atSeconds)) {
            throw new IllegalArgumentException("failure time must be >= 0 s, got " + atSeconds);
        }
    }
}
