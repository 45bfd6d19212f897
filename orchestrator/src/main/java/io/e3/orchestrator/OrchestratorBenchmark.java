package io.e3.orchestrator;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.Server;
import io.e3.model.topology.ServerTypes;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.HdrHistogram.Histogram;

/**
 * The orchestrator's scale benchmark (§5.6.6, Figure 5.11): synthetic heartbeats from a FatTree of Type2-SmartNIC
 * servers (40 per rack), one per server per period from one of its SmartNICs, each with the statistics of a few
 * instances, are taken on one thread as fast as it can, the way the controller takes them: each datagram decoded and
 * checked in place ({@link HeartbeatView}), its node looked up once ({@link NodeIndex}), recorded by {@link Membership}
 * and fed to the {@link DataPlaneOrchestrator}. It reports the ingest rate and the latency of one heartbeat's whole path
 * (HdrHistogram), and whether that rate covers the offered load (servers / period).
 *
 * <p>Heartbeats are encoded before the clock starts, round after round with increasing sequence numbers; one server in
 * a thousand develops a standing traffic-manager queue so that decisions are made along the way. The first round is
 * fed once to a throwaway membership and orchestrator first, so the JIT has compiled the path before it is timed. The ingest rate
 * covers every heartbeat; the latency histogram holds every {@value #LATENCY_SAMPLE}th, timed on its own. The rate is
 * given both per wall-clock second and per second of CPU time the thread got, which differ when other processes
 * share the machine's cores.
 */
public final class OrchestratorBenchmark {

    /**
     * What one run measured.
     *
     * @param seconds            wall-clock time of the timed ingest
     * @param ingestPerSecond    heartbeats per wall-clock second: what the ingest kept up with on this machine
     * @param cpuSeconds         CPU time the ingesting thread got meanwhile (less than {@code seconds} when other
     *                           processes took the core from it)
     * @param ingestPerCpuSecond heartbeats per second of that CPU time: what one core does when it is not shared
     */
    public record Result(int servers, int periodMillis, long heartbeats, double seconds, double ingestPerSecond,
                         double cpuSeconds, double ingestPerCpuSecond, double offeredPerSecond, double p50Micros,
                         double p99Micros, double p999Micros, double maxMicros, long decisions, long stale) {
    }

    /** One heartbeat in this many is timed on its own (timing every one would cost a tenth of the budget). */
    static final int LATENCY_SAMPLE = 8;

    private OrchestratorBenchmark() {
    }

    /**
     * @param servers number of Type2 servers
     * @param rounds  heartbeat rounds (one heartbeat per server each)
     */
    public static Result run(int servers, int rounds, int periodMillis, Consumer<String> progress) {
        progress.accept("building a FatTree of " + servers + " Type2-SmartNIC servers");
        Cluster cluster = cluster(servers);
        progress.accept("encoding " + (long) servers * rounds + " heartbeats");
        byte[][] encoded = heartbeats(cluster, rounds, periodMillis);
        return ingest(cluster, encoded, servers, periodMillis, progress);
    }

    /** The benchmark's cluster: a FatTree of {@code servers} Type2-SmartNIC servers, 40 per rack. */
    public static Cluster cluster(int servers) {
        return Clusters.fatTree("bench-" + servers, ServerTypes.TYPE2_SMARTNIC, servers, 40, 16);
    }

    /**
     * Heartbeats for {@code rounds} periods: round r holds one from each server's first SmartNIC with sequence r,
     * three instances each; one server in a thousand reports a standing traffic-manager queue from round 3.
     */
    public static byte[][] heartbeats(Cluster cluster, int rounds, int periodMillis) {
        List<Server> all = cluster.servers();
        int servers = all.size();
        SplittableRandom random = new SplittableRandom(11);
        byte[][] encoded = new byte[servers * rounds][];
        for (int r = 0; r < rounds; r++) {
            for (int s = 0; s < servers; s++) {
                Server server = all.get(s);
                String nic = server.smartNics().get(0).id();
                boolean starving = s % 1000 == 7;
                List<InstanceStats> stats = new ArrayList<>(3);
                for (int i = 0; i < 3; i++) {
                    stats.add(new InstanceStats("app" + (s % 97) + "/svc" + i + "." + s, 50 + random.nextInt(50), 0,
                            20_000 + random.nextInt(2_000), (float) random.nextDouble(0.1, 4)));
                }
                encoded[r * servers + s] = HeartbeatCodec.encode(new Heartbeat(nic, r, (long) r * periodMillis,
                        periodMillis, starving && r > 2 ? 64 : random.nextInt(4), 1_000_000, 1_000_000, stats));
            }
        }
        return encoded;
    }

    private static Result ingest(Cluster cluster, byte[][] encoded, int servers, int periodMillis,
                                 Consumer<String> progress) {
        OrchestratorSettings settings = new OrchestratorSettings(0.2, 0.1, 10, 3, 2, 16, 3, 0.5, 10_000,
                Integer.MAX_VALUE, 500);
        NodeIndex nodes = NodeIndex.of(cluster);
        HeartbeatView view = new HeartbeatView();
        progress.accept("warming up (the first round, on a throwaway orchestrator)");
        Ingest warm = new Ingest(nodes, settings, view);
        for (int k = 0; k < Math.min(servers, encoded.length); k++) {
            warm.take(encoded[k]);
        }
        Ingest ingest = new Ingest(nodes, settings, view);
        Histogram latency = new Histogram(3_600_000_000_000L, 3);
        progress.accept("ingesting on one thread");
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long startCpu = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int k = 0; k < encoded.length; k++) {
            boolean timed = (k & (LATENCY_SAMPLE - 1)) == 0;
            long t0 = timed ? System.nanoTime() : 0;
            ingest.take(encoded[k]);
            if (timed) {
                latency.recordValue(System.nanoTime() - t0);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (threads.getCurrentThreadCpuTime() - startCpu) / 1e9;
        return new Result(servers, periodMillis, encoded.length, seconds, encoded.length / seconds, cpuSeconds,
                encoded.length / cpuSeconds, servers * 1000.0 / periodMillis, latency.getValueAtPercentile(50) / 1e3,
                latency.getValueAtPercentile(99) / 1e3, latency.getValueAtPercentile(99.9) / 1e3,
                latency.getMaxValue() / 1e3, ingest.orchestrator.decisions(), ingest.orchestrator.stale());
    }

    /** What the controller does with one datagram: decode in place, find the node once, membership, orchestrator. */
    private static final class Ingest {
        final NodeIndex nodes;
        final HeartbeatView view;
        final Membership membership;
        final DataPlaneOrchestrator orchestrator;

        Ingest(NodeIndex nodes, OrchestratorSettings settings, HeartbeatView view) {
            this.nodes = nodes;
            this.view = view;
            membership = new Membership(nodes, settings, 0);
            orchestrator = new DataPlaneOrchestrator(nodes, settings);
        }

        void take(byte[] datagram) {
            try {
                HeartbeatCodec.decode(datagram, 0, datagram.length, view);
            } catch (MalformedHeartbeatException e) {
                throw new IllegalStateException("benchmark heartbeat did not decode: " + e.getMessage(), e);
            }
            int node = nodes.indexOf(view);
            membership.heartbeat(node, view.sentAtMillis());
            orchestrator.onHeartbeat(node, view, view.sentAtMillis());
        }
    }
}
