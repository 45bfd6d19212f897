package io.e3.placement;

/**
 * What is already in use on one compute node when a placement starts: reservations of instances placed before, and
 * the runtime statistics the cluster reported (§5.4.3, constraint type 2).
 *
 * @param cores               cores reserved, at least 0
 * @param memoryMiB           memory reserved, at least 0
 * @param bandwidthGbps       bandwidth reserved, at least 0
 * @param activeWatts         modelled active power of the load placed on it ({@link io.e3.model.energy.EnergyModel}),
 *                            at least 0
 * @param utilisation         measured CPU utilisation in [0, 1]; 0 when nothing was measured
 * @param outstandingRequests measured requests queued or in service, at least 0
 */
public record NodeUsage(double cores, long memoryMiB, double bandwidthGbps, double activeWatts, double utilisation,
                        long outstandingRequests) {

    public static final NodeUsage NONE = new NodeUsage(0, 0, 0, 0, 0, 0);

    public NodeUsage {
        if (cores < 0 || memoryMiB < 0 || bandwidthGbps < 0 || activeWatts < 0 || outstandingRequests < 0) {
            throw new IllegalArgumentException("usage cannot be negative");
        }
        if (!(utilisation >= 0 && utilisation <= 1)) {
            throw new IllegalArgumentException("utilisation must be in [0, 1], got " + utilisation);
        }
    }

    /** Reserved cores alone, nothing measured: for tests and hand-built snapshots. */
    public static NodeUsage ofCores(double cores) {
        return new NodeUsage(cores, 0, 0, 0, 0, 0);
    }

    /** This usage plus a reservation. */
    public NodeUsage plus(double moreCores, long moreMemoryMiB, double moreBandwidthGbps, double moreActiveWatts) {
        return new NodeUsage(cores + moreCores, memoryMiB + moreMemoryMiB, bandwidthGbps + moreBandwidthGbps,
                activeWatts + moreActiveWatts, utilisation, outstandingRequests);
    }
}
