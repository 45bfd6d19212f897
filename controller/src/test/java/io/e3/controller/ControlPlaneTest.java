package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 6 acceptance (first line): nfv-fin and iot-ts applied to an embedded 3xType1 cluster; every instance ends up
 * running on the node placement chose, and requests flow end to end with an answer from every stage.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true)
class ControlPlaneTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void appliedAppsRunOnTheirNodesAndServeRequestsEndToEnd() throws Exception {
        for (String app : List.of("nfv-fin", "iot-ts")) {
            byte[] manifest = Files.readAllBytes(Path.of("../examples/apps/" + app + ".yaml"));
            api().contentType("application/yaml").body(manifest).when().post("/v1/apps").then().statusCode(201);
        }
        for (String app : List.of("nfv-fin", "iot-ts")) {
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                String phase = api().when().get("/v1/apps/" + app).then().extract().path("phase");
                return "RUNNING".equals(phase) || "FAILED".equals(phase);
            });
            api().when().get("/v1/apps/" + app).then().statusCode(200)
                    .body("phase", org.hamcrest.Matchers.is("RUNNING"));
        }
        EmbeddedCluster cluster = EmbeddedClusterResource.cluster;
        long deployed = cluster.agents().values().stream().mapToLong(a -> a.engine().view().size()).sum();
        assertThat(deployed).as("instances of nfv-fin (72) and iot-ts (108) on the agents").isEqualTo(180);
        for (NodeAgent a : cluster.agents().values()) {
            assertThat(a.routes()).containsKeys("nfv-fin", "iot-ts");
        }

        api().when().get("/v1/placements").then().statusCode(200).body("size()", org.hamcrest.Matchers.is(180));
        api().when().get("/v1/nodes").then().statusCode(200).body("size()", org.hamcrest.Matchers.is(6))
                .body("up", org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.is(true)))
                .body("instances.sum()", org.hamcrest.Matchers.is(180));

        AppClient client = cluster.client(0);
        for (String app : List.of("nfv-fin", "iot-ts")) {
            String table = api().when().get("/v1/apps/" + app + "/routes").then().statusCode(200).extract().asString();
            AppRoutes routes = AppRoutes.parse(app, JSON.readTree(table), cluster.plan());
            String entry = app.equals("iot-ts") ? "gateway" : "flow-monitor";
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "k" + (i % 37);
                byte[] body = ("{\"key\": \"" + key + "\", \"id\": " + i + "}").getBytes(StandardCharsets.UTF_8);
                replies.add(client.call(routes, entry, key, i, body));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
            for (CompletableFuture<Reply> f : replies) {
                Reply r = f.join();
                assertThat(r.ok()).as(r.text()).isTrue();
                JsonNode root = JSON.readTree(r.payload());
                assertThat(root.has("response")).as(r.text()).isTrue();
                assertThat(root.path("downstream")).as("the entry's channels were followed: " + r.text())
                        .isNotEmpty();
            }
        }
    }
}
