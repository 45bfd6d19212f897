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
 * Spike (Table 5.2): a Z-score spike detector per data stream. A value is a spike when it lies more than
 * {@code threshold} standard deviations from the mean of the values before it (Welford's running mean and variance).
 *
 * <p>Request {@code {"stream": "...", "value": x, "threshold": t (optional, default 3)}}; response
 * {@code {"spike": bool, "zscore": z (0 until two values are known), "mean": m, "stddev": s, "samples": n}} where m, s
 * and n include the new value.
 */
public final class Spike implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"stream\": string, \"value\": number, \"threshold\"?: number > 0}";
    public static final String RESPONSE_SCHEMA = "{\"spike\": boolean, \"zscore\": number, \"mean\": number, \"stddev\": number, \"samples\": integer}";

    public static final double DEFAULT_THRESHOLD = 3;

    private final ReliableHashTable streams;

    public Spike(ReliableCollections state) {
        this.streams = state.hashTable("spike");
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.SPIKE;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String stream = Requests.text(request, "stream");
        double x = Requests.number(request, "value");
        double threshold = request.has("threshold") ? Requests.number(request, "threshold") : DEFAULT_THRESHOLD;
        if (!(threshold > 0)) {
            throw new InvalidRequestException("threshold: must be > 0, got " + threshold);
        }
        double[] s = streams.getDoubles(stream).orElse(new double[3]); // {n, mean, M2}
        double n = s[0];
        double stddev = n >= 2 ? Math.sqrt(s[2] / (n - 1)) : 0;
        double z = stddev > 0 ? (x - s[1]) / stddev : 0;
        n += 1;
        double delta = x - s[1];
        double mean = s[1] + delta / n;
        double m2 = s[2] + delta * (x - mean);
        streams.putDoubles(stream, n, mean, m2);
        return Requests.response().put("spike", Math.abs(z) > threshold).put("zscore", z).put("mean", mean)
                .put("stddev", n >= 2 ? Math.sqrt(m2 / (n - 1)) : 0.0).put("samples", (long) n);
    }

    /**
     * A random value on one of 1,000 streams, an outlier one time in 100; about 50 bytes whatever {@code bytes} asks.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        double value = 20 + random.nextGaussian() + (random.nextInt(100) == 0 ? 10 : 0);
        return Requests.response().put("stream", "sensor-" + random.nextInt(1000)).put("value", value);
    }
}
