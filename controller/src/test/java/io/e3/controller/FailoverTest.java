package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.routing.AppRoutes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Node failure (without state replication yet): a SmartNIC's agent is killed under load; it is declared down
 * within the membership timeout, its port leaves its host's ECMP group, its instances are re-placed on live nodes, and
 * requests resume: every request is answered. Two Type2 servers, so a host keeps three ports when one SmartNIC dies
 * (a Type1 host has only one, and losing it cuts the host off the network).
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = {@io.quarkus.test.common.ResourceArg(name = "cluster",
                value = "../examples/clusters/2x-type2-smartnic.yaml"),
                @io.quarkus.test.common.ResourceArg(name = "failoverTimeoutMs", value = "500"),
                @io.quarkus.test.common.ResourceArg(name = "failoverMaxTimeoutMs", value = "1000")})
class FailoverTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: guard
            spec:
              services:
                - name: front
                  type: natv4
                  replicas: 1
                  pin: host
                - name: ids
                  type: nids
                  replicas: 2
                  pin: smartnic
              channels:
                - from: front
                  to: ids
                  routing: round-robin
            """;

    @Test
    void aKilledAgentIsDeclaredDownAndItsInstancesRunElsewhere() throws Exception {
        ControllerApi.applyAndAwaitRunning(APP, "guard");
        EmbeddedCluster cluster = EmbeddedClusterResource.cluster;
        Supplier<AppRoutes> routes = () -> ControllerApi.routes("guard", cluster.plan());
        AppRoutes before = routes.get();
        String victim = before.services().get("ids").instances().get(0).node();
        AppClient client = cluster.client(0);
        ClosedLoopLoad load = ClosedLoopLoad.start(16, i -> client.call(routes, "front", "k" + i, i,
                ("{\"key\": \"k" + i + "\", \"id\": " + i + "}").getBytes(StandardCharsets.UTF_8)));
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > 200);
        long killedAt = System.nanoTime();
        cluster.stopAgent(victim);
        String dead = victim;
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> JSON.readTree(
                api().when().get("/v1/events").then().extract().asString()).path("membership").findValuesAsText(
                "nodeId").contains(dead));
        long declaredAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        await().atMost(Duration.ofSeconds(30)).until(() -> routes.get().services().get("ids").instances().stream()
                .noneMatch(t -> t.node().equals(dead)));
        long replacedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        int atReplace = load.sent();
        await().atMost(Duration.ofSeconds(30)).until(() -> load.sent() > atReplace + 200);
        load.stop(1);
        System.out.printf("failover: %s killed; declared down after %d ms, instances re-placed after %d ms; "
                + "%d requests, %d failed%n", dead, declaredAfterMs, replacedAfterMs, load.sent(), load.failures().size());
        assertThat(declaredAfterMs).as("declared down within its timeout (500 ms to 1 s, from its heartbeats' jitter), "
                + "a 50 ms check and slack for a loaded machine").isLessThan(3_000);
        assertThat(load.failures()).as("requests that were not answered OK").isEmpty();
        api().when().get("/v1/apps/guard").then().body("phase", org.hamcrest.Matchers.is("RUNNING"));
    }
}
