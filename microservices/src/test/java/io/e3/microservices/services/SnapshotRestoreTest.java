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
 * Migration preserves behaviour: for every stateful service, after random requests, a snapshot restored into a fresh
 * instance answers the next 1,000 random requests exactly as the original does.
 */
class SnapshotRestoreTest {

    static Stream<Arguments> services() {
        return Stream.of(
                service("kvs", Kvs::new, (r, i) -> r.nextBoolean()
                        ? Json.of("op", "put", "key", "k" + r.nextInt(50), "value", "v" + r.nextInt())
                        : Json.of("op", r.nextBoolean() ? "get" : "delete", "key", "k" + r.nextInt(50))),
                service("ema", Ema::new, (r, i) -> Json.of("stream", "s" + r.nextInt(20), "value", r.nextGaussian())),
                service("spike", Spike::new, (r, i) -> Json.of("stream", "s" + r.nextInt(20),
                        "value", r.nextGaussian() * 3)),
                service("flow-monitor", FlowMonitor::new, (r, i) -> Json.of("flow", "f" + r.nextInt(500),
                        "count", r.nextInt(3))),
                service("count", Count::new, (r, i) -> Json.of("item", "i" + r.nextInt(400))),
                service("top-ranker", TopRanker::new, (r, i) -> i % 10 == 0
                        ? Json.of("op", "top", "k", 1 + r.nextInt(20))
                        : Json.of("op", "add", "key", "t" + r.nextInt(100), "score", r.nextInt(7))));
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
