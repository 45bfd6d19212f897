package io.e3.orchestrator;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data-plane orchestrator of §5.4.4, fed by heartbeats: it detects host starvation and microservice overload on
 * SmartNICs and decides which instance to move off the SmartNIC.
 *
 * <ul>
 *   <li><b>Host starvation</b>: the traffic-manager queue holds at least {@link OrchestratorSettings#standingQueuePackets}
 *       for {@link OrchestratorSettings#standingBeats} heartbeats in a row (a standing queue) while the bandwidth in
 *       and out stays under {@link OrchestratorSettings#underusedShare} of the SmartNIC's link.</li>
 *   <li><b>Microservice overload</b>: an instance's mean execution time in a heartbeat is worse than its exponential
 *       moving average by more than {@link OrchestratorSettings#overloadThreshold} (20 %), for
 *       {@link OrchestratorSettings#overloadBeats} heartbeats in a row, once the average has
 *       {@link OrchestratorSettings#warmupSamples} samples. Windows with fewer than
 *       {@link OrchestratorSettings#minRequests} requests are not samples.</li>
 *   <li><b>Decision</b>: move the instance with the highest CPU use on that SmartNIC (§5.4.4); where to is the
 *       placement code's call. Guards against flapping: no decision about an instance within
 *       {@link OrchestratorSettings#cooldownMillis} of its last one, at most {@link OrchestratorSettings#maxConcurrent}
 *       migrations in flight, and the decision names the node the instance last came from so it is not sent back.</li>
 * </ul>
 *
 * Heartbeats from unknown nodes, and stale or duplicate ones (sequence not above the last seen), are counted and
 * ignored; a sequence of 0 means the agent restarted. Not thread-safe: one thread ingests heartbeats.
 */
public final class DataPlaneOrchestrator {

    private final Map<String, ComputeNode> nodes = new HashMap<>();
    private final OrchestratorSettings settings;
    private final Map<String, NodeTrack> tracks = new HashMap<>();
    private final Map<String, Long> lastDecision = new HashMap<>();
    private final Map<String, String> cameFrom = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private long received;
    private long stale;
    private long unknown;
    private long decisions;

    public DataPlaneOrchestrator(Cluster cluster, OrchestratorSettings settings) {
        cluster.nodes().forEach(n -> nodes.put(n.id(), n));
        this.settings = settings;
    }

    private static final class NodeTrack {
        long lastSequence = -1;
        int queueBeats;
        final Map<String, InstanceTrack> instances = new HashMap<>();
    }

    private static final class InstanceTrack {
        double ema;
        int samples;
        int overBeats;
    }

    /** Takes one heartbeat received at {@code nowMillis}; returns a migration to start, if any. */
    public Optional<MigrationDecision> onHeartbeat(Heartbeat hb, long nowMillis) {
        ComputeNode node = nodes.get(hb.nodeId());
        if (node == null) {
            unknown++;
            return Optional.empty();
        }
        NodeTrack t = tracks.computeIfAbsent(hb.nodeId(), k -> new NodeTrack());
        if (hb.sequence() <= t.lastSequence && hb.sequence() != 0) {
            stale++;
            return Optional.empty();
        }
        received++;
        t.lastSequence = hb.sequence();

        String overloaded = null;
        for (InstanceStats s : hb.instances()) {
            InstanceTrack it = t.instances.computeIfAbsent(s.instanceId(), k -> new InstanceTrack());
            if (s.requests() < settings.minRequests()) {
                continue;
            }
            double x = s.meanExecutionNanos();
            if (it.samples >= settings.warmupSamples() && x > (1 + settings.overloadThreshold()) * it.ema) {
                if (++it.overBeats >= settings.overloadBeats() && overloaded == null) {
                    overloaded = s.instanceId() + String.format(Locale.ROOT,
                            ": execution %.1f µs against its average %.1f µs", x / 1e3, it.ema / 1e3);
                }
            } else {
                it.overBeats = 0;
            }
            it.ema = it.samples == 0 ? x : settings.emaAlpha() * x + (1 - settings.emaAlpha()) * it.ema;
            it.samples++;
        }
        if (t.instances.size() > hb.instances().size()) {
            Set<String> present = new HashSet<>();
            hb.instances().forEach(s -> present.add(s.instanceId()));
            t.instances.keySet().retainAll(present);
        }
        if (!node.isSmartNic()) {
            return Optional.empty();
        }
        t.queueBeats = hb.queueDepth() >= settings.standingQueuePackets() ? t.queueBeats + 1 : 0;
        double linkBytesPerSecond = node.capacity().bandwidthGbps() * 1e9 / 8;
        double used = Math.max(hb.bytesInPerSecond(), hb.bytesOutPerSecond()) / linkBytesPerSecond;
        MigrationReason reason = null;
        String detail = null;
        if (t.queueBeats >= settings.standingBeats() && used < settings.underusedShare()) {
            reason = MigrationReason.HOST_STARVATION;
            detail = String.format(Locale.ROOT, "traffic-manager queue of %d packets for %d heartbeats with the link "
                    + "%.1f %% used", hb.queueDepth(), t.queueBeats, 100 * used);
        } else if (overloaded != null) {
            reason = MigrationReason.OVERLOAD;
            detail = overloaded;
        }
        if (reason == null || inFlight.size() >= settings.maxConcurrent()) {
            return Optional.empty();
        }
        InstanceStats hottest = null;
        for (InstanceStats s : hb.instances()) {
            Long last = lastDecision.get(s.instanceId());
            boolean cooling = last != null && nowMillis - last < settings.cooldownMillis();
            if (!cooling && !inFlight.contains(s.instanceId())
                    && (hottest == null || s.cpuShare() > hottest.cpuShare())) {
                hottest = s;
            }
        }
        if (hottest == null) {
            return Optional.empty();
        }
        decisions++;
        inFlight.add(hottest.instanceId());
        lastDecision.put(hottest.instanceId(), nowMillis);
        t.queueBeats = 0;
        t.instances.values().forEach(i -> i.overBeats = 0);
        return Optional.of(new MigrationDecision(hottest.instanceId(), node.id(), reason, hottest.cpuShare(),
                hb.sequence(), cameFrom.get(hottest.instanceId()), detail));
    }

    /**
     * Tells the orchestrator a migration it decided on is over: on success the instance now runs on {@code toNode} and
     * must not be sent back to {@code fromNode} next time; either way it no longer counts as in flight.
     */
    public void migrationFinished(String instanceId, String fromNode, String toNode, boolean succeeded) {
        inFlight.remove(instanceId);
        if (succeeded) {
            cameFrom.put(instanceId, fromNode);
            for (NodeTrack t : tracks.values()) {
                t.instances.remove(instanceId);
            }
        }
    }

    /** Forgets an instance (undeployed). */
    public void forget(String instanceId) {
        inFlight.remove(instanceId);
        lastDecision.remove(instanceId);
        cameFrom.remove(instanceId);
        for (Iterator<NodeTrack> it = tracks.values().iterator(); it.hasNext(); ) {
            it.next().instances.remove(instanceId);
        }
    }

    public int inFlight() {
        return inFlight.size();
    }

    /** Heartbeats taken into account. */
    public long received() {
        return received;
    }

    /** Heartbeats dropped as stale or duplicate. */
    public long stale() {
        return stale;
    }

    /** Heartbeats from nodes not in the cluster. */
    public long unknown() {
        return unknown;
    }

    public long decisions() {
        return decisions;
    }
}
