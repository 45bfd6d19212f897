package io.e3.controller;

import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.topology.AddressPlan;
import io.e3.orchestrator.DataPlaneOrchestrator;
import io.e3.orchestrator.DetectorSettings;
import io.e3.orchestrator.MigrationDecision;
import io.e3.orchestrator.Membership;
import io.e3.orchestrator.MembershipNotice;
import io.e3.orchestrator.NodeEvent;
import io.e3.orchestrator.NodeIndex;
import io.e3.orchestrator.OrchestratorSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The controller's end of the heartbeats (§5.4.4): a UDP socket on the cluster's controller address, port 7001. Each
 * heartbeat is decoded (malformed ones are counted and dropped), recorded for membership, and fed to the data-plane
 * orchestrator; a migration decision goes to the control-plane manager with a host chosen for it. All on one event
 * loop, so the orchestrator's state needs no locks. The datagram is decoded in place into one reused
 * {@link HeartbeatView} and its node looked up once by {@link NodeIndex}: decode, membership and orchestrator allocate
 * nothing for a heartbeat that changes nothing.
 */
@ApplicationScoped
public class HeartbeatIngest {

    private static final Logger LOG = Logger.getLogger(HeartbeatIngest.class);
    /**
     * Vert.x makes this both the socket's receive buffer and the buffer each datagram is read into, so it must hold the
     * largest heartbeat ({@link HeartbeatCodec#MAX_BYTES}) and should not be more: at 4 MiB every read allocated 4 MiB
     * and the controller took a sixth of the heartbeats it took at 64 KiB.
     */
    private static final int RECEIVE_BUFFER_BYTES = 65_536;

    @Inject
    Vertx vertx;

    @Inject
    ControllerConfig config;

    @Inject
    MigrationDriver driver;

    @Inject
    FailoverManager failover;

    @Inject
    ControllerMetrics metrics;

    @ConfigProperty(name = "e3.heartbeats.enabled", defaultValue = "true")
    boolean enabled;

    /**
     * The failure detector's least timeout (§5.4.5), and every node's until it has heartbeats enough to estimate its
     * own from ({@link Membership}).
     */
    @ConfigProperty(name = "e3.failover.timeout-ms", defaultValue = "500")
    long failureTimeoutMillis;

    /** The failure detector's longest timeout, however irregular a node's heartbeats (at least the least). */
    @ConfigProperty(name = "e3.failover.max-timeout-ms", defaultValue = "5000")
    long maxTimeoutMillis;

    /** A node is declared down when a live node's staying that silent has a chance of 10^-φ. */
    @ConfigProperty(name = "e3.failover.phi-threshold", defaultValue = "8")
    double phiThreshold;

    /** More than this share of the up nodes (and at least 2) silent at once is a disruption: none is declared down. */
    @ConfigProperty(name = "e3.failover.disruption-share", defaultValue = "0.5")
    double disruptionShare;

    /** Membership notices kept for {@code /v1/events}: the last this many. */
    static final int NOTICES_KEPT = 256;

    private final LongAdder received = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    /** Only the event loop that runs {@link #onDatagram} decodes into it. */
    private final HeartbeatView view = new HeartbeatView();
    private NodeIndex nodes;
    private DataPlaneOrchestrator orchestrator;
    private Membership membership;
    private DatagramSocket socket;
    private final List<MigrationDecision> decisions = new ArrayList<>();
    private final List<NodeEvent> events = new ArrayList<>();
    private final ArrayDeque<MembershipNotice> notices = new ArrayDeque<>();

    void start(@Observes StartupEvent event) {
        if (failureTimeoutMillis < 1) {
            throw new IllegalArgumentException("e3.failover.timeout-ms: must be at least 1, got "
                    + failureTimeoutMillis);
        }
        OrchestratorSettings settings = OrchestratorSettings.DEFAULT.withFailureTimeoutMillis(failureTimeoutMillis);
        // Checked ten times per timeout (10 to 100 ms apart): a node is declared down at most a tenth of the timeout late.
        long checkPeriod = Math.max(10, Math.min(100, failureTimeoutMillis / 10));
        DetectorSettings detector;
        try {
            // A floor set above the default longest timeout raises the longest with it.
            detector = new DetectorSettings(failureTimeoutMillis, Math.max(maxTimeoutMillis, failureTimeoutMillis),
                    phiThreshold, disruptionShare, checkPeriod);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("e3.failover.phi-threshold must be in (0, 30], "
                    + "e3.failover.disruption-share in (0, 1]: " + e.getMessage(), e);
        }
        nodes = NodeIndex.of(config.cluster());
        orchestrator = new DataPlaneOrchestrator(nodes, settings);
        membership = new Membership(nodes, detector, System.currentTimeMillis());
        membership.onNotice(this::notice);
        if (!enabled) {
            return;
        }
        AddressPlan plan = config.plan();
        String host = AddressPlan.text(plan.controllerIp());
        socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(RECEIVE_BUFFER_BYTES));
        socket.handler(p -> onDatagram(p.data().getBytes()));
        socket.listen(plan.heartbeatPort(), host).onFailure(e -> LOG.errorf("heartbeats: cannot listen on %s:%d: %s",
                host, plan.heartbeatPort(), e.getMessage()));
        vertx.setPeriodic(checkPeriod, t -> checkMembership());
    }

    void stop(@Observes ShutdownEvent event) {
        if (socket != null) {
            socket.close();
        }
    }

    private void onDatagram(byte[] data) {
        long t0 = System.nanoTime();
        try {
            HeartbeatCodec.decode(data, 0, data.length, view);
        } catch (MalformedHeartbeatException e) {
            malformed.increment();
            metrics.heartbeat("malformed");
            return;
        }
        received.increment();
        long now = System.currentTimeMillis();
        int node = nodes.indexOf(view);
        synchronized (this) {
            membership.heartbeat(node, now);
        }
        long staleBefore = orchestrator.stale();
        Optional<MigrationDecision> d = orchestrator.onHeartbeat(node, view, now);
        metrics.decision((System.nanoTime() - t0) / 1e9);
        metrics.heartbeat(orchestrator.stale() > staleBefore ? "stale" : "accepted");
        d.ifPresent(this::act);
    }

    private void act(MigrationDecision d) {
        synchronized (this) {
            decisions.add(d);
        }
        Optional<String> to = driver.hostFor(d.instanceId(), d.avoid());
        if (to.isEmpty()) {
            LOG.warnf("%s of %s: no host has room; not moved", d.reason(), d.instanceId());
            orchestrator.migrationFinished(d.instanceId(), d.fromNode(), d.fromNode(), false);
            return;
        }
        try {
            long id = driver.migrate(d.instanceId(), to.get(), d.reason() + " at heartbeat " + d.sequence() + ": "
                    + d.detail());
            driver.onMigrationEnd(id, ok -> vertx.runOnContext(v ->
                    orchestrator.migrationFinished(d.instanceId(), d.fromNode(), to.get(), ok)));
        } catch (MigrationDriver.MigrationRefused e) {
            LOG.warnf("%s of %s refused: %s", d.reason(), d.instanceId(), e.getMessage());
            orchestrator.migrationFinished(d.instanceId(), d.fromNode(), d.fromNode(), false);
        }
    }

    /**
     * Readmits the nodes heard again (hands them to {@link FailoverManager#readmit}) and fails over the nodes declared
     * down (see {@link Membership#check}).
     */
    private void checkMembership() {
        List<NodeEvent> changes;
        synchronized (this) {
            changes = membership.check(System.currentTimeMillis());
            events.addAll(changes);
        }
        List<String> back = changes.stream().filter(NodeEvent::up).map(NodeEvent::nodeId).toList();
        if (!back.isEmpty()) {
            failover.readmit(back);
        }
        List<String> down = changes.stream().filter(e -> !e.up()).map(NodeEvent::nodeId).toList();
        if (!down.isEmpty()) {
            LOG.warnf("nodes down: %s; re-placing their instances", down);
            failover.failover(down);
        }
    }

    /** Called by {@link Membership#check}, which holds this object's lock. */
    private void notice(MembershipNotice n) {
        switch (n.kind()) {
            case DISRUPTION -> LOG.warnf("membership disruption, holding off failover: %s (%s)", n.detail(),
                    n.nodes());
            case PAUSE_EXCUSED -> LOG.warnf("membership pause excused: %s", n.detail());
            default -> LOG.infof("membership %s: %s %s", n.kind(), n.detail(), n.nodes());
        }
        if (notices.size() == NOTICES_KEPT) {
            notices.removeFirst();
        }
        notices.addLast(n);
    }

    /** The orchestrator's decisions so far. */
    public synchronized List<MigrationDecision> decisions() {
        return List.copyOf(decisions);
    }

    /** Membership changes so far. */
    public synchronized List<NodeEvent> events() {
        return List.copyOf(events);
    }

    /** The last {@value #NOTICES_KEPT} membership notices (disruptions, excused pauses, readmissions), oldest first. */
    public synchronized List<MembershipNotice> notices() {
        return List.copyOf(notices);
    }

    /** Whether membership has {@code nodeId} up (every node starts up). */
    public synchronized boolean isUp(String nodeId) {
        return membership.isUp(nodeId);
    }

    // Methods, not fields, for callers: CDI hands them a client proxy, whose fields are not the bean's.
    public long received() {
        return received.sum();
    }

    public long malformed() {
        return malformed.sum();
    }

    public long stale() {
        return orchestrator.stale();
    }
}
