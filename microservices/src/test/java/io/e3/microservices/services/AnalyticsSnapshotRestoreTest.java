package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.StateFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.e3.microservices.services.MigrationCheck.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration preserves the behaviour of the stateful analytics services: after 2,000 random requests, a snapshot
 * restored into a fresh instance answers the next 1,000 random requests exactly as the original does.
 */
class AnalyticsSnapshotRestoreTest {

    static Stream<Arguments> services() {
        return Stream.of(
                // Skewed users and items, so that both rating windows fill up and evict before the snapshot.
                service("recommend", Recommend::new, (r, i) -> i % 5 == 0
                        ? Json.of("op", "recommend", "user", "u" + r.nextInt(60), "k", 1 + r.nextInt(Recommend.MAX_K))
                        : Json.of("op", "rate", "user", "u" + skewed(r, 60), "item", "i" + skewed(r, 80),
                                "rating", 1 + r.nextInt(5))),
                service("recommend-samples", Recommend::new, (r, i) -> Recommend.sampleRequest(r, 512)));
    }

    /** 0..n-1, the low ones far more often (P(x) ~ 1/sqrt(x)). */
    private static int skewed(Random r, int n) {
        return (int) (n * Math.pow(r.nextDouble(), 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("services")
    void restoredInstanceAnswersTheNextThousandRequestsIdentically(
            String name, Function<ReliableCollections, Microservice> factory,
            BiFunction<Random, Integer, JsonNode> requests) throws StateFormatException {
        MigrationCheck.Outcome outcome = MigrationCheck.assertRestoredInstanceAnswersIdentically(name, factory,
                requests);
        assertThat(outcome).as("every request is valid").isEqualTo(new MigrationCheck.Outcome(0, 0));
    }
}
