package io.e3.agent.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the agents' and the switch's HTTP control APIs share: bearer-token authentication with the cluster token on
 * every call but {@code GET /metrics}, JSON bodies and errors ({@code {"error": "..."}}), and counting of requests
 * that are refused as malformed (bad JSON or fields, wrong token, unknown path or method, too large).
 */
public final class Http {

    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    /** State snapshots travel as bodies; more than this is refused with 413. */
    public static final long BODY_LIMIT = 256L * 1024 * 1024;

    private Http() {
    }

    /** Counters of one HTTP API. */
    public static final class Stats {
        public final LongAdder requests = new LongAdder();
        public final LongAdder malformed = new LongAdder();
        public final LongAdder unauthorized = new LongAdder();
    }

    /**
     * A router with the shared front: body handling, {@code /metrics} from {@code registry}, authentication, and
     * JSON errors for unknown paths (404), wrong methods (405), oversized bodies (413) and failures (500).
     */
    public static Router router(Vertx vertx, String token, CollectorRegistry registry, Stats stats) {
        Router router = Router.router(vertx);
        byte[] expected = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        router.route().handler(ctx -> {
            stats.requests.increment();
            ctx.next();
        });
        router.get("/metrics").handler(ctx -> ctx.response().putHeader("Content-Type", Exposition.CONTENT_TYPE)
                .end(Exposition.text(registry)));
        router.route().handler(ctx -> {
            String auth = ctx.request().getHeader("Authorization");
            if (auth == null || !MessageDigest.isEqual(auth.getBytes(StandardCharsets.UTF_8), expected)) {
                stats.unauthorized.increment();
                stats.malformed.increment();
                ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"e3\"");
                error(ctx, 401, auth == null ? "missing Authorization: Bearer <cluster token>"
                        : "wrong cluster token");
                return;
            }
            ctx.next();
        });
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
        router.errorHandler(404, ctx -> {
            stats.malformed.increment();
            error(ctx, 404, "no such endpoint: " + ctx.request().method() + " " + ctx.request().path());
        });
        router.errorHandler(405, ctx -> {
            stats.malformed.increment();
            error(ctx, 405, "method " + ctx.request().method() + " not allowed on " + ctx.request().path());
        });
        router.errorHandler(413, ctx -> {
            stats.malformed.increment();
            error(ctx, 413, "body larger than " + BODY_LIMIT + " bytes");
        });
        router.errorHandler(400, ctx -> {
            stats.malformed.increment();
            error(ctx, 400, "bad request" + (ctx.failure() == null ? "" : ": " + ctx.failure().getMessage()));
        });
        router.errorHandler(500, ctx -> error(ctx, 500, "internal error: " + ctx.failure()));
        return router;
    }

    /** The body as a JSON object; refuses (and the caller answers 400) anything else. */
    public static JsonNode jsonBody(RoutingContext ctx) throws InvalidBodyException {
        Buffer b = ctx.body() == null ? null : ctx.body().buffer();
        if (b == null || b.length() == 0) {
            throw new InvalidBodyException("body: expected a JSON object, got nothing");
        }
        JsonNode node;
        try {
            node = JSON.readTree(b.getBytes());
        } catch (JsonProcessingException e) {
            throw new InvalidBodyException("body: not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new InvalidBodyException("body: not JSON: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw new InvalidBodyException("body: expected a JSON object");
        }
        return node;
    }

    public static void json(RoutingContext ctx, int status, Object body) {
        String text;
        try {
            text = JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(text);
    }

    public static void error(RoutingContext ctx, int status, String message) {
        if (!ctx.response().ended()) {
            json(ctx, status, Map.of("error", message));
        }
    }

    /** Answers a refused body: 400 (or {@code status}) with the problem, counted as malformed. */
    public static void refuse(RoutingContext ctx, Stats stats, int status, String message) {
        stats.malformed.increment();
        error(ctx, status, message);
    }
}
