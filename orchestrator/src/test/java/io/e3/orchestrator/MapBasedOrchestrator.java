package io.e3.orchestrator;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The data-plane orchestrator as it was before its state moved to arrays: one object per node and per instance, maps
 * keyed by id strings. Kept as the executable specification {@link DataPlaneOrchestratorEquivalenceTest} holds
 * {@link DataPlaneOrchestrator} to: the same decisions, detail text included, and the same counts.
 */
final class MapBasedOrchestrator {

    private final OrchestratorSettings settings;
    /** Every node's track, made up front: one lookup per heartbeat. */
    private final Map<String, NodeTrack> tracks = new HashMap<>();
    private final Map<String, Long> lastDecision = new HashMap<>();
    private final Map<String, String> cameFrom = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private long received;
    private long stale;
    private long unknown;
    private long decisions;

    MapBasedOrchestrator(Cluster cluster, OrchestratorSettings settings) {
        cluster.nodes().forEach(n -> tracks.put(n.id(), new NodeTrack(n)));
        this.settings = settings;
    }

    /** What the orchestrator remembers of a node: a handful of instances, kept in a small array. */
    private static final class NodeTrack {
        final ComputeNode node;
        long lastSequence = -1;
        int queueBeats;
        InstanceTrack[] instances = new InstanceTrack[0];

        NodeTrack(ComputeNode node) {
            this.node = node;
        }

        /** The track of {@code id} at index {@code hint} if it is there (heartbeats list instances in a stable order). */
        InstanceTrack instance(String id, int hint) {
            if (hint < instances.length && instances[hint].id.equals(id)) {
                return instances[hint];
            }
            for (InstanceTrack t : instances) {
                if (t.id.equals(id)) {
                    return t;
                }
            }
            InstanceTrack t = new InstanceTrack(id);
            instances = java.util.Arrays.copyOf(instances, instances.length + 1);
            instances[instances.length - 1] = t;
            return t;
        }

        void retain(java.util.List<InstanceStats> present) {
            if (instances.length == present.size()) {
                return;
            }
            Set<String> ids = new HashSet<>();
            present.forEach(s -> ids.add(s.instanceId()));
            instances = java.util.Arrays.stream(instances).filter(t -> ids.contains(t.id))
                    .toArray(InstanceTrack[]::new);
        }

        void remove(String id) {
            instances = java.util.Arrays.stream(instances).filter(t -> !t.id.equals(id))
                    .toArray(InstanceTrack[]::new);
        }
    }

    private static final class InstanceTrack {
        final String id;
        double ema;
        int samples;
        int overBeats;

        InstanceTrack(String id) {
            this.id = id;
        }
    }

    /** Takes one heartbeat received at {@code nowMillis}; returns a migration to start, if any. */
    Optional<MigrationDecision> onHeartbeat(Heartbeat hb, long nowMillis) {
        NodeTrack t = tracks.get(hb.nodeId());
        if (t == null) {
            unknown++;
            return Optional.empty();
        }
        ComputeNode node = t.node;
        if (hb.sequence() <= t.lastSequence && hb.sequence() != 0) {
            stale++;
            return Optional.empty();
        }
        received++;
        t.lastSequence = hb.sequence();

        String overloaded = null;
        List<InstanceStats> stats = hb.instances();
        t.retain(stats);
        for (int i = 0; i < stats.size(); i++) {
            InstanceStats s = stats.get(i);
            InstanceTrack it = t.instance(s.instanceId(), i);
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
        for (InstanceTrack i : t.instances) {
            i.overBeats = 0;
        }
        return Optional.of(new MigrationDecision(hottest.instanceId(), node.id(), reason, hottest.cpuShare(),
                hb.sequence(), cameFrom.get(hottest.instanceId()), detail, null));
    }

    /**
     * Tells the orchestrator a migration it decided on is over: on success the instance now runs on {@code toNode} and
     * must not be sent back to {@code fromNode} next time; either way it no longer counts as in flight.
     */
    void migrationFinished(String instanceId, String fromNode, String toNode, boolean succeeded) {
        inFlight.remove(instanceId);
        if (succeeded) {
            cameFrom.put(instanceId, fromNode);
            tracks.values().forEach(t -> t.remove(instanceId));
        }
    }

    /** Forgets an instance (undeployed). */
    void forget(String instanceId) {
        inFlight.remove(instanceId);
        lastDecision.remove(instanceId);
        cameFrom.remove(instanceId);
        tracks.values().forEach(t -> t.remove(instanceId));
    }

    int inFlight() {
        return inFlight.size();
    }

    /** Heartbeats taken into account. */
    long received() {
        return received;
    }

    /** Heartbeats dropped as stale or duplicate. */
    long stale() {
        return stale;
    }

    /** Heartbeats from nodes not in the cluster. */
    long unknown() {
        return unknown;
    }

    long decisions() {
        return decisions;
    }
}
