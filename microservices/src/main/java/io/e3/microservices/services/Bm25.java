package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.Microservice;
import io.e3.microservices.Requests;
import io.e3.model.app.MicroserviceType;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * BM25 (Table 5.2): search-engine ranking with the Okapi BM25 function (Robertson &amp; Zaragoza, "The Probabilistic
 * Relevance Framework: BM25 and Beyond", 2009) over an inverted index built once from a fixed corpus. For a query Q
 * (its distinct terms) and a document D of |D| tokens, avgdl the mean document length and N the number of documents:
 *
 * <pre>
 *   score(D, Q) = sum over t in Q of IDF(t) * tf(t, D) * (k1 + 1) / (tf(t, D) + k1 * (1 - b + b * |D| / avgdl))
 *   IDF(t)      = ln(1 + (N - n(t) + 0.5) / (n(t) + 0.5))      n(t) = documents containing t
 * </pre>
 *
 * with k1 = {@value #K1} and b = {@value #B}. This IDF (the Lucene form) is always positive, so every document
 * containing a query term scores above 0. Tokens are as {@link Tokens#split}: lower-cased runs of letters or digits.
 * The index maps each term to its postings in document order, each a document id with the term's precomputed summand
 * of the score; a query walks only the postings of its terms. Document ids are the positions in the corpus. The
 * default index is built once per process and shared by the default instances.
 *
 * <p>The default corpus is synthetic and deterministic: {@value #DEFAULT_DOCUMENTS} documents of 50-250 words drawn
 * from a Zipf (s = 1) vocabulary of {@value #DEFAULT_VOCABULARY} words.
 *
 * <p>Request {@code {"query": "...", "k": K (optional, 1..100, default 10)}}; response
 * {@code {"hits": [{"doc": id, "score": s}, ...]}}: the (at most) K best documents containing a query term, highest
 * score first, ties by lower id.
 */
public final class Bm25 implements Microservice {

    public static final double K1 = 1.2;
    public static final double B = 0.75;
    public static final int MAX_K = 100;
    public static final int DEFAULT_K = 10;
    public static final int DEFAULT_DOCUMENTS = 2000;
    public static final int DEFAULT_VOCABULARY = 5000;
    public static final String REQUEST_SCHEMA = "{\"query\": string, \"k\"?: 1..100 (default 10)}";
    public static final String RESPONSE_SCHEMA = "{\"hits\": [{\"doc\": int, \"score\": number}, ...] (best first)}";

    private static final long SEED = 0xB325L;
    private static final String[] VOCABULARY = new String[DEFAULT_VOCABULARY];
    private static final double[] VOCABULARY_CDF = Tokens.zipf(DEFAULT_VOCABULARY, 1.0);

    static {
        for (int r = 0; r < DEFAULT_VOCABULARY; r++) {
            VOCABULARY[r] = Tokens.word(r);
        }
    }

    /**
     * The inverted index: term to postings in document order, each a document id ({@code docs}) with that term's
     * whole summand of the document's score ({@code impacts}). BM25 sums query-independent weights over the query
     * terms, so they are computed once here ("impact" scores) and a query only adds them up. Immutable once built.
     */
    private record Index(Map<String, Integer> termIds, int[][] docs, double[][] impacts, int documents) {
    }

    /** The default index, built on first use and shared by all default instances (it is read-only). */
    private static final class DefaultIndex {
        static final Index INDEX = build(defaultCorpus());
    }

    private final Index index;
    /** Scratch, not state: score accumulators (all 0 between requests) and the documents touched by a query. */
    private final double[] scores;
    private final int[] touched;

    /** The default index over the synthetic corpus. */
    public Bm25() {
        this(DefaultIndex.INDEX);
    }

    /** An index over {@code documents}; document i has id i. */
    public Bm25(List<String> documents) {
        this(build(documents));
    }

    private Bm25(Index index) {
        this.index = index;
        this.scores = new double[index.documents()];
        this.touched = new int[index.documents()];
    }

    private static Index build(List<String> documents) {
        int n = documents.size();
        int[] lengths = new int[n];
        Map<String, Integer> termIds = new HashMap<>();
        List<Map<Integer, Integer>> frequencies = new ArrayList<>(n);
        List<Integer> documentFrequency = new ArrayList<>();
        long totalLength = 0;
        for (int d = 0; d < n; d++) {
            List<String> tokens = Tokens.split(documents.get(d));
            totalLength += tokens.size();
            lengths[d] = tokens.size();
            Map<Integer, Integer> tf = new LinkedHashMap<>();
            for (String token : tokens) {
                int id = termIds.computeIfAbsent(token, t -> termIds.size());
                if (tf.merge(id, 1, Integer::sum) == 1) {
                    if (id == documentFrequency.size()) {
                        documentFrequency.add(0);
                    }
                    documentFrequency.set(id, documentFrequency.get(id) + 1);
                }
            }
            frequencies.add(tf);
        }
        Index index = new Index(termIds, new int[documentFrequency.size()][],
                new double[documentFrequency.size()][], n);
        fillPostings(index, frequencies, lengths, documentFrequency, (double) totalLength / Math.max(1, n));
        return index;
    }

    private static void fillPostings(Index index, List<Map<Integer, Integer>> frequencies, int[] lengths,
                                     List<Integer> documentFrequency, double avgdl) {
        int n = frequencies.size();
        for (int t = 0; t < documentFrequency.size(); t++) {
            index.docs()[t] = new int[documentFrequency.get(t)];
            index.impacts()[t] = new double[documentFrequency.get(t)];
        }
        int[] filled = new int[documentFrequency.size()];
        for (int d = 0; d < n; d++) {
            double lengthNorm = K1 * (1 - B + B * lengths[d] / avgdl);
            for (Map.Entry<Integer, Integer> e : frequencies.get(d).entrySet()) {
                int t = e.getKey();
                int df = documentFrequency.get(t);
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                int tf = e.getValue();
                index.docs()[t][filled[t]] = d;
                index.impacts()[t][filled[t]++] = idf * tf * (K1 + 1) / (tf + lengthNorm);
            }
        }
    }

    /** The default synthetic corpus: deterministic, Zipf-distributed words. */
    static List<String> defaultCorpus() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<String> corpus = new ArrayList<>(DEFAULT_DOCUMENTS);
        for (int d = 0; d < DEFAULT_DOCUMENTS; d++) {
            int length = 50 + random.nextInt(201);
            StringBuilder doc = new StringBuilder();
            for (int i = 0; i < length; i++) {
                doc.append(i == 0 ? "" : " ").append(VOCABULARY[Tokens.sample(VOCABULARY_CDF, random)]);
            }
            corpus.add(doc.toString());
        }
        return corpus;
    }

    /**
     * A random query of Zipf-distributed vocabulary words whose JSON is about {@code bytes} long (at least one word),
     * sometimes with a {@code k}.
     */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("query", "");
        if (random.nextInt(4) == 0) {
            request.put("k", 1 + random.nextInt(MAX_K));
        }
        int overhead = request.toString().length();
        return request.put("query", Tokens.text(() -> VOCABULARY[Tokens.sample(VOCABULARY_CDF, random)],
                bytes - overhead));
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.BM25;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String query = Requests.text(request, "query");
        int k = (int) Requests.integer(request, "k", 1, MAX_K, DEFAULT_K);
        int hits = accumulate(query);
        int[] top = topK(hits, k);
        ObjectNode response = Requests.response();
        ArrayNode out = response.putArray("hits");
        for (int d : top) {
            out.addObject().put("doc", d).put("score", scores[d]);
        }
        for (int i = 0; i < hits; i++) {
            scores[touched[i]] = 0;
        }
        return response;
    }

    /** Adds each distinct query term's contribution to the documents in its postings; returns how many it touched. */
    private int accumulate(String query) {
        int count = 0;
        for (String term : new LinkedHashSet<>(Tokens.split(query))) {
            Integer t = index.termIds().get(term);
            if (t == null) {
                continue;
            }
            int[] docs = index.docs()[t];
            double[] impacts = index.impacts()[t];
            for (int p = 0; p < docs.length; p++) {
                int d = docs[p];
                if (scores[d] == 0) {
                    touched[count++] = d;
                }
                scores[d] += impacts[p];
            }
        }
        return count;
    }

    /** The best {@code k} of the touched documents, best first, by a bounded min-heap (worst of the best on top). */
    private int[] topK(int hits, int k) {
        int[] heap = new int[Math.min(k, hits)];
        int size = 0;
        for (int i = 0; i < hits; i++) {
            int d = touched[i];
            if (size < heap.length) {
                heap[size] = d;
                siftUp(heap, size++);
            } else if (worse(heap[0], d)) {
                heap[0] = d;
                siftDown(heap, size);
            }
        }
        for (int end = size - 1; end > 0; end--) {
            int worst = heap[0];
            heap[0] = heap[end];
            heap[end] = worst;
            siftDown(heap, end);
        }
        return heap;
    }

    /** Whether document a ranks below document b: lower score, or equal score and higher id. */
    private boolean worse(int a, int b) {
        return scores[a] < scores[b] || (scores[a] == scores[b] && a > b);
    }

    private void siftUp(int[] heap, int i) {
        while (i > 0 && worse(heap[i], heap[(i - 1) / 2])) {
            int parent = (i - 1) / 2;
            int tmp = heap[i];
            heap[i] = heap[parent];
            heap[parent] = tmp;
            i = parent;
        }
    }

    private void siftDown(int[] heap, int size) {
        int i = 0;
        while (true) {
            int l = 2 * i + 1;
            int worst = i;
            if (l < size && worse(heap[l], heap[worst])) {
                worst = l;
            }
            if (l + 1 < size && worse(heap[l + 1], heap[worst])) {
                worst = l + 1;
            }
            if (worst == i) {
                return;
            }
            int tmp = heap[i];
            heap[i] = heap[worst];
            heap[worst] = tmp;
            i = worst;
        }
    }
}
