package io.e3.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.emu.Emulation;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerType;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Boots embedded clusters for tests, each on a random loopback block so runs never collide, and talks HTTP to them. */
final class TestClusters {

    static final String TOKEN = "test-token";
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestClusters() {
    }

    static AddressPlan plan(ServerType type, int servers) {
        Cluster cluster = Clusters.of(type, servers);
        return AddressPlan.of(cluster, ThreadLocalRandom.current().nextInt(100, 250));
    }

    static EmbeddedCluster start(ServerType type, int servers, Emulation emulation) {
        return EmbeddedCluster.start(plan(type, servers), emulation, TOKEN);
    }

    record Response(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    static Response call(String method, String url, String body) {
        return call(method, url, body, TOKEN);
    }

    static Response call(String method, String url, String body, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        try {
            HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new AssertionError(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static byte[] get(String url) {
        HttpRequest r = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + TOKEN).GET().build();
        try {
            return HTTP.send(r, HttpResponse.BodyHandlers.ofByteArray()).body();
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Deploys an instance through the node's control API, expecting 201. */
    static void deploy(EmbeddedCluster c, String node, String id, String type) {
        Response r = call("POST", c.agent(node).url() + "/v1/instances",
                "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"memoryMiB\":256}");
        if (r.status() != 201) {
            throw new AssertionError("deploy " + id + " on " + node + ": " + r.status() + " " + r.body());
        }
    }

    /** Publishes an app's routing table to every agent, expecting 200. */
    static void routes(EmbeddedCluster c, String app, String table) {
        for (NodeAgent a : c.agents().values()) {
            Response r = call("PUT", a.url() + "/v1/routes/" + app, table);
            if (r.status() != 200) {
                throw new AssertionError("routes on " + a.node().id() + ": " + r.status() + " " + r.body());
            }
        }
    }

    /** A 3-stage chain nat (s0/host) -> ids (s1/nic0) -> kv (sharded: s1/host, s2/nic0) of app "chain". */
    static final String CHAIN_ROUTES = """
            {"services": {
               "nat": {"instances": [{"id": "chain/nat.0", "node": "s0/host"}]},
               "ids": {"instances": [{"id": "chain/ids.0", "node": "s1/nic0"}]},
               "kv":  {"sharded": true, "instances": [{"id": "chain/kv.0", "node": "s1/host"},
                                                      {"id": "chain/kv.1", "node": "s2/nic0"}]}},
             "channels": [{"from": "nat", "to": "ids", "routing": "round-robin"},
                          {"from": "ids", "to": "kv", "routing": "shard-keyed"}]}""";

    /** Deploys {@link #CHAIN_ROUTES} on a cluster of at least three servers and publishes it; returns its routes. */
    static io.e3.agent.routing.AppRoutes deployChain(EmbeddedCluster c) throws Exception {
        deploy(c, "s0/host", "chain/nat.0", "natv4");
        deploy(c, "s1/nic0", "chain/ids.0", "nids");
        deploy(c, "s1/host", "chain/kv.0", "kvs");
        deploy(c, "s2/nic0", "chain/kv.1", "kvs");
        routes(c, "chain", CHAIN_ROUTES);
        return io.e3.agent.routing.AppRoutes.parse("chain", JSON.readTree(CHAIN_ROUTES), c.plan());
    }

    /** The value of a sample in an agent's /metrics text, or -1 when absent. */
    static double metric(String metricsText, String sample) {
        for (String line : metricsText.split("\n")) {
            if (line.startsWith(sample + " ")) {
                return Double.parseDouble(line.substring(sample.length() + 1).trim());
            }
        }
        return -1;
    }
}
