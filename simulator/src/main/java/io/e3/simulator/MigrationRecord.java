package io.e3.simulator;

/**
 * One migration the orchestrator decided, as the simulation carried it out: cold migration to a host (§5.4.4). The
 * instance stops taking requests at {@code startSeconds}; requests that arrive meanwhile are held and delivered at the
 * destination at {@code endSeconds}: after the requests it had already admitted have finished, its state has moved at
 * the slower link's bandwidth and the fixed setup has passed.
 *
 * @param instanceId   the instance moved
 * @param fromNode     where it ran
 * @param toNode       where it went, or {@code null} if no host had room (then nothing moved)
 * @param reason       what the orchestrator detected ({@code OVERLOAD} or {@code HOST_STARVATION})
 * @param detail       what it measured
 * @param startSeconds simulated time of the decision
 * @param endSeconds   simulated time it resumed at the destination (equal to the start when nothing moved)
 * @param stateBytes   state moved (modelled: the heap a stateful instance keeps; 0 for stateless types)
 * @param heldRequests requests held while it moved
 */
public record MigrationRecord(String instanceId, String fromNode, String toNode, String reason, String detail,
                              double startSeconds, double endSeconds, long stateBytes, int heldRequests) {

    /** Whether the instance moved. */
    public boolean moved() {
        return toNode != null;
    }
}
