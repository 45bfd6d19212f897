package io.e3.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.agent.exec.Outcome;
import io.e3.agent.http.Http;
import io.e3.agent.net.Frame;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Endpoint;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ComputeNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * The data-flow side of one node's data path (§5.4): once an instance here has run a request, sends the envelope on
 * along the app's channels, waits for every downstream instance, and answers the caller with its own response and
 * theirs; follows instances that moved or whose node died; and applies primaries' replication batches to backups here.
 */
final class Forwarder {

    /** Times a call follows an instance that moved before the caller gives up. */
    static final int MAX_REROUTES = 3;

    private final ComputeNode node;
    private final ExecutionEngine engine;
    private final Endpoint endpoint;
    private final Map<String, AppRoutes> routes;
    private final Emulation emulation;
    private final AgentMetrics metrics;
    private final Executor onContext;
    /** Calls that followed an instance to its new node after NO_SUCH_INSTANCE or UNREACHABLE. */
    final LongAdder rerouted = new LongAdder();

    /** @param onContext runs work on the agent's event-loop context */
    Forwarder(ComputeNode node, ExecutionEngine engine, Endpoint endpoint, Map<String, AppRoutes> routes,
              Emulation emulation, AgentMetrics metrics, Executor onContext) {
        this.node = node;
        this.engine = engine;
        this.endpoint = endpoint;
        this.routes = routes;
        this.emulation = emulation;
        this.metrics = metrics;
        this.onContext = onContext;
    }

    /** Applies a primary's batch of requests to the backup it names, and answers once they have run (§5.4.5). */
    void applyReplicas(Frame request, long arrival, java.util.function.BiConsumer<Frame.Status, byte[]> reply) {
        Optional<List<JsonNode>> batch = Replication.requests(request.payload());
        if (batch.isEmpty()) {
            reply.accept(Frame.Status.BAD_REQUEST, Endpoint.errorJson(
                    "replicate: expected {\"replicate\": <primary id>, \"requests\": [objects]}"));
            return;
        }
        engine.submitReplicas(request.instance(), batch.get(), arrival, (status, detail) -> {
            ObjectNode out = Http.JSON.createObjectNode().put("instance", request.instance()).put("node", node.id());
            if (status == Frame.Status.OK) {
                out.put("applied", batch.get().size()).put("failed", Integer.parseInt(detail));
            } else {
                out.put("status", status.name()).put("error", detail);
            }
            reply.accept(status, bytes(out));
        });
    }

    /**
     * Answers a request an instance here has run: at once with its failure, else once every stage downstream has
     * answered. {@code arrivalNanos} and {@code doneNanos} ({@link System#nanoTime()}) are when the request arrived and
     * when its own work was complete in emulated time; a traced envelope's answers carry the latencies they make
     * ({@link StageTrace}).
     */
    void afterExecution(Frame request, Outcome outcome, long arrivalNanos, long doneNanos,
                        java.util.function.BiConsumer<Frame.Status, byte[]> reply) {
        if (outcome.replicated() != null) {
            outcome.replicated().whenComplete((v, e) -> onContext.execute(() -> afterExecution(request,
                    new Outcome(outcome.status(), outcome.response(), outcome.error(), outcome.envelope(), null),
                    arrivalNanos, doneNanos, reply)));
            return;
        }
        String instance = request.instance();
        // Only deployed instances get series of their own: made-up ids in datagrams must not grow the registry.
        metrics.observe(engine.has(instance) ? instance : "(none)", outcome.status(),
                emulation.emulatedSeconds(doneNanos - arrivalNanos));
        if (outcome.status() != Frame.Status.OK) {
            ObjectNode err = Http.JSON.createObjectNode().put("instance", instance).put("node", node.id())
                    .put("status", outcome.status().name()).put("error", outcome.error());
            StageTrace.stamp(err, outcome.envelope(), emulation, arrivalNanos, doneNanos, System.nanoTime());
            reply.accept(outcome.status(), bytes(err));
            return;
        }
        ObjectNode out = Http.JSON.createObjectNode().put("instance", instance).put("node", node.id());
        out.set("response", outcome.response());
        String app = instance.substring(0, instance.indexOf('/'));
        String service = engine.spec(instance).map(s -> s.service()).orElse(null);
        AppRoutes table = routes.get(app);
        List<AppRoutes.Hop> hops = table == null || service == null ? List.of()
                : table.next(service, outcome.envelope().key(), outcome.envelope().id());
        if (hops.isEmpty()) {
            out.put("failures", 0);
            StageTrace.stamp(out, outcome.envelope(), emulation, arrivalNanos, doneNanos, System.nanoTime());
            reply.accept(Frame.Status.OK, bytes(out));
            return;
        }
        List<CompletableFuture<Reply>> calls = new ArrayList<>();
        List<Target> targets = new ArrayList<>();
        for (AppRoutes.Hop hop : hops) {
            for (Target t : hop.targets()) {
                targets.add(t);
                int flow = (int) AppRoutes.hash(instance + "\u0000" + t.instance());
                calls.add(callFollowingMoves(app, t.instance(), t.ip(), flow, request.payload(), MAX_REROUTES));
            }
        }
        CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).whenComplete((v, e) ->
                onContext.execute(() -> {
                    out.put("failures", collect(out.putArray("downstream"), calls, targets));
                    StageTrace.stamp(out, outcome.envelope(), emulation, arrivalNanos, doneNanos, System.nanoTime());
                    reply.accept(Frame.Status.OK, bytes(out));
                }));
    }

    /** Adds each downstream answer, or its failure, to {@code downstream}; returns the failures below. */
    private static int collect(ArrayNode downstream, List<CompletableFuture<Reply>> calls, List<Target> targets) {
        int failures = 0;
        for (int i = 0; i < calls.size(); i++) {
            Reply r = calls.get(i).join();
            JsonNode child = parse(r.payload());
            if (r.ok() && child != null && child.isObject()) {
                failures += child.path("failures").asInt(0);
                downstream.add(child);
            } else {
                failures++;
                ObjectNode f = Http.JSON.createObjectNode().put("instance", targets.get(i).instance())
                        .put("status", r.status().name());
                f.set("error", child != null && child.has("error") ? child.get("error")
                        : Http.JSON.getNodeFactory().textNode(r.text()));
                downstream.add(f);
            }
        }
        return failures;
    }

    /**
     * Calls {@code instance} at {@code ip}; if that node answers {@code NO_SUCH_INSTANCE} (the instance moved, e.g. by a
     * cold migration, and was undeployed there) or cannot be reached (it died and failover re-placed the instance or
     * promoted its backup), and the app's current routing table has it, or the backup serving its shard, elsewhere,
     * calls that instead, up to {@code reroutes} times. After a move the old node never ran the request, so it runs once; after a node death it may have run
     * before the node died, with its state, so failover is at-least-once for those requests.
     */
    CompletableFuture<Reply> callFollowingMoves(String app, String instance, int ip, int flow, byte[] payload,
                                                int reroutes) {
        return endpoint.call(ip, flow, instance, payload).thenCompose(r -> {
            boolean movedOrDead = r.status() == Frame.Status.NO_SUCH_INSTANCE
                    || r.status() == Frame.Status.UNREACHABLE;
            if (!movedOrDead || reroutes == 0) {
                return CompletableFuture.completedFuture(r);
            }
            AppRoutes table = routes.get(app);
            Optional<Target> now = table == null ? Optional.empty() : table.locate(instance);
            if (now.isEmpty() || now.get().ip() == ip && now.get().instance().equals(instance)) {
                return CompletableFuture.completedFuture(r);
            }
            rerouted.increment();
            return callFollowingMoves(app, now.get().instance(), now.get().ip(), flow, payload, reroutes - 1);
        });
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return Http.JSON.readTree(payload);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return Http.JSON.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
