package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableArray;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;
import io.e3.model.app.MicroserviceType;

import java.util.random.RandomGenerator;

/**
 * DDoS (Table 5.2): entropy-based DDoS detection (Feinstein et al., "Statistical approaches to DDoS attack detection
 * and response", DISCEX 2003; Lakhina et al., "Mining anomalies using traffic feature distributions", SIGCOMM 2005).
 * Over a sliding window of the last {@value #WINDOW} packets, the Shannon entropy H (bits) of the destination address
 * distribution is kept; traffic converging on a victim concentrates that distribution and H drops. The entropy is
 * normalised by its maximum for the d distinct destinations in the window, H / log2(d) in [0, 1] (0 when d is 1), so
 * the verdict does not depend on how many servers normal traffic spreads over. An attack is flagged once the window is
 * full and the normalised entropy is below the threshold: by default {@value #DEFAULT_THRESHOLD}, which a flood taking
 * about half the window reaches against uniform traffic to 256 destinations (H/log2 d = 0.62 at half, 0.52 at 60 %).
 *
 * <p>State: a ring of the window's destinations ({@code ddos.window}), each destination's count in the window
 * ({@code ddos.counts}), and the packets seen and S = sum over destinations of c log2 c ({@code ddos.totals}), from
 * which H = log2 n - S / n for n packets in the window. S is kept incrementally in fixed point (units of 2^-40) from a
 * table of c log2 c: integer updates cannot drift, and each term rounds by at most 2^-41, so H is within 1e-12.
 *
 * <p>Request {@code {"src": "a.b.c.d", "dst": "a.b.c.d", "srcPort"?: p, "dstPort"?: p, "proto"?: n,
 * "payload"?: base64, "threshold"?: t in (0, 1]}}; response {@code {"attack": bool, "entropy": H,
 * "normalizedEntropy": h, "distinct": d, "fill": n, "window": W}} after adding the packet.
 */
public final class Ddos implements Microservice {

    public static final String REQUEST_SCHEMA = "{" + Packets.HEADER_SCHEMA + ", \"payload\"?: base64, "
            + "\"threshold\"?: number in (0, 1]}";
    public static final String RESPONSE_SCHEMA = "{\"attack\": boolean, \"entropy\": number, "
            + "\"normalizedEntropy\": number, \"distinct\": integer, \"fill\": integer, \"window\": integer}";
    /** Packets in the sliding window; fixed, so that a restored snapshot always fits. */
    public static final int WINDOW = 1000;
    public static final double DEFAULT_THRESHOLD = 0.6;

    private static final double FIXED_POINT_ONE = 0x1p40;
    /** c log2 c for c in [0, WINDOW], in units of 2^-40; S stays below 2^54 for a window of 1,000. */
    private static final long[] C_LOG_C = new long[WINDOW + 1];
    private static final int SEEN = 0;
    private static final int SUM_C_LOG_C = 1;

    static {
        for (int c = 2; c <= WINDOW; c++) {
            C_LOG_C[c] = Math.round(c * (Math.log(c) / Math.log(2)) * FIXED_POINT_ONE);
        }
    }

    private final ReliableArray window;
    private final ReliableHashTable counts;
    private final ReliableArray totals;

    public Ddos(ReliableCollections state) {
        this.window = state.array("ddos.window", WINDOW);
        this.counts = state.hashTable("ddos.counts");
        this.totals = state.array("ddos.totals", 2);
    }

    /**
     * A random valid request of about {@code bytes} as JSON: ordinary traffic from anywhere to 256 servers, with one
     * request in five aimed at a single victim, so entropy moves but the default threshold is not reached.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        int server = random.nextInt(5) == 0 ? 1 : random.nextInt(256);
        return Packets.sample(random, bytes, random.nextInt(), 0xc6336400 | server); // 198.51.100.0/24
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.DDOS;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        int dst = Packets.read(request, false).dst();
        double threshold = Requests.number(request, "threshold", DEFAULT_THRESHOLD);
        if (!(threshold > 0 && threshold <= 1)) {
            throw new InvalidRequestException("threshold: must be in (0, 1], got " + threshold);
        }
        long seen = totals.get(SEEN);
        int slot = (int) (seen % WINDOW);
        if (seen >= WINDOW) {
            count((int) window.get(slot), -1);
        }
        window.set(slot, dst);
        count(dst, 1);
        totals.set(SEEN, seen + 1);
        return verdict((int) Math.min(seen + 1, WINDOW), threshold);
    }

    /** Adds {@code delta} (+1 or -1) to the window count of {@code address}, and updates S to match. */
    private void count(int address, int delta) {
        String key = Packets.dotted(address);
        long before = counts.getLong(key).orElse(0L);
        long after = before + delta;
        if (after == 0) {
            counts.remove(key);
        } else {
            counts.putLong(key, after);
        }
        totals.add(SUM_C_LOG_C, C_LOG_C[(int) after] - C_LOG_C[(int) before]);
    }

    private ObjectNode verdict(int fill, double threshold) {
        int distinct = counts.size();
        double entropy = log2(fill) - totals.get(SUM_C_LOG_C) / FIXED_POINT_ONE / fill;
        // Rounding of S may leave a hair below 0 or above log2 d; the true value lies in [0, log2 d].
        entropy = Math.max(0, entropy);
        double normalized = distinct <= 1 ? 0 : Math.min(1, entropy / log2(distinct));
        return Requests.response().put("attack", fill == WINDOW && normalized < threshold).put("entropy", entropy)
                .put("normalizedEntropy", normalized).put("distinct", distinct).put("fill", fill)
                .put("window", WINDOW);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
