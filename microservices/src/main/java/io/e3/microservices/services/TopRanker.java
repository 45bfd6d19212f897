package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;
import io.e3.model.app.MicroserviceType;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Top ranker (Table 5.2): keeps a score per key and ranks the top K with quicksort's partition step (quickselect),
 * then sorts those K.
 *
 * <p>Requests {@code {"op": "add", "key": "...", "score": s}} (adds s to the key's score; response
 * {@code {"score": total}}) and {@code {"op": "top", "k": K}} (response {@code {"top": [{"key", "score"}, ...]}},
 * highest first, ties by key).
 */
public final class TopRanker implements Microservice {

    public static final String REQUEST_SCHEMA = "{\"op\": \"add\", \"key\": string, \"score\": number} | {\"op\": \"top\", \"k\": integer in [1, 10000]}";
    public static final String RESPONSE_SCHEMA = "{\"score\": number} | {\"top\": [{\"key\": string, \"score\": number}]}";

    public static final int MAX_K = 10_000;

    private final ReliableHashTable scores;

    public TopRanker(ReliableCollections state) {
        this.scores = state.hashTable("scores");
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.TOP_RANKER;
    }

    private record Entry(String key, double score) {
        /** Orders higher scores first, then keys alphabetically. */
        boolean before(Entry o) {
            return score != o.score ? score > o.score : key.compareTo(o.key) < 0;
        }
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        if (Requests.choice(request, "op", "add", "top").equals("add")) {
            String key = Requests.text(request, "key");
            double total = scores.getDouble(key).orElse(0.0) + Requests.number(request, "score");
            scores.putDouble(key, total);
            return Requests.response().put("score", total);
        }
        int k = (int) Requests.integer(request, "k", 1, MAX_K);
        List<Entry> all = new ArrayList<>(scores.size());
        for (String key : scores.keys()) {
            all.add(new Entry(key, scores.getDouble(key).orElseThrow()));
        }
        Entry[] a = all.toArray(Entry[]::new);
        int n = Math.min(k, a.length);
        select(a, 0, a.length - 1, n);
        quicksort(a, 0, n - 1);
        ObjectNode response = Requests.response();
        ArrayNode top = response.putArray("top");
        for (int i = 0; i < n; i++) {
            top.addObject().put("key", a[i].key()).put("score", a[i].score());
        }
        return response;
    }

    /** Rearranges a[lo..hi] so that its first n entries (from lo) are the n that come first, in any order. */
    private static void select(Entry[] a, int lo, int hi, int n) {
        while (lo < hi) {
            int p = partition(a, lo, hi);
            int leftSize = p - lo + 1;
            if (leftSize == n) {
                return;
            }
            if (n < leftSize) {
                hi = p - 1;
            } else {
                n -= leftSize;
                lo = p + 1;
            }
        }
    }

    private static void quicksort(Entry[] a, int lo, int hi) {
        while (lo < hi) {
            int p = partition(a, lo, hi);
            if (p - lo < hi - p) {
                quicksort(a, lo, p - 1);
                lo = p + 1;
            } else {
                quicksort(a, p + 1, hi);
                hi = p - 1;
            }
        }
    }

    /** Lomuto partition around the middle element; returns the pivot's final index. */
    private static int partition(Entry[] a, int lo, int hi) {
        int mid = lo + (hi - lo) / 2;
        swap(a, mid, hi);
        Entry pivot = a[hi];
        int i = lo;
        for (int j = lo; j < hi; j++) {
            if (a[j].before(pivot)) {
                swap(a, i++, j);
            }
        }
        swap(a, i, hi);
        return i;
    }

    private static void swap(Entry[] a, int i, int j) {
        Entry t = a[i];
        a[i] = a[j];
        a[j] = t;
    }

    /** Mostly score updates over 10,000 keys; one request in 20 asks for the top 10. About 50 bytes. */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        return random.nextInt(20) == 0 ? Requests.response().put("op", "top").put("k", 10)
                : Requests.response().put("op", "add").put("key", "page-" + random.nextInt(10_000))
                .put("score", 1 + random.nextInt(5));
    }
}
