package io.e3.controller;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The Quarkus application boots and serves its API. */
@QuarkusTest
class HealthResourceTest {

    @Test
    void reportsItselfUp() {
        given().when().get("/v1/health").then().statusCode(200).body("status", is("up"));
    }
}
