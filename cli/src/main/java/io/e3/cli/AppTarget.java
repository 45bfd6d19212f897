package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.e3.loadtest.Outcome;
import io.e3.loadtest.RequestTarget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A running app as the load generator's target: request {@code n} is the envelope {@code {"key": PREFIX+n, "id": n}},
 * sent by an agent's lossless client to the instance of an entry service that the key enters at, on flow {@code n},
 * by the routing table the controller publishes now (so that requests follow instances it moves). With several entry
 * services, request {@code n} enters at the {@code n mod k}-th of the k, so that each gets an equal share in turn, as
 * the simulator's client sends them ({@code ClientDriver}: entry services in turn). A request is
 * <em>served</em> ({@link Outcome#success()}) when it is answered OK and the answer reports no failed downstream call;
 * anything else is an error with the status or the reason.
 */
final class AppTarget implements RequestTarget {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final AppClient client;
    private final Supplier<AppRoutes> routes;
    private final List<String> services;
    private final String keyPrefix;

    /**
     * @param routes    where {@code service} runs now
     * @param keyPrefix shard keys are this prefix and the request number
     */
    AppTarget(AppClient client, Supplier<AppRoutes> routes, String service, String keyPrefix) {
        this(client, routes, List.of(service), keyPrefix);
    }

    /**
     * @param routes    where the services run now
     * @param services  the entry services to send to in turn, at least one
     * @param keyPrefix shard keys are this prefix and the request number
     */
    AppTarget(AppClient client, Supplier<AppRoutes> routes, List<String> services, String keyPrefix) {
        if (services.isEmpty()) {
            throw new IllegalArgumentException("an app target needs at least one entry service");
        }
        this.client = client;
        this.routes = routes;
        this.services = List.copyOf(services);
        this.keyPrefix = keyPrefix;
    }

    /** The entry service request {@code n} goes to: the {@code n mod k}-th of the k, in turn. */
    static String serviceFor(List<String> services, long n) {
        return services.get((int) Math.floorMod(n, (long) services.size()));
    }

    @Override
    public CompletableFuture<Outcome> send(long n) {
        String key = keyPrefix + n;
        byte[] envelope = ("{\"key\": \"" + key + "\", \"id\": " + n + "}").getBytes(StandardCharsets.UTF_8);
        try {
            return client.call(routes, serviceFor(services, n), key, (int) n, envelope).handle((reply, e) -> e != null
                    ? Outcome.error(e.getClass().getSimpleName())
                    : isServed(reply) ? Outcome.success()
                    : Outcome.error(reply.ok() ? "a stage failed" : String.valueOf(reply.status())));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(Outcome.error(String.valueOf(e.getMessage())));
        }
    }

    /** OK, and the answer's own count of failed downstream calls (not a nested one) is 0. */
    static boolean isServed(Reply reply) {
        if (reply == null || !reply.ok()) {
            return false;
        }
        try {
            JsonNode answer = JSON.readTree(reply.payload());
            return answer != null && answer.path("failures").isInt() && answer.path("failures").asInt() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
