package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.StateFormatException;
import org.junit.jupiter.params.provider.Arguments;

import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property migration relies on, for any stateful service: after {@value #BEFORE} random requests, a snapshot
 * restored into a fresh instance holds the same state and answers the next {@value #AFTER} random requests exactly as
 * the original does, refusals included, and both states stay equal.
 */
final class MigrationCheck {

    static final int BEFORE = 2000;
    static final int AFTER = 1000;

    /** How many requests each phase refused; callers say how many they allow. */
    record Outcome(int refusedBefore, int refusedAfter) {
    }

    private MigrationCheck() {
    }

    /** Parameters for a {@code @MethodSource}: a case name, the factory and the request generator (random, index). */
    static Arguments service(String name, Function<ReliableCollections, Microservice> factory,
                             BiFunction<Random, Integer, JsonNode> requests) {
        return Arguments.of(name, factory, requests);
    }

    /** Checks the property for {@code factory}, with requests numbered on from 0 and a seed taken from the name. */
    static Outcome assertRestoredInstanceAnswersIdentically(String name,
                                                            Function<ReliableCollections, Microservice> factory,
                                                            BiFunction<Random, Integer, JsonNode> requests)
            throws StateFormatException {
        Random r = new Random(name.hashCode());
        ReliableCollections state = new ReliableCollections();
        Microservice original = factory.apply(state);
        int refusedBefore = 0;
        for (int i = 0; i < BEFORE; i++) {
            refusedBefore += answer(original, requests.apply(r, i)) instanceof String ? 1 : 0;
        }
        ReliableCollections copy = ReliableCollections.restore(state.snapshot());
        assertThat(copy.sameContent(state)).as(name + ": restored state equals the original").isTrue();
        Microservice restored = factory.apply(copy);
        int refusedAfter = 0;
        for (int i = 0; i < AFTER; i++) {
            JsonNode request = requests.apply(r, BEFORE + i);
            Object expected = answer(original, request);
            assertThat(answer(restored, request)).as(name + " request " + i + ": " + request).isEqualTo(expected);
            refusedAfter += expected instanceof String ? 1 : 0;
        }
        assertThat(copy.sameContent(state)).as(name + ": states still equal at the end").isTrue();
        return new Outcome(refusedBefore, refusedAfter);
    }

    /** The response, or the refusal's message as a string: both must survive migration. */
    private static Object answer(Microservice service, JsonNode request) {
        try {
            return service.handle(request);
        } catch (InvalidRequestException e) {
            return "refused: " + e.getMessage();
        }
    }
}
