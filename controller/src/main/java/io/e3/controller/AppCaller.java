package io.e3.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.AppClient;
import io.e3.agent.http.InvalidBodyException;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.e3.agent.rpc.RpcSettings;
import io.e3.model.app.AppSpec;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Sends one request into a running app, as a client outside the servers would, and gives back every stage's answer
 * (docs/controller.md, "Trying an app"). The controller owns one {@link AppClient} for this, on the last client
 * address of its block, {@code 127.B.0.254}, so that it never takes an address that load generators and tests, which
 * count up from {@code 127.B.0.10}, use. The client is started on the first call and stopped with the controller.
 *
 * <p>The envelope is checked here first ({@link RequestEnvelope}), and sent with {@code "trace": true}, so that every
 * stage answers with its node and latencies ({@code io.e3.agent.StageTrace}).
 */
@ApplicationScoped
public class AppCaller {

    /** Client number 244 of the block: {@code 127.B.0.254}, the last client address. */
    static final int CLIENT_NUMBER = 244;

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Vertx vertx;

    @Inject
    ControllerConfig config;

    @Inject
    AppRegistry registry;

    @Inject
    ControlPlaneManager manager;

    /** Envelope ids for requests that bring none, so that each call samples fresh requests. */
    private final AtomicLong ids = new AtomicLong(1);
    private CompletableFuture<AppClient> client;

    /** One request's journey through an app: where it entered and every stage's answer. */
    @Schema(name = "AppReply", description = "One request sent into an app, and the tree of its stages' answers")
    public record Answered(
            @Schema(description = "The app's name") String app,
            @Schema(description = "The entry service the request entered at") String entry,
            @Schema(type = SchemaType.OBJECT, description = "The envelope as sent, with its id and \"trace\": true")
            JsonNode envelope,
            @Schema(description = "Stage answers in the tree") int stages,
            @Schema(description = "Stages that failed or could not be reached") int failures,
            @Schema(description = "Real milliseconds from sending the request to its answer, at the controller")
            double elapsedMillis,
            @Schema(description = "Times the entry request was sent (1 unless a datagram was lost)") int attempts,
            @Schema(type = SchemaType.OBJECT, description = "The entry stage's answer: {instance, node, response, "
                    + "failures, execMicros, latencyMicros, downstream: [the stages below, alike]}; a failed stage "
                    + "is {instance, status, error}; latencies are emulated microseconds (docs/node-agent.md)")
            JsonNode reply) {
    }

    /** A request refused before it was sent, with the HTTP status that says why. */
    public static final class Refused extends Exception {
        /** 400 bad envelope, 404 no such app, 409 app not running, 503 the client address cannot be bound. */
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The entry instance did not answer OK (it could not be reached, or refused the request). */
    public static final class EntryFailed extends Exception {
        EntryFailed(String message) {
            super(message);
        }
    }

    /**
     * Sends {@code body}, an envelope (empty for {@code {}}), into {@code app} at entry service {@code service} (null
     * for the app's first), and completes with the answer, or with {@link EntryFailed}, or with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeoutMillis}.
     *
     * @throws Refused when the app is unknown or not running, or the envelope or service is bad
     */
    public CompletableFuture<Answered> call(String app, byte[] body, String service, long timeoutMillis)
            throws Refused {
        AppRegistry.AppView view = registry.get(app).orElseThrow(() -> new Refused(404, "no app '" + app + "'"));
        AppSpec spec = manager.spec(app);
        String table = manager.routes(app).orElse(null);
        if (view.phase() != AppRegistry.Phase.RUNNING || spec == null || table == null) {
            throw new Refused(409, "app '" + app + "' is " + view.phase() + ", not RUNNING"
                    + (view.reason() == null ? "" : " (" + view.reason() + ")"));
        }
        String entry = service == null ? spec.entry().get(0) : service;
        if (!spec.entry().contains(entry)) {
            throw new Refused(400, "service: '" + entry + "' is not an entry service of " + app + "; entry: "
                    + String.join(", ", spec.entry()));
        }
        ObjectNode envelope = RequestEnvelope.check(body, spec, ids::getAndIncrement);
        byte[] bytes = RequestEnvelope.bytes(envelope);
        Supplier<AppRoutes> routes = routes(app, table);
        String key = envelope.path("key").isTextual() ? envelope.get("key").asText() : null;
        int flow = (int) envelope.get("id").asLong();
        long start = System.nanoTime();
        return client().thenCompose(c -> c.call(routes, entry, key, flow, bytes))
                .orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                .thenApply(r -> answered(app, entry, envelope, r, System.nanoTime() - start));
    }

    private static Answered answered(String app, String entry, JsonNode envelope, Reply r, long nanos) {
        JsonNode tree = parse(r);
        if (!r.ok() || tree == null || !tree.isObject()) {
            String why = tree != null && tree.path("error").isTextual() ? tree.get("error").asText() : r.text();
            throw new java.util.concurrent.CompletionException(new EntryFailed("the entry service " + entry
                    + " of " + app + " answered " + r.status() + ": " + why));
        }
        return new Answered(app, entry, envelope, stages(tree), tree.path("failures").asInt(0),
                Math.round(nanos / 1e4) / 100.0, r.attempts(), tree);
    }

    /** Stage answers in {@code tree}: the answer itself and every one below it. */
    static int stages(JsonNode tree) {
        int n = 1;
        for (JsonNode child : tree.path("downstream")) {
            n += stages(child);
        }
        return n;
    }

    private static JsonNode parse(Reply r) {
        try {
            return JSON.readTree(r.payload());
        } catch (IOException e) {
            return null;
        }
    }

    /** The app's current routing table, read again on each look so a call follows moves; else the last one read. */
    private Supplier<AppRoutes> routes(String app, String first) {
        AppRoutes initial = parseRoutes(app, first);
        return () -> manager.routes(app).map(t -> parseRoutes(app, t)).orElse(initial);
    }

    private AppRoutes parseRoutes(String app, String table) {
        try {
            return AppRoutes.parse(app, JSON.readTree(table), config.plan());
        } catch (InvalidBodyException | IOException e) {
            throw new IllegalStateException("the routing table of " + app + " does not parse: " + e.getMessage(), e);
        }
    }

    /** The controller's client, started on first use; a start that failed is tried again on the next call. */
    private synchronized CompletableFuture<AppClient> client() {
        if (client == null || client.isCompletedExceptionally()) {
            String address = io.e3.model.topology.AddressPlan.text(config.plan().clientIp(CLIENT_NUMBER));
            client = AppClient.start(vertx, config.plan(), CLIENT_NUMBER, RpcSettings.DEFAULT).toCompletionStage()
                    .toCompletableFuture().exceptionallyCompose(e -> CompletableFuture.failedFuture(
                            new java.util.concurrent.CompletionException(new Refused(503, "cannot bind the "
                                    + "controller's client address " + address + ": " + e.getMessage()))));
        }
        return client;
    }

    synchronized void stop(@Observes ShutdownEvent event) {
        if (client != null && client.isDone() && !client.isCompletedExceptionally()) {
            client.join().stop();
        }
    }
}
