package io.e3.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.controller.TokenAuthFilter.ControllerToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Calls node agents' control APIs (docs/node-agent.md) with the cluster token. Every call either succeeds or throws
 * {@link AgentException} naming the node, the call and what the agent said.
 */
@ApplicationScoped
public class AgentClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    ControllerConfig config;

    @Inject
    ControllerToken token;

    /**
     * A test hook called before every call to an agent with the step's name ({@code deploy}, {@code drain},
     * {@code putRoutes}, ...) and the node: it may throw {@link AgentException} to fail the call, or an
     * {@link Error} to stop the controller there. Null in production.
     */
    public interface Faults {
        void before(String step, String node) throws AgentException;
    }

    volatile Faults faults;

    private void step(String step, String node) throws AgentException {
        Faults f = faults;
        if (f != null) {
            f.before(step, node);
        }
    }

    /** A failed call to an agent. */
    public static final class AgentException extends Exception {
        public AgentException(String message) {
            super(message);
        }
    }

    public void deploy(String node, String instanceId, String type, long memoryMiB) throws AgentException {
        step("deploy", node);
        call(node, "POST", "/v1/instances", "{\"id\": \"" + instanceId + "\", \"type\": \"" + type
                + "\", \"memoryMiB\": " + memoryMiB + "}", 201);
    }

    public void undeploy(String node, String instanceId) throws AgentException {
        step("undeploy", node);
        call(node, "DELETE", "/v1/instances/" + instanceId, null, 200, 404);
    }

    public void putRoutes(String node, String app, String table) throws AgentException {
        step("putRoutes", node);
        call(node, "PUT", "/v1/routes/" + app, table, 200);
    }

    public void deleteRoutes(String node, String app) throws AgentException {
        step("deleteRoutes", node);
        call(node, "DELETE", "/v1/routes/" + app, null, 200, 404);
    }

    /** Takes a SmartNIC's port out of its host's ECMP group at the switch; failures are only logged. */
    public void portDown(String nicId) {
        port(nicId, false);
    }

    /** Puts a SmartNIC's port back in its host's ECMP group at the switch; failures are only logged. */
    public void portUp(String nicId) {
        port(nicId, true);
    }

    private void port(String nicId, boolean up) {
        String what = up ? "up" : "down";
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(config.plan().switchUrl()
                            + "/v1/ports/" + nicId)).timeout(Duration.ofSeconds(10))
                    .header("Authorization", "Bearer " + token.value()).header("Content-Type", "application/json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"up\": " + up + "}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                org.jboss.logging.Logger.getLogger(AgentClient.class).warnf("port %s %s: %d %s", nicId, what,
                        r.statusCode(), r.body());
            }
        } catch (IOException e) {
            org.jboss.logging.Logger.getLogger(AgentClient.class).warnf("port %s %s: %s", nicId, what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * What one agent reports: each instance it holds with its phase ({@code running}, {@code drained}, {@code failed}),
     * and the version of each app's routing table it has.
     */
    public record Observed(String node, Map<String, String> phases, Map<String, Long> versions) {

        /** Whether the agent holds instance {@code id} (in any phase). */
        public boolean holds(String id) {
            return phases.containsKey(id);
        }

        /** The version of {@code app}'s table the agent has; -1 if none. */
        public long version(String app) {
            return versions.getOrDefault(app, -1L);
        }
    }

    /** What {@code node}'s agent holds and which route versions it has; throws if it cannot be reached. */
    public Observed observe(String node) throws AgentException {
        step("observe", node);
        Map<String, String> phases = new LinkedHashMap<>();
        for (JsonNode v : getJson(node, "/v1/instances")) {
            String phase = v.path("phase").asText();
            int colon = phase.indexOf(':');
            phases.put(v.path("id").asText(), colon < 0 ? phase : phase.substring(0, colon));
        }
        Map<String, Long> versions = new LinkedHashMap<>();
        getJson(node, "/v1/routes").path("versions").fields()
                .forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asLong()));
        return new Observed(node, phases, versions);
    }

    private JsonNode getJson(String node, String path) throws AgentException {
        // Short: a stalled agent must not hold up a reconcile pass for long.
        HttpResponse<String> r = send(node, "GET", path, HttpRequest.BodyPublishers.noBody(), null,
                HttpResponse.BodyHandlers.ofString(), Duration.ofSeconds(5));
        if (r.statusCode() != 200) {
            throw new AgentException(node + ": GET " + path + " answered " + r.statusCode() + " " + r.body());
        }
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AgentException(node + ": GET " + path + ": not JSON: " + e.getMessage());
        }
    }

    /** Holds new requests for the instance; returns once nothing of it runs, with the number held. */
    public void drain(String node, String instanceId) throws AgentException {
        step("drain", node);
        call(node, "POST", "/v1/instances/" + instanceId + "/drain", null, 200);
    }

    public void resume(String node, String instanceId) throws AgentException {
        step("resume", node);
        call(node, "POST", "/v1/instances/" + instanceId + "/resume", null, 200);
    }

    /** The instance's state (its reliable collections' snapshot). */
    public byte[] snapshot(String node, String instanceId) throws AgentException {
        step("snapshot", node);
        HttpResponse<byte[]> r = send(node, "GET", "/v1/instances/" + instanceId + "/snapshot",
                HttpRequest.BodyPublishers.noBody(), null, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AgentException(node + ": GET snapshot of " + instanceId + " answered " + r.statusCode() + " "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return r.body();
    }

    public void restore(String node, String instanceId, byte[] state) throws AgentException {
        step("restore", node);
        HttpResponse<String> r = send(node, "PUT", "/v1/instances/" + instanceId + "/state",
                HttpRequest.BodyPublishers.ofByteArray(state), "application/octet-stream",
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new AgentException(node + ": PUT state of " + instanceId + " answered " + r.statusCode() + " "
                    + r.body());
        }
    }

    /**
     * Seeds a new copy: deploys {@code instanceId} on {@code node} and restores it with the state of {@code fromId} on
     * {@code fromNode}, taken while that copy is drained; runs {@code whileDrained} (publishing routes that name the
     * new copy, say) before resuming it. If any step fails, undoes what was done (the new copy undeployed, the source
     * resumed) and throws that step's failure, with a failed undo added as suppressed: the source is never left
     * drained by a seeding that failed, unless its agent cannot be reached at all.
     */
    public void seed(String node, String instanceId, String type, long memoryMiB, String fromNode, String fromId,
                     Runnable whileDrained) throws AgentException {
        boolean deployed = false;
        boolean drained = false;
        try {
            deploy(node, instanceId, type, memoryMiB);
            deployed = true;
            drain(fromNode, fromId);
            drained = true;
            restore(node, instanceId, snapshot(fromNode, fromId));
            whileDrained.run();
            resume(fromNode, fromId);
        } catch (AgentException | RuntimeException e) {
            try {
                if (deployed) {
                    undeploy(node, instanceId);
                }
                if (drained) {
                    resume(fromNode, fromId);
                }
            } catch (AgentException | RuntimeException undo) {
                e.addSuppressed(undo);
            }
            throw e;
        }
    }

    /** For a log line: "; undoing it failed too: ..." if {@link #seed}'s undo failed, else nothing. */
    static String undoFailures(Exception e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t : e.getSuppressed()) {
            b.append("; undoing it failed too: ").append(t.getMessage());
        }
        return b.toString();
    }

    private <T> HttpResponse<T> send(String node, String method, String path, HttpRequest.BodyPublisher body,
                                     String contentType, HttpResponse.BodyHandler<T> handler) throws AgentException {
        return send(node, method, path, body, contentType, handler, Duration.ofSeconds(60));
    }

    private <T> HttpResponse<T> send(String node, String method, String path, HttpRequest.BodyPublisher body,
                                     String contentType, HttpResponse.BodyHandler<T> handler, Duration timeout)
            throws AgentException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.plan().httpUrl(node) + path))
                .timeout(timeout).header("Authorization", "Bearer " + token.value())
                .method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return http.send(b.build(), handler);
        } catch (IOException e) {
            throw new AgentException(node + ": " + method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(node + ": " + method + " " + path + ": interrupted");
        }
    }

    private void call(String node, String method, String path, String body, int... ok) throws AgentException {
        HttpResponse<String> r = send(node, method, path, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body), body == null ? null : "application/json",
                HttpResponse.BodyHandlers.ofString());
        for (int code : ok) {
            if (r.statusCode() == code) {
                return;
            }
        }
        throw new AgentException(node + ": " + method + " " + path + " answered " + r.statusCode() + " " + r.body());
    }
}
