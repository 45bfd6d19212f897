package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.StateFormatException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;

import static io.e3.microservices.services.MigrationCheck.service;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Migration preserves behaviour for the stateful network function, DDoS: after 2,000 random requests, a snapshot
 * restored into a fresh instance answers the next 1,000 exactly as the original does. NATv4, IPsec and NIDS are
 * stateless and need no such test.
 */
class NetworkFunctionsSnapshotRestoreTest {

    static Stream<Arguments> services() {
        return Stream.of(
                // Phases of uniform, skewed and flooding traffic, so the window holds a mix when it is moved.
                service("ddos", Ddos::new, (r, i) -> r.nextInt(10) == 0
                        ? Json.of("src", "192.0.2.1", "dst", Packets.dotted(DdosTest.destination(r, i / 300 % 4)),
                                "threshold", 0.1 + 0.9 * r.nextDouble())
                        : Json.of("src", Packets.dotted(r.nextInt()),
                                "dst", Packets.dotted(DdosTest.destination(r, i / 300 % 4)))),
                service("ddos-samples", Ddos::new, (r, i) -> Ddos.sampleRequest(new SplittableRandom(r.nextLong()),
                        128)));
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
