package io.e3.controller;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The dashboard's static files are served without the token; nothing else is, however the path is dressed up. */
@QuarkusTest
class DashboardTest {

    @TestHTTPResource("/")
    URL root;

    @Test
    void servesThePageAndItsFilesWithoutAToken() {
        given().when().get("/dashboard/").then().statusCode(200).contentType(containsString("text/html"))
                .body(containsString("<title>E3 dashboard</title>"))
                .body(containsString("<script src=\"app.js\"></script>"));
        given().when().get("/dashboard/app.js").then().statusCode(200)
                .body(containsString("\"Bearer \" + token"), containsString("sessionStorage"),
                        containsString("history.replaceState"));
        given().when().get("/dashboard/style.css").then().statusCode(200).contentType(containsString("text/css"));
    }

    @Test
    void redirectsTheBarePathToThePage() {
        given().redirects().follow(false).when().get("/dashboard").then().statusCode(302)
                .header("Location", "/dashboard/");
    }

    @Test
    void theApiAndTheOpenApiDocumentStillNeedTheToken() {
        for (String path : new String[] {"/v1/nodes", "/v1/apps", "/v1/events", "/metrics", "/q/openapi"}) {
            given().when().get(path).then().statusCode(401).body("error", is("missing Authorization: Bearer <token>"));
        }
    }

    @Test
    void onlyReadsUnderTheDashboardPathAreLetThrough() throws Exception {
        given().when().get("/dashboardx").then().statusCode(401);
        given().when().get("/v1/dashboard/").then().statusCode(401);
        given().when().post("/dashboard/").then().statusCode(401);
        // A client that sends dot segments as they are: the filter judges the path the router will route.
        assertThat(rawGet("dashboard/../v1/nodes").statusCode()).isEqualTo(401);
        assertThat(rawGet("dashboard/%2e%2e/v1/nodes").statusCode()).isEqualTo(401);
    }

    private HttpResponse<String> rawGet(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(root + path)).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }
}
