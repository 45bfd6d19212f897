package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;
import io.e3.model.app.MicroserviceType;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * API gateway (Table 5.2): authenticates each request, rate-limits it per client with a token bucket, and names the
 * upstream service its path routes to (IOT-TS, Fig. 5.1: thermostat updates pass the gateway before the SQL store).
 *
 * <p><b>Authentication.</b> A bearer token {@code clientId.expiryMs.signature} or an API key
 * {@code clientId.signature}, where the signature is HMAC-SHA256 (JCA {@link Mac}) with the gateway secret over the
 * text before the last dot ({@code clientId.expiryMs}, or {@code clientId}), in unpadded base64url. Client ids are 1
 * to 64 of {@code [A-Za-z0-9_-]}, so the two kinds never sign the same text. Signatures are compared in constant time
 * ({@link MessageDigest#isEqual}). A malformed or forged credential, or none, is {@code unauthenticated}; a valid
 * token with {@code now >= expiryMs} is {@code expired}; API keys do not expire.
 *
 * <p><b>Rate limiting</b> (token bucket): each client has a bucket of {@code capacity} tokens refilled at
 * {@code refillPerSecond}; a request takes one token, or is {@code rate-limited} when less than one is left, with
 * {@code retryAfterMs} until one will be. The bucket, {@code [tokens, lastRefillMs]} as doubles (the chapter's rate
 * limiter uses double-precision floating point, §5.3.3), lives in the reliable hash table {@code gw.buckets}.
 *
 * <p><b>Why the request carries {@code now}.</b> The gateway reads no clock: the caller (the NIC or front end that
 * received the request) stamps its arrival time. Decisions are then a function of the state and the request alone, so
 * they are reproducible in tests, and an instance migrated to another host (whose clock differs) or restored from a
 * snapshot decides exactly as the original would have. A {@code now} earlier than the bucket's last refill (requests
 * reordered on the way) refills nothing rather than going back in time.
 *
 * <p>Request {@code {"path": "/...", "now": ms, "token": "..." | "apiKey": "..." (optional), "body": "..."
 * (optional, forwarded unread)}}; response {@code {"allowed": bool, "reason": "ok"|"unauthenticated"|"expired"|
 * "rate-limited", "client": id|null, "upstream": service, "remaining": tokens left, "retryAfterMs": ms}}.
 */
public final class ApiGateway implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"path\": string, \"now\": int (ms), \"token\"?: string, "
            + "\"apiKey\"?: string, \"body\"?: string}";
    public static final String RESPONSE_SCHEMA = "{\"allowed\": bool, \"reason\": \"ok\"|\"unauthenticated\"|"
            + "\"expired\"|\"rate-limited\", \"client\": string|null, \"upstream\": string, \"remaining\": number, "
            + "\"retryAfterMs\": int}";
    /** A DEMO secret, for tests, samples and local runs only: a deployment must pass its own to the constructor. */
    public static final String DEMO_SECRET = "e3-demo-gateway-secret-not-for-production";
    /** 100 requests of burst, 50 per second sustained. */
    public static final RateLimit DEFAULT_LIMIT = new RateLimit(100, 50);
    /** Times are at most 2^53 ms (year 287,396), so they convert to double exactly. */
    public static final long MAX_NOW = 1L << 53;
    /** Path prefix to upstream service; the longest matching prefix wins, {@code /} catches the rest. */
    public static final Map<String, String> ROUTES = routes();

    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final int MAX_PATH = 2048;
    private static final long SAMPLE_EPOCH_MS = 1_700_000_000_000L;
    private static final int SAMPLE_CLIENTS = 1000;

    private static final Pattern EXPIRY = Pattern.compile("[0-9]{1,16}");

    /** A token bucket's size and refill rate. */
    public record RateLimit(double capacity, double refillPerSecond) {
        public RateLimit {
            if (!(capacity >= 1 && capacity < 1e12) || !(refillPerSecond > 0 && refillPerSecond < 1e12)) {
                throw new IllegalArgumentException("rate limit: capacity must be in [1, 1e12) and refill rate in "
                        + "(0, 1e12), got " + capacity + " and " + refillPerSecond);
            }
        }
    }

    private final ReliableHashTable buckets;
    private final Mac mac;
    private final RateLimit defaultLimit;
    private final Map<String, RateLimit> limits;

    /** A gateway with the {@link #DEMO_SECRET} and the {@link #DEFAULT_LIMIT} for every client. */
    public ApiGateway(ReliableCollections state) {
        this(state, DEMO_SECRET.getBytes(StandardCharsets.UTF_8), DEFAULT_LIMIT, Map.of());
    }

    /** A gateway whose credentials are signed with {@code secret} (at least 16 bytes), with the default limit. */
    public ApiGateway(ReliableCollections state, byte[] secret) {
        this(state, secret, DEFAULT_LIMIT, Map.of());
    }

    /**
     * @param secret       the HMAC key tokens and API keys are signed with, at least 16 bytes
     * @param defaultLimit the bucket of clients without an entry in {@code limits}
     * @param limits       per-client buckets, by client id
     */
    public ApiGateway(ReliableCollections state, byte[] secret, RateLimit defaultLimit, Map<String, RateLimit> limits) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret: at least 16 bytes, got " + secret.length);
        }
        this.buckets = state.hashTable("gw.buckets");
        this.mac = hmac(secret);
        this.defaultLimit = Objects.requireNonNull(defaultLimit, "defaultLimit");
        this.limits = Map.copyOf(limits);
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.API_GATEWAY;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String path = Requests.text(request, "path");
        if (!path.startsWith("/") || path.length() > MAX_PATH) {
            throw new InvalidRequestException("path: must start with / and be at most " + MAX_PATH + " characters");
        }
        long now = Requests.integer(request, "now", 0, MAX_NOW);
        String token = Requests.text(request, "token", null);
        String apiKey = Requests.text(request, "apiKey", null);
        if (token != null && apiKey != null) {
            throw new InvalidRequestException("token: send a token or an apiKey, not both");
        }
        Requests.text(request, "body", "");
        ObjectNode response = Requests.response().put("upstream", route(path));
        String client = token != null ? verify(token, true) : apiKey != null ? verify(apiKey, false) : null;
        if (client == null) {
            return deny(response, "unauthenticated", null);
        }
        if (token != null && now >= Long.parseLong(token.substring(client.length() + 1, token.lastIndexOf('.')))) {
            return deny(response, "expired", client);
        }
        return limit(response, client, now);
    }

    /** The client a credential names when it is well formed and correctly signed, else null. */
    private String verify(String credential, boolean expires) {
        int dot = credential.lastIndexOf('.');
        if (dot < 0) {
            return null;
        }
        String signed = credential.substring(0, dot);
        int first = signed.indexOf('.');
        String client = expires ? (first < 0 ? "" : signed.substring(0, first)) : signed;
        if (!CLIENT_ID.matcher(client).matches()
                || (expires && !EXPIRY.matcher(signed.substring(first + 1)).matches())) {
            return null;
        }
        byte[] expected = sign(mac, signed).getBytes(StandardCharsets.US_ASCII);
        byte[] given = credential.substring(dot + 1).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(expected, given) ? client : null;
    }

    private ObjectNode limit(ObjectNode response, String client, long now) {
        RateLimit limit = limits.getOrDefault(client, defaultLimit);
        double[] bucket = buckets.getDoubles(client).orElse(null);
        double tokens = bucket == null ? limit.capacity() : bucket[0];
        double last = bucket == null ? now : bucket[1];
        if (now > last) {
            tokens = Math.min(limit.capacity(), tokens + (now - last) * limit.refillPerSecond() / 1000.0);
            last = now;
        }
        boolean allowed = tokens >= 1;
        if (allowed) {
            tokens -= 1;
        }
        buckets.putDoubles(client, tokens, last);
        long retryAfter = allowed ? 0 : (long) Math.ceil((1 - tokens) * 1000.0 / limit.refillPerSecond());
        return response.put("allowed", allowed).put("reason", allowed ? "ok" : "rate-limited").put("client", client)
                .put("remaining", tokens).put("retryAfterMs", retryAfter);
    }

    private static ObjectNode deny(ObjectNode response, String reason, String client) {
        return response.put("allowed", false).put("reason", reason).put("client", client).put("remaining", 0.0)
                .put("retryAfterMs", 0L);
    }

    /** The upstream of the longest route prefix that is {@code path} or a whole leading segment of it. */
    static String route(String path) {
        for (Map.Entry<String, String> r : ROUTES.entrySet()) {
            String prefix = r.getKey();
            if (path.startsWith(prefix) && (prefix.endsWith("/") || path.length() == prefix.length()
                    || path.charAt(prefix.length()) == '/' || path.charAt(prefix.length()) == '?')) {
                return r.getValue();
            }
        }
        return ROUTES.get("/");
    }

    private static Map<String, String> routes() {
        Map<String, String> byLength = new LinkedHashMap<>();
        List.of(Map.entry("/v1/telemetry", "sql"), Map.entry("/v1/devices", "kvs"), Map.entry("/v1/averages", "ema"),
                        Map.entry("/v1/alerts", "spike"), Map.entry("/v1/recommendations", "recommend"),
                        Map.entry("/", "default"))
                .stream().sorted(Comparator.comparingInt((Map.Entry<String, String> e) -> -e.getKey().length()))
                .forEach(e -> byLength.put(e.getKey(), e.getValue()));
        return Collections.unmodifiableMap(byLength);
    }

    /** A bearer token for {@code clientId} valid until {@code expiryMs}, signed with {@code secret}. */
    public static String mintToken(byte[] secret, String clientId, long expiryMs) {
        if (!CLIENT_ID.matcher(clientId).matches() || expiryMs < 0 || expiryMs >= 10_000_000_000_000_000L) {
            throw new IllegalArgumentException("clientId must match " + CLIENT_ID + " and expiry have at most 16 "
                    + "digits, got " + clientId + " and " + expiryMs);
        }
        String signed = clientId + "." + expiryMs;
        return signed + "." + sign(hmac(secret), signed);
    }

    /** A bearer token signed with the {@link #DEMO_SECRET}. */
    public static String mintToken(String clientId, long expiryMs) {
        return mintToken(DEMO_SECRET.getBytes(StandardCharsets.UTF_8), clientId, expiryMs);
    }

    /** An API key (no expiry) for {@code clientId}, signed with {@code secret}. */
    public static String mintApiKey(byte[] secret, String clientId) {
        if (!CLIENT_ID.matcher(clientId).matches()) {
            throw new IllegalArgumentException("clientId must match " + CLIENT_ID + ", got " + clientId);
        }
        return clientId + "." + sign(hmac(secret), clientId);
    }

    private static Mac hmac(byte[] secret) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(secret, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }

    private static String sign(Mac mac, String text) {
        byte[] tag = mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
    }

    /**
     * A random valid request: one of 1,000 clients at a time within an hour, 90 % with a valid token, 4 % expired,
     * 3 % forged, 3 % with an API key; a {@code body} fills it to about {@code bytes}.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        String client = String.format("client-%04d", random.nextInt(SAMPLE_CLIENTS));
        long now = SAMPLE_EPOCH_MS + random.nextLong(3_600_000L);
        List<String> paths = List.of("/v1/telemetry/", "/v1/devices/", "/v1/averages/", "/v1/alerts/", "/v1/misc/");
        ObjectNode request = Requests.response().put("path", paths.get(random.nextInt(paths.size())) + client)
                .put("now", now);
        int kind = random.nextInt(100);
        if (kind < 97) {
            long expiry = kind < 90 ? SAMPLE_EPOCH_MS + 86_400_000L : SAMPLE_EPOCH_MS - 1000;
            String token = mintToken(client, expiry);
            char last = token.charAt(token.length() - 1);
            String forged = token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A');
            request.put("token", kind < 94 ? token : forged);
        } else {
            request.put("apiKey", mintApiKey(DEMO_SECRET.getBytes(StandardCharsets.UTF_8), client));
        }
        int base = request.toString().length() + ",\"body\":\"\"".length();
        return request.put("body", Samples.text(random, bytes - base));
    }
}
