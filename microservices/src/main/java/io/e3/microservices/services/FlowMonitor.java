package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableArray;
import io.e3.microservices.state.ReliableCollections;
import io.e3.model.app.MicroserviceType;

import java.util.random.RandomGenerator;

/**
 * Flow monitor (Table 5.2): per-flow counts in a count-min sketch (Cormode and Muthukrishnan) of {@value #DEPTH} rows
 * of {@value #WIDTH} counters. An estimate never undercounts, and exceeds the true count by more than eps * N (eps =
 * e / WIDTH, N the total counted) with probability at most delta = e^-DEPTH.
 *
 * <p>Request {@code {"flow": "...", "count": c (optional, default 1; 0 only queries)}}; response
 * {@code {"estimate": n, "total": N}} after the update.
 */
public final class FlowMonitor implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"flow\": string, \"count\"?: integer >= 0}";
    public static final String RESPONSE_SCHEMA = "{\"estimate\": integer, \"total\": integer}";

    public static final int WIDTH = 2048;
    public static final int DEPTH = 4;
    /** The 2^61 - 1 Mersenne prime of the pairwise-independent row hashes. */
    private static final long PRIME = (1L << 61) - 1;
    /** Fixed row-hash coefficients: every instance, and every migrated copy, hashes alike. */
    private static final long[] A = {0x1f4b3c2d5e6a7b81L, 0x2a3b4c5d6e7f8091L, 0x3c4d5e6f708192a3L, 0x4e5f60718293a4b5L};
    private static final long[] B = {0x0123456789abcdefL, 0x1133557799bbddffL, 0x2244668800aacceeL, 0x3355779911bbdd0fL};

    private final ReliableArray counters;
    private final ReliableArray total;

    public FlowMonitor(ReliableCollections state) {
        this.counters = state.array("count-min", WIDTH * DEPTH);
        this.total = state.array("count-min-total", 1);
    }

    /** The error bound factor eps = e / WIDTH. */
    public static double epsilon() {
        return Math.E / WIDTH;
    }

    /** The probability delta = e^-DEPTH that an estimate exceeds the bound. */
    public static double delta() {
        return Math.exp(-DEPTH);
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.FLOW_MONITOR;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String flow = Requests.text(request, "flow");
        long count = request.has("count") ? Requests.integer(request, "count", 0, 1L << 40) : 1;
        long x = Math.floorMod(Hashing.hash64(flow), PRIME);
        long estimate = Long.MAX_VALUE;
        for (int row = 0; row < DEPTH; row++) {
            int column = (int) (Math.floorMod(mulAddMod(A[row] % PRIME, x, B[row] % PRIME), PRIME) % WIDTH);
            estimate = Math.min(estimate, counters.add(row * WIDTH + column, count));
        }
        return Requests.response().put("estimate", estimate).put("total", total.add(0, count));
    }

    /** (a * x + b) mod p for p = 2^61 - 1 without overflow. */
    private static long mulAddMod(long a, long x, long b) {
        long hi = Math.multiplyHigh(a, x);
        long lo = a * x;
        // a*x = hi * 2^64 + lo; 2^64 = 8 * 2^61 = 8 (mod p).
        long r = (lo & PRIME) + (lo >>> 61) + (hi << 3);
        r = (r & PRIME) + (r >>> 61);
        r += b;
        r = (r & PRIME) + (r >>> 61);
        return r >= PRIME ? r - PRIME : r;
    }

    /**
     * A packet of a random flow, named by its 5-tuple, among 10,000 flows; about 60 bytes whatever {@code bytes} asks.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        int f = random.nextInt(10_000);
        return Requests.response().put("flow", "10.0." + (f >> 8) + "." + (f & 255) + ":" + (1024 + f)
                + "->192.168.1.1:80/tcp").put("count", 1);
    }
}
