package io.e3.orchestrator;

/** Why the data-plane orchestrator moves an instance (§5.4.4). */
public enum MigrationReason {
    /** A standing traffic-manager queue while the SmartNIC's bandwidth is under-used: the host is starved. */
    HOST_STARVATION,
    /** An instance's execution time is worse than its moving average by more than the threshold. */
    OVERLOAD,
    /** Moved off a SmartNIC earlier, its load has stayed well below the mark for the settle time: back it goes. */
    MOVE_BACK,
    /** Its node was declared down (failover, §5.4.5). */
    NODE_DOWN
}
