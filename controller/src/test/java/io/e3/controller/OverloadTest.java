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
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A load spike on a compute-heavy service on a SmartNIC is detected from the
 * heartbeats within 10 heartbeats, the hottest instance is migrated to a host, and no request is lost meanwhile. When
 * the load drops, it moves back to its SmartNIC after the settle time (shortened here), again without loss.
 */
@QuarkusTest
@TestProfile(OverloadTest.ShortSettle.class)
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @io.quarkus.test.common.ResourceArg(name = "dilation", value = "100"))
class OverloadTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** A move back after 3 s under the low-water mark rather than 30 s, to keep the test short. */
    public static final class ShortSettle implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("e3.move-back.settle-ms", "3000");
        }
    }
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
                  type: knn
                  replicas: 1
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
        // Not pinned: the energy model puts KNN on a SmartNIC (Table 5.1: 3.75 times the host's requests per joule),
        // and, being unpinned, it may move to a host when it overloads there.
        assertThat(nic).as("where HCM placed the KNN").contains("/nic");

        AppClient client = cluster.client(0);
        // D = 100: a KNN request holds a SmartNIC core about 40 ms of real time, so 8 outstanding keep it busy
        // without a queue (about 10 finished per heartbeat, enough samples), and the spike to 100 outstanding is far more
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
        int failedBeforeBack = load.failures().size();

        // The spike ends: one request outstanding, far under half the load it overloaded at. After the 10 s cooldown
        // and 3 s under the low-water mark, it goes back to the SmartNIC it came from.
        load.narrow(99);
        int atDrop = load.sent();
        await().atMost(Duration.ofSeconds(120)).until(() -> migrations().size() >= 2
                && !"RUNNING".equals(moveBack().path("phase").asText()));
        JsonNode back = moveBack();
        int atBack = load.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > atBack + 20);
        load.stop(2);
        System.out.printf("move back: %s -> %s %s after %d requests at one outstanding: %s%n",
                back.path("from").asText(), back.path("to").asText(), back.path("phase").asText(),
                atBack - atDrop, back.path("reason").asText());

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
        assertThat(failedBeforeBack).as("failed or lost requests up to the move off").isZero();
        assertThat(back.path("reason").asText()).startsWith("MOVE_BACK");
        assertThat(back.path("from").asText()).isEqualTo(migration.path("to").asText());
        assertThat(back.path("to").asText()).as("back to the SmartNIC it overloaded").isEqualTo(nic);
        assertThat(back.path("phase").asText()).isEqualTo("SUCCEEDED");
        assertThat(routes("ranking").services().get("rank").instances().get(0).node()).isEqualTo(nic);
        assertThat(load.failures()).as("failed or lost requests, the move back included").isEmpty();
        String metrics = api().when().get("/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("e3_controller_migrations_total{reason=\"overload\",outcome=\"succeeded\",} 1.0")
                .contains("e3_controller_migrations_total{reason=\"move_back\",outcome=\"succeeded\",} 1.0")
                .contains("e3_controller_decision_duration_seconds_count")
                .contains("e3_controller_heartbeats_total{outcome=\"accepted\",}");
        given().when().get("/metrics").then().statusCode(401);
        assertThat(events().path("heartbeatsReceived").asLong()).as("heartbeats the controller took").isPositive();
    }

    /** The migration after the first (the move back), or a missing node. */
    private static JsonNode moveBack() {
        return migrations().path(1);
    }

    private static AppRoutes routes(String app) {
        return ControllerApi.routes(app, EmbeddedClusterResource.cluster.plan());
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
