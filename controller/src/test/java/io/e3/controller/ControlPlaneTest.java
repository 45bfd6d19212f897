package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.AppClient;
import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.agent.exec.Envelope;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Reply;
import io.e3.microservices.Microservice;
import io.e3.microservices.MicroserviceCatalog;
import io.e3.microservices.services.Ipsec;
import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.Manifests;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The control plane: nfv-fin and iot-ts applied to an embedded 3xType1 cluster; every instance ends up
 * running on the node placement chose, and requests flow end to end, every stage's answer equal to that of a reference
 * instance of the same type fed the same requests in the same order.
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
            AppSpec spec = ((AppManifest) Manifests.parse(Files.readAllBytes(Path.of("../examples/apps/" + app
                    + ".yaml")), app).get(0)).app();
            String entry = spec.services().get(0).name();
            // One request at a time, so every instance sees its requests in the order its reference copy does.
            Map<String, Microservice> reference = new HashMap<>();
            List<String> wrong = new ArrayList<>();
            int stages = 0;
            for (int i = 0; i < REQUESTS; i++) {
                String key = "k" + (i % 37);
                byte[] body = ("{\"key\": \"" + key + "\", \"id\": " + i + "}").getBytes(StandardCharsets.UTF_8);
                Reply r = client.call(routes, entry, key, i, body).get(1, TimeUnit.MINUTES);
                assertThat(r.ok()).as(r.text()).isTrue();
                JsonNode root = JSON.readTree(r.payload());
                assertThat(root.path("failures").asInt(-1)).as(r.text()).isZero();
                assertThat(root.path("downstream")).as("the entry's channels were followed: " + r.text())
                        .isNotEmpty();
                stages += check(root, Envelope.parse(body, i), spec, reference, wrong);
            }
            System.out.printf("%s: %d requests, %d stage answers compared with reference instances, %d wrong%n", app,
                    REQUESTS, stages, wrong.size());
            assertThat(wrong).as("answers that differ from a reference instance's").isEmpty();
            assertThat(stages).as("every request passed every service").isEqualTo(REQUESTS * spec.services().size());
        }
    }

    private static final int REQUESTS = 200;

    /** An IV source that hands out the IV of {@code response}, or fails the test when it has none. */
    private static java.util.random.RandomGenerator ivOf(JsonNode response) {
        byte[] iv = java.util.Base64.getDecoder().decode(response == null ? "" : response.path("iv").asText());
        return new java.util.random.RandomGenerator() {
            @Override
            public long nextLong() {
                throw new AssertionError("IPsec asked for more than its IV");
            }

            @Override
            public void nextBytes(byte[] bytes) {
                assertThat(bytes).as("the IV in the answer").hasSameSizeAs(iv);
                System.arraycopy(iv, 0, bytes, 0, iv.length);
            }
        };
    }

    /**
     * Compares the answer of the instance that served {@code node}, and those downstream of it, with a reference copy
     * of that instance (same type, fed the same requests in the same order); returns how many were compared.
     */
    private static int check(JsonNode node, Envelope envelope, AppSpec spec, Map<String, Microservice> reference,
                             List<String> wrong) throws Exception {
        String instance = node.path("instance").asText();
        String service = instance.substring(instance.indexOf('/') + 1, instance.indexOf('.'));
        MicroserviceType type = spec.services().stream().filter(s -> s.name().equals(service)).findFirst()
                .orElseThrow(() -> new AssertionError("no service " + service + " in " + spec.name())).type();
        JsonNode got = node.get("response");
        // IPsec draws a random IV per packet: its reference is fed the IV the instance drew, so the ciphertext and
        // the ICV must still match to the bit.
        Microservice ref = type == MicroserviceType.IPSEC ? Ipsec.withDemoKeys(ivOf(got))
                : reference.computeIfAbsent(instance, k -> MicroserviceCatalog.describe(type).create());
        JsonNode want = JSON.readTree(JSON.writeValueAsBytes(ref.handle(envelope.requestFor(service, type))));
        if (!want.equals(got)) {
            wrong.add(instance + ": want " + want + ", got " + got);
        }
        int compared = 1;
        for (JsonNode child : node.path("downstream")) {
            compared += check(child, envelope, spec, reference, wrong);
        }
        return compared;
    }
}
