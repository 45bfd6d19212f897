package io.e3.controller;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.agent.routing.AppRoutes;
import io.e3.model.topology.AddressPlan;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The controller's API as the tests call it, with the test token. */
final class ControllerApi {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ControllerApi() {
    }

    static RequestSpecification api() {
        return given().header("Authorization", "Bearer test-token");
    }

    /** Applies an app manifest (expecting 201) and waits until the app is RUNNING. */
    static void applyAndAwaitRunning(String manifest, String app) {
        api().contentType("application/yaml").body(manifest.getBytes(StandardCharsets.UTF_8)).when().post("/v1/apps")
                .then().statusCode(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> "RUNNING".equals(
                api().when().get("/v1/apps/" + app).then().extract().path("phase")));
    }

    /** The routing table the controller published for {@code app}. */
    static AppRoutes routes(String app, AddressPlan plan) {
        try {
            return AppRoutes.parse(app, JSON.readTree(api().when().get("/v1/apps/" + app + "/routes").then()
                    .statusCode(200).extract().asString()), plan);
        } catch (Exception e) {
            throw new IllegalStateException("routes of " + app + ": " + e.getMessage(), e);
        }
    }
}
