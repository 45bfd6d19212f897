package io.e3.controller;

import io.e3.controller.TokenAuthFilter.ControllerToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls node agents' control APIs (docs/node-agent.md) with the cluster token. Every call either succeeds or throws
 * {@link AgentException} naming the node, the call and what the agent said.
 */
@ApplicationScoped
public class AgentClient {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Inject
    ControllerConfig config;

    @Inject
    ControllerToken token;

    /** A failed call to an agent. */
    public static final class AgentException extends Exception {
        public AgentException(String message) {
            super(message);
        }
    }

    public void deploy(String node, String instanceId, String type, long memoryMiB) throws AgentException {
        call(node, "POST", "/v1/instances", "{\"id\": \"" + instanceId + "\", \"type\": \"" + type
                + "\", \"memoryMiB\": " + memoryMiB + "}", 201);
    }

    public void undeploy(String node, String instanceId) throws AgentException {
        call(node, "DELETE", "/v1/instances/" + instanceId, null, 200, 404);
    }

    public void putRoutes(String node, String app, String table) throws AgentException {
        call(node, "PUT", "/v1/routes/" + app, table, 200);
    }

    public void deleteRoutes(String node, String app) throws AgentException {
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

    /** The ids of the instances {@code node}'s agent runs; empty if it cannot be reached. */
    public java.util.Set<String> instancesOrEmpty(String node) {
        try {
            HttpResponse<String> r = send(node, "GET", "/v1/instances", HttpRequest.BodyPublishers.noBody(), null,
                    HttpResponse.BodyHandlers.ofString());
            java.util.Set<String> ids = new java.util.HashSet<>();
            if (r.statusCode() == 200) {
                for (com.fasterxml.jackson.databind.JsonNode v : new com.fasterxml.jackson.databind.ObjectMapper()
                        .readTree(r.body())) {
                    ids.add(v.path("id").asText());
                }
            }
            return ids;
        } catch (AgentException | IOException e) {
            return java.util.Set.of();
        }
    }

    /** Holds new requests for the instance; returns once nothing of it runs, with the number held. */
    public void drain(String node, String instanceId) throws AgentException {
        call(node, "POST", "/v1/instances/" + instanceId + "/drain", null, 200);
    }

    public void resume(String node, String instanceId) throws AgentException {
        call(node, "POST", "/v1/instances/" + instanceId + "/resume", null, 200);
    }

    /** The instance's state (its reliable collections' snapshot). */
    public byte[] snapshot(String node, String instanceId) throws AgentException {
        HttpResponse<byte[]> r = send(node, "GET", "/v1/instances/" + instanceId + "/snapshot",
                HttpRequest.BodyPublishers.noBody(), null, HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new AgentException(node + ": GET snapshot of " + instanceId + " answered " + r.statusCode() + " "
                    + new String(r.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return r.body();
    }

    public void restore(String node, String instanceId, byte[] state) throws AgentException {
        HttpResponse<String> r = send(node, "PUT", "/v1/instances/" + instanceId + "/state",
                HttpRequest.BodyPublishers.ofByteArray(state), "application/octet-stream",
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new AgentException(node + ": PUT state of " + instanceId + " answered " + r.statusCode() + " "
                    + r.body());
        }
    }

    private <T> HttpResponse<T> send(String node, String method, String path, HttpRequest.BodyPublisher body,
                                     String contentType, HttpResponse.BodyHandler<T> handler) throws AgentException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.plan().httpUrl(node) + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token.value())
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
