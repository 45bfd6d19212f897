package io.e3.orchestrator;

/**
 * The failure detector's settings ({@link Membership}, §5.4.5).
 *
 * @param floorMillis       the shortest timeout: no node is declared down after less silence than this, and the timeout
 *                          of a node with too few heartbeats to estimate from ({@code e3.failover.timeout-ms})
 * @param maxTimeoutMillis  the longest timeout, however irregular a node's heartbeats ({@code e3.failover.max-timeout-ms})
 * @param phiThreshold      the suspicion level φ at which a node is declared down: the chance that a live node stays
 *                          silent that long is 10<sup>-φ</sup> ({@code e3.failover.phi-threshold})
 * @param disruptionShare   if more than this share of the up nodes (and at least two) are silent past their timeouts in
 *                          one check, none is declared down ({@code e3.failover.disruption-share})
 * @param checkPeriodMillis how often {@link Membership#check} is called; a check more than twice this late does not
 *                          count the gap against the nodes. 0 when checks are not periodic (then lateness is not looked
 *                          at)
 */
public record DetectorSettings(long floorMillis, long maxTimeoutMillis, double phiThreshold, double disruptionShare,
                               long checkPeriodMillis) {

    public static final long DEFAULT_MAX_TIMEOUT_MILLIS = 5_000;
    public static final double DEFAULT_PHI_THRESHOLD = 8;
    public static final double DEFAULT_DISRUPTION_SHARE = 0.5;

    public DetectorSettings {
        if (floorMillis < 1 || maxTimeoutMillis < floorMillis || !(phiThreshold > 0 && phiThreshold <= 30)
                || !(disruptionShare > 0 && disruptionShare <= 1) || checkPeriodMillis < 0) {
            throw new IllegalArgumentException("failure detector settings out of range: " + this);
        }
    }

    /**
     * The defaults around the failure timeout of {@code settings} as the floor (the longest timeout at least
     * {@link #DEFAULT_MAX_TIMEOUT_MILLIS}), for checks that are not periodic.
     */
    public static DetectorSettings of(OrchestratorSettings settings) {
        long floor = settings.failureTimeoutMillis();
        return new DetectorSettings(floor, Math.max(floor, DEFAULT_MAX_TIMEOUT_MILLIS), DEFAULT_PHI_THRESHOLD,
                DEFAULT_DISRUPTION_SHARE, 0);
    }

    /** These settings for checks every {@code millis}. */
    public DetectorSettings withCheckPeriodMillis(long millis) {
        return new DetectorSettings(floorMillis, maxTimeoutMillis, phiThreshold, disruptionShare, millis);
    }
}
