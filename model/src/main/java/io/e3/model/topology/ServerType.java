package io.e3.model.topology;

import java.util.Objects;

/**
 * A kind of server: one host processor and zero or more identical SmartNICs sharing its power domain (§5.3.2).
 *
 * <p>Power and cost are per whole server, as Table 5.4 gives them: the SmartNICs share the server's idle power.
 *
 * @param name       the name used in manifests, e.g. {@code Type2-SmartNIC}
 * @param costUsd    purchase cost of the whole server in US dollars, at least 0
 * @param idleWatts  wall power of the whole server when idle, greater than 0
 * @param peakWatts  wall power of the whole server at peak, at least {@code idleWatts}
 * @param host       the host processor's capacity; its bandwidth is the server's network bandwidth
 * @param smartNics  number of SmartNICs, 0 to {@value #MAX_SMARTNICS}
 * @param smartNic   capacity of each SmartNIC; {@code null} exactly when {@code smartNics} is 0
 */
public record ServerType(
        String name,
        double costUsd,
        double idleWatts,
        double peakWatts,
        NodeCapacity host,
        int smartNics,
        NodeCapacity smartNic) {

    /** More SmartNICs than PCIe slots in a 2U server makes no sense. */
    public static final int MAX_SMARTNICS = 8;

    public ServerType {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        if (!(costUsd >= 0) || Double.isInfinite(costUsd)) {
            throw new IllegalArgumentException(name + ": costUsd must be >= 0, got " + costUsd);
        }
        if (!(idleWatts > 0) || Double.isInfinite(idleWatts)) {
            throw new IllegalArgumentException(name + ": idleWatts must be > 0, got " + idleWatts);
        }
        if (!(peakWatts >= idleWatts) || Double.isInfinite(peakWatts)) {
            throw new IllegalArgumentException(
                    name + ": peakWatts must be >= idleWatts (" + idleWatts + "), got " + peakWatts);
        }
        if (smartNics < 0 || smartNics > MAX_SMARTNICS) {
            throw new IllegalArgumentException(
                    name + ": smartNics must be in [0, " + MAX_SMARTNICS + "], got " + smartNics);
        }
        if ((smartNics == 0) != (smartNic == null)) {
            throw new IllegalArgumentException(name + ": smartNic capacity is given exactly when smartNics > 0");
        }
        if (smartNics > 0 && host.bandwidthGbps() > smartNics * smartNic.bandwidthGbps() + 1e-9) {
            // All host traffic enters through the SmartNIC ports (§5.4.2), so the host cannot have more.
            throw new IllegalArgumentException(name + ": host bandwidth " + host.bandwidthGbps()
                    + " Gb/s exceeds the SmartNIC ports' " + smartNics + " x " + smartNic.bandwidthGbps() + " Gb/s");
        }
    }

    /** Network bandwidth of the whole server in Gb/s (Table 5.4, column Bw). */
    public double bandwidthGbps() {
        return host.bandwidthGbps();
    }

    /** Beefy cores of the whole server (Table 5.4, column BC). */
    public int beefyCores() {
        return coresOfClass(CoreClass.BEEFY);
    }

    /** Wimpy cores of the whole server (Table 5.4, column WC). */
    public int wimpyCores() {
        return coresOfClass(CoreClass.WIMPY);
    }

    /** Memory of the whole server in MiB, host plus SmartNICs (Table 5.4, column Mem). */
    public long memoryMiB() {
        return host.memoryMiB() + (smartNics == 0 ? 0 : smartNics * smartNic.memoryMiB());
    }

    /** Number of compute nodes in one server of this type: the host and each SmartNIC. */
    public int computeNodes() {
        return 1 + smartNics;
    }

    private int coresOfClass(CoreClass coreClass) {
        int cores = host.coreClass() == coreClass ? host.cores() : 0;
        if (smartNics > 0 && smartNic.coreClass() == coreClass) {
            cores += smartNics * smartNic.cores();
        }
        return cores;
    }
}
