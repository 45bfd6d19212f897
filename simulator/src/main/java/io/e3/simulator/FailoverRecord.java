package io.e3.simulator;

/**
 * A node the failover manager declared down, and what became of its instances (§5.4.5).
 *
 * @param nodeId          the node
 * @param failedSeconds   simulated time it failed (a SmartNIC fails with its server's host)
 * @param detectedSeconds simulated time the membership declared it down (no heartbeat for the timeout)
 * @param promoted        serving instances replaced by a backup on another node
 * @param replaced        serving instances without a live backup, deployed again on a live host (empty state)
 * @param stranded        serving instances no live node could take; their requests wait
 * @param heldRequests    requests that waited for the failover and were then sent to the new instances
 */
public record FailoverRecord(String nodeId, double failedSeconds, double detectedSeconds, int promoted, int replaced,
                             int stranded, int heldRequests) {
}
