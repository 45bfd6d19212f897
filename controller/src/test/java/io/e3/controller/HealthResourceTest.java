package io.e3.controller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The Quarkus application boots, serves its API, and lets only bearers of its token in. */
@QuarkusTest
class HealthResourceTest {

    @Test
    void reportsItselfUpToABearerOfTheToken() {
        given().header("Authorization", "Bearer test-token").when().get("/v1/health")
                .then().statusCode(200).body("status", is("up"));
    }

    @Test
    void refusesRequestsWithoutOrWithAnotherToken() {
        given().when().get("/v1/health").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer realm=\"e3\"")
                .body("error", is("missing Authorization: Bearer <token>"));
        given().header("Authorization", "Bearer nope").when().get("/v1/health").then().statusCode(401)
                .body("error", is("wrong token"));
    }
}
