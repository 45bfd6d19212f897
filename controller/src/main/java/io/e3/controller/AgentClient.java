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

    private void call(String node, String method, String path, String body, int... ok) throws AgentException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(config.plan().httpUrl(node) + path))
                .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token.value())
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r;
        try {
            r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AgentException(node + ": " + method + " " + path + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException(node + ": " + method + " " + path + ": interrupted");
        }
        for (int code : ok) {
            if (r.statusCode() == code) {
                return;
            }
        }
        throw new AgentException(node + ": " + method + " " + path + " answered " + r.statusCode() + " " + r.body());
    }
}
