package io.e3.agent.exec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.services.MicroserviceCatalog;
import io.e3.model.app.MicroserviceType;
import java.io.IOException;
import java.util.SplittableRandom;

/**
 * An application request as it travels along the DAG (§5.4, data-flow model): the same envelope reaches every service
 * on its path, and each service takes its own request from it.
 *
 * <pre>
 * {"key": "thermostat-17",            optional: the shard key, at most 256 characters
 *  "id": 42,                          optional: the client's request number (seeds generated requests)
 *  "bytes": 512,                      optional: size of generated requests, 1 to 65536 (default 512)
 *  "stages": {"store": {...}, ...},   optional: the request for each service by name
 *  "trace": true}                     optional: every stage's answer carries its latencies (default false)
 * </pre>
 *
 * A service with no entry in {@code stages} gets a realistic request of about {@code bytes} bytes from the catalog's
 * sampler, seeded from (key, id, service), so the same envelope always yields the same request. A traced envelope
 * makes each stage add {@code execMicros} and {@code latencyMicros} to its answer ({@code io.e3.agent.StageTrace});
 * an untraced one, as load generators send, costs nothing more.
 */
public record Envelope(String key, long id, int bytes, ObjectNode stages, boolean trace) {

    /** An untraced envelope. */
    public Envelope(String key, long id, int bytes, ObjectNode stages) {
        this(key, id, bytes, stages, false);
    }

    public static final int MAX_KEY_LENGTH = 256;
    public static final int DEFAULT_BYTES = 512;
    static final ObjectMapper JSON = new ObjectMapper();

    /** Parses {@code payload}; {@code defaultId} is used when it has no id. */
    public static Envelope parse(byte[] payload, long defaultId) throws BadEnvelopeException {
        JsonNode root;
        try {
            root = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            throw new BadEnvelopeException("request is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new BadEnvelopeException("request is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadEnvelopeException("request: expected a JSON object with key, id, bytes, stages");
        }
        JsonNode key = root.get("key");
        if (key != null && !key.isNull() && (!key.isTextual() || key.asText().length() > MAX_KEY_LENGTH)) {
            throw new BadEnvelopeException("key: expected a string of at most " + MAX_KEY_LENGTH + " characters");
        }
        JsonNode id = root.get("id");
        if (id != null && !id.isNull() && !(id.isIntegralNumber() && id.canConvertToLong())) {
            throw new BadEnvelopeException("id: expected an integer");
        }
        JsonNode bytes = root.get("bytes");
        if (bytes != null && !bytes.isNull() && (!bytes.isIntegralNumber() || !bytes.canConvertToInt()
                || bytes.asInt() < 1 || bytes.asInt() > 65_536)) {
            throw new BadEnvelopeException("bytes: expected an integer in [1, 65536]");
        }
        JsonNode stages = root.get("stages");
        if (stages != null && !stages.isNull() && !stages.isObject()) {
            throw new BadEnvelopeException("stages: expected an object of service name to request");
        }
        JsonNode trace = root.get("trace");
        if (trace != null && !trace.isNull() && !trace.isBoolean()) {
            throw new BadEnvelopeException("trace: expected true or false");
        }
        return new Envelope(key == null || key.isNull() ? null : key.asText(),
                id == null || id.isNull() ? defaultId : id.asLong(),
                bytes == null || bytes.isNull() ? DEFAULT_BYTES : bytes.asInt(),
                stages == null || stages.isNull() ? null : (ObjectNode) stages,
                trace != null && trace.asBoolean(false));
    }

    /** The request for {@code service} of {@code type}: its stage entry, or a seeded sample. */
    public JsonNode requestFor(String service, MicroserviceType type) throws BadEnvelopeException {
        JsonNode explicit = stages == null ? null : stages.get(service);
        if (explicit != null) {
            if (!explicit.isObject()) {
                throw new BadEnvelopeException("stages." + service + ": expected an object");
            }
            return explicit;
        }
        long seed = io.e3.agent.routing.AppRoutes.hash((key == null ? "" : key) + "\u0000" + id + "\u0000" + service);
        return MicroserviceCatalog.describe(type).sampler().sample(new SplittableRandom(seed), bytes);
    }

    /** An envelope that is not well formed; the message names the field. */
    public static final class BadEnvelopeException extends Exception {
        public BadEnvelopeException(String message) {
            super(message);
        }
    }
}
