package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Known-answer tests of the API gateway: JCA HMAC, hand-computed token buckets and a simulated bucket oracle. */
class ApiGatewayTest {

    private static final byte[] SECRET = "a-test-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_SECRET = "another-secret-of-enough-length".getBytes(StandardCharsets.UTF_8);
    private static final long T0 = 1_000_000L;

    private final ApiGateway gateway = new ApiGateway(new ReliableCollections(), SECRET);

    private JsonNode call(String credentialField, String credential, long now) throws InvalidRequestException {
        ObjectNode request = Json.of("path", "/v1/telemetry/t1", "now", now);
        if (credentialField != null) {
            request.put(credentialField, credential);
        }
        return gateway.handle(request);
    }

    private static String jcaHmac(byte[] key, String text) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        byte[] tag = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    }

    @Test
    void tokensAndApiKeysAreSignedWithHmacSha256ComputedIndependently() throws Exception {
        assertThat(ApiGateway.mintToken(SECRET, "thermostat-7", 123_456))
                .isEqualTo("thermostat-7.123456." + jcaHmac(SECRET, "thermostat-7.123456"));
        assertThat(ApiGateway.mintApiKey(SECRET, "svc_a")).isEqualTo("svc_a." + jcaHmac(SECRET, "svc_a"));
        // A token signed independently, not minted by the class under test, is accepted.
        String token = "dev-1." + (T0 + 5000) + "." + jcaHmac(SECRET, "dev-1." + (T0 + 5000));
        JsonNode ok = call("token", token, T0);
        assertThat(ok.get("allowed").asBoolean()).isTrue();
        assertThat(ok.get("reason").asText()).isEqualTo("ok");
        assertThat(ok.get("client").asText()).isEqualTo("dev-1");
        assertThat(call("apiKey", "svc_a." + jcaHmac(SECRET, "svc_a"), T0).get("reason").asText()).isEqualTo("ok");
    }

    @Test
    void forgedMalformedAndMissingCredentialsAreUnauthenticated() throws Exception {
        String valid = ApiGateway.mintToken(SECRET, "dev-1", T0 + 5000);
        String signature = valid.substring(valid.lastIndexOf('.') + 1);
        List<String> badTokens = List.of(
                ApiGateway.mintToken(OTHER_SECRET, "dev-1", T0 + 5000),
                "dev-2." + (T0 + 5000) + "." + signature, // signature of another client
                "dev-1." + (T0 + 9999) + "." + signature, // expiry extended
                valid.substring(0, valid.length() - 1) + (valid.endsWith("A") ? "B" : "A"),
                valid + "=", valid + ".x", "dev-1." + signature, "", ".", "..", "dev-1..", "dev-1.12x." + signature,
                "dev.1." + (T0 + 5000) + "." + jcaHmac(SECRET, "dev.1." + (T0 + 5000)), // dots are not in client ids
                "dev-1.12345678901234567." + jcaHmac(SECRET, "dev-1.12345678901234567"), // 17-digit expiry
                "dev 1." + (T0 + 5000) + "." + jcaHmac(SECRET, "dev 1." + (T0 + 5000)),
                ApiGateway.mintApiKey(SECRET, "dev-1")); // an API key is not a token
        for (String bad : badTokens) {
            JsonNode r = call("token", bad, T0);
            assertThat(r.get("reason").asText()).as(bad).isEqualTo("unauthenticated");
            assertThat(r.get("allowed").asBoolean()).isFalse();
            assertThat(r.get("client").isNull()).isTrue();
        }
        assertThat(call("apiKey", valid, T0).get("reason").asText()).isEqualTo("unauthenticated");
        assertThat(call("apiKey", "svc_a." + jcaHmac(SECRET, "svc_b"), T0).get("reason").asText())
                .isEqualTo("unauthenticated");
        assertThat(call(null, null, T0).get("reason").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void aTokenExpiresAtItsExpiryTimeAndAForgedExpiredTokenStaysUnauthenticated() throws Exception {
        String token = ApiGateway.mintToken(SECRET, "dev-1", T0);
        assertThat(call("token", token, T0 - 1).get("reason").asText()).isEqualTo("ok");
        JsonNode expired = call("token", token, T0);
        assertThat(expired.get("reason").asText()).isEqualTo("expired");
        assertThat(expired.get("allowed").asBoolean()).isFalse();
        assertThat(expired.get("client").asText()).isEqualTo("dev-1");
        String forged = "dev-1." + (T0 - 10) + "." + jcaHmac(OTHER_SECRET, "dev-1." + (T0 - 10));
        assertThat(call("token", forged, T0).get("reason").asText()).isEqualTo("unauthenticated");
    }

    @Test
    void burstThenRefillFollowsHandComputedNumbers() throws Exception {
        String token = ApiGateway.mintToken(SECRET, "burst", Long.MAX_VALUE / 1000);
        // Default bucket: 100 tokens, 50 per second, so one token every 20 ms.
        for (int i = 1; i <= 100; i++) {
            JsonNode r = call("token", token, T0);
            assertThat(r.get("allowed").asBoolean()).isTrue();
            assertThat(r.get("remaining").asDouble()).isEqualTo(100 - i); // 99, 98, ..., 0
        }
        // 101st at the same instant: 0 tokens; one token takes 1 / 50 s = 20 ms.
        JsonNode limited = call("token", token, T0);
        assertThat(limited.get("reason").asText()).isEqualTo("rate-limited");
        assertThat(limited.get("remaining").asDouble()).isZero();
        assertThat(limited.get("retryAfterMs").asLong()).isEqualTo(20);
        // 10 ms later: 10 * 50 / 1000 = 0.5 tokens, still limited, 10 ms to go.
        limited = call("token", token, T0 + 10);
        assertThat(limited.get("remaining").asDouble()).isEqualTo(0.5);
        assertThat(limited.get("retryAfterMs").asLong()).isEqualTo(10);
        // 20 ms: 0.5 + 0.5 = 1 token, allowed, 0 left.
        JsonNode ok = call("token", token, T0 + 20);
        assertThat(ok.get("allowed").asBoolean()).isTrue();
        assertThat(ok.get("remaining").asDouble()).isZero();
        // A request stamped earlier (reordered in transit) refills nothing.
        assertThat(call("token", token, T0 + 5).get("retryAfterMs").asLong()).isEqualTo(20);
        // 1,020 ms: 1,000 ms * 50 / s = 50 tokens, one taken: 49.
        assertThat(call("token", token, T0 + 1020).get("remaining").asDouble()).isEqualTo(49);
        // An hour later the bucket is full again (capped at 100), one taken: 99.
        assertThat(call("token", token, T0 + 3_600_000).get("remaining").asDouble()).isEqualTo(99);
    }

    @Test
    void bucketsAgreeWithASimulationOnRandomRequestTimes() throws Exception {
        Map<String, ApiGateway.RateLimit> limits = Map.of("c0", new ApiGateway.RateLimit(5, 2),
                "c1", new ApiGateway.RateLimit(1, 0.5));
        ApiGateway limited = new ApiGateway(new ReliableCollections(), SECRET, new ApiGateway.RateLimit(10, 7),
                limits);
        Map<String, double[]> oracle = new HashMap<>(); // client -> {tokens, last}
        Random r = new Random(11);
        long now = T0;
        for (int i = 0; i < 20_000; i++) {
            now += r.nextInt(10) == 0 ? -r.nextInt(200) : r.nextInt(400); // sometimes out of order
            String client = "c" + r.nextInt(6);
            ApiGateway.RateLimit limit = limits.getOrDefault(client, new ApiGateway.RateLimit(10, 7));
            JsonNode got = limited.handle(Json.of("path", "/v1/devices/x", "now", now,
                    "token", ApiGateway.mintToken(SECRET, client, 1L << 50)));
            // tokens = min(capacity, tokens + (t - t0) * rate), refilling only when time moves forward.
            double[] b = oracle.computeIfAbsent(client, c -> new double[] {limit.capacity(), 0});
            if (b[1] == 0 || now > b[1]) {
                double elapsed = b[1] == 0 ? 0 : now - b[1];
                b[0] = Math.min(limit.capacity(), b[0] + elapsed * limit.refillPerSecond() / 1000.0);
                b[1] = now;
            }
            boolean allowed = b[0] >= 1;
            b[0] -= allowed ? 1 : 0;
            assertThat(got.get("allowed").asBoolean()).as("request " + i).isEqualTo(allowed);
            assertThat(got.get("remaining").asDouble()).isCloseTo(b[0], within(1e-9));
            long retry = allowed ? 0 : (long) Math.ceil((1 - b[0]) / limit.refillPerSecond() * 1000 - 1e-9);
            assertThat(got.get("retryAfterMs").asLong()).isBetween(retry, retry + 1);
        }
    }

    @Test
    void routesByTheLongestWholeSegmentPrefix() {
        assertThat(ApiGateway.route("/v1/telemetry")).isEqualTo("sql");
        assertThat(ApiGateway.route("/v1/telemetry/t-9?x=1")).isEqualTo("sql");
        assertThat(ApiGateway.route("/v1/telemetryX")).isEqualTo("default");
        assertThat(ApiGateway.route("/v1/devices/d")).isEqualTo("kvs");
        assertThat(ApiGateway.route("/")).isEqualTo("default");
    }

    @Test
    void namesWhatIsWrongWithARequest() {
        String token = ApiGateway.mintToken("c", 10);
        assertThatThrownBy(() -> gateway.handle(Json.of("now", 1))).hasMessage("path: required field is missing");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "v1", "now", 1))).hasMessageStartingWith("path: ");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "/", "now", "soon")))
                .hasMessageStartingWith("now: must be a whole number");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "/", "now", -1))).hasMessageStartingWith("now: ");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "/", "now", Long.MAX_VALUE)))
                .hasMessageStartingWith("now: must be in [0, ");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "/", "now", 1, "token", 5)))
                .hasMessageStartingWith("token: must be a string");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "/", "now", 1, "token", token, "apiKey", "k.s")))
                .hasMessageStartingWith("token: ");
        assertThatThrownBy(() -> gateway.handle(Json.of("path", "/", "now", 1, "body", List.of())))
                .hasMessageStartingWith("body: ");
        assertThatThrownBy(() -> gateway.handle(Json.parse("\"GET /\""))).hasMessage("request: must be a JSON object");
    }

    @Test
    void everySampleIsAcceptedByTheDefaultInstanceAndNearTheAskedSize() throws Exception {
        ApiGateway fresh = new ApiGateway(new ReliableCollections());
        SplittableRandom random = new SplittableRandom(3);
        Set<String> reasons = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            ObjectNode sample = ApiGateway.sampleRequest(random, 512);
            assertThat(sample.toString().length()).isBetween(461, 563);
            reasons.add(fresh.handle(sample).get("reason").asText());
        }
        assertThat(reasons).contains("ok", "expired", "unauthenticated");
    }

    @Test
    void aRestoredGatewayKeepsItsBuckets() throws Exception {
        ReliableCollections state = new ReliableCollections();
        ApiGateway original = new ApiGateway(state, SECRET);
        String token = ApiGateway.mintToken(SECRET, "dev", 1L << 50);
        for (int i = 0; i < 100; i++) {
            original.handle(Json.of("path", "/", "now", T0, "token", token));
        }
        ApiGateway restored = new ApiGateway(ReliableCollections.restore(state.snapshot()), SECRET);
        assertThat(restored.handle(Json.of("path", "/", "now", T0, "token", token)).get("reason").asText())
                .isEqualTo("rate-limited");
    }
}
