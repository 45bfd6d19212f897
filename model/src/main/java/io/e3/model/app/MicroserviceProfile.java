package io.e3.model.app;

import io.e3.model.topology.CoreClass;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a microservice costs to run, from Table 5.1 (512 B requests, §5.3.3): peak throughput with the number of
 * active cores on a host with kernel-bypass networking (the "Host (DPDK)" columns) and on a 12-core LiquidIO
 * SmartNIC, with active power and average latency at that peak.
 *
 * <p>Per-core service time is derived as cores / throughput: the time one core spends per request. Wimpy cores
 * (the SmartNIC and the Wimpy server are both cnMIPS, Table 5.4) take the SmartNIC figure, beefy cores the host one.
 * These figures are modelled from the table, not measured here.
 *
 * <p>Two figures Table 5.1 lacks are measured on E3's own implementation of each service by
 * {@code e3 bench microservices --sizes 128,512,1024} (docs/microservices.md has the run): the heap one instance keeps,
 * and the share of the cost at 512 B that grows with the request size (§5.3.3, Figure 5.2: request size has a major
 * impact). {@link #serviceTimeSeconds(CoreClass, int)} scales the Table 5.1 time by that share.
 *
 * @param type               the microservice
 * @param hostRps            Table 5.1 Host (DPDK) RPS
 * @param hostCores          Table 5.1 Host (DPDK) C: active cores at that throughput
 * @param hostWatts          Table 5.1 Host (DPDK) W: active power at peak
 * @param hostLatencyMs      Table 5.1 Host (DPDK) L: average latency
 * @param smartNicRps        Table 5.1 SmartNIC RPS, on all 12 cores (§5.3.3: the SmartNIC keeps all 12 active)
 * @param smartNicWatts      Table 5.1 SmartNIC W
 * @param smartNicLatencyMs  Table 5.1 SmartNIC L
 * @param hostRpj            Table 5.1 Host (DPDK) RPJ: requests per joule of active energy at peak
 * @param smartNicRpj        Table 5.1 SmartNIC RPJ
 * @param memoryMiB          heap one instance keeps after 20,000 sample requests, its reference data included
 *                           (measured)
 * @param sizeShare          share in [0, 1] of the cost of a 512 B request that grows in proportion to the request
 *                           size (measured; 0 for types whose requests have no variable-size field)
 */
public record MicroserviceProfile(MicroserviceType type, double hostRps, int hostCores, double hostWatts,
                                  double hostLatencyMs, double smartNicRps, double smartNicWatts,
                                  double smartNicLatencyMs, double hostRpj, double smartNicRpj, double memoryMiB,
                                  double sizeShare) {

    /** The request size of Table 5.1's runs (§5.3.3). */
    public static final int TABLE_REQUEST_BYTES = 512;

    /** The LiquidIO II has 12 cnMIPS cores, all active in Table 5.1's SmartNIC runs (§5.3.3). */
    public static final int SMARTNIC_CORES = 12;

    private static final Map<MicroserviceType, double[]> MEASURED = new EnumMap<>(MicroserviceType.class);
    private static final Map<MicroserviceType, MicroserviceProfile> TABLE_5_1 = new EnumMap<>(MicroserviceType.class);

    static {
        // Measured on E3's implementation, 2026-11-21, 2-core VM, by e3 bench microservices --sizes 128,512,1024
        // (docs/bench-microservices.json): heap MiB one instance keeps, its reference data included; share of the
        // 512 B cost that grows with size (0: the type's requests have no variable-size field).
        measured(MicroserviceType.IPSEC, 40.6, 0.34);
        measured(MicroserviceType.BM25, 4.4, 0.48);
        measured(MicroserviceType.NATV4, 39.6, 0.53);
        measured(MicroserviceType.NIDS, 5.3, 0.69);
        measured(MicroserviceType.COUNT, 10.9, 0.74);
        measured(MicroserviceType.EMA, 0.3, 0.00);
        measured(MicroserviceType.KVS, 3.2, 0.47);
        measured(MicroserviceType.FLOW_MONITOR, 0.2, 0.00);
        measured(MicroserviceType.DDOS, 1.3, 0.34);
        measured(MicroserviceType.RECOMMEND, 0.7, 0.00);
        measured(MicroserviceType.KNN, 0.8, 0.00);
        measured(MicroserviceType.SPIKE, 0.3, 0.00);
        measured(MicroserviceType.BAYES, 2.0, 0.74);
        measured(MicroserviceType.API_GATEWAY, 2.3, 0.21);
        measured(MicroserviceType.TOP_RANKER, 1.1, 0.00);
        measured(MicroserviceType.SQL, 2.3, 0.98);
    }

    static {
        // Table 5.1 rows: Host (DPDK) RPS, W, C, L | SmartNIC RPS, W, L | Host (DPDK) RPJ, SmartNIC RPJ.
        row(MicroserviceType.IPSEC, 0.9e6, 112.1, 12, 1.7, 1.9e6, 23.4, 0.2, 8.1e3, 79.0e3);
        row(MicroserviceType.BM25, 99.5e3, 110.0, 12, 30.7, 0.4e6, 19.2, 4.1, 0.9e3, 20.6e3);
        row(MicroserviceType.NIDS, 1.8e6, 106.8, 12, 0.05, 2.0e6, 23.4, 0.03, 17.2e3, 84.8e3);
        row(MicroserviceType.RECOMMEND, 4.1e3, 111.7, 12, 78.7, 12.8e3, 18.9, 21.3, 0.04e3, 0.7e3);
        row(MicroserviceType.NATV4, 1.9e6, 52.1, 4, 0.04, 2.0e6, 23.6, 0.03, 36.8e3, 86.9e3);
        row(MicroserviceType.COUNT, 2.0e6, 48.6, 4, 0.03, 2.0e6, 21.0, 0.03, 40.3e3, 96.1e3);
        row(MicroserviceType.EMA, 2.0e6, 52.1, 4, 0.03, 2.1e6, 22.0, 0.03, 38.6e3, 93.5e3);
        row(MicroserviceType.KVS, 2.0e6, 33.6, 2, 0.04, 2.0e6, 21.6, 0.03, 59.6e3, 97.1e3);
        row(MicroserviceType.FLOW_MONITOR, 2.0e6, 49.8, 4, 0.03, 2.0e6, 24.3, 0.03, 40.4e3, 83.6e3);
        row(MicroserviceType.DDOS, 1.8e6, 105.7, 12, 0.05, 2.0e6, 24.3, 0.03, 17.4e3, 80.4e3);
        row(MicroserviceType.KNN, 42.4e3, 110.4, 12, 45.8, 29.9e3, 20.0, 20.6, 0.40e3, 1.5e3);
        row(MicroserviceType.SPIKE, 0.1e6, 112.3, 12, 25.7, 73.8e3, 23.5, 9.0, 0.9e3, 3.1e3);
        row(MicroserviceType.BAYES, 13.7e3, 112.0, 12, 80.6, 1.6e3, 19.5, 41.9, 0.1e3, 0.08e3);
        row(MicroserviceType.API_GATEWAY, 1.6e6, 110.6, 12, 0.8, 0.1e6, 24.7, 8.5, 14.3e3, 5.0e3);
        row(MicroserviceType.TOP_RANKER, 0.8e6, 109.2, 12, 3.5, 14.8e3, 20.3, 31.1, 7.1e3, 0.7e3);
        row(MicroserviceType.SQL, 0.5e6, 113.0, 12, 6.7, 39.5e3, 18.8, 29.5, 4.7e3, 2.1e3);
    }

    public MicroserviceProfile {
        Objects.requireNonNull(type, "type");
        if (!(hostRps > 0) || hostCores < 1 || !(smartNicRps > 0) || !(hostRpj > 0) || !(smartNicRpj > 0)) {
            throw new IllegalArgumentException(type + ": throughputs, cores and requests per joule must be positive");
        }
        if (!(memoryMiB > 0) || !(sizeShare >= 0 && sizeShare <= 1)) {
            throw new IllegalArgumentException(type + ": memory must be positive and the size share in [0, 1]");
        }
    }

    private static void measured(MicroserviceType type, double memoryMiB, double sizeShare) {
        MEASURED.put(type, new double[] {memoryMiB, sizeShare});
    }

    private static void row(MicroserviceType type, double hostRps, double hostWatts, int hostCores,
                            double hostLatencyMs, double nicRps, double nicWatts, double nicLatencyMs, double hostRpj,
                            double nicRpj) {
        double[] m = MEASURED.get(type);
        TABLE_5_1.put(type, new MicroserviceProfile(type, hostRps, hostCores, hostWatts, hostLatencyMs, nicRps,
                nicWatts, nicLatencyMs, hostRpj, nicRpj, m[0], m[1]));
    }

    /** The Table 5.1 profile of {@code type}. */
    public static MicroserviceProfile of(MicroserviceType type) {
        return TABLE_5_1.get(type);
    }

    /** Requests one core of {@code coreClass} completes per second (modelled from Table 5.1). */
    public double perCoreRps(CoreClass coreClass) {
        return coreClass == CoreClass.BEEFY ? hostRps / hostCores : smartNicRps / SMARTNIC_CORES;
    }

    /** Seconds one core of {@code coreClass} spends on one 512 B request (modelled from Table 5.1). */
    public double serviceTimeSeconds(CoreClass coreClass) {
        return 1.0 / perCoreRps(coreClass);
    }

    /**
     * Seconds one core of {@code coreClass} spends on one request of {@code requestBytes}: the Table 5.1 time at
     * 512 B times {@code (1 - sizeShare) + sizeShare * requestBytes / 512} (modelled).
     */
    public double serviceTimeSeconds(CoreClass coreClass, int requestBytes) {
        if (requestBytes < 0) {
            throw new IllegalArgumentException("request size must be >= 0, got " + requestBytes);
        }
        return serviceTimeSeconds(coreClass)
                * ((1 - sizeShare) + sizeShare * requestBytes / (double) TABLE_REQUEST_BYTES);
    }

    /** Requests per joule of active energy on {@code coreClass} at 512 B: Table 5.1's RPJ column. */
    public double requestsPerJoule(CoreClass coreClass) {
        return coreClass == CoreClass.BEEFY ? hostRpj : smartNicRpj;
    }
}
