package io.e3.agent.control;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.NodeAgent;
import io.e3.agent.exec.DeploySpec;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.agent.routing.AppRoutes;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.ComputeNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletionException;

/**
 * The control API of one node agent, on Vert.x Web; every call but {@code GET /metrics} bears the cluster token.
 *
 * <pre>
 * GET    /v1/status                              the node, its instances, traffic manager and counters
 * GET    /v1/instances                           the instances
 * POST   /v1/instances                           deploy {"id": "app/svc.0", "type": "kvs", "memoryMiB": 64}
 * GET    /v1/instances/{app}/{name}              one instance
 * DELETE /v1/instances/{app}/{name}              undeploy; its held requests get NO_SUCH_INSTANCE
 * POST   /v1/instances/{app}/{name}/drain        hold new requests; answers once nothing runs and backups are current
 * POST   /v1/instances/{app}/{name}/resume       run again, held requests first
 * GET    /v1/instances/{app}/{name}/snapshot     its state (application/octet-stream)
 * PUT    /v1/instances/{app}/{name}/state        replace its state with a snapshot
 * GET    /v1/routes                              the apps with routing tables and their versions
 * PUT    /v1/routes/{app}                        set an app's routing table ({@link AppRoutes}); 409 if older than held
 * DELETE /v1/routes/{app}                        drop it
 * GET    /metrics                                Prometheus text format
 * </pre>
 *
 * Bad bodies get 400 with the field and problem named; unknown instances 404; a taken id 409; a node without the
 * memory 507.
 */
public final class AgentApi {

    private final NodeAgent agent;
    private final Http.Stats stats;

    public AgentApi(NodeAgent agent, Http.Stats stats) {
        this.agent = agent;
        this.stats = stats;
    }

    public Router router(Vertx vertx, String token) {
        Router r = Http.router(vertx, token, agent.metrics().registry(), stats);
        r.get("/v1/status").handler(this::status);
        r.get("/v1/instances").handler(ctx -> Http.json(ctx, 200, agent.engine().view()));
        r.post("/v1/instances").handler(this::deploy);
        r.get("/v1/instances/:app/:name").handler(ctx -> withInstance(ctx, id -> Http.json(ctx, 200,
                agent.engine().view().stream().filter(v -> v.id().equals(id)).findFirst().orElseThrow())));
        r.delete("/v1/instances/:app/:name").handler(ctx -> withInstance(ctx, id -> {
            agent.engine().undeploy(id);
            Http.json(ctx, 200, Map.of("undeployed", id));
        }));
        r.post("/v1/instances/:app/:name/drain").handler(ctx -> withInstance(ctx, id ->
                agent.drain(id).whenComplete((held, e) -> {
                    if (e != null) {
                        Http.error(ctx, 409, cause(e).getMessage());
                    } else {
                        Http.json(ctx, 200, Map.of("instance", id, "held", held));
                    }
                })));
        r.post("/v1/instances/:app/:name/resume").handler(ctx -> withInstance(ctx, id ->
                Http.json(ctx, 200, Map.of("instance", id, "released", agent.engine().resume(id)))));
        r.get("/v1/instances/:app/:name/snapshot").handler(ctx -> withInstance(ctx, id ->
                agent.engine().snapshot(id).whenComplete((bytes, e) -> {
                    if (e != null) {
                        Http.error(ctx, 409, cause(e).getMessage());
                    } else {
                        ctx.response().putHeader("Content-Type", "application/octet-stream")
                                .end(Buffer.buffer(bytes));
                    }
                })));
        r.put("/v1/instances/:app/:name/state").handler(ctx -> withInstance(ctx, id -> {
            Buffer body = ctx.body() == null ? null : ctx.body().buffer();
            if (body == null || body.length() == 0) {
                Http.refuse(ctx, stats, 400, "body: expected a state snapshot (application/octet-stream)");
                return;
            }
            agent.engine().restore(id, body.getBytes()).whenComplete((v, e) -> {
                if (e == null) {
                    ctx.response().setStatusCode(204).end();
                } else if (cause(e) instanceof IllegalArgumentException bad) {
                    Http.refuse(ctx, stats, 400, bad.getMessage());
                } else {
                    Http.error(ctx, 409, cause(e).getMessage());
                }
            });
        }));
        r.get("/v1/routes").handler(ctx -> {
            Map<String, Long> versions = new java.util.TreeMap<>();
            agent.routes().forEach((app, table) -> versions.put(app, table.version()));
            Http.json(ctx, 200, Map.of("apps", List.copyOf(versions.keySet()), "versions", versions));
        });
        r.put("/v1/routes/:app").handler(this::putRoutes);
        r.delete("/v1/routes/:app").handler(ctx -> {
            String app = ctx.pathParam("app");
            if (agent.routes().remove(app) == null) {
                Http.error(ctx, 404, "no routing table for app '" + app + "'");
            } else {
                Http.json(ctx, 200, Map.of("removed", app));
            }
        });
        return r;
    }

    private void status(RoutingContext ctx) {
        ComputeNode n = agent.node();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("node", n.id());
        body.put("kind", n.kind().name());
        body.put("server", n.serverId());
        body.put("address", io.e3.model.topology.AddressPlan.text(agent.ip()));
        body.put("cores", n.capacity().cores());
        body.put("coreClass", n.capacity().coreClass().name());
        body.put("memoryMiB", n.capacity().memoryMiB());
        body.put("memoryReservedMiB", agent.engine().reservedMiB());
        body.put("bandwidthGbps", n.capacity().bandwidthGbps());
        body.put("dilation", agent.config().emulation().dilation());
        body.put("powerWattsModelled", agent.metrics().powerWatts());
        agent.trafficManager().ifPresent(tm -> body.put("trafficManager", Map.of("queueDepth", tm.depth(),
                "forwarded", tm.forwarded(), "dropped", tm.dropped(), "slowdown", tm.slowdown())));
        body.put("instances", agent.engine().view());
        body.put("apps", agent.routes().keySet().stream().sorted().toList());
        Http.json(ctx, 200, body);
    }

    private void deploy(RoutingContext ctx) {
        DeploySpec spec;
        try {
            JsonNode b = Http.jsonBody(ctx);
            JsonNode id = b.get("id");
            if (id == null || !id.isTextual() || !AppRoutes.INSTANCE_ID.matcher(id.asText()).matches()) {
                throw new InvalidBodyException("id: expected an instance id <app>/<service>.<ordinal>[.backup<j>] of "
                        + "lower-case DNS labels, got " + id);
            }
            JsonNode type = b.get("type");
            if (type == null || !type.isTextual()) {
                throw new InvalidBodyException("type: expected one of " + typeNames());
            }
            MicroserviceType t = MicroserviceType.byManifestName(type.asText()).orElseThrow(() ->
                    new InvalidBodyException("type: '" + type.asText() + "' is not one of " + typeNames()));
            long memory = (long) Math.ceil(io.e3.model.app.MicroserviceProfile.of(t).memoryMiB());
            JsonNode mem = b.get("memoryMiB");
            if (mem != null && !mem.isNull()) {
                if (!mem.isIntegralNumber() || !mem.canConvertToLong() || mem.asLong() < 1 || mem.asLong() > agent.node().capacity().memoryMiB()) {
                    throw new InvalidBodyException("memoryMiB: expected an integer in [1, "
                            + agent.node().capacity().memoryMiB() + "], got " + mem);
                }
                memory = mem.asLong();
            }
            for (String field : iterable(b.fieldNames())) {
                if (!field.equals("id") && !field.equals("type") && !field.equals("memoryMiB")) {
                    throw new InvalidBodyException(field + ": unknown field; a deploy takes id, type, memoryMiB");
                }
            }
            String full = id.asText();
            int slash = full.indexOf('/');
            String service = full.substring(slash + 1, full.indexOf('.', slash));
            spec = new DeploySpec(full, full.substring(0, slash), service, t, memory);
        } catch (InvalidBodyException e) {
            Http.refuse(ctx, stats, 400, e.getMessage());
            return;
        }
        try {
            agent.engine().deploy(spec);
        } catch (ExecutionEngine.DeployException e) {
            Http.error(ctx, e.conflict() ? 409 : 507, e.getMessage());
            return;
        }
        Http.json(ctx, 201, agent.engine().view().stream().filter(v -> v.id().equals(spec.id())).findFirst()
                .orElseThrow());
    }

    private void putRoutes(RoutingContext ctx) {
        String app = ctx.pathParam("app");
        try {
            AppRoutes table = AppRoutes.parse(app, Http.jsonBody(ctx), agent.plan());
            AppRoutes kept = agent.routes().merge(app, table, (old, fresh) -> fresh.version() >= old.version() ? fresh : old);
            if (kept != table) {
                Http.error(ctx, 409, "routes." + app + ".version: " + table.version() + " is older than the "
                        + kept.version() + " this agent has");
                return;
            }
            Http.json(ctx, 200, Map.of("app", app, "version", table.version(),
                    "services", table.services().keySet().stream().sorted().toList()));
        } catch (InvalidBodyException e) {
            Http.refuse(ctx, stats, 400, e.getMessage());
        }
    }

    private void withInstance(RoutingContext ctx, java.util.function.Consumer<String> action) {
        String id = ctx.pathParam("app") + "/" + ctx.pathParam("name");
        if (!agent.engine().has(id)) {
            Http.error(ctx, 404, "no instance " + id + " on " + agent.node().id());
            return;
        }
        try {
            action.accept(id);
        } catch (NoSuchElementException e) {
            Http.error(ctx, 404, "no instance " + id + " on " + agent.node().id());
        }
    }

    private static Throwable cause(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String typeNames() {
        return Arrays.stream(MicroserviceType.values()).map(MicroserviceType::manifestName).toList().toString();
    }

    private static <T> Iterable<T> iterable(java.util.Iterator<T> it) {
        return () -> it;
    }
}
