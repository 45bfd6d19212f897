package io.e3.orchestrator;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
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
 * ignored; a sequence of 0 means the agent restarted.
 *
 * <p>Built for a million heartbeats a second on one thread: the controller decodes each datagram into a reusable
 * {@link HeartbeatView}, finds its node's number once with a {@link NodeIndex}, and calls
 * {@link #onHeartbeat(int, HeartbeatView, long)}, which works on arrays indexed by that number and by instance slot
 * ({@link InstanceTracks}) and allocates nothing unless a node's instances change or it detects something. Not
 * thread-safe: one thread ingests heartbeats.
 */
public final class DataPlaneOrchestrator {

    private final OrchestratorSettings settings;
    private final NodeIndex nodes;
    /**
     * Per node: the epoch (agent start) and sequence number of the last heartbeat taken (-1: none yet), and heartbeats
     * in a row with a queue.
     */
    private final long[] lastEpoch;
    private final long[] lastSequence;
    private final int[] queueBeats;
    /** Per node: whether it is a SmartNIC, and its link's bytes per second. */
    private final boolean[] smartNic;
    private final double[] linkBytesPerSecond;
    private final InstanceTracks tracks;
    /** Where {@link #onHeartbeat(Heartbeat, long)} decodes. */
    private final HeartbeatView objectView = new HeartbeatView();
    private final Map<String, Long> lastDecision = new HashMap<>();
    private final Map<String, String> cameFrom = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    /** Per instance decided on: its requests in the heartbeat that triggered the decision. */
    private final Map<String, Integer> decidedRequests = new HashMap<>();
    private final MoveBackPolicy moveBack;
    private long received;
    private long stale;
    private long unknown;
    private long decisions;

    public DataPlaneOrchestrator(Cluster cluster, OrchestratorSettings settings) {
        this(NodeIndex.of(cluster), settings);
    }

    /** An orchestrator for the nodes of {@code nodes}, known by the numbers it gives them. */
    public DataPlaneOrchestrator(NodeIndex nodes, OrchestratorSettings settings) {
        this(nodes, settings, MoveBackPolicy.Settings.DEFAULT);
    }

    /** As {@link #DataPlaneOrchestrator(NodeIndex, OrchestratorSettings)}, with when to move instances back. */
    public DataPlaneOrchestrator(NodeIndex nodes, OrchestratorSettings settings, MoveBackPolicy.Settings moveBack) {
        this.moveBack = new MoveBackPolicy(moveBack);
        this.settings = settings;
        this.nodes = nodes;
        lastEpoch = new long[nodes.size()];
        Arrays.fill(lastEpoch, -1);
        lastSequence = new long[nodes.size()];
        Arrays.fill(lastSequence, -1);
        queueBeats = new int[nodes.size()];
        smartNic = new boolean[nodes.size()];
        linkBytesPerSecond = new double[nodes.size()];
        for (int n = 0; n < nodes.size(); n++) {
            ComputeNode node = nodes.node(n);
            smartNic[n] = node.isSmartNic();
            linkBytesPerSecond[n] = node.capacity().bandwidthGbps() * 1e9 / 8;
        }
        tracks = new InstanceTracks(nodes.size());
    }

    /**
     * Takes one heartbeat received at {@code nowMillis}; returns a migration to start, if any. For callers that hold
     * heartbeats as objects: it is encoded, then taken as {@link #onHeartbeat(int, HeartbeatView, long)} takes it.
     *
     * @throws IllegalArgumentException if it cannot be encoded (an id over {@value HeartbeatCodec#MAX_ID_BYTES} bytes)
     */
    public Optional<MigrationDecision> onHeartbeat(Heartbeat hb, long nowMillis) {
        byte[] datagram = HeartbeatCodec.encode(hb);
        try {
            HeartbeatCodec.decode(datagram, 0, datagram.length, objectView);
        } catch (MalformedHeartbeatException e) {
            throw new IllegalStateException("a heartbeat just encoded does not decode: " + e.getMessage(), e);
        }
        return onHeartbeat(nodes.indexOf(objectView), objectView, nowMillis);
    }

    /**
     * Takes one heartbeat received at {@code nowMillis} from the node numbered {@code node} by this orchestrator's
     * {@link NodeIndex} ({@link NodeIndex#UNKNOWN} if the cluster has no such node); returns a migration to start, if
     * any. Reads {@code hb} during the call only.
     */
    public Optional<MigrationDecision> onHeartbeat(int node, HeartbeatView hb, long nowMillis) {
        if (node == NodeIndex.UNKNOWN) {
            unknown++;
            return Optional.empty();
        }
        if (isStale(node, hb)) {
            stale++;
            return Optional.empty();
        }
        received++;
        lastEpoch[node] = hb.epochMicros();
        lastSequence[node] = hb.sequence();
        String overloaded = track(node, hb);
        if (!smartNic[node]) {
            return moveBack.isEmpty() ? Optional.empty() : moveBack(node, hb, nowMillis);
        }
        queueBeats[node] = hb.queueDepth() >= settings.standingQueuePackets() ? queueBeats[node] + 1 : 0;
        double used = Math.max(hb.bytesInPerSecond(), hb.bytesOutPerSecond()) / linkBytesPerSecond[node];
        if (queueBeats[node] >= settings.standingBeats() && used < settings.underusedShare()) {
            return decide(node, hb, nowMillis, MigrationReason.HOST_STARVATION, String.format(Locale.ROOT,
                    "traffic-manager queue of %d packets for %d heartbeats with the link %.1f %% used",
                    hb.queueDepth(), queueBeats[node], 100 * used));
        }
        return overloaded == null ? Optional.empty() : decide(node, hb, nowMillis, MigrationReason.OVERLOAD, overloaded);
    }

    /**
     * Adds the heartbeat's execution times to its instances' averages. Returns what was measured of the first instance
     * now overloaded for {@link OrchestratorSettings#overloadBeats} heartbeats in a row, or null if none is.
     */
    private String track(int node, HeartbeatView hb) {
        String overloaded = null;
        tracks.retain(node, hb);
        for (int i = 0; i < hb.instanceCount(); i++) {
            int slot = tracks.slot(node, hb, i);
            if (hb.requests(i) < settings.minRequests()) {
                continue;
            }
            double x = hb.meanExecutionNanos(i);
            double ema = tracks.ema(slot);
            if (tracks.samples(slot) >= settings.warmupSamples() && x > (1 + settings.overloadThreshold()) * ema) {
                if (tracks.overloadedAgain(slot) >= settings.overloadBeats() && overloaded == null) {
                    overloaded = hb.instanceId(i) + String.format(Locale.ROOT,
                            ": execution %.1f µs against its average %.1f µs", x / 1e3, ema / 1e3);
                }
            } else {
                tracks.notOverloaded(slot);
            }
            tracks.addSample(slot, x, settings.emaAlpha());
        }
        return overloaded;
    }

    /**
     * The decision to move the instance of {@code hb} with the highest CPU share, unless the guards forbid: too many
     * migrations in flight, or every instance in flight or cooling down.
     */
    private Optional<MigrationDecision> decide(int node, HeartbeatView hb, long nowMillis, MigrationReason reason,
                                               String detail) {
        if (inFlight.size() >= settings.maxConcurrent()) {
            return Optional.empty();
        }
        int hottest = -1;
        String hottestId = null;
        for (int i = 0; i < hb.instanceCount(); i++) {
            String id = hb.instanceId(i);
            Long last = lastDecision.get(id);
            boolean cooling = last != null && nowMillis - last < settings.cooldownMillis();
            if (!cooling && !inFlight.contains(id) && (hottest < 0 || hb.cpuShare(i) > hb.cpuShare(hottest))) {
                hottest = i;
                hottestId = id;
            }
        }
        if (hottest < 0) {
            return Optional.empty();
        }
        decisions++;
        inFlight.add(hottestId);
        lastDecision.put(hottestId, nowMillis);
        queueBeats[node] = 0;
        tracks.clearOverBeats(node);
        decidedRequests.put(hottestId, hb.requests(hottest));
        return Optional.of(new MigrationDecision(hottestId, nodes.node(node).id(), reason, hb.cpuShare(hottest),
                hb.sequence(), cameFrom.get(hottestId), detail, null));
    }

    /** A move back of an instance on host {@code node} whose load has stayed low for its settle time, if any. */
    private Optional<MigrationDecision> moveBack(int node, HeartbeatView hb, long nowMillis) {
        for (int i = 0; i < hb.instanceCount(); i++) {
            String id = hb.instanceId(i);
            Long last = lastDecision.get(id);
            if (!moveBack.watches(id) || inFlight.contains(id)
                    || last != null && nowMillis - last < settings.cooldownMillis()) {
                continue;
            }
            Optional<String> to = moveBack.observe(id, hb.requests(i), nowMillis);
            if (to.isPresent() && inFlight.size() < settings.maxConcurrent()) {
                decisions++;
                inFlight.add(id);
                lastDecision.put(id, nowMillis);
                return Optional.of(new MigrationDecision(id, nodes.node(node).id(), MigrationReason.MOVE_BACK,
                        hb.cpuShare(i), hb.sequence(), null, String.format(Locale.ROOT,
                        "%d requests a heartbeat, under the low-water mark for %.0f s", hb.requests(i),
                        moveBack.settleMillis(id) / 1e3), to.get()));
            }
        }
        return Optional.empty();
    }

    /** The move-back policy's settle time for {@code instanceId} now, or -1 if it is not waiting to move back. */
    public long moveBackSettleMillis(String instanceId) {
        return moveBack.settleMillis(instanceId);
    }

    /**
     * Tells the orchestrator a migration it decided on is over: on success the instance now runs on {@code toNode} and
     * must not be sent back to {@code fromNode} next time; either way it no longer counts as in flight.
     */
    public void migrationFinished(String instanceId, String fromNode, String toNode, boolean succeeded) {
        inFlight.remove(instanceId);
        Integer rated = decidedRequests.remove(instanceId);
        if (succeeded) {
            cameFrom.put(instanceId, fromNode);
            tracks.remove(instanceId.getBytes(StandardCharsets.UTF_8));
            int from = nodes.indexOf(fromNode);
            if (moveBack.watches(instanceId)) {
                moveBack.movedBack(instanceId);
            } else if (from != NodeIndex.UNKNOWN && smartNic[from]) {
                moveBack.movedOff(instanceId, fromNode, rated == null ? 1 : rated);
            }
        }
    }

    /** Forgets an instance (undeployed). */
    public void forget(String instanceId) {
        inFlight.remove(instanceId);
        lastDecision.remove(instanceId);
        cameFrom.remove(instanceId);
        decidedRequests.remove(instanceId);
        moveBack.forget(instanceId);
        tracks.remove(instanceId.getBytes(StandardCharsets.UTF_8));
    }

    public int inFlight() {
        return inFlight.size();
    }

    /** Heartbeats taken into account. */
    public long received() {
        return received;
    }

    /**
     * Whether {@code hb} is older than the last heartbeat taken from {@code node}: from an earlier epoch (an agent
     * since restarted), or from the same epoch with a sequence not above the last. A later epoch starts afresh, whatever
     * its sequence, so a restarted agent whose first heartbeats were lost is heard at once. Sequence 0 in the same epoch
     * (a restart of an in-process sender, which has no epoch) is taken too.
     */
    private boolean isStale(int node, HeartbeatView hb) {
        if (hb.epochMicros() != lastEpoch[node]) {
            return hb.epochMicros() < lastEpoch[node];
        }
        return hb.sequence() <= lastSequence[node] && hb.sequence() != 0;
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
