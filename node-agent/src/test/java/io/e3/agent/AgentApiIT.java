package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.agent.emu.Emulation;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Reply;
import io.e3.model.topology.ServerTypes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agent's control API over HTTP: authentication, deploy and its refusals, routes, drain/snapshot/restore, metrics. */
class AgentApiIT {

    @Test
    void controlApiLifecycle() throws Exception {
        try (EmbeddedCluster c = TestClusters.start(ServerTypes.TYPE1_SMARTNIC, 1, Emulation.DEFAULT)) {
            NodeAgent nic = c.agent("s0/nic0");
            String url = nic.url();

            TestClusters.Response anonymous = TestClusters.call("GET", url + "/v1/status", null, null);
            assertThat(anonymous.status()).isEqualTo(401);
            assertThat(anonymous.json().path("error").asText()).contains("Authorization: Bearer");
            assertThat(TestClusters.call("GET", url + "/v1/status", null, "nope").status()).isEqualTo(401);

            String deploy = "{\"id\": \"app/kv.0\", \"type\": \"kvs\", \"memoryMiB\": 64}";
            assertThat(TestClusters.call("POST", url + "/v1/instances", deploy).status()).isEqualTo(201);
            assertThat(TestClusters.call("POST", url + "/v1/instances", deploy).status()).isEqualTo(409);
            assertRefused(url, "{\"id\": \"app/kv.1\", \"type\": \"kv-store\"}", 400, "type: 'kv-store' is not one of");
            assertRefused(url, "{\"id\": \"App/kv.1\", \"type\": \"kvs\"}", 400, "id: expected an instance id");
            assertRefused(url, "{\"id\": \"app/kv.1\", \"type\": \"kvs\", \"cpu\": 2}", 400, "cpu: unknown field");
            assertRefused(url, "{\"id\": \"app/kv.1\", \"type\": \"kvs\", \"memoryMiB\": 0}", 400, "memoryMiB");
            assertRefused(url, "{\"id\": \"app/kv.1\", \"type\": \"kvs\", \"memoryMiB\": 4096}", 507,
                    "MiB of 4096 MiB free");
            assertRefused(url, "[1, 2]", 400, "body: expected a JSON object");

            TestClusters.Response badRoutes = TestClusters.call("PUT", url + "/v1/routes/app",
                    "{\"services\": {\"kv\": {\"instances\": [{\"id\": \"app/kv.0\", \"node\": \"s9/host\"}]}}}");
            assertThat(badRoutes.status()).isEqualTo(400);
            assertThat(badRoutes.json().path("error").asText())
                    .startsWith("services.kv.instances[0].node: no compute node 's9/host'");

            String table = "{\"services\": {\"kv\": {\"instances\": [{\"id\": \"app/kv.0\", \"node\": \"s0/nic0\"}]}}, "
                    + "\"version\": %d}";
            assertThat(TestClusters.call("PUT", url + "/v1/routes/app", table.formatted(5)).status()).isEqualTo(200);
            TestClusters.Response older = TestClusters.call("PUT", url + "/v1/routes/app", table.formatted(4));
            assertThat(older.status()).isEqualTo(409);
            assertThat(older.json().path("error").asText()).startsWith("routes.app.version: 4 is older than the 5");
            assertThat(TestClusters.call("PUT", url + "/v1/routes/app", table.formatted(5)).status()).isEqualTo(200);
            assertThat(TestClusters.call("PUT", url + "/v1/routes/app", table.formatted(-1)).json().path("error")
                    .asText()).startsWith("version: expected a non-negative integer");
            assertThat(TestClusters.call("GET", url + "/v1/routes", null).json().path("versions").path("app").asLong())
                    .isEqualTo(5);
            assertThat(TestClusters.call("DELETE", url + "/v1/routes/app", null).status()).isEqualTo(200);

            Target kv0 = new Target("app/kv.0", "s0/nic0", nic.ip(), 0);
            AppClient client = c.client(0);
            assertThat(call(client, kv0, "put", "alpha").ok()).isTrue();

            assertThat(TestClusters.call("POST", url + "/v1/instances/app/kv.0/drain", null).json().path("held")
                    .asInt()).isZero();
            byte[] state = TestClusters.get(url + "/v1/instances/app/kv.0/snapshot");
            NodeAgent host = c.agent("s0/host");
            assertThat(TestClusters.call("POST", host.url() + "/v1/instances",
                    "{\"id\": \"app/kv.1\", \"type\": \"kvs\"}").status()).isEqualTo(201);
            HttpResponse<String> restored = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create(host.url() + "/v1/instances/app/kv.1/state"))
                    .header("Authorization", "Bearer " + TestClusters.TOKEN)
                    .header("Content-Type", "application/octet-stream")
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(state)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(restored.statusCode()).as(restored.body()).isEqualTo(204);
            Reply moved = call(client, new Target("app/kv.1", "s0/host", host.ip(), 0), "get", "alpha");
            assertThat(moved.text()).contains("\"value\":\"v-alpha\"");
            assertThat(TestClusters.call("PUT", host.url() + "/v1/instances/app/kv.1/state", "not a snapshot")
                    .json().path("error").asText()).startsWith("state: ");

            assertThat(TestClusters.call("POST", url + "/v1/instances/app/kv.0/resume", null).json()
                    .path("released").asInt()).isZero();
            assertThat(TestClusters.call("DELETE", url + "/v1/instances/app/kv.0", null).status()).isEqualTo(200);
            assertThat(TestClusters.call("GET", url + "/v1/instances/app/kv.0", null).status()).isEqualTo(404);
            assertThat(call(client, kv0, "get", "alpha").status().name()).isEqualTo("NO_SUCH_INSTANCE");

            TestClusters.Response status = TestClusters.call("GET", host.url() + "/v1/status", null);
            assertThat(status.json().path("node").asText()).isEqualTo("s0/host");
            assertThat(status.json().path("instances").get(0).path("id").asText()).isEqualTo("app/kv.1");
            String metrics = TestClusters.call("GET", host.url() + "/metrics", null, null).body();
            assertThat(metrics).contains("e3_requests_total{instance=\"app/kv.1\",status=\"ok\",} 1.0")
                    .contains("e3_node_power_watts").contains("e3_request_duration_seconds_bucket")
                    .contains("e3_node_energy_joules_total");
            assertThat(TestClusters.metric(TestClusters.call("GET", url + "/metrics", null, null).body(),
                    "e3_malformed_control_requests_total")).as("2 unauthorised, 7 bad bodies").isEqualTo(9);
        }
    }

    private static void assertRefused(String url, String body, int status, String message) {
        TestClusters.Response r = TestClusters.call("POST", url + "/v1/instances", body);
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.json().path("error").asText()).contains(message);
    }

    private static Reply call(AppClient client, Target t, String op, String key) throws Exception {
        String body = "{\"stages\": {\"kv\": {\"op\": \"" + op + "\", \"key\": \"" + key + "\", \"value\": \"v-" + key
                + "\"}}}";
        return client.call(t, 3, body.getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
    }
}
