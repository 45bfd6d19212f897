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
 * Count (Table 5.2): item frequency counting with a bitmap. Each item's count is kept exactly; a bitmap of
 * {@value #BITMAP_BITS} bits, one per hash bucket, estimates how many distinct items were seen by linear counting
 * (Whang et al.): n = -m ln(V), V the share of bits still clear.
 *
 * <p>Request {@code {"item": "..."}}; response {@code {"count": n, "distinct": estimate}} after counting it.
 */
public final class Count implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"item\": string}";
    public static final String RESPONSE_SCHEMA = "{\"count\": integer, \"distinct\": integer}";

    public static final int BITMAP_BITS = 1 << 20;

    private final ReliableHashTable counts;
    private final ReliableArray bitmap;
    private final ReliableArray setBits;

    public Count(ReliableCollections state) {
        this.counts = state.hashTable("counts");
        this.bitmap = state.array("bitmap", BITMAP_BITS / 64);
        this.setBits = state.array("bitmap-set-bits", 1);
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.COUNT;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String item = Requests.text(request, "item");
        long count = counts.getLong(item).orElse(0L) + 1;
        counts.putLong(item, count);
        if (bitmap.setBit(Math.floorMod(Hashing.hash64(item), BITMAP_BITS))) {
            setBits.add(0, 1);
        }
        return Requests.response().put("count", count).put("distinct", Math.round(distinct()));
    }

    /** Linear counting estimate of the distinct items seen. */
    double distinct() {
        double clear = (double) (BITMAP_BITS - setBits.get(0)) / BITMAP_BITS;
        return clear == 0 ? BITMAP_BITS : -BITMAP_BITS * Math.log(clear);
    }

    /** A random item of 100,000, its name filling the request to about {@code bytes}. */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        String id = "item-" + random.nextInt(100_000) + "-";
        return Requests.response().put("item", id + "x".repeat(Math.max(0, bytes - 12 - id.length())));
    }
}
