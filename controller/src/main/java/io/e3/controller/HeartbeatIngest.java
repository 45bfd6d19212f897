package io.e3.controller;

import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.topology.AddressPlan;
import io.e3.orchestrator.DataPlaneOrchestrator;
import io.e3.orchestrator.DetectorSettings;
import io.e3.orchestrator.MigrationDecision;
import io.e3.orchestrator.MoveBackPolicy;
import io.e3.orchestrator.Membership;
import io.e3.orchestrator.MembershipNotice;
import io.e3.orchestrator.NodeEvent;
import io.e3.orchestrator.NodeIndex;
import io.e3.orchestrator.OrchestratorSettings;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The controller's end of the heartbeats (§5.4.4). A {@link HeartbeatReceiver} on the cluster's controller address,
 * port 7001, reads them on its own thread ({@value HeartbeatReceiver#THREAD}) and drops the malformed, misaddressed,
 * forged and replayed ones; each accepted heartbeat is recorded for membership and fed to the data-plane
 * orchestrator on that thread, decoded in place into one reused {@link HeartbeatView} and its node looked up once by
 * {@link NodeIndex}, allocating nothing for a heartbeat that changes nothing. A migration decision is acted on by
 * another thread, {@value #DECISIONS_THREAD}: choosing a host and starting the migration is controller work that may
 * block, and the receiving thread must not wait for it.
 *
 * <p>Membership, the orchestrator and the lists of decisions, events and notices are guarded by one lock of their own,
 * held only for quick in-memory work (never for I/O or calls into other beans), so the receiving thread is not held up
 * by slow controller work.
 */
@ApplicationScoped
public class HeartbeatIngest {

    static final String DECISIONS_THREAD = "e3-migration-decisions";
    /** One accepted heartbeat in this many is timed for e3_controller_decision_duration_seconds (a power of two). */
    static final int TIMING_SAMPLE = 16;
    private static final Logger LOG = Logger.getLogger(HeartbeatIngest.class);

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

    @Inject
    TokenAuthFilter.ControllerToken token;

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

    /** A migrated instance goes back once its load is under this share of the load it overloaded at. */
    @ConfigProperty(name = "e3.move-back.quiet-share", defaultValue = "0.5")
    double moveBackQuietShare;

    /** ... and has stayed there this long (doubling each time it bounces). */
    @ConfigProperty(name = "e3.move-back.settle-ms", defaultValue = "30000")
    long moveBackSettleMillis;

    /** The longest settle time, however often it bounced. */
    @ConfigProperty(name = "e3.move-back.max-settle-ms", defaultValue = "600000")
    long moveBackMaxSettleMillis;

    /** Guards membership, the orchestrator, decisions, events and notices; held for in-memory work only. */
    private final Object state = new Object();
    private NodeIndex nodes;
    private DataPlaneOrchestrator orchestrator;
    private Membership membership;
    private HeartbeatReceiver receiver;
    /** Accepted heartbeats, counted by the receiving thread only, to pick the timed ones. */
    private long beats;
    private ExecutorService decisionsExecutor;
    /** How many decisions, membership events and notices are kept for {@code /v1/events}: the newest. */
    @ConfigProperty(name = "e3.history.size", defaultValue = "1000")
    int kept = 1000;

    private final ArrayDeque<MigrationDecision> decisions = new ArrayDeque<>();
    private final ArrayDeque<NodeEvent> events = new ArrayDeque<>();
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
        MoveBackPolicy.Settings moveBack;
        try {
            moveBack = new MoveBackPolicy.Settings(moveBackQuietShare, moveBackSettleMillis,
                    Math.max(moveBackMaxSettleMillis, moveBackSettleMillis));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("e3.move-back.quiet-share must be in (0, 1), e3.move-back.settle-ms at "
                    + "least 0: " + e.getMessage(), e);
        }
        orchestrator = new DataPlaneOrchestrator(nodes, settings, moveBack);
        membership = new Membership(nodes, detector, System.currentTimeMillis());
        membership.onNotice(this::notice);
        AddressPlan plan = config.plan();
        int[] nodeIps = new int[nodes.size()];
        for (int n = 0; n < nodes.size(); n++) {
            nodeIps[n] = plan.ipOf(nodes.node(n).id());
        }
        receiver = new HeartbeatReceiver(nodes, nodeIps, HeartbeatMac.forToken(token.value()), this::onHeartbeat);
        HeartbeatReceiver counted = receiver;
        Map<String, java.util.function.LongSupplier> outcomes = new java.util.LinkedHashMap<>();
        for (HeartbeatReceiver.Outcome o : HeartbeatReceiver.Outcome.values()) {
            outcomes.put(o.label, () -> counted.count(o));
        }
        metrics.heartbeatsFrom(outcomes);
        decisionsExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, DECISIONS_THREAD);
            t.setDaemon(true);
            return t;
        });
        if (!enabled) {
            return;
        }
        InetSocketAddress address = new InetSocketAddress(AddressPlan.text(plan.controllerIp()), plan.heartbeatPort());
        try {
            receiver.start(address);
        } catch (IOException e) {
            LOG.errorf("heartbeats: cannot listen on %s: %s", address, e.getMessage());
        }
        vertx.setPeriodic(checkPeriod, t -> checkMembership());
    }

    void stop(@Observes ShutdownEvent event) {
        if (receiver != null) {
            receiver.close();
        }
        if (decisionsExecutor != null) {
            decisionsExecutor.shutdownNow();
        }
    }

    /** An accepted heartbeat, on the receiving thread: membership, then the orchestrator; a decision goes elsewhere. */
    private void onHeartbeat(int node, HeartbeatView view, long now) {
        boolean timed = (++beats & (TIMING_SAMPLE - 1)) == 0;
        long t0 = timed ? System.nanoTime() : 0;
        Optional<MigrationDecision> d;
        synchronized (state) {
            membership.heartbeat(node, now);
            d = orchestrator.onHeartbeat(node, view, now);
        }
        if (timed) {
            metrics.decision((System.nanoTime() - t0) / 1e9);
        }
        if (d.isPresent()) {
            MigrationDecision decision = d.get();
            decisionsExecutor.execute(() -> act(decision));
        }
    }

    /** Acts on a decision, on the decisions thread: finds a host and starts the migration. */
    private void act(MigrationDecision d) {
        synchronized (state) {
            keep(decisions, d);
        }
        try {
            Optional<String> to = d.to() != null ? driver.roomOn(d.instanceId(), d.to())
                    : driver.hostFor(d.instanceId(), d.avoid());
            if (to.isEmpty()) {
                LOG.warnf("%s of %s: %s; not moved", d.reason(), d.instanceId(), d.to() != null
                        ? d.to() + " is down or has no room for it" : "no host has room");
                migrationFinished(d, d.fromNode(), false);
                return;
            }
            long id = driver.migrate(d.instanceId(), to.get(), d.reason() + " at heartbeat " + d.sequence() + ": "
                    + d.detail());
            driver.onMigrationEnd(id, ok -> migrationFinished(d, to.get(), ok));
        } catch (MigrationDriver.MigrationRefused e) {
            LOG.warnf("%s of %s refused: %s", d.reason(), d.instanceId(), e.getMessage());
            migrationFinished(d, d.fromNode(), false);
        } catch (RuntimeException e) {
            LOG.errorf(e, "%s of %s failed", d.reason(), d.instanceId());
            migrationFinished(d, d.fromNode(), false);
        }
    }

    private void migrationFinished(MigrationDecision d, String toNode, boolean ok) {
        synchronized (state) {
            orchestrator.migrationFinished(d.instanceId(), d.fromNode(), toNode, ok);
        }
    }

    /**
     * Readmits the nodes heard again (hands them to {@link FailoverManager#readmit}) and fails over the nodes declared
     * down (see {@link Membership#check}).
     */
    private void checkMembership() {
        List<NodeEvent> changes;
        synchronized (state) {
            changes = membership.check(System.currentTimeMillis());
            changes.forEach(e -> keep(events, e));
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

    /** Called by {@link Membership#check}, under {@link #state}. */
    private void notice(MembershipNotice n) {
        switch (n.kind()) {
            case DISRUPTION -> LOG.warnf("membership disruption, holding off failover: %s (%s)", n.detail(),
                    n.nodes());
            case PAUSE_EXCUSED -> LOG.warnf("membership pause excused: %s", n.detail());
            default -> LOG.infof("membership %s: %s %s", n.kind(), n.detail(), n.nodes());
        }
        keep(notices, n);
    }

    /** Appends {@code item}, dropping the oldest beyond {@code e3.history.size}; under {@link #state}. */
    private <T> void keep(ArrayDeque<T> history, T item) {
        while (history.size() >= Math.max(1, kept)) {
            history.removeFirst();
        }
        history.addLast(item);
    }

    /** The orchestrator's latest decisions, oldest first. */
    public List<MigrationDecision> decisions() {
        synchronized (state) {
            return List.copyOf(decisions);
        }
    }

    /** The latest membership changes, oldest first. */
    public List<NodeEvent> events() {
        synchronized (state) {
            return List.copyOf(events);
        }
    }

    /** The last {@code e3.history.size} membership notices (disruptions, excused pauses, readmissions), oldest first. */
    public List<MembershipNotice> notices() {
        synchronized (state) {
            return List.copyOf(notices);
        }
    }

    /** Whether membership has {@code nodeId} up (every node starts up). */
    public boolean isUp(String nodeId) {
        synchronized (state) {
            return membership.isUp(nodeId);
        }
    }

    // Methods, not fields, for callers: CDI hands them a client proxy, whose fields are not the bean's.
    /** Heartbeats accepted and fed to the orchestrator. */
    public long received() {
        return receiver.count(HeartbeatReceiver.Outcome.ACCEPTED);
    }

    public long malformed() {
        return receiver.count(HeartbeatReceiver.Outcome.MALFORMED);
    }

    public long misaddressed() {
        return receiver.count(HeartbeatReceiver.Outcome.MISADDRESSED);
    }

    public long forged() {
        return receiver.count(HeartbeatReceiver.Outcome.FORGED);
    }

    public long replayed() {
        return receiver.count(HeartbeatReceiver.Outcome.REPLAYED);
    }

    /** The heartbeat socket's receive buffer as granted (0 if it is not listening). */
    public int receiveBufferBytes() {
        return receiver.grantedReceiveBuffer();
    }

    /** Accepted heartbeats the orchestrator still found stale (sequence not above its last, within one epoch). */
    public long stale() {
        synchronized (state) {
            return orchestrator.stale();
        }
    }
}
