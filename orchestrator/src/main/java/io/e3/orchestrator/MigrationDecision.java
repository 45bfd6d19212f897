package io.e3.orchestrator;

import java.util.Objects;

/**
 * The orchestrator's decision to move an instance off a SmartNIC. Where it goes is for the placement code to say
 * (the controller asks it for a host, excluding {@link #avoid()}).
 *
 * @param instanceId the instance with the highest CPU use on the node
 * @param fromNode   where it runs
 * @param reason     what was detected
 * @param cpuShare   its CPU share (cores) in the heartbeat that triggered the decision
 * @param sequence   that heartbeat's sequence number
 * @param avoid      a node it must not go to: where it came from last, or null
 * @param detail     what was measured, for logs and events
 * @param to         where it must go ({@link MigrationReason#MOVE_BACK}: its original SmartNIC), or null for the
 *                   placement code to choose
 */
public record MigrationDecision(String instanceId, String fromNode, MigrationReason reason, double cpuShare,
                                long sequence, String avoid, String detail, String to) {

    public MigrationDecision {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(fromNode, "fromNode");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
