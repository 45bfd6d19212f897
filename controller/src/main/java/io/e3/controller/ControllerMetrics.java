package io.e3.controller;

import io.prometheus.client.Collector;
import io.prometheus.client.CollectorRegistry;
import io.prometheus.client.Counter;
import io.prometheus.client.CounterMetricFamily;
import io.prometheus.client.Gauge;
import io.prometheus.client.Histogram;
import io.prometheus.client.exporter.common.TextFormat;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The controller's Prometheus metrics (prefix {@code e3_controller_}, base units), served at {@code GET /metrics}
 * (the cluster token is needed, like every endpoint: give Prometheus {@code authorization: {credentials: TOKEN}}).
 */
@ApplicationScoped
@Path("/metrics")
@Tag(name = "Metrics", description = "Prometheus metrics of the controller")
@APIResponse(responseCode = "401", ref = ControllerApplication.UNAUTHORIZED)
public class ControllerMetrics {

    private final CollectorRegistry registry = new CollectorRegistry();
    private final Counter placements = Counter.build("e3_controller_placements", "Apps placed and deployed, by outcome")
            .labelNames("outcome").register(registry);
    private final Counter migrations = Counter.build("e3_controller_migrations", "Migrations, by reason and outcome")
            .labelNames("reason", "outcome").register(registry);
    private final Histogram decisions = Histogram.build("e3_controller_decision_duration_seconds",
                    "Time to record one accepted heartbeat for membership and run the orchestrator's decision on it "
                            + "(one heartbeat in 16 is timed)")
            .exponentialBuckets(1e-7, 4, 12).register(registry);
    /** Per outcome label, how many datagrams had it, read at scrape time ({@link #heartbeatsFrom}). */
    private volatile Map<String, LongSupplier> heartbeatCounts = Map.of();
    private final Collector heartbeats = new Collector() {
        @Override
        public List<MetricFamilySamples> collect() {
            CounterMetricFamily f = new CounterMetricFamily("e3_controller_heartbeats", "Heartbeats "
                    + "received (a server batch counts each of its heartbeats), by outcome (accepted, malformed, misaddressed, forged, replayed)", List.of("outcome"));
            heartbeatCounts.forEach((outcome, count) -> f.addMetric(List.of(outcome), count.getAsLong()));
            return List.of(f);
        }
    }.register(registry);
    private final Gauge apps = Gauge.build("e3_controller_apps", "Apps by phase").labelNames("phase").register(registry);

    @Inject
    AppRegistry appRegistry;

    @GET
    @Produces(TextFormat.CONTENT_TYPE_004)
    @Operation(operationId = "scrapeMetrics", summary = "Scrape the controller's metrics",
            description = "Prometheus text format 0.0.4: e3_controller_placements_total, "
                    + "e3_controller_migrations_total, e3_controller_decision_duration_seconds, "
                    + "e3_controller_heartbeats_total, e3_controller_apps.")
    @APIResponse(responseCode = "200", description = "The metrics",
            content = @Content(mediaType = TextFormat.CONTENT_TYPE_004, schema = @Schema(type = SchemaType.STRING)))
    public String scrape() {
        for (AppRegistry.Phase p : AppRegistry.Phase.values()) {
            apps.labels(p.name().toLowerCase()).set(appRegistry.list().stream().filter(a -> a.phase() == p).count());
        }
        StringWriter w = new StringWriter();
        try {
            TextFormat.write004(w, registry.metricFamilySamples());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    // Callers use these methods, not the fields: CDI hands them a client proxy, whose fields are not the bean's.

    public void placement(String outcome) {
        placements.labels(outcome).inc();
    }

    public void migration(String reason, boolean succeeded) {
        migrations.labels(reasonLabel(reason), succeeded ? "succeeded" : "rolled_back").inc();
    }

    /**
     * Where {@code e3_controller_heartbeats_total} comes from: per outcome label, in order, its count, read when
     * scraped. The receiving thread counts every datagram in counters of its own, so the metric costs it nothing.
     */
    public void heartbeatsFrom(Map<String, LongSupplier> counts) {
        heartbeatCounts = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(counts));
    }

    public void decision(double seconds) {
        decisions.observe(seconds);
    }

    /** The reason label of a migration: what triggered it, without the detail. */
    static String reasonLabel(String reason) {
        for (String r : new String[] {"OVERLOAD", "HOST_STARVATION", "MOVE_BACK", "NODE_DOWN"}) {
            if (reason.startsWith(r)) {
                return r.toLowerCase();
            }
        }
        return "requested";
    }
}
