package io.e3.agent;

import io.e3.agent.emu.Emulation;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.net.TorSwitch;
import io.e3.agent.rpc.RpcSettings;
import io.e3.model.topology.ComputeNode;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * A whole emulated cluster in one JVM: the switch and one {@link NodeAgent} per compute node, each on its own loopback
 * address with real sockets, sharing one Vert.x instance (the embedded cluster of {@code e3 demo} and of the tests).
 */
public final class EmbeddedCluster implements AutoCloseable {

    private final Vertx vertx;
    private final AddressPlan plan;
    private final TorSwitch tor;
    private final Map<String, NodeAgent> agents;
    private final Function<String, AgentConfig> configure;
    private final List<AppClient> clients = new ArrayList<>();
    private final java.util.Set<String> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();

    private EmbeddedCluster(Vertx vertx, AddressPlan plan, TorSwitch tor, Map<String, NodeAgent> agents,
                            Function<String, AgentConfig> configure) {
        this.vertx = vertx;
        this.plan = plan;
        this.tor = tor;
        this.agents = agents;
        this.configure = configure;
    }

    /** Starts the switch and an agent for every node, each configured by {@code configure}; waits until all listen. */
    public static EmbeddedCluster start(AddressPlan plan, Emulation emulation, String token,
                                        Function<String, AgentConfig> configure) {
        Vertx vertx = newVertx();
        TorSwitch tor = new TorSwitch(vertx, plan, emulation, token);
        Map<String, NodeAgent> agents = new LinkedHashMap<>();
        try {
            await(tor.start());
            for (ComputeNode n : plan.cluster().nodes()) {
                agents.put(n.id(), await(NodeAgent.start(vertx, configure.apply(n.id()))));
            }
        } catch (RuntimeException e) {
            agents.values().forEach(NodeAgent::stop);
            tor.stop();
            vertx.close();
            throw e;
        }
        return new EmbeddedCluster(vertx, plan, tor, agents, configure);
    }

    /**
     * A Vert.x instance sized for emulated nodes on a small machine: 2 event loops (agents never block them; service code
     * runs on the engines' own workers) and a relaxed blocked-thread check.
     */
    public static Vertx newVertx() {
        return Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2).setWorkerPoolSize(4)
                .setBlockedThreadCheckInterval(10).setBlockedThreadCheckIntervalUnit(TimeUnit.SECONDS));
    }

    /** Starts a cluster with default agent settings. */
    public static EmbeddedCluster start(AddressPlan plan, Emulation emulation, String token) {
        return start(plan, emulation, token, id -> AgentConfig.of(plan, id, emulation, token));
    }

    public Vertx vertx() {
        return vertx;
    }

    public AddressPlan plan() {
        return plan;
    }

    public TorSwitch tor() {
        return tor;
    }

    public Map<String, NodeAgent> agents() {
        return agents;
    }

    public NodeAgent agent(String nodeId) {
        NodeAgent a = agents.get(nodeId);
        if (a == null) {
            throw new IllegalArgumentException("no agent for node '" + nodeId + "'");
        }
        return a;
    }

    /** Starts client number {@code n} of the cluster's client addresses; it is stopped with the cluster. */
    public AppClient client(int n, RpcSettings rpc) {
        AppClient c = await(AppClient.start(vertx, plan, n, rpc));
        synchronized (clients) {
            clients.add(c);
        }
        return c;
    }

    public AppClient client(int n) {
        return client(n, RpcSettings.DEFAULT);
    }

    /** Stops one agent, as if its node died; the rest go on. */
    public void stopAgent(String nodeId) {
        stopped.add(nodeId);
        await(agent(nodeId).stop());
    }

    /** Starts a fresh agent for {@code nodeId} (stopped first if it runs), as a restarted process: nothing deployed. */
    public NodeAgent restartAgent(String nodeId) {
        if (stopped.add(nodeId)) {
            await(agent(nodeId).stop());
        }
        NodeAgent fresh = await(NodeAgent.start(vertx, configure.apply(nodeId)));
        agents.put(nodeId, fresh);
        stopped.remove(nodeId);
        return fresh;
    }

    @Override
    public void close() {
        List<Future<Void>> stops = new ArrayList<>();
        synchronized (clients) {
            clients.forEach(c -> stops.add(c.stop()));
        }
        agents.values().forEach(a -> stops.add(a.stop()));
        stops.add(tor.stop());
        try {
            await(Future.all(stops));
        } finally {
            await(vertx.close());
        }
    }

    /** Waits for a Vert.x future from a thread outside the event loop. */
    public static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException r ? r : new IllegalStateException(c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out after 30 s", e);
        }
    }
}
