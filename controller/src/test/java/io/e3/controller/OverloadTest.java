package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.routing.AppRoutes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Overload: a load spike on a compute-heavy service on a SmartNIC is detected from the
 * heartbeats within 10 heartbeats, the hottest instance is migrated to a host, and no request is lost meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @io.quarkus.test.common.ResourceArg(name = "dilation", value = "100"))
class OverloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: ranking
            spec:
              services:
                - name: gw
                  type: natv4
                  replicas: 1
                  pin: host
                - name: rank
                  type: top-ranker
                  replicas: 1
                  pin: smartnic
              channels:
                - from: gw
                  to: rank
                  routing: round-robin
            """;

    @Test
    void aSpikeOnTheSmartNicIsDetectedAndTheServiceMovesToAHostWithoutLoss() throws Exception {
        ControllerApi.applyAndAwaitRunning(APP, "ranking");
        EmbeddedCluster cluster = EmbeddedClusterResource.cluster;
        AppRoutes routes = ControllerApi.routes("ranking", cluster.plan());
        String nic = routes.services().get("rank").instances().get(0).node();

        AppClient client = cluster.client(0);
        // D = 100: a Top ranker request holds a SmartNIC core 81 ms of real time, so 8 outstanding keep it busy
        // without a queue (5 finished per heartbeat, enough samples), and the spike to 100 outstanding is far more
        // than its 12 cores take, whatever this machine can do.
        ClosedLoopLoad load = ClosedLoopLoad.start(8, i -> client.call(routes, "gw", "k" + i, i,
                ("{\"key\": \"k" + i + "\", \"id\": " + i + "}").getBytes(StandardCharsets.UTF_8)));
        // Steady light load first: the orchestrator needs 10 heartbeats with at least 3 requests before it compares.
        java.util.Set<Long> busyBeats = java.util.concurrent.ConcurrentHashMap.newKeySet();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            var hb = cluster.agent(nic).lastHeartbeat();
            if (hb != null && hb.instances().stream().anyMatch(x -> x.requests() >= 3)) {
                busyBeats.add(hb.sequence());
            }
            return busyBeats.size() >= 15;
        });
        long spikeAt = cluster.agent(nic).lastHeartbeat().sequence();
        load.widen(92);
        await().atMost(Duration.ofSeconds(30)).until(() -> !migrations().isEmpty()
                && !"RUNNING".equals(migrations().get(0).path("phase").asText()));
        JsonNode decision = events().path("decisions").get(0);
        JsonNode migration = migrations().get(0);
        int atMove = load.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > atMove + 200);
        load.stop(2);

        long detectedAfter = decision.path("sequence").asLong() - spikeAt;
        System.out.printf("overload: spike at heartbeat %d of %s, decision at %d (%d heartbeats later): %s; "
                        + "migration %s -> %s %s in steps %s; %d requests, %d failed%n", spikeAt, nic,
                decision.path("sequence").asLong(), detectedAfter, decision.path("detail").asText(),
                migration.path("from").asText(), migration.path("to").asText(), migration.path("phase").asText(),
                migration.path("steps"), load.sent(), load.failures().size());
        assertThat(decision.path("reason").asText()).isEqualTo("OVERLOAD");
        assertThat(decision.path("instanceId").asText()).isEqualTo("ranking/rank.0");
        assertThat(detectedAfter).as("heartbeats from the spike to the decision").isBetween(1L, 10L);
        assertThat(migration.path("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(migration.path("to").asText()).endsWith("/host");
        assertThat(load.failures()).as("failed or lost requests").isEmpty();
        String metrics = api().when().get("/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("e3_controller_migrations_total{reason=\"overload\",outcome=\"succeeded\",} 1.0")
                .contains("e3_controller_decision_duration_seconds_count")
                .contains("e3_controller_heartbeats_total{outcome=\"accepted\",}");
        given().when().get("/metrics").then().statusCode(401);
        assertThat(events().path("heartbeatsReceived").asLong()).as("heartbeats the controller took").isPositive();
    }

    private static JsonNode events() throws Exception {
        return JSON.readTree(api().when().get("/v1/events").then().extract().asString());
    }

    private static JsonNode migrations() {
        try {
            return JSON.readTree(api().when().get("/v1/migrations").then().extract().asString());
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }
}
