package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;
import io.e3.model.app.MicroserviceType;

import java.util.random.RandomGenerator;

/**
 * EMA (Table 5.2): the exponential moving average of each data stream, ema = alpha * x + (1 - alpha) * ema, starting
 * at the stream's first value.
 *
 * <p>Request {@code {"stream": "...", "value": x, "alpha": a (optional, (0, 1], default 0.2)}}; response
 * {@code {"ema": ..., "samples": n}}.
 */
public final class Ema implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"stream\": string, \"value\": number, \"alpha\"?: number in (0, 1]}";
    public static final String RESPONSE_SCHEMA = "{\"ema\": number, \"samples\": integer}";

    public static final double DEFAULT_ALPHA = 0.2;

    private final ReliableHashTable streams;

    public Ema(ReliableCollections state) {
        this.streams = state.hashTable("ema");
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.EMA;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String stream = Requests.text(request, "stream");
        double x = Requests.number(request, "value");
        double alpha = request.has("alpha") ? Requests.number(request, "alpha") : DEFAULT_ALPHA;
        if (!(alpha > 0 && alpha <= 1)) {
            throw new InvalidRequestException("alpha: must be in (0, 1], got " + alpha);
        }
        double[] s = streams.getDoubles(stream).orElse(null); // {ema, samples}
        double ema = s == null ? x : alpha * x + (1 - alpha) * s[0];
        double samples = s == null ? 1 : s[1] + 1;
        streams.putDoubles(stream, ema, samples);
        return Requests.response().put("ema", ema).put("samples", (long) samples);
    }

    /** A random value on one of 1,000 streams; the request is about 50 bytes whatever {@code bytes} asks. */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        return Requests.response().put("stream", "sensor-" + random.nextInt(1000))
                .put("value", 20 + random.nextGaussian());
    }
}
