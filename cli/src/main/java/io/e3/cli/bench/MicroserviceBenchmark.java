package io.e3.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.services.MicroserviceCatalog;
import io.e3.model.app.MicroserviceType;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Host cost of one request of each microservice type, on one core (JMH, average time per operation).
 *
 * <p>{@link #service} times {@link Microservice#handle} on an already parsed request, the service's own work;
 * {@link #endToEnd} adds what a runtime does around it: parse the request bytes as JSON and serialise the response.
 * Requests come from the type's sampler, a pool of {@value #POOL} generated up front and served in a loop, after
 * {@value #PRIMING} requests have brought a stateful instance's state to a steady size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class MicroserviceBenchmark {

    static final int POOL = 4096;
    static final int PRIMING = 20_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The manifest name of the type; {@code e3 bench microservices} sets it. */
    @Param("kvs")
    public String type;

    /** The requested size of a request in bytes; the sampler gets as close as the type's requests allow. */
    @Param("512")
    public int bytes;

    private Microservice instance;
    private JsonNode[] requests;
    private byte[][] encoded;
    private int next;

    @Setup
    public void setUp() throws IOException, InvalidRequestException {
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(MicroserviceType.byManifestName(type)
                .orElseThrow(() -> new IllegalArgumentException("unknown type " + type)));
        SplittableRandom random = new SplittableRandom(42);
        instance = entry.create();
        requests = new JsonNode[POOL];
        encoded = new byte[POOL][];
        for (int i = 0; i < POOL; i++) {
            requests[i] = entry.sampler().sample(random, bytes);
            encoded[i] = JSON.writeValueAsBytes(requests[i]);
        }
        for (int i = 0; i < PRIMING; i++) {
            instance.handle(requests[i % POOL]);
        }
    }

    @Benchmark
    public JsonNode service() throws InvalidRequestException {
        return instance.handle(requests[next++ & (POOL - 1)]);
    }

    @Benchmark
    public byte[] endToEnd() throws IOException, InvalidRequestException {
        return JSON.writeValueAsBytes(instance.handle(JSON.readTree(encoded[next++ & (POOL - 1)])));
    }

    /** Mean serialised size of the requests the sampler makes for {@code type} at {@code bytes}. */
    public static double meanRequestBytes(MicroserviceType type, int bytes) throws IOException {
        MicroserviceCatalog.Entry entry = MicroserviceCatalog.describe(type);
        SplittableRandom random = new SplittableRandom(42);
        long total = 0;
        for (int i = 0; i < POOL; i++) {
            total += JSON.writeValueAsBytes(entry.sampler().sample(random, bytes)).length;
        }
        return (double) total / POOL;
    }
}
