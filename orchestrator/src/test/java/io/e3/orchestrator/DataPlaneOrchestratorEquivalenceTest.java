package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.ServerTypes;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The array-based orchestrator, fed through its allocation-free path (datagram decoded into a {@link HeartbeatView},
 * node found by {@link NodeIndex}), decides exactly as the map-based one it replaced ({@link MapBasedOrchestrator}) on
 * random streams: instances that come, go, swap places and repeat; stale, duplicate and restarted sequences; unknown
 * nodes; standing queues, execution-time spikes, migrations that end well or not, and forgotten instances.
 */
class DataPlaneOrchestratorEquivalenceTest {

    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE2_SMARTNIC, 2);
    /** Short warm-up and cool-down so that a few thousand heartbeats make many decisions of both kinds. */
    private static final OrchestratorSettings SETTINGS =
            new OrchestratorSettings(0.2, 0.3, 3, 3, 2, 16, 3, 0.5, 300, 2, 500);
    private static final List<String> POOL = List.of("a/kv.0", "a/kv.1", "a/top.0", "a/ema.0", "a/ema.1", "b/x.0",
            "b/x.1", "b/y.0", "c/z.0", "c/z.1", "c/z.2", "c/z.3");

    @Test
    void decidesExactlyAsTheMapBasedOrchestratorOnRandomStreams() throws MalformedHeartbeatException {
        Map<MigrationReason, Integer> made = new EnumMap<>(MigrationReason.class);
        for (int seed = 0; seed < 30; seed++) {
            new Stream(seed).run(3_000, made);
        }
        assertThat(made.getOrDefault(MigrationReason.HOST_STARVATION, 0)).as("starvation decisions compared")
                .isGreaterThan(200);
        assertThat(made.getOrDefault(MigrationReason.OVERLOAD, 0)).as("overload decisions compared")
                .isGreaterThan(50);
    }

    /** One random stream, fed to both orchestrators. */
    private static final class Stream {
        final SplittableRandom r;
        final NodeIndex nodes = NodeIndex.of(CLUSTER);
        final DataPlaneOrchestrator arrays = new DataPlaneOrchestrator(nodes, SETTINGS);
        final MapBasedOrchestrator maps = new MapBasedOrchestrator(CLUSTER, SETTINGS);
        final HeartbeatView view = new HeartbeatView();
        final List<String> senders = new ArrayList<>();
        final Map<String, List<String>> running = new HashMap<>();
        final Map<String, List<String>> previous = new HashMap<>();
        final Map<String, Long> sequence = new HashMap<>();
        final Map<String, Boolean> queueing = new HashMap<>();
        final List<MigrationDecision> inFlight = new ArrayList<>();
        long now;

        Stream(int seed) {
            r = new SplittableRandom(seed);
            CLUSTER.nodes().stream().map(ComputeNode::id).forEach(senders::add);
            senders.add("s9/nic0");
            for (String node : senders) {
                running.put(node, new ArrayList<>(POOL.subList(r.nextInt(6), 6 + r.nextInt(6))));
                previous.put(node, List.copyOf(running.get(node)));
                sequence.put(node, 0L);
                queueing.put(node, false);
            }
        }

        void run(int steps, Map<MigrationReason, Integer> made) throws MalformedHeartbeatException {
            for (int step = 0; step < steps; step++) {
                now += r.nextInt(30);
                double p = r.nextDouble();
                if (p < 0.03 && !inFlight.isEmpty()) {
                    MigrationDecision d = inFlight.remove(r.nextInt(inFlight.size()));
                    String to = senders.get(r.nextInt(senders.size() - 1));
                    boolean ok = r.nextBoolean();
                    arrays.migrationFinished(d.instanceId(), d.fromNode(), to, ok);
                    maps.migrationFinished(d.instanceId(), d.fromNode(), to, ok);
                } else if (p < 0.04) {
                    String id = POOL.get(r.nextInt(POOL.size()));
                    arrays.forget(id);
                    maps.forget(id);
                } else {
                    Heartbeat hb = heartbeat(senders.get(r.nextInt(senders.size())));
                    byte[] datagram = HeartbeatCodec.encode(hb);
                    HeartbeatCodec.decode(datagram, 0, datagram.length, view);
                    Optional<MigrationDecision> decided = arrays.onHeartbeat(nodes.indexOf(view), view, now);
                    assertThat(decided).as("step %d: %s", step, hb).isEqualTo(maps.onHeartbeat(hb, now));
                    decided.ifPresent(d -> {
                        inFlight.add(d);
                        made.merge(d.reason(), 1, Integer::sum);
                    });
                }
                assertThat(List.of(arrays.received(), arrays.stale(), arrays.unknown(), arrays.decisions(),
                        (long) arrays.inFlight())).as("counts after step %d", step).isEqualTo(List.of(maps.received(),
                        maps.stale(), maps.unknown(), maps.decisions(), (long) maps.inFlight()));
            }
        }

        Heartbeat heartbeat(String node) {
            List<String> ids = running.get(node);
            List<String> before = List.copyOf(ids);
            double churn = r.nextDouble();
            if (churn < 0.03) {
                ids.add(POOL.get(r.nextInt(POOL.size())));
            } else if (churn < 0.06 && !ids.isEmpty()) {
                ids.remove(r.nextInt(ids.size()));
            } else if (churn < 0.08 && ids.size() > 1) {
                Collections.swap(ids, r.nextInt(ids.size()), r.nextInt(ids.size()));
            } else if (churn < 0.11 && !ids.isEmpty()) {
                ids.set(r.nextInt(ids.size()), POOL.get(r.nextInt(POOL.size())));
            } else if (churn < 0.2) {
                // Back to how it was before the last change: an instance that left returns at once.
                ids.clear();
                ids.addAll(previous.get(node));
            }
            if (!ids.equals(before)) {
                previous.put(node, before);
            }
            long last = sequence.get(node);
            double order = r.nextDouble();
            long seq = order < 0.03 ? last : order < 0.05 ? Math.max(0, last - 2) : order < 0.06 ? 0 : last + 1;
            sequence.put(node, seq == 0 ? 0 : Math.max(last, seq));
            if (r.nextDouble() < 0.1) {
                queueing.put(node, !queueing.get(node));
            }
            int queue = queueing.get(node) ? 16 + r.nextInt(40) : r.nextInt(16);
            long bytes = r.nextDouble() < 0.8 ? 1_000_000 : 1_000_000_000;
            List<InstanceStats> stats = new ArrayList<>();
            for (String id : ids) {
                long base = 10_000 + 1_000L * POOL.indexOf(id);
                long mean = r.nextDouble() < 0.15 ? base * 3 / 2 : base + r.nextInt(500);
                stats.add(new InstanceStats(id, r.nextInt(8), 0, mean, (float) r.nextDouble(8)));
            }
            return new Heartbeat(node, seq, now, 50, queue, bytes, bytes, stats);
        }
    }
}
