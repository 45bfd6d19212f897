package io.e3.model.telemetry;

import java.util.List;
import java.util.Objects;

/**
 * One node agent's report for one period (§5.4.4): the statistics the data-plane orchestrator decides on. Agents send
 * one every 50 ms by default, encoded by {@link HeartbeatCodec}.
 *
 * @param nodeId           the compute node, e.g. {@code s0/nic0}
 * @param sequence         increases by one per heartbeat of this node; a receiver drops stale and duplicate ones
 * @param sentAtMillis     the sender's wall clock when sent, milliseconds since the epoch
 * @param periodMillis     the period it covers
 * @param queueDepth       packets waiting in the node's traffic manager at the end of the period (0 for a host)
 * @param bytesInPerSecond bytes received per second over the period
 * @param bytesOutPerSecond bytes sent per second over the period
 * @param instances        the instances the node runs, each with its statistics
 */
public record Heartbeat(String nodeId, long sequence, long sentAtMillis, int periodMillis, int queueDepth,
                        long bytesInPerSecond, long bytesOutPerSecond, List<InstanceStats> instances) {

    public Heartbeat {
        Objects.requireNonNull(nodeId, "nodeId");
        instances = List.copyOf(instances);
        if (sequence < 0 || periodMillis < 1 || queueDepth < 0 || bytesInPerSecond < 0 || bytesOutPerSecond < 0) {
            throw new IllegalArgumentException(nodeId + ": sequence, queue and rates must be >= 0, period >= 1 ms");
        }
    }
}
