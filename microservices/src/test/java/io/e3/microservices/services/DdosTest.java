package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** DDoS against the entropy recomputed from scratch over the last {@value Ddos#WINDOW} packets. */
class DdosTest {

    @Test
    void entropyMatchesARecomputationFromScratchOverTheLastThousandPacketsAtEveryStep()
            throws InvalidRequestException {
        Ddos ddos = new Ddos(new ReliableCollections());
        Random r = new Random(41);
        Deque<Integer> window = new ArrayDeque<>();
        int attacks = 0;
        for (int i = 0; i < 12_000; i++) {
            int dst = destination(r, i / 1500 % 4);
            JsonNode response = ddos.handle(Json.of("src", Packets.dotted(r.nextInt()), "dst", Packets.dotted(dst)));
            window.addLast(dst);
            if (window.size() > Ddos.WINDOW) {
                window.removeFirst();
            }
            Map<Integer, Integer> counts = new HashMap<>();
            window.forEach(a -> counts.merge(a, 1, Integer::sum));
            int n = window.size();
            double entropy = 0;
            for (int c : counts.values()) {
                double p = (double) c / n;
                entropy -= p * Math.log(p) / Math.log(2);
            }
            double normalized = counts.size() <= 1 ? 0 : entropy / (Math.log(counts.size()) / Math.log(2));
            String step = "packet " + i;
            assertThat(response.get("entropy").asDouble()).as(step).isCloseTo(entropy, within(1e-9));
            assertThat(response.get("normalizedEntropy").asDouble()).as(step).isCloseTo(normalized, within(1e-9));
            assertThat(response.get("distinct").asInt()).as(step).isEqualTo(counts.size());
            assertThat(response.get("fill").asInt()).as(step).isEqualTo(n);
            assertThat(response.get("window").asInt()).isEqualTo(Ddos.WINDOW);
            if (Math.abs(normalized - Ddos.DEFAULT_THRESHOLD) > 1e-9) {
                assertThat(response.get("attack").asBoolean()).as(step)
                        .isEqualTo(n == Ddos.WINDOW && normalized < Ddos.DEFAULT_THRESHOLD);
            }
            attacks += response.get("attack").asBoolean() ? 1 : 0;
        }
        assertThat(attacks).as("the flood phases are flagged, the others not").isBetween(1000, 6000);
    }

    @Test
    void uniformTrafficRaisesNoAlertAndAFloodToOneVictimIsFlaggedWithinTheWindow() throws InvalidRequestException {
        Ddos ddos = new Ddos(new ReliableCollections());
        Random r = new Random(42);
        for (int i = 0; i < 3000; i++) {
            JsonNode response = packet(ddos, "198.51.100." + r.nextInt(256));
            assertThat(response.get("attack").asBoolean()).as("packet " + i).isFalse();
            if (i >= Ddos.WINDOW) {
                assertThat(response.get("normalizedEntropy").asDouble()).isGreaterThan(0.95);
            }
        }
        int firstAlert = -1;
        JsonNode response = null;
        for (int i = 0; i < Ddos.WINDOW; i++) {
            response = packet(ddos, "203.0.113.66");
            if (firstAlert < 0 && response.get("attack").asBoolean()) {
                firstAlert = i;
            }
        }
        // Against 256 uniform servers the threshold 0.6 falls between a 50 % flood (0.62) and a 60 % one (0.52).
        assertThat(firstAlert).isBetween(450, 650);
        assertThat(response.get("attack").asBoolean()).isTrue();
        assertThat(response.get("entropy").asDouble()).isZero();
        assertThat(response.get("distinct").asInt()).isEqualTo(1);
    }

    @Test
    void givesNoVerdictUntilTheWindowIsFull() throws InvalidRequestException {
        Ddos ddos = new Ddos(new ReliableCollections());
        for (int i = 1; i < Ddos.WINDOW; i++) {
            JsonNode response = packet(ddos, "203.0.113.66");
            assertThat(response.get("attack").asBoolean()).isFalse();
            assertThat(response.get("fill").asInt()).isEqualTo(i);
            assertThat(response.get("normalizedEntropy").asDouble()).isZero();
        }
        assertThat(packet(ddos, "203.0.113.66").get("attack").asBoolean()).isTrue();
    }

    @Test
    void aRequestMayAskForAStricterThreshold() throws InvalidRequestException {
        Ddos ddos = new Ddos(new ReliableCollections());
        JsonNode last = null;
        // Two destinations, 3:1. H = -(3/4 log2 3/4 + 1/4 log2 1/4) = 0.811278..., over log2 2 = 1.
        for (int i = 0; i < Ddos.WINDOW; i++) {
            last = packet(ddos, i % 4 == 0 ? "10.0.0.2" : "10.0.0.1");
        }
        assertThat(last.get("normalizedEntropy").asDouble()).isCloseTo(0.8112781244591328, within(1e-12));
        assertThat(last.get("attack").asBoolean()).isFalse();
        JsonNode strict = ddos.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.2", "threshold", 0.9));
        assertThat(strict.get("attack").asBoolean()).isTrue();
    }

    @Test
    void acceptsEverySampleAtAboutTheAskedSizeWithoutCryingWolf() throws InvalidRequestException {
        Ddos ddos = new Ddos(new ReliableCollections());
        SplittableRandom random = new SplittableRandom(43);
        for (int i = 0; i < 5000; i++) {
            ObjectNode request = Ddos.sampleRequest(random, 512);
            assertThat(request.toString().length()).isBetween(470, 520);
            assertThat(ddos.handle(request).get("attack").asBoolean()).as("sample " + i).isFalse();
        }
    }

    @Test
    void namesTheFieldThatIsWrongAndLeavesTheStateUnchanged() throws InvalidRequestException {
        ReliableCollections state = new ReliableCollections();
        Ddos ddos = new Ddos(state);
        for (int i = 0; i < 1500; i++) {
            packet(ddos, "10.0.0." + i % 7);
        }
        byte[] before = state.snapshot();
        assertThatThrownBy(() -> ddos.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.1", "threshold", 0)))
                .hasMessage("threshold: must be in (0, 1], got 0.0");
        assertThatThrownBy(() -> ddos.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.1", "threshold", 1.5)))
                .hasMessageStartingWith("threshold: must be in (0, 1]");
        assertThatThrownBy(() -> ddos.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.1", "threshold", "high")))
                .hasMessageStartingWith("threshold: must be a finite number");
        assertThatThrownBy(() -> ddos.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.300")))
                .hasMessageStartingWith("dst: must be a dotted IPv4 address");
        assertThatThrownBy(() -> ddos.handle(Json.of("src", "1.1.1.1"))).hasMessage("dst: required field is missing");
        assertThatThrownBy(() -> ddos.handle(Json.of("dst", "1.1.1.1"))).hasMessage("src: required field is missing");
        assertThatThrownBy(() -> ddos.handle(Json.of("src", "1.1.1.1", "dst", "10.0.0.1", "payload", "=")))
                .hasMessageStartingWith("payload: must be base64");
        assertThatThrownBy(() -> ddos.handle(Json.parse("42"))).hasMessage("request: must be a JSON object");
        assertThat(state.snapshot()).isEqualTo(before);
    }

    @Test
    void servesOrRejectsWithTheFieldNameAnyJsonInput() {
        Natv4Test.assertServesOrRejectsAnyJson(new Ddos(new ReliableCollections()), 44);
    }

    private static JsonNode packet(Ddos ddos, String dst) throws InvalidRequestException {
        return ddos.handle(Json.of("src", "192.0.2.1", "dst", dst));
    }

    /** Phases: uniform over 500 hosts; skewed over 100; 80 % at one victim; uniform over 3 hosts. */
    static int destination(Random r, int phase) {
        return switch (phase) {
            case 0 -> 0x0a000000 + r.nextInt(500);
            case 1 -> 0x0a000000 + (int) (Math.pow(r.nextDouble(), 3) * 100);
            case 2 -> r.nextInt(5) == 0 ? 0x0a000000 + r.nextInt(500) : 0xcb007142;
            default -> 0x0a000000 + r.nextInt(3);
        };
    }
}
