package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.agent.routing.AppRoutes;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Readmission: a SmartNIC's agent is killed, declared down and failed over; it is started again (a fresh process,
 * heartbeating with a new epoch), readmitted, brought up to date by the reconciler (the app's current routes, nothing
 * it should not hold), and takes placements again.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = {@io.quarkus.test.common.ResourceArg(name = "cluster",
                value = "../examples/clusters/2x-type2-smartnic.yaml"),
                @io.quarkus.test.common.ResourceArg(name = "failoverTimeoutMs", value = "500"),
                @io.quarkus.test.common.ResourceArg(name = "failoverMaxTimeoutMs", value = "1000")})
class ReadmissionTest {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final String APP = """
            apiVersion: e3.io/v1alpha1
            kind: MicroserviceApp
            metadata:
              name: watch
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

    @Inject
    FailoverManager failover;

    @Inject
    HeartbeatIngest ingest;

    @Inject
    ControlPlaneManager manager;

    @Test
    void aRestartedAgentIsReadmittedBroughtUpToDateAndUsedAgain() throws Exception {
        ControllerApi.applyAndAwaitRunning(APP, "watch");
        EmbeddedCluster cluster = EmbeddedClusterResource.cluster;
        AppRoutes before = ControllerApi.routes("watch", cluster.plan());
        String victim = before.services().get("ids").instances().get(0).node();
        String moved = before.services().get("ids").instances().get(0).instance();

        long t0 = System.nanoTime();
        cluster.stopAgent(victim);
        await().atMost(PATIENCE).until(() -> failover.downNodes().contains(victim));
        long downMs = (System.nanoTime() - t0) / 1_000_000;
        await().atMost(PATIENCE).until(() -> ControllerApi.routes("watch", cluster.plan()).services().get("ids")
                .instances().stream().noneMatch(t -> t.node().equals(victim)));

        long t1 = System.nanoTime();
        NodeAgent fresh = cluster.restartAgent(victim);
        await().atMost(PATIENCE).until(() -> ingest.isUp(victim) && !failover.downNodes().contains(victim));
        long readmittedMs = (System.nanoTime() - t1) / 1_000_000;
        // Brought up to date: the app's current routes, and no instance of it that the desired state does not put there.
        await().atMost(PATIENCE).until(() -> fresh.routes().get("watch") != null
                && fresh.routes().get("watch").version() == manager.version("watch"));
        long currentMs = (System.nanoTime() - t1) / 1_000_000;
        assertThat(fresh.engine().view()).allSatisfy(v -> assertThat(manager.placement("watch").assignments())
                .anyMatch(a -> a.instance().id().equals(v.id()) && a.nodeId().equals(victim)));

        // And used again: the instance that lived there goes back to it.
        long id = ((Number) api().contentType("application/json")
                .body("{\"instance\": \"" + moved + "\", \"to\": \"" + victim + "\"}").when().post("/v1/migrations")
                .then().statusCode(202).extract().path("id")).longValue();
        await().atMost(PATIENCE).until(() -> !"RUNNING".equals(
                api().when().get("/v1/migrations/" + id).then().extract().path("phase")));
        assertThat((String) api().when().get("/v1/migrations/" + id).then().extract().path("phase"))
                .isEqualTo("SUCCEEDED");
        assertThat(fresh.engine().has(moved)).isTrue();
        System.out.printf("readmission: %s killed, declared down after %d ms; restarted, readmitted after %d ms, on "
                + "the current routes (version %d) after %d ms; %s moved back onto it%n", victim, downMs, readmittedMs,
                manager.version("watch"), currentMs, moved);
    }
}
