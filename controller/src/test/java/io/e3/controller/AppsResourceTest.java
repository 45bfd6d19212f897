package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Applying, listing and deleting apps; invalid manifests get 422 with every violation. */
@QuarkusTest
class AppsResourceTest {

    private static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void anExampleAppIsAcceptedListedAndDeleted() throws Exception {
        String manifest = Files.readString(Path.of("../examples/apps/iot-ts.yaml"));
        api().contentType("application/yaml").body(bytes(manifest)).when().post("/v1/apps")
                .then().statusCode(201).body("name", is("iot-ts")).body("instances", is(108))
                .body("phase", org.hamcrest.Matchers.in(java.util.List.of("PENDING", "PLACING", "FAILED")));
        api().contentType("application/yaml").body(bytes(manifest)).when().post("/v1/apps").then().statusCode(200);
        api().when().get("/v1/apps").then().statusCode(200).body("name", hasItem("iot-ts"));
        api().when().get("/v1/apps/iot-ts").then().statusCode(200).body("services", is(5));
        api().when().delete("/v1/apps/iot-ts").then().statusCode(202);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30))
                .until(() -> api().when().get("/v1/apps/iot-ts").statusCode() == 404);
        api().when().get("/v1/apps/iot-ts").then().statusCode(404).body("error", is("no app 'iot-ts'"));
    }

    @Test
    void anInvalidManifestGets422WithEveryViolation() {
        String bad = """
                apiVersion: e3.io/v1alpha1
                kind: MicroserviceApp
                metadata:
                  name: Bad_Name
                spec:
                  services:
                    - name: gw
                      type: teapot
                      replicas: 0
                """;
        api().contentType("application/yaml").body(bytes(bad)).when().post("/v1/apps")
                .then().statusCode(422).body("error", is("the manifest is invalid"))
                .body("violations.size()", org.hamcrest.Matchers.greaterThanOrEqualTo(3))
                .body("violations.source", hasItem("<request>"))
                .body("violations.path", hasItem("metadata.name"))
                .body("violations.path", hasItem("spec.services[0].type"));
        api().contentType("application/yaml").body(new byte[0]).when().post("/v1/apps").then().statusCode(422)
                .body("violations", hasSize(1));
    }

    @Test
    void aClusterManifestIsNotAnApp() throws Exception {
        String cluster = Files.readString(Path.of("../examples/clusters/3x-type1-smartnic.yaml"));
        api().contentType("application/yaml").body(bytes(cluster)).when().post("/v1/apps").then().statusCode(422)
                .body("error", startsWith("expected exactly one MicroserviceApp document"));
    }

    @Test
    void appsNeedTheToken() {
        given().when().get("/v1/apps").then().statusCode(401);
    }
}
