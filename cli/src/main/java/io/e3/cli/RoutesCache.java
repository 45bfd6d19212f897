package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.agent.http.InvalidBodyException;
import io.e3.agent.routing.AppRoutes;
import io.e3.model.topology.AddressPlan;
import java.util.function.Supplier;

/**
 * An app's routing table from the controller, fetched again at most every 100 ms when asked, so that a client follows
 * instances the controller moves. A pinned cache shows one service with a single instance, so that every request for
 * that service goes to that instance wherever it runs now.
 */
final class RoutesCache implements Supplier<AppRoutes> {

    private static final long MAX_AGE_NANOS = 100_000_000L;

    private final ControllerClient api;
    private final String app;
    private final AddressPlan plan;
    private final String pinnedService;
    private final String pinnedInstance;
    private AppRoutes routes;
    private long fetchedAt;

    private RoutesCache(ControllerClient api, String app, AddressPlan plan, String pinnedService,
                        String pinnedInstance) {
        this.api = api;
        this.app = app;
        this.plan = plan;
        this.pinnedService = pinnedService;
        this.pinnedInstance = pinnedInstance;
    }

    /** The app's table as the controller publishes it. */
    static RoutesCache of(ControllerClient api, String app, AddressPlan plan) {
        return new RoutesCache(api, app, plan, null, null);
    }

    /** The app's table with {@code service} reduced to {@code instance} (or the backup serving its shard). */
    static RoutesCache pinned(ControllerClient api, String app, AddressPlan plan, String service, String instance) {
        return new RoutesCache(api, app, plan, service, instance);
    }

    /**
     * The table, fetched again if older than 100 ms. If a fetch fails, the last table stays.
     *
     * @throws FailureException if the first fetch fails
     */
    @Override
    public synchronized AppRoutes get() {
        if (routes == null || System.nanoTime() - fetchedAt > MAX_AGE_NANOS) {
            try {
                JsonNode table = ControllerClient.require(api.get("/v1/apps/" + app + "/routes"), 200);
                routes = AppRoutes.parse(app, pinnedService == null ? table : pin(table), plan);
                fetchedAt = System.nanoTime();
            } catch (InvalidBodyException | FailureException e) {
                if (routes == null) {
                    throw new FailureException("routes of " + app + ": " + e.getMessage());
                }
            }
        }
        return routes;
    }

    private JsonNode pin(JsonNode table) {
        ObjectNode copy = table.deepCopy();
        JsonNode instances = copy.path("services").path(pinnedService).path("instances");
        if (!instances.isArray()) {
            throw new FailureException("the routing table has no service " + pinnedService);
        }
        ArrayNode kept = ((ArrayNode) instances).removeAll();
        for (JsonNode i : (ArrayNode) table.path("services").path(pinnedService).path("instances")) {
            if (i.path("id").asText().equals(pinnedInstance) || i.path("shard").asText().equals(pinnedInstance)) {
                kept.add(i);
            }
        }
        if (kept.isEmpty()) {
            throw new FailureException("the routing table has no instance " + pinnedInstance);
        }
        return copy;
    }
}
