package io.e3.orchestrator;

/**
 * The thresholds and guards of the data-plane orchestrator (§5.4.4) and the failover manager (§5.4.5).
 *
 * @param overloadThreshold     an instance is overloaded when its execution time exceeds its moving average by more
 *                              than this fraction (§5.4.4: 20 %, "determined empirically")
 * @param emaAlpha              weight of a new sample in the execution-time moving average, in (0, 1]
 * @param warmupSamples         samples an instance's average needs before it is compared against
 * @param minRequests           requests a heartbeat window needs before its mean execution time counts as a sample
 * @param overloadBeats         consecutive overloaded heartbeats before the orchestrator acts
 * @param standingQueuePackets  traffic-manager queue depth that counts as a queue, in packets
 * @param standingBeats         consecutive heartbeats with a queue before it counts as standing
 * @param underusedShare        bandwidth in and out below this share of the node's link counts as under-used
 * @param cooldownMillis        after a migration of an instance starts, no new decision about it for this long
 * @param maxConcurrent         migrations in flight at most, cluster-wide
 * @param failureTimeoutMillis  a node without a heartbeat for this long is declared down
 */
public record OrchestratorSettings(double overloadThreshold, double emaAlpha, int warmupSamples, int minRequests,
                                   int overloadBeats, int standingQueuePackets, int standingBeats,
                                   double underusedShare, long cooldownMillis, int maxConcurrent,
                                   long failureTimeoutMillis) {

    public static final OrchestratorSettings DEFAULT =
            new OrchestratorSettings(0.20, 0.1, 10, 3, 2, 16, 3, 0.5, 10_000, 2, 500);

    public OrchestratorSettings {
        if (!(overloadThreshold > 0) || !(emaAlpha > 0 && emaAlpha <= 1) || warmupSamples < 1 || minRequests < 1
                || overloadBeats < 1 || standingQueuePackets < 1 || standingBeats < 1
                || !(underusedShare > 0 && underusedShare <= 1) || cooldownMillis < 0 || maxConcurrent < 1
                || failureTimeoutMillis < 1) {
            throw new IllegalArgumentException("orchestrator settings out of range: " + this);
        }
    }

    /** These settings with another failure timeout. */
    public OrchestratorSettings withFailureTimeoutMillis(long millis) {
        return new OrchestratorSettings(overloadThreshold, emaAlpha, warmupSamples, minRequests, overloadBeats,
                standingQueuePackets, standingBeats, underusedShare, cooldownMillis, maxConcurrent, millis);
    }
}
