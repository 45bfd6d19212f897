package io.e3.model.topology;

import java.util.Objects;

/**
 * What one compute node offers.
 *
 * @param cores         number of cores, at least 1
 * @param coreClass     the class of all of its cores
 * @param memoryMiB     memory in MiB, at least 1
 * @param bandwidthGbps network bandwidth in Gb/s, greater than 0; for a host behind SmartNICs this is the
 *                      aggregate of the SmartNIC ports it reaches the network through (§5.4.2)
 */
public record NodeCapacity(int cores, CoreClass coreClass, long memoryMiB, double bandwidthGbps) {

    public NodeCapacity {
        Objects.requireNonNull(coreClass, "coreClass");
        if (cores < 1) {
            throw new IllegalArgumentException("cores must be >= 1, got " + cores);
        }
        if (memoryMiB < 1) {
            throw new IllegalArgumentException("memoryMiB must be >= 1, got " + memoryMiB);
        }
        if (!(bandwidthGbps > 0) || Double.isInfinite(bandwidthGbps)) {
            throw new IllegalArgumentException("bandwidthGbps must be > 0, got " + bandwidthGbps);
        }
    }

    public static NodeCapacity beefy(int cores, long memoryMiB, double bandwidthGbps) {
        return new NodeCapacity(cores, CoreClass.BEEFY, memoryMiB, bandwidthGbps);
    }

    public static NodeCapacity wimpy(int cores, long memoryMiB, double bandwidthGbps) {
        return new NodeCapacity(cores, CoreClass.WIMPY, memoryMiB, bandwidthGbps);
    }
}
