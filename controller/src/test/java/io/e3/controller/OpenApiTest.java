package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The OpenAPI document at /q/openapi: behind the token, and complete about paths, errors and the bearer scheme. */
@QuarkusTest
class OpenApiTest {

    @Test
    void theDocumentNeedsTheTokenLikeEveryEndpoint() {
        given().when().get("/q/openapi").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"e3\"")
                .body("error", is("missing Authorization: Bearer <token>"));
        given().header("Authorization", "Bearer nope").when().get("/q/openapi?format=json").then().statusCode(401)
                .body("error", is("wrong token"));
    }

    @Test
    void servesYamlByDefaultAndJsonOnRequest() {
        api().when().get("/q/openapi").then().statusCode(200)
                .contentType(containsString("yaml")).body(containsString("openapi: 3."));
        api().when().get("/q/openapi?format=json").then().statusCode(200)
                .contentType(containsString("json")).body("info.title", is("E3 controller"));
    }

    @Test
    void describesEveryPathOfTheApi() {
        JsonPath doc = document();
        assertThat(doc.getMap("paths").keySet()).contains("/v1/health", "/v1/apps", "/v1/apps/{name}",
                "/v1/apps/{name}/routes", "/v1/apps/{name}/requests", "/v1/nodes", "/v1/placements", "/v1/migrations", "/v1/migrations/{id}",
                "/v1/events", "/v1/cluster", "/metrics");
        assertThat(doc.getString("paths.'/v1/apps'.post.requestBody.content.'application/yaml'.schema.type"))
                .isEqualTo("string");
        assertThat(doc.getMap("paths.'/v1/nodes'.get.responses.'200'.content.'application/json'.schema.items"))
                .containsEntry("$ref", "#/components/schemas/Node");
    }

    @Test
    void declaresTheBearerSchemeForTheWholeApi() {
        JsonPath doc = document();
        assertThat(doc.getString("components.securitySchemes.bearer.type")).isEqualTo("http");
        assertThat(doc.getString("components.securitySchemes.bearer.scheme")).isEqualTo("bearer");
        assertThat(doc.getList("security")).containsExactly(Map.of("bearer", List.of()));
    }

    @Test
    void everyOperationDocumentsItsSummaryAnd401AndEachLookupIts404() {
        JsonPath doc = document();
        Map<String, Map<String, Map<String, Object>>> paths = doc.getMap("paths");
        paths.forEach((path, operations) -> operations.forEach((method, operation) -> {
            @SuppressWarnings("unchecked")
            Map<String, Object> responses = (Map<String, Object>) operation.get("responses");
            assertThat(operation.get("summary")).as("%s %s summary", method, path).isNotNull();
            assertThat(responses).as("%s %s responses", method, path).containsKey("401");
            if (path.contains("{")) {
                assertThat(responses).as("%s %s responses", method, path).containsKey("404");
            }
        }));
        assertThat(doc.getMap("paths.'/v1/apps'.post.responses")).containsKeys("201", "200", "422");
        assertThat(doc.getMap("paths.'/v1/migrations'.post.responses")).containsKeys("202", "422");
        assertThat(doc.getMap("paths.'/v1/apps/{name}/requests'.post.responses"))
                .containsKeys("200", "400", "404", "409", "502", "504");
        assertThat(doc.getMap("paths.'/v1/apps/{name}/requests'.post.responses.'200'.content.'application/json'"
                + ".schema")).containsEntry("$ref", "#/components/schemas/AppReply");
        assertThat(doc.getList("components.schemas.Error.required")).containsExactly("error");
    }

    private static JsonPath document() {
        return api().when().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
    }
}
