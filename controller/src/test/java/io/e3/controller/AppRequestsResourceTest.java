package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * POST /v1/apps/{name}/requests against iot-ts on an embedded 3xType1 cluster: every stage answers, with its node and
 * latencies; bad envelopes, unknown apps and apps that do not run are refused with a message naming the problem.
 */
@QuarkusTest
@QuarkusTestResource(value = EmbeddedClusterResource.class, restrictToAnnotatedClass = true,
        initArgs = @ResourceArg(name = "failoverTimeoutMs", value = "30000"))
class AppRequestsResourceTest {

    private static final String REQUESTS = "/v1/apps/iot-ts/requests";

    @BeforeEach
    void applyIotTsOnce() throws Exception {
        if (api().when().get("/v1/apps/iot-ts").statusCode() == 404) {
            ControllerApi.applyAndAwaitRunning(Files.readString(Path.of("../examples/apps/iot-ts.yaml")), "iot-ts");
        }
    }

    @Test
    void everyStageOfTheDagAnswersWithItsNodeAndLatencies() {
        JsonPath answer = api().contentType("application/json").body("{\"key\": \"thermostat-17\"}")
                .when().post(REQUESTS).then().statusCode(200).extract().jsonPath();

        assertThat(answer.getString("app")).isEqualTo("iot-ts");
        assertThat(answer.getString("entry")).isEqualTo("gateway");
        assertThat(answer.getBoolean("envelope.trace")).isTrue();
        assertThat(answer.getString("envelope.key")).isEqualTo("thermostat-17");
        assertThat(answer.getLong("envelope.id")).as("an id is given when there is none").isPositive();
        // gateway -> store -> {ema, spike, recommend}
        assertThat(answer.getInt("stages")).isEqualTo(5);
        assertThat(answer.getInt("failures")).isZero();
        List<Map<String, Object>> below = answer.getList("reply.downstream.downstream.flatten()");
        assertThat(below).extracting(s -> ((String) s.get("instance")).replaceAll("^iot-ts/|\\.\\d+$", ""))
                .containsExactlyInAnyOrder("ema", "spike", "recommend");
        assertThat(answer.getString("reply.instance")).startsWith("iot-ts/gateway.");
        assertThat(answer.getString("reply.downstream[0].instance")).startsWith("iot-ts/store.");
        for (Map<String, Object> stage : below) {
            assertThat(stage).containsKeys("node", "response", "execMicros", "latencyMicros");
        }
        assertThat(answer.getDouble("reply.latencyMicros"))
                .isGreaterThan(answer.getDouble("reply.downstream[0].latencyMicros"));
    }

    @Test
    void theSameKeyReachesTheSameShard() {
        String first = storeOf("{\"key\": \"t-9\", \"id\": 1}");
        String second = storeOf("{\"key\": \"t-9\", \"id\": 2}");

        assertThat(second).isEqualTo(first);
    }

    @Test
    void aBadEnvelopeGets400NamingTheField() {
        post("{\"key\": 17}").then().statusCode(400).body("error", startsWith("key: expected a string"));
        post("{\"bytes\": 0}").then().statusCode(400).body("error", startsWith("bytes:"));
        post("{\"stages\": {\"nope\": {}}}").then().statusCode(400)
                .body("error", startsWith("stages.nope: no service 'nope' in iot-ts"));
        post("{\"stages\": {\"store\": 3}}").then().statusCode(400).body("error", startsWith("stages.store:"));
        post("[1]").then().statusCode(400).body("error", startsWith("request:"));
        post("{\"key\":").then().statusCode(400).body("error", startsWith("request is not JSON"));
        api().contentType("application/json").body("{}").when().post(REQUESTS + "?service=store").then()
                .statusCode(400).body("error", is("service: 'store' is not an entry service of iot-ts; entry: gateway"));
        api().contentType("application/json").body("{}").when().post(REQUESTS + "?timeoutMillis=0").then()
                .statusCode(400).body("error", startsWith("timeoutMillis:"));
    }

    @Test
    void anEmptyBodyIsAnEmptyEnvelope() {
        api().when().post(REQUESTS).then().statusCode(200).body("stages", is(5)).body("failures", is(0));
    }

    @Test
    void anUnknownAppGets404() {
        api().contentType("application/json").body("{}").when().post("/v1/apps/shop/requests").then()
                .statusCode(404).body("error", is("no app 'shop'"));
    }

    @Test
    void anAppThatDoesNotRunGets409() {
        String unplaceable = """
                apiVersion: e3.io/v1alpha1
                kind: MicroserviceApp
                metadata: {name: huge}
                spec:
                  services:
                    - {name: kv, type: kvs, replicas: 1, resources: {cores: 40, memoryMiB: 64}}
                  channels: []
                """;
        api().contentType("application/yaml").body(unplaceable.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .when().post("/v1/apps").then().statusCode(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> "FAILED".equals(
                api().when().get("/v1/apps/huge").then().extract().path("phase")));

        api().contentType("application/json").body("{}").when().post("/v1/apps/huge/requests").then()
                .statusCode(409).body("error", startsWith("app 'huge' is FAILED, not RUNNING"));
    }

    @Test
    void noAnswerInTimeGets504() {
        api().contentType("application/json").body("{}").when().post(REQUESTS + "?timeoutMillis=1").then()
                .statusCode(504).body("error", is("no answer from iot-ts within 1 ms"));
    }

    @Test
    void needsTheToken() {
        io.restassured.RestAssured.given().contentType("application/json").body("{}").when().post(REQUESTS).then()
                .statusCode(401);
    }

    private static io.restassured.response.Response post(String envelope) {
        return api().contentType("application/json").body(envelope).when().post(REQUESTS);
    }

    private static String storeOf(String envelope) {
        return post(envelope).then().statusCode(200).extract().path("reply.downstream[0].instance");
    }
}
