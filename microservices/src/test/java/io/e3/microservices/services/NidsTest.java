package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** NIDS against a naive search of every pattern at every offset. */
class NidsTest {

    @Test
    void findsExactlyTheMatchesANaiveSearchFindsOverSmallAlphabets() {
        Random r = new Random(31);
        int matches = 0;
        for (int set = 0; set < 40; set++) {
            // Three-symbol alphabets make matches frequent, overlapping ("aa" in "aaa") and nested ("b" in "aba").
            byte[] alphabet = set % 2 == 0 ? new byte[] {'a', 'b', 'c'} : new byte[] {0, (byte) 0x80, (byte) 0xff};
            List<byte[]> patterns = new ArrayList<>();
            int count = 1 + r.nextInt(40);
            for (int p = 0; p < count; p++) {
                patterns.add(randomText(r, alphabet, 1 + r.nextInt(6)));
            }
            patterns.add(patterns.get(0).clone()); // a duplicate pattern is reported under both ids
            Nids nids = new Nids(patterns);
            for (int text = 0; text < 100; text++) {
                byte[] payload = randomText(r, alphabet, r.nextInt(300));
                Set<List<Integer>> found = new HashSet<>();
                List<Integer> ends = new ArrayList<>();
                nids.scan(payload, (pattern, end) -> {
                    assertThat(found.add(List.of(pattern, end))).as("reported once").isTrue();
                    ends.add(end);
                });
                Set<List<Integer>> expected = naiveSearch(patterns, payload);
                assertThat(found).isEqualTo(expected);
                assertThat(ends).isSorted();
                matches += expected.size();
            }
        }
        assertThat(matches).as("the cases are not trivially empty").isGreaterThan(100_000);
    }

    @Test
    void countsEveryMatchButListsOnlyTheFirst64ByEndOffset() throws InvalidRequestException {
        Random r = new Random(32);
        byte[] alphabet = {'a', 'b'};
        List<byte[]> patterns = List.of(bytes("a"), bytes("ab"), bytes("aba"), bytes("bab"), bytes("b"),
                bytes("aaaa"));
        Nids nids = new Nids(patterns);
        for (int i = 0; i < 200; i++) {
            byte[] payload = randomText(r, alphabet, r.nextInt(200));
            JsonNode response = nids.handle(request(payload));
            Set<List<Integer>> expected = naiveSearch(patterns, payload);
            assertThat(response.get("total").asLong()).isEqualTo(expected.size());
            assertThat(response.get("alert").asBoolean()).isEqualTo(!expected.isEmpty());
            JsonNode listed = response.get("matches");
            assertThat(listed).hasSize(Math.min(expected.size(), Nids.MAX_REPORTED));
            List<Integer> expectedEnds = expected.stream().map(m -> m.get(1)).sorted().toList();
            for (int k = 0; k < listed.size(); k++) {
                int id = listed.get(k).get("id").asInt();
                int end = listed.get(k).get("offset").asInt() + patterns.get(id).length - 1;
                assertThat(expected).contains(List.of(id, end));
                assertThat(end).isEqualTo(expectedEnds.get(k));
                assertThat(listed.get(k).get("pattern").asText()).isEqualTo(new String(patterns.get(id),
                        StandardCharsets.ISO_8859_1));
            }
        }
        // "a" x 1000 holds 1000 matches of "a" and 997 of "aaaa".
        JsonNode flood = nids.handle(request(bytes("a".repeat(1000))));
        assertThat(flood.get("total").asLong()).isEqualTo(1997);
        assertThat(flood.get("matches")).hasSize(64);
    }

    @Test
    void theDefaultSignaturesCatchAPathTraversalAndPassCleanTraffic() throws InvalidRequestException {
        Nids nids = new Nids();
        assertThat(nids.patterns()).hasSize(Nids.SIGNATURES.size() + Nids.RANDOM_PATTERNS);
        // "GET /../../etc/passwd HTTP/1.1": "../../" starts at byte 5, "/etc/passwd" at byte 10.
        JsonNode alert = nids.handle(request(bytes("GET /../../etc/passwd HTTP/1.1")));
        assertThat(alert.get("alert").asBoolean()).isTrue();
        assertThat(alert.get("total").asInt()).isEqualTo(2);
        assertThat(alert.get("matches")).isEqualTo(Json.parse("[{\"id\": " + Nids.SIGNATURES.indexOf("../../")
                + ", \"pattern\": \"../../\", \"offset\": 5}, {\"id\": " + Nids.SIGNATURES.indexOf("/etc/passwd")
                + ", \"pattern\": \"/etc/passwd\", \"offset\": 10}]"));
        JsonNode clean = nids.handle(request(bytes("GET /index.html HTTP/1.1")));
        assertThat(clean.get("alert").asBoolean()).isFalse();
        assertThat(clean.get("total").asLong()).isZero();
        assertThat(clean.get("matches")).isEmpty();
        JsonNode binary = nids.handle(request(new byte[] {0x4d, 0x5a, (byte) 0x90, 0x00, 0x03}));
        assertThat(binary.get("matches").get(0).get("pattern").asText()).isEqualTo("MZ\u0090\u0000");
    }

    @Test
    void twoDefaultInstancesAcceptEverySampleAndAnswerIdentically() throws InvalidRequestException {
        Nids a = new Nids();
        Nids b = new Nids();
        SplittableRandom random = new SplittableRandom(33);
        int alerts = 0;
        for (int i = 0; i < 1000; i++) {
            ObjectNode request = Nids.sampleRequest(random, 512);
            assertThat(request.toString().length()).isBetween(470, 520);
            JsonNode response = a.handle(request);
            assertThat(b.handle(request)).isEqualTo(response);
            alerts += response.get("alert").asBoolean() ? 1 : 0;
        }
        assertThat(alerts).as("about one sample in four carries a signature").isBetween(150, 400);
    }

    @Test
    void namesTheFieldThatIsWrongAndRejectsAnEmptyPattern() {
        Nids nids = new Nids(List.of(bytes("x")));
        assertThatThrownBy(() -> nids.handle(Json.of("src", "1.2.3.4", "dst", "5.6.7.8")))
                .hasMessage("payload: required field is missing");
        assertThatThrownBy(() -> nids.handle(Json.of("src", "1.2.3.4", "dst", "5.6.7.8", "payload", "abc*")))
                .hasMessageStartingWith("payload: must be base64");
        assertThatThrownBy(() -> nids.handle(Json.of("src", "1.2.3.4", "payload", "")))
                .hasMessage("dst: required field is missing");
        assertThatThrownBy(() -> nids.handle(Json.of("src", "1.2.3.4", "dst", "5.6.7.8", "srcPort", 1.5,
                "payload", ""))).hasMessageStartingWith("srcPort: must be a whole number");
        assertThatThrownBy(() -> nids.handle(Json.parse("null"))).hasMessage("request: must be a JSON object");
        assertThatThrownBy(() -> new Nids(List.of(bytes("a"), new byte[0]))).hasMessageContaining("pattern 1");
    }

    /** The oracle: every pattern compared at every offset, byte by byte; a match is (pattern id, end offset). */
    static Set<List<Integer>> naiveSearch(List<byte[]> patterns, byte[] text) {
        Set<List<Integer>> out = new HashSet<>();
        for (int p = 0; p < patterns.size(); p++) {
            byte[] pattern = patterns.get(p);
            for (int start = 0; start + pattern.length <= text.length; start++) {
                if (Arrays.equals(text, start, start + pattern.length, pattern, 0, pattern.length)) {
                    out.add(List.of(p, start + pattern.length - 1));
                }
            }
        }
        return out;
    }

    @Test
    void servesOrRejectsWithTheFieldNameAnyJsonInput() {
        Natv4Test.assertServesOrRejectsAnyJson(new Nids(), 34);
    }

    private static ObjectNode request(byte[] payload) {
        return Json.of("src", "192.0.2.1", "dst", "10.0.0.1", "payload", Base64.getEncoder().encodeToString(payload));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] randomText(Random r, byte[] alphabet, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet[r.nextInt(alphabet.length)];
        }
        return out;
    }
}
