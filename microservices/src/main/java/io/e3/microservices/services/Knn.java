package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.model.app.MicroserviceType;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * KNN (Table 5.2): a k-nearest-neighbours classifier (Cover &amp; Hart, "Nearest neighbor pattern classification",
 * 1967) over a fixed labelled training set, by Euclidean distance and majority vote. A tie between labels with the
 * same number of votes goes to the one whose nearest neighbour is closest (the first of them in neighbour order).
 * Neighbours at equal distance are ordered by lower training index.
 *
 * <p>The query is an exact linear scan over the points, stored flat (row-major in one {@code double[]}), keeping the
 * k best in a bounded max-heap of squared distances. (Abandoning a point's sum once it passes the k-th best measured
 * slower at 16 dimensions: the branch costs more than the few coordinates it saves.)
 *
 * <p>The default training set is synthetic and deterministic: {@value #DEFAULT_POINTS} points in
 * {@value #DEFAULT_DIMENSIONS} dimensions from {@value #DEFAULT_CLUSTERS} Gaussian clusters (standard deviation
 * {@value #CLUSTER_SPREAD}, centres uniform in [-10, 10]^16, so neighbouring clusters overlap), labelled
 * {@code class-0}..{@code class-4}.
 *
 * <p>Request {@code {"features": [x1, ..., xd], "k": K (optional, 1..min(64, points), default 5)}}, d the training
 * dimension (16 by default: about 300 bytes of JSON); response {@code {"label": "...", "votes": n, "neighbours":
 * [{"index": i, "distance": e}, ...]}} nearest first.
 */
public final class Knn implements Microservice {

    public static final int MAX_K = 64;
    public static final int DEFAULT_K = 5;
    public static final int DEFAULT_POINTS = 5000;
    public static final int DEFAULT_DIMENSIONS = 16;
    public static final int DEFAULT_CLUSTERS = 5;
    public static final double CLUSTER_SPREAD = 4.0;
    public static final String REQUEST_SCHEMA = "{\"features\": [number x d (16 by default)], \"k\"?: 1..64 "
            + "(default 5)}";
    public static final String RESPONSE_SCHEMA = "{\"label\": string, \"votes\": int, \"neighbours\": "
            + "[{\"index\": int, \"distance\": number}, ...] (nearest first)}";

    private static final long SEED = 0x4B4EL;
    private static final double[][] CENTRES = centres();

    private final int dimensions;
    private final int size;
    private final double[] points;
    private final int[] labelIds;
    private final String[] labelNames;

    /** The default classifier over the synthetic clusters. */
    public Knn() {
        this(defaultPoints(), defaultLabels());
    }

    /**
     * A classifier over {@code points[i]} labelled {@code labels[i]}; all points must have the same, non-zero,
     * dimension and finite coordinates.
     */
    public Knn(double[][] points, String[] labels) {
        if (points.length == 0 || points.length != labels.length || points[0].length == 0) {
            throw new IllegalArgumentException("need as many labels as points, at least one point of dimension >= 1");
        }
        this.dimensions = points[0].length;
        this.size = points.length;
        this.points = new double[size * dimensions];
        this.labelIds = new int[size];
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < size; i++) {
            if (points[i].length != dimensions) {
                throw new IllegalArgumentException("point " + i + " has dimension " + points[i].length + ", not "
                        + dimensions);
            }
            for (int j = 0; j < dimensions; j++) {
                if (!Double.isFinite(points[i][j])) {
                    throw new IllegalArgumentException("point " + i + " has a non-finite coordinate");
                }
            }
            System.arraycopy(points[i], 0, this.points, i * dimensions, dimensions);
            labelIds[i] = ids.computeIfAbsent(labels[i], l -> ids.size());
        }
        labelNames = new String[ids.size()];
        ids.forEach((name, id) -> labelNames[id] = name);
    }

    private static double[][] centres() {
        SplittableRandom random = new SplittableRandom(SEED);
        double[][] centres = new double[DEFAULT_CLUSTERS][DEFAULT_DIMENSIONS];
        for (double[] c : centres) {
            for (int j = 0; j < DEFAULT_DIMENSIONS; j++) {
                c[j] = random.nextDouble(-10, 10);
            }
        }
        return centres;
    }

    /** A point of cluster {@code cluster}: its centre plus Gaussian noise. */
    private static double[] pointNear(int cluster, RandomGenerator random) {
        double[] p = new double[DEFAULT_DIMENSIONS];
        for (int j = 0; j < DEFAULT_DIMENSIONS; j++) {
            p[j] = CENTRES[cluster][j] + CLUSTER_SPREAD * random.nextGaussian();
        }
        return p;
    }

    private static double[][] defaultPoints() {
        SplittableRandom random = new SplittableRandom(SEED + 1);
        double[][] points = new double[DEFAULT_POINTS][];
        for (int i = 0; i < DEFAULT_POINTS; i++) {
            points[i] = pointNear(i % DEFAULT_CLUSTERS, random);
        }
        return points;
    }

    private static String[] defaultLabels() {
        String[] labels = new String[DEFAULT_POINTS];
        for (int i = 0; i < DEFAULT_POINTS; i++) {
            labels[i] = "class-" + (i % DEFAULT_CLUSTERS);
        }
        return labels;
    }

    /**
     * A random query near one of the default clusters, sometimes with a {@code k}. Its size is natural, about 300
     * bytes for 16 coordinates; {@code bytes} is ignored.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        ObjectNode request = JsonNodeFactory.instance.objectNode();
        ArrayNode features = request.putArray("features");
        for (double x : pointNear(random.nextInt(DEFAULT_CLUSTERS), random)) {
            features.add(x);
        }
        if (random.nextInt(4) == 0) {
            request.put("k", 1 + random.nextInt(MAX_K));
        }
        return request;
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.KNN;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        double[] query = Requests.numbers(request, "features", dimensions);
        int maxK = Math.min(MAX_K, size);
        int k = (int) Requests.integer(request, "k", 1, maxK, Math.min(DEFAULT_K, maxK));
        int[] heap = new int[k];
        double[] heapDist = new double[k];
        nearest(query, heap, heapDist);
        int[] votes = new int[labelNames.length];
        for (int i = 0; i < k; i++) {
            votes[labelIds[heap[i]]]++;
        }
        int winner = labelIds[heap[0]];
        for (int i = 1; i < k; i++) {
            // Strictly more votes: among tied labels the one met first, i.e. with the nearest neighbour, wins.
            if (votes[labelIds[heap[i]]] > votes[winner]) {
                winner = labelIds[heap[i]];
            }
        }
        ObjectNode response = Requests.response().put("label", labelNames[winner]).put("votes", votes[winner]);
        ArrayNode neighbours = response.putArray("neighbours");
        for (int i = 0; i < k; i++) {
            neighbours.addObject().put("index", heap[i]).put("distance", Math.sqrt(heapDist[i]));
        }
        return response;
    }

    /**
     * Fills {@code heap} with the indices of the k nearest points and {@code dist} with their squared distances,
     * nearest first: a max-heap on (squared distance, index) while scanning, then heap-sorted.
     */
    private void nearest(double[] query, int[] heap, double[] dist) {
        int k = heap.length;
        int filled = 0;
        for (int i = 0, base = 0; i < size; i++, base += dimensions) {
            double sum = 0;
            for (int j = 0; j < dimensions; j++) {
                double diff = points[base + j] - query[j];
                sum += diff * diff;
            }
            if (filled < k) {
                heap[filled] = i;
                dist[filled] = sum;
                siftUp(heap, dist, filled++);
            } else if (sum < dist[0]) { // at equal distance the earlier index, already in, stays
                heap[0] = i;
                dist[0] = sum;
                siftDown(heap, dist, k);
            }
        }
        for (int end = k - 1; end > 0; end--) {
            swap(heap, dist, 0, end);
            siftDown(heap, dist, end);
        }
    }

    /** Whether entry a is farther than entry b: larger squared distance, or equal and higher index. */
    private static boolean farther(int[] heap, double[] dist, int a, int b) {
        return dist[a] > dist[b] || (dist[a] == dist[b] && heap[a] > heap[b]);
    }

    private static void siftUp(int[] heap, double[] dist, int i) {
        while (i > 0 && farther(heap, dist, i, (i - 1) / 2)) {
            swap(heap, dist, i, (i - 1) / 2);
            i = (i - 1) / 2;
        }
    }

    private static void siftDown(int[] heap, double[] dist, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int top = i;
            if (l < size && farther(heap, dist, l, top)) {
                top = l;
            }
            if (l + 1 < size && farther(heap, dist, l + 1, top)) {
                top = l + 1;
            }
            if (top == i) {
                return;
            }
            swap(heap, dist, i, top);
            i = top;
        }
    }

    private static void swap(int[] heap, double[] dist, int a, int b) {
        int h = heap[a];
        heap[a] = heap[b];
        heap[b] = h;
        double d = dist[a];
        dist[a] = dist[b];
        dist[b] = d;
    }
}
