package io.e3.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ClusterManifest;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.AddressPlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fault-injection suite: the control plane converges on its desired state through controller crashes at every
 * step of a migration, a route push that one agent does not take, a target that dies mid-migration, and a node that
 * is down while apps are applied and moved. Every case runs under closed-loop load on an app with a stateful KVS
 * shard (the one that moves) behind a stateless NAT, and checks that every acknowledged write reads back, that no
 * copy is left over, and that every agent ends on the latest route version. Controllers are wired by hand, so that
 * one can "crash" (a hook on its agent client and state log stops it at a named step) and another start over the
 * same state and the same cluster.
 */
class ControlPlaneFaultsTest {

    private static final String CLUSTER = "../examples/clusters/3x-type1-smartnic.yaml";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONVERGED = Duration.ofMinutes(2);
    private static final String APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: shop
            spec:
              services:
                - name: front
                  type: natv4
                  replicas: 1
                  pin: host
                - name: store
                  type: kvs
                  shards: 2
                  pin: smartnic
                  resources: {cores: 0.5, memoryMiB: 64}
              channels:
                - from: front
                  to: store
                  routing: shard-keyed
            """;

    @TempDir
    Path stateDir;

    /** The controller stops here: nothing after it runs. */
    static final class Crash extends Error {
        Crash(String step) {
            super("controller stopped at " + step, null, false, false);
        }
    }

    /** Stops a controller the {@code nth} time it reaches {@code step}, and fails everything it tries after that. */
    static final class CrashAt {
        final String step;
        final int nth;
        final AtomicInteger seen = new AtomicInteger();
        volatile boolean crashed;

        CrashAt(String step, int nth) {
            this.step = step;
            this.nth = nth;
        }

        void at(String s) {
            if (crashed) {
                throw new Crash(s + " (after the stop)");
            }
            if (s.equals(step) && seen.incrementAndGet() == nth) {
                crashed = true;
                throw new Crash(s);
            }
        }
    }

    record Controller(ControlPlaneManager manager, MigrationDriver driver, AgentClient agents, StateKeeper state,
                      Migrations migrations) implements AutoCloseable {
        @Override
        public void close() {
            manager.stop();
            state.close();
        }
    }

    private Controller controller(int block, long reconcileMs) {
        ControllerConfig config = new ControllerConfig(CLUSTER, block, "hcm");
        TokenAuthFilter.ControllerToken token = new TokenAuthFilter.ControllerToken();
        token.configured = Optional.of("test-token");
        AgentClient agents = new AgentClient();
        agents.config = config;
        agents.token = token;
        StateKeeper state = new StateKeeper();
        state.dir = stateDir.toString();
        Migrations migrations = new Migrations();
        ControlPlaneManager m = new ControlPlaneManager();
        m.config = config;
        m.registry = new AppRegistry();
        m.agents = agents;
        m.state = state;
        m.migrations = migrations;
        m.reconcilePeriodMs = reconcileMs;
        MigrationDriver d = new MigrationDriver();
        d.manager = m;
        d.config = config;
        d.agents = agents;
        d.migrations = migrations;
        d.state = state;
        m.restore(null);
        return new Controller(m, d, agents, state, migrations);
    }

    private static EmbeddedCluster cluster() throws Exception {
        // 100-149: apart from the blocks EmbeddedClusterResource draws (150-249).
        int block = ThreadLocalRandom.current().nextInt(100, 150);
        AddressPlan plan = AddressPlan.of(((ClusterManifest) Manifests.load(Path.of(CLUSTER)).get(0)).cluster(), block);
        return EmbeddedCluster.start(plan, Emulation.DEFAULT, "test-token");
    }

    private static void applyAndAwait(Controller c, String text, String name) throws Exception {
        c.manager().apply((AppManifest) Manifests.parse(text.getBytes(StandardCharsets.UTF_8), name).get(0), text);
        await().atMost(CONVERGED).until(() -> c.manager().registry.get(name)
                .map(a -> a.phase() != AppRegistry.Phase.PENDING && a.phase() != AppRegistry.Phase.PLACING)
                .orElse(false));
        assertThat(c.manager().registry.get(name).orElseThrow().phase()).as(c.manager().registry.get(name)
                .orElseThrow().reason()).isEqualTo(AppRegistry.Phase.RUNNING);
    }

    /** Writes k0, k1, ... through the app under closed-loop load. */
    private static ClosedLoopLoad writes(EmbeddedCluster cluster, Controller c) throws Exception {
        AppRoutes routes = AppRoutes.parse("shop", JSON.readTree(c.manager().routes("shop").orElseThrow()),
                cluster.plan());
        AppClient client = cluster.client(0);
        ClosedLoopLoad load = ClosedLoopLoad.start(16, i -> client.call(routes, "front", "k" + i, i, put(i)));
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > 200);
        return load;
    }

    /** Stops the load once {@code more} further requests went out; returns how many were sent. */
    private static int finish(ClosedLoopLoad load, int more) throws Exception {
        int at = load.sent();
        await().atMost(CONVERGED).until(() -> load.sent() > at + more);
        load.stop(1);
        return load.sent();
    }

    /**
     * Stops the load after 200 more requests, reads every write back, prints the case's counts, and checks that every
     * request was answered OK and no acknowledged write was lost.
     */
    private static void finishWithNothingLost(EmbeddedCluster cluster, Controller c, ClosedLoopLoad load, String what)
            throws Exception {
        int sent = finish(load, 200);
        List<String> lost = lostWrites(cluster, c, sent);
        System.out.printf("fault injection: %s; %d requests (%d writes), %d failed, %d writes lost; reconciler %s%n",
                what, sent, sent, load.failures().size(), lost.size(), c.manager().reconciliation());
        assertThat(load.failures()).as("requests not answered OK").isEmpty();
        assertThat(lost).as("acknowledged writes lost").isEmpty();
    }

    /** Reads back k0..k(n-1); returns the keys whose write is missing. */
    private static List<String> lostWrites(EmbeddedCluster cluster, Controller c, int n) throws Exception {
        AppRoutes routes = AppRoutes.parse("shop", JSON.readTree(c.manager().routes("shop").orElseThrow()),
                cluster.plan());
        AppClient client = cluster.client(1);
        List<CompletableFuture<Reply>> reads = new ArrayList<>();
        Semaphore window = new Semaphore(32);
        for (int i = 0; i < n; i++) {
            window.acquire();
            reads.add(client.call(routes, "front", "k" + i, i, get(i)).whenComplete((r, e) -> window.release()));
        }
        CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        List<String> lost = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Reply read = reads.get(i).join();
            String value = read.ok() ? JSON.readTree(read.payload()).path("downstream").path(0).path("response")
                    .path("value").asText() : "";
            if (!value.equals("v" + i)) {
                lost.add("k" + i);
            }
        }
        return lost;
    }

    /**
     * Waits until the agents that run hold exactly the desired placement of {@code app} (no orphan, nothing
     * missing, nothing drained) and all have its latest route version.
     */
    private static void awaitConverged(EmbeddedCluster cluster, Controller c, String app, Set<String> skip) {
        await().atMost(CONVERGED).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            Map<String, String> desired = c.manager().placement(app).assignments().stream()
                    .filter(a -> !skip.contains(a.nodeId()))
                    .collect(Collectors.toMap(a -> a.instance().id(), a -> a.nodeId()));
            Map<String, String> actual = new java.util.HashMap<>();
            for (Map.Entry<String, NodeAgent> e : cluster.agents().entrySet()) {
                if (skip.contains(e.getKey())) {
                    continue;
                }
                for (ExecutionEngine.InstanceView v : e.getValue().engine().view()) {
                    if (v.app().equals(app)) {
                        assertThat(actual.put(v.id(), e.getKey())).as(v.id() + " held twice").isNull();
                        assertThat(v.phase()).as(v.id() + " on " + e.getKey()).isEqualTo("running");
                    }
                }
                assertThat(e.getValue().routes().get(app)).as("routes on " + e.getKey()).isNotNull();
                assertThat(e.getValue().routes().get(app).version()).as("route version on " + e.getKey())
                        .isEqualTo(c.manager().version(app));
            }
            assertThat(actual).isEqualTo(desired);
        });
    }

    @ParameterizedTest(name = "crash at {0} #{1}: {2}")
    @CsvSource({
            "state:migrating, 1, ROLLED_BACK",   // before anything: the intent is not even recorded
            "agent:deploy, 1, ROLLED_BACK",      // intent recorded
            "agent:drain, 1, ROLLED_BACK",       // deployed on the target
            "agent:snapshot, 1, ROLLED_BACK",    // source drained
            "state:placed, 1, ROLLED_BACK",      // state restored on the target, switch not recorded
            "agent:putRoutes, 1, SUCCEEDED",     // switch recorded, no agent has the new routes
            "agent:putRoutes, 3, SUCCEEDED",     // two agents switched, four not
            "agent:undeploy, 1, SUCCEEDED",      // every agent switched, source still there (drained)
            "state:migrated, 1, SUCCEEDED"})     // source removed, end not recorded
    void aControllerStoppedAtAnyStepOfAMigrationIsFinishedByTheNextOne(String step, int nth, String outcome)
            throws Exception {
        try (EmbeddedCluster cluster = cluster()) {
            String shard;
            String from;
            String to;
            ClosedLoopLoad load;
            try (Controller first = controller(block(cluster), 0)) {
                applyAndAwait(first, APP, "shop");
                var at = first.manager().placement("shop").assignments().stream()
                        .filter(a -> a.instance().service().equals("store")).findFirst().orElseThrow();
                shard = at.instance().id();
                from = at.nodeId();
                to = from.replace("nic0", "host");
                load = writes(cluster, first);
                CrashAt crash = new CrashAt(step, nth);
                first.agents().faults = (s, node) -> crash.at("agent:" + s);
                first.state().beforeRecord = op -> crash.at("state:" + op);
                first.driver().migrate(shard, to, "fault injection");
                await().atMost(CONVERGED).until(() -> crash.crashed);
            }
            try (Controller second = controller(block(cluster), 200)) {
                String desired = second.manager().placement("shop").assignments().stream()
                        .filter(a -> a.instance().id().equals(shard)).findFirst().orElseThrow().nodeId();
                assertThat(desired).isEqualTo(outcome.equals("SUCCEEDED") ? to : from);
                awaitConverged(cluster, second, "shop", Set.of());
                if (!step.equals("state:migrating")) {
                    assertThat(second.migrations().list()).singleElement().satisfies(v -> {
                        assertThat(v.phase().name()).isEqualTo(outcome);
                        assertThat(v.reason()).isEqualTo("cut off by a controller restart");
                    });
                }
                finishWithNothingLost(cluster, second, load, String.format("controller stopped at %s #%d while "
                        + "moving %s %s -> %s: %s", step, nth, shard, from, to, outcome));
            }
        }
    }

    private static io.e3.model.placement.Assignment store0(Controller c) {
        return c.manager().placement("shop").assignments().stream()
                .filter(a -> a.instance().id().equals("shop/store.0")).findFirst().orElseThrow();
    }

    private static String frontNode(Controller c) {
        return c.manager().placement("shop").assignments().stream()
                .filter(a -> a.instance().service().equals("front")).findFirst().orElseThrow().nodeId();
    }

    private static Migrations.View awaitEnd(Controller c, long id) {
        await().atMost(CONVERGED).until(() -> c.migrations().get(id).orElseThrow().phase()
                != Migrations.Phase.RUNNING);
        return c.migrations().get(id).orElseThrow();
    }

    @Test
    void anAgentThatMissesARoutePushConvergesOnceItAnswersAndNoRequestReachesARemovedCopy() throws Exception {
        try (EmbeddedCluster cluster = cluster(); Controller c = controller(block(cluster), 200)) {
            applyAndAwait(c, APP, "shop");
            String shard = store0(c).instance().id();
            String from = store0(c).nodeId();
            String to = from.replace("nic0", "host");
            String front = frontNode(c);
            ClosedLoopLoad load = writes(cluster, c);
            java.util.concurrent.atomic.AtomicBoolean refusing = new java.util.concurrent.atomic.AtomicBoolean(true);
            AtomicInteger refused = new AtomicInteger();
            c.agents().faults = (step, node) -> {
                if (refusing.get() && step.equals("putRoutes") && node.equals(front)) {
                    refused.incrementAndGet();
                    throw new AgentClient.AgentException(node + ": injected: route push not taken");
                }
            };
            Migrations.View m = awaitEnd(c, c.driver().migrate(shard, to, "fault injection"));
            assertThat(m.phase()).as(m.toString()).isEqualTo(Migrations.Phase.SUCCEEDED);
            // The front's agent still routes to the source: the source stays, drained, holding what reaches it.
            await().atMost(CONVERGED).until(() -> refused.get() >= 3); // the migration's push and two retries
            assertThat(cluster.agent(front).routes().get("shop").version()).isLessThan(c.manager().version("shop"));
            assertThat(cluster.agent(from).engine().has(shard)).as("source kept while an agent routes to it").isTrue();
            refusing.set(false);
            awaitConverged(cluster, c, "shop", Set.of());
            finishWithNothingLost(cluster, c, load, String.format("route push to %s refused %d times while moving "
                    + "%s %s -> %s", front, refused.get(), shard, from, to));
        }
    }

    @Test
    void aTargetThatDiesMidMigrationLeavesTheSourceServingWithItsState() throws Exception {
        try (EmbeddedCluster cluster = cluster(); Controller c = controller(block(cluster), 200)) {
            applyAndAwait(c, APP, "shop");
            String shard = store0(c).instance().id();
            String from = store0(c).nodeId();
            String front = frontNode(c);
            String to = cluster.plan().cluster().servers().stream().map(srv -> srv.host().id())
                    .filter(h -> !h.equals(front)).findFirst().orElseThrow();
            ClosedLoopLoad load = writes(cluster, c);
            java.util.concurrent.atomic.AtomicBoolean once = new java.util.concurrent.atomic.AtomicBoolean();
            c.agents().faults = (step, node) -> {
                if (step.equals("snapshot") && once.compareAndSet(false, true)) {
                    cluster.stopAgent(to); // the target dies with the source drained
                }
            };
            Migrations.View m = awaitEnd(c, c.driver().migrate(shard, to, "fault injection"));
            c.manager().markDown(List.of(to)); // as the failure detector would
            assertThat(m.phase()).as(m.toString()).isEqualTo(Migrations.Phase.ROLLED_BACK);
            assertThat(store0(c).nodeId()).isEqualTo(from);
            awaitConverged(cluster, c, "shop", Set.of(to));
            finishWithNothingLost(cluster, c, load, String.format("target %s died while moving %s from %s: %s", to,
                    shard, from, m.error()));
        }
    }

    @Test
    void appliesAndMigrationsGoOnWhileANodeIsDownAndItCatchesUpWhenBack() throws Exception {
        try (EmbeddedCluster cluster = cluster(); Controller c = controller(block(cluster), 200)) {
            String dead = "s2/host";
            cluster.stopAgent(dead);
            c.manager().markDown(List.of(dead));
            applyAndAwait(c, APP, "shop");
            assertThat(c.manager().placement("shop").assignments()).noneMatch(a -> a.nodeId().equals(dead));
            String shard = store0(c).instance().id();
            String from = store0(c).nodeId();
            String to = cluster.plan().cluster().servers().stream().map(srv -> srv.host().id())
                    .filter(h -> !h.equals(dead)).findFirst().orElseThrow();
            ClosedLoopLoad load = writes(cluster, c);
            Migrations.View m = awaitEnd(c, c.driver().migrate(shard, to, "while s2/host is down"));
            assertThat(m.phase()).as(m.toString()).isEqualTo(Migrations.Phase.SUCCEEDED);
            awaitConverged(cluster, c, "shop", Set.of(dead));

            cluster.restartAgent(dead); // back, empty, as a restarted process
            c.manager().readmit(List.of(dead));
            awaitConverged(cluster, c, "shop", Set.of());
            Migrations.View back = awaitEnd(c, c.driver().migrate(shard, dead, "onto the readmitted node"));
            assertThat(back.phase()).as(back.toString()).isEqualTo(Migrations.Phase.SUCCEEDED);
            awaitConverged(cluster, c, "shop", Set.of());
            finishWithNothingLost(cluster, c, load, String.format("%s down during apply and a move of %s %s -> %s, "
                    + "then readmitted and given %s", dead, shard, from, to, shard));
        }
    }

    @Test
    void aReadmittedNodeLosesItsStaleCopiesAndIsUsedAgain() throws Exception {
        try (EmbeddedCluster cluster = cluster(); Controller c = controller(block(cluster), 200)) {
            applyAndAwait(c, APP, "shop");
            String shard = store0(c).instance().id();
            String cut = store0(c).nodeId();
            // A partition: the controller declares the node down though its agent runs on; failover re-places.
            FailoverManager failover = new FailoverManager();
            failover.manager = c.manager();
            failover.config = c.manager().config;
            failover.agents = c.agents();
            failover.state = c.state();
            failover.registry = c.manager().registry;
            failover.failover(List.of(cut));
            await().atMost(CONVERGED).until(() -> !store0(c).nodeId().equals(cut));
            assertThat(cluster.agent(cut).engine().has(shard)).as("the stale copy while the node is out").isTrue();

            c.manager().readmit(List.of(cut));
            awaitConverged(cluster, c, "shop", Set.of());
            assertThat(cluster.agent(cut).engine().has(shard)).as("stale copy removed").isFalse();
            Migrations.View back = awaitEnd(c, c.driver().migrate(shard, cut, "onto the readmitted node"));
            assertThat(back.phase()).as(back.toString()).isEqualTo(Migrations.Phase.SUCCEEDED);
            awaitConverged(cluster, c, "shop", Set.of());
            System.out.printf("readmission: %s cut off and failed over, readmitted: stale %s removed, then %s moved "
                    + "back onto it; reconciler %s%n", cut, shard, shard, c.manager().reconciliation());
        }
    }

    private static int block(EmbeddedCluster cluster) {
        String b = cluster.plan().block(); // "127.B.0.0/16"
        return Integer.parseInt(b.split("\\.")[1]);
    }

    private static byte[] put(int i) {
        return ("{\"key\": \"k" + i + "\", \"id\": " + i + ", \"stages\": {\"store\": {\"op\": \"put\", \"key\": \"k"
                + i + "\", \"value\": \"v" + i + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] get(int i) {
        return ("{\"key\": \"k" + i + "\", \"id\": " + i + ", \"stages\": {\"store\": {\"op\": \"get\", \"key\": \"k"
                + i + "\"}}}").getBytes(StandardCharsets.UTF_8);
    }
}
