package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.ReliableHashTable;
import io.e3.model.app.MicroserviceType;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.IntToDoubleFunction;
import java.util.random.RandomGenerator;

/**
 * Recommend (Table 5.2): item-based collaborative filtering (Sarwar, Karypis, Konstan &amp; Riedl, "Item-based
 * collaborative filtering recommendation algorithms", WWW 2001) with cosine similarity over a sliding window of
 * ratings. The similarity of items i and j is the cosine of their rating vectors over users,
 * {@code sim(i, j) = sum_v r(v,i) r(v,j) / (||r(., i)|| ||r(., j)||)}, and the prediction for user u and an item i
 * u has not rated is the similarity-weighted sum of u's ratings (Sarwar §3.2.1):
 * {@code P(u, i) = sum_j sim(i, j) r(u, j) / sum_j sim(i, j)} over the items j u rated with sim(i, j) &gt; 0 (ratings
 * are positive, so similarities are never negative). Every item co-rated with one of u's items is a candidate.
 *
 * <p>Bounded work: the service keeps each user's {@value #MAX_USER_RATINGS} most recent ratings and each item's
 * {@value #MAX_ITEM_RATINGS} most recent raters; a rating that falls out of either window is forgotten by both (one
 * set of ratings, indexed by user and by item), and re-rating an item makes that rating the most recent. Similarities
 * and predictions are exact over the retained ratings. A recommendation therefore visits at most 32 profile items x 32
 * raters x 32 of their items = 32,768 co-ratings and decodes at most 1,024 rater profiles (measured about 0.2 ms on
 * a full sample workload, in line with Recommend being the slowest service of Table 5.1).
 *
 * <p>All state is in reliable hash tables: {@code recommend.user-ids} and {@code recommend.item-ids} (name to dense id,
 * never removed), {@code recommend.item-names} (id to name), {@code recommend.users} (user id to its ratings) and
 * {@code recommend.items} (item id to its raters), each list encoded as 5-byte entries (int id, byte rating), oldest
 * first; and {@code recommend.item-norms} (item id to the sum of its squared ratings, an exact integer).
 *
 * <p>Requests {@code {"op": "rate", "user": "...", "item": "...", "rating": 1..5}} (response {@code {"userRatings": n,
 * "itemRatings": m}}, the window sizes after it) and {@code {"op": "recommend", "user": "...", "k": K (optional,
 * 1..50, default 10)}} (response {@code {"items": [{"item": "...", "score": predicted}, ...]}}, highest first, ties by
 * item name; empty for an unknown user). Names are 1..{@value #MAX_NAME_LENGTH} characters.
 */
public final class Recommend implements Microservice {

    public static final int MAX_USER_RATINGS = 32;
    public static final int MAX_ITEM_RATINGS = 32;
    public static final int MAX_K = 50;
    public static final int DEFAULT_K = 10;
    public static final int MAX_NAME_LENGTH = 256;
    public static final int SAMPLE_USERS = 1000;
    public static final int SAMPLE_ITEMS = 500;
    public static final String REQUEST_SCHEMA = "{\"op\": \"rate\"|\"recommend\", \"user\": string, \"item\": string "
            + "(rate), \"rating\": 1..5 (rate), \"k\"?: 1..50 (recommend, default 10)}";
    public static final String RESPONSE_SCHEMA = "{\"userRatings\": int, \"itemRatings\": int} (rate) | "
            + "{\"items\": [{\"item\": string, \"score\": number}, ...] (recommend, best first)}";

    private static final int ENTRY_BYTES = Integer.BYTES + 1;
    private static final double[] SAMPLE_ITEM_CDF = Tokens.zipf(SAMPLE_ITEMS, 0.8);

    private final ReliableHashTable userIds;
    private final ReliableHashTable itemIds;
    private final ReliableHashTable itemNames;
    private final ReliableHashTable users;
    private final ReliableHashTable items;
    private final ReliableHashTable itemNorms;

    /** A recommender whose ratings live in {@code state}'s {@code recommend.*} tables (created empty on first use). */
    public Recommend(ReliableCollections state) {
        this.userIds = state.hashTable("recommend.user-ids");
        this.itemIds = state.hashTable("recommend.item-ids");
        this.itemNames = state.hashTable("recommend.item-names");
        this.users = state.hashTable("recommend.users");
        this.items = state.hashTable("recommend.items");
        this.itemNorms = state.hashTable("recommend.item-norms");
    }

    /**
     * A random request of natural size (about 60 bytes; {@code bytes} is ignored): 80 % ratings, 20 %
     * recommendations, over {@value #SAMPLE_USERS} users and {@value #SAMPLE_ITEMS} items of Zipf popularity.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        String user = "user-" + random.nextInt(SAMPLE_USERS);
        if (random.nextInt(5) > 0) {
            return request.put("op", "rate").put("user", user)
                    .put("item", "item-" + Tokens.sample(SAMPLE_ITEM_CDF, random)).put("rating", 1 + random.nextInt(5));
        }
        request.put("op", "recommend").put("user", user);
        return random.nextBoolean() ? request : request.put("k", 1 + random.nextInt(MAX_K));
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.RECOMMEND;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String op = Requests.choice(request, "op", "rate", "recommend");
        String user = name(request, "user");
        if (op.equals("rate")) {
            String item = name(request, "item");
            return rate(user, item, (int) Requests.integer(request, "rating", 1, 5));
        }
        int k = (int) Requests.integer(request, "k", 1, MAX_K, DEFAULT_K);
        ObjectNode response = Requests.response();
        ArrayNode out = response.putArray("items");
        Optional<Long> id = userIds.getLong(user);
        if (id.isPresent()) {
            for (Prediction p : top(predict(ratings(users, id.get().intValue())), k)) {
                out.addObject().put("item", p.name()).put("score", p.score());
            }
        }
        return response;
    }

    private static String name(JsonNode request, String field) throws InvalidRequestException {
        String name = Requests.text(request, field);
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            throw new InvalidRequestException(field + ": must be 1 to " + MAX_NAME_LENGTH + " characters, got "
                    + name.length());
        }
        return name;
    }

    private ObjectNode rate(String userName, String itemName, int rating) {
        int user = id(userIds, userName);
        boolean newItem = !itemIds.containsKey(itemName);
        int item = id(itemIds, itemName);
        if (newItem) {
            itemNames.put(key(item), itemName.getBytes(StandardCharsets.UTF_8));
        }
        int[] profile = ratings(users, user);
        int[] raters = ratings(items, item);
        int previous = indexOf(profile, item);
        if (previous >= 0) {
            addToNorm(item, -square(profile[2 * previous + 1]));
            profile = without(profile, previous);
            raters = without(raters, indexOf(raters, user));
        } else {
            if (profile.length / 2 == MAX_USER_RATINGS) {
                forget(items, profile[0], user, profile[1]);
                profile = without(profile, 0);
            }
            if (raters.length / 2 == MAX_ITEM_RATINGS) {
                forget(users, raters[0], item, raters[1]);
                raters = without(raters, 0);
            }
        }
        store(users, user, append(profile, item, rating));
        store(items, item, append(raters, user, rating));
        addToNorm(item, square(rating));
        return Requests.response().put("userRatings", profile.length / 2 + 1).put("itemRatings", raters.length / 2 + 1);
    }

    /**
     * Removes {@code other} from the list {@code owner} in {@code table} (the other side of an evicted rating), and
     * the rating from the norm of its item.
     */
    private void forget(ReliableHashTable table, int owner, int other, int rating) {
        int[] list = ratings(table, owner);
        store(table, owner, without(list, indexOf(list, other)));
        addToNorm(table == items ? owner : other, -square(rating));
    }

    /** The candidates of a user with ratings {@code profile}, with their sums accumulated in profile order. */
    private Candidates predict(int[] profile) {
        int[][] raters = new int[profile.length / 2][];
        Map<Integer, int[]> raterProfiles = new HashMap<>();
        int visits = 0;
        for (int p = 0; p < raters.length; p++) {
            raters[p] = ratings(items, profile[2 * p]);
            for (int q = 0; q < raters[p].length; q += 2) {
                visits += raterProfiles.computeIfAbsent(raters[p][q], v -> ratings(users, v)).length / 2;
            }
        }
        // Every item id is below itemIds.size(), so that bounds the distinct items too.
        Candidates candidates = new Candidates(Math.min(itemIds.size(), visits + raters.length));
        for (int p = 0; p < profile.length; p += 2) {
            candidates.exclude(profile[p]);
        }
        for (int p = 0; p < raters.length; p++) {
            for (int q = 0; q < raters[p].length; q += 2) {
                int[] other = raterProfiles.get(raters[p][q]);
                for (int o = 0; o < other.length; o += 2) {
                    candidates.addDot(other[o], (long) other[o + 1] * raters[p][q + 1]);
                }
            }
            candidates.endProfileItem(norm(profile[2 * p]), profile[2 * p + 1], this::norm);
        }
        return candidates;
    }

    private record Prediction(double score, String name) {
    }

    /** The best {@code k} predictions, by a bounded min-heap on (score, then reversed name). */
    private List<Prediction> top(Candidates candidates, int k) {
        Comparator<Prediction> worseFirst = Comparator.comparingDouble(Prediction::score)
                .thenComparing(Prediction::name, Comparator.reverseOrder());
        PriorityQueue<Prediction> heap = new PriorityQueue<>(worseFirst);
        for (int h = 0; h < candidates.keys.length; h++) {
            if (candidates.keys[h] <= 0) {
                continue; // empty, or rated by the user
            }
            double score = candidates.weighted[h] / candidates.weights[h];
            if (heap.size() == k && score < heap.peek().score()) {
                continue; // cannot enter: skip the name lookup
            }
            heap.add(new Prediction(score, itemName(candidates.keys[h] - 1)));
            if (heap.size() > k) {
                heap.poll();
            }
        }
        List<Prediction> best = new ArrayList<>(heap);
        best.sort(worseFirst.reversed());
        return best;
    }

    /**
     * The candidate items of one recommendation, by open addressing on item id, since this is the inner loop: per
     * item the dot product with the profile item at hand, the item's norm, and the running sums of sim * rating and of
     * sim. Sized once for the most distinct items the scan can meet, so at most half full and never rehashed.
     */
    private static final class Candidates {
        /** Item id + 1; negated for an item the user rated (never a candidate); 0 for an empty position. */
        final int[] keys;
        final double[] weighted;
        final double[] weights;
        private final long[] dots;
        private final double[] norms;
        private final int[] touched;
        private int touchedCount;

        Candidates(int maxItems) {
            int capacity = Integer.highestOneBit(Math.max(1, maxItems)) << 2;
            keys = new int[capacity];
            weighted = new double[capacity];
            weights = new double[capacity];
            dots = new long[capacity];
            norms = new double[capacity];
            touched = new int[capacity];
        }

        private int position(int item) {
            int mask = keys.length - 1;
            int h = (item * 0x9E3779B9) >>> 7 & mask;
            while (keys[h] != 0 && Math.abs(keys[h]) != item + 1) {
                h = (h + 1) & mask;
            }
            return h;
        }

        void exclude(int item) {
            keys[position(item)] = -(item + 1);
        }

        /** Adds r(v, item) * r(v, j) for a rater v of the profile item j at hand. */
        void addDot(int item, long product) {
            int h = position(item);
            if (keys[h] < 0) {
                return;
            }
            keys[h] = item + 1;
            if (dots[h] == 0) { // products are positive: 0 means not yet met for this j
                touched[touchedCount++] = h;
            }
            dots[h] += product;
        }

        /** Turns the dot products with profile item j into cosines, adds them to the sums, and resets the dots. */
        void endProfileItem(double normJ, int rating, IntToDoubleFunction normOf) {
            for (int t = 0; t < touchedCount; t++) {
                int h = touched[t];
                if (norms[h] == 0) {
                    norms[h] = normOf.applyAsDouble(keys[h] - 1);
                }
                double sim = dots[h] / Math.sqrt(norms[h] * normJ);
                weighted[h] += sim * rating;
                weights[h] += sim;
                dots[h] = 0;
            }
            touchedCount = 0;
        }
    }

    private String itemName(int item) {
        return new String(itemNames.get(key(item)).orElseThrow(), StandardCharsets.UTF_8);
    }

    private double norm(int item) {
        return itemNorms.getLong(key(item)).orElse(0L);
    }

    private void addToNorm(int item, long delta) {
        long norm = itemNorms.getLong(key(item)).orElse(0L) + delta;
        if (norm == 0) {
            itemNorms.remove(key(item));
        } else {
            itemNorms.putLong(key(item), norm);
        }
    }

    /** The dense id of {@code name} in {@code ids}, assigned in order of first appearance. */
    private static int id(ReliableHashTable ids, String name) {
        Optional<Long> id = ids.getLong(name);
        if (id.isPresent()) {
            return id.get().intValue();
        }
        int next = ids.size();
        ids.putLong(name, next);
        return next;
    }

    private static String key(int id) {
        return Integer.toString(id);
    }

    private static long square(int rating) {
        return (long) rating * rating;
    }

    /** The list under {@code id} as pairs {id0, rating0, id1, rating1, ...}, oldest first; empty when absent. */
    private static int[] ratings(ReliableHashTable table, int id) {
        byte[] bytes = table.get(key(id)).orElse(new byte[0]);
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int[] pairs = new int[bytes.length / ENTRY_BYTES * 2];
        for (int p = 0; p < pairs.length; p += 2) {
            pairs[p] = b.getInt();
            pairs[p + 1] = b.get();
        }
        return pairs;
    }

    private static void store(ReliableHashTable table, int id, int[] pairs) {
        if (pairs.length == 0) {
            table.remove(key(id));
            return;
        }
        ByteBuffer b = ByteBuffer.allocate(pairs.length / 2 * ENTRY_BYTES);
        for (int p = 0; p < pairs.length; p += 2) {
            b.putInt(pairs[p]).put((byte) pairs[p + 1]);
        }
        table.put(key(id), b.array());
    }

    /** The index of the pair whose id is {@code id}, or -1. */
    private static int indexOf(int[] pairs, int id) {
        for (int p = 0; p < pairs.length; p += 2) {
            if (pairs[p] == id) {
                return p / 2;
            }
        }
        return -1;
    }

    private static int[] without(int[] pairs, int index) {
        int[] out = new int[pairs.length - 2];
        System.arraycopy(pairs, 0, out, 0, 2 * index);
        System.arraycopy(pairs, 2 * index + 2, out, 2 * index, pairs.length - 2 * index - 2);
        return out;
    }

    private static int[] append(int[] pairs, int id, int rating) {
        int[] out = Arrays.copyOf(pairs, pairs.length + 2);
        out[pairs.length] = id;
        out[pairs.length + 1] = rating;
        return out;
    }
}
