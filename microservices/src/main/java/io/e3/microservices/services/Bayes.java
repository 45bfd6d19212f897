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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Bayes (Table 5.2): a multinomial naive Bayes text classifier choosing the maximum a posteriori class (McCallum &amp;
 * Nigam, "A Comparison of Event Models for Naive Bayes Text Classification", 1998; Manning, Raghavan &amp; Schütze,
 * "Introduction to Information Retrieval", §13.2), trained once from labelled documents. With N_c of the N training
 * documents in class c, T(c, w) the occurrences of word w in them, and V the training vocabulary:
 *
 * <pre>
 *   log P(c | d) = log P(c) + sum over tokens t of d in V of log P(t | c) - log Z
 *   P(c) = N_c / N        P(w | c) = (T(c, w) + 1) / (sum over w' in V of T(c, w') + |V|)    (Laplace smoothing)
 * </pre>
 *
 * where Z normalises the posteriors to sum to 1 (computed as a log-sum-exp). Tokens outside V carry no evidence and are
 * skipped. Everything is in log space, with log P(w | c) precomputed per word and class. Tokens are as
 * {@link Tokens#split}. A tie for the maximum goes to the class whose name sorts first. The default model is trained
 * once per process and shared by the default instances.
 *
 * <p>The default model is trained on a deterministic synthetic set: {@value #DEFAULT_DOCUMENTS_PER_CLASS} documents
 * for each of the classes {@link #DEFAULT_CLASSES}, 30-150 words each, 70 % from a shared Zipf background of
 * {@value #BACKGROUND_WORDS} words and 30 % from the class's own Zipf topic of {@value #TOPIC_WORDS} words.
 *
 * <p>Request {@code {"text": "..."}}; response {@code {"class": "...", "posteriors": [{"class": "...",
 * "logPosterior": l}, ...]}} for every class, most probable first (ties by class name).
 */
public final class Bayes implements Microservice {

    /** A training document: its class and its text. */
    public record Document(String label, String text) {
        public Document {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(text, "text");
        }
    }

    public static final List<String> DEFAULT_CLASSES = List.of("business", "politics", "science", "sports");
    public static final int DEFAULT_DOCUMENTS_PER_CLASS = 250;
    public static final int BACKGROUND_WORDS = 3000;
    public static final int TOPIC_WORDS = 400;
    public static final String REQUEST_SCHEMA = "{\"text\": string}";
    public static final String RESPONSE_SCHEMA = "{\"class\": string, \"posteriors\": [{\"class\": string, "
            + "\"logPosterior\": number}, ...] (most probable first)}";

    private static final long SEED = 0xBA7E5L;
    private static final double TOPIC_SHARE = 0.3;
    private static final double[] BACKGROUND_CDF = Tokens.zipf(BACKGROUND_WORDS, 1.0);
    private static final double[] TOPIC_CDF = Tokens.zipf(TOPIC_WORDS, 1.0);
    private static final String[] WORDS = new String[BACKGROUND_WORDS + DEFAULT_CLASSES.size() * TOPIC_WORDS];

    static {
        for (int r = 0; r < WORDS.length; r++) {
            WORDS[r] = Tokens.word(r);
        }
    }

    /**
     * A trained model, immutable: class names sorted (class c is index c everywhere), log P(c), word ids, and
     * log P(w | c) at [w * classes + c], so that one token's row is contiguous.
     */
    private record Model(String[] classes, double[] logPriors, Map<String, Integer> wordIds,
                         double[] logLikelihoods) {
    }

    /** The default model, trained on first use and shared by all default instances (it is read-only). */
    private static final class DefaultModel {
        static final Model MODEL = train(defaultTraining());
    }

    private final Model model;

    /** The default model, trained on the synthetic set. */
    public Bayes() {
        this.model = DefaultModel.MODEL;
    }

    /** A model trained on {@code training}, which must not be empty. */
    public Bayes(List<Document> training) {
        this.model = train(training);
    }

    private static Model train(List<Document> training) {
        if (training.isEmpty()) {
            throw new IllegalArgumentException("training set is empty");
        }
        String[] classes = training.stream().map(Document::label).distinct().sorted().toArray(String[]::new);
        int n = classes.length;
        Map<String, Integer> classIds = new HashMap<>();
        for (int c = 0; c < n; c++) {
            classIds.put(classes[c], c);
        }
        long[] documents = new long[n];
        long[] totals = new long[n];
        Map<String, Integer> wordIds = new HashMap<>();
        List<long[]> counts = new ArrayList<>(); // per word id: occurrences per class
        for (Document d : training) {
            int c = classIds.get(d.label());
            documents[c]++;
            for (String token : Tokens.split(d.text())) {
                int w = wordIds.computeIfAbsent(token, t -> wordIds.size());
                if (w == counts.size()) {
                    counts.add(new long[n]);
                }
                counts.get(w)[c]++;
                totals[c]++;
            }
        }
        double[] logPriors = new double[n];
        double[] logLikelihoods = new double[counts.size() * n];
        for (int c = 0; c < n; c++) {
            logPriors[c] = Math.log((double) documents[c] / training.size());
            for (int w = 0; w < counts.size(); w++) {
                logLikelihoods[w * n + c] = Math.log((counts.get(w)[c] + 1.0) / (totals[c] + counts.size()));
            }
        }
        return new Model(classes, logPriors, wordIds, logLikelihoods);
    }

    /** A word of the synthetic language of class {@code c}: background or topic word. */
    private static String syntheticWord(int c, RandomGenerator random) {
        if (random.nextDouble() < TOPIC_SHARE) {
            return WORDS[BACKGROUND_WORDS + c * TOPIC_WORDS + Tokens.sample(TOPIC_CDF, random)];
        }
        return WORDS[Tokens.sample(BACKGROUND_CDF, random)];
    }

    static List<Document> defaultTraining() {
        SplittableRandom random = new SplittableRandom(SEED);
        List<Document> training = new ArrayList<>();
        for (int i = 0; i < DEFAULT_DOCUMENTS_PER_CLASS; i++) {
            for (int c = 0; c < DEFAULT_CLASSES.size(); c++) {
                int length = 30 + random.nextInt(121);
                StringBuilder text = new StringBuilder();
                for (int t = 0; t < length; t++) {
                    text.append(t == 0 ? "" : " ").append(syntheticWord(c, random));
                }
                training.add(new Document(DEFAULT_CLASSES.get(c), text.toString()));
            }
        }
        return training;
    }

    /** A random text in one default class's word distribution, its JSON about {@code bytes} long. */
    public static ObjectNode sampleRequest(RandomGenerator random, int bytes) {
        int c = random.nextInt(DEFAULT_CLASSES.size());
        ObjectNode request = JsonNodeFactory.instance.objectNode().put("text", "");
        int overhead = request.toString().length();
        return request.put("text", Tokens.text(() -> syntheticWord(c, random), bytes - overhead));
    }

    @Override
    public MicroserviceType type() {
        return MicroserviceType.BAYES;
    }

    @Override
    public JsonNode handle(JsonNode request) throws InvalidRequestException {
        String text = Requests.text(request, "text");
        String[] classes = model.classes();
        int n = classes.length;
        double[] score = model.logPriors().clone();
        double[] logLikelihoods = model.logLikelihoods();
        for (String token : Tokens.split(text)) {
            Integer w = model.wordIds().get(token);
            if (w != null) {
                for (int c = 0, base = w * n; c < n; c++) {
                    score[c] += logLikelihoods[base + c];
                }
            }
        }
        double logZ = logSumExp(score);
        List<Integer> order = new ArrayList<>(n);
        for (int c = 0; c < n; c++) {
            order.add(c);
        }
        // Classes are in name order, and the sort is stable: equal scores stay in name order.
        order.sort(Comparator.comparingDouble((Integer c) -> score[c]).reversed());
        ObjectNode response = Requests.response().put("class", classes[order.get(0)]);
        ArrayNode posteriors = response.putArray("posteriors");
        for (int c : order) {
            posteriors.addObject().put("class", classes[c]).put("logPosterior", score[c] - logZ);
        }
        return response;
    }

    /** log(sum of e^x), shifted by the maximum so that very negative log-likelihoods do not underflow to log 0. */
    private static double logSumExp(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (double v : x) {
            sum += Math.exp(v - max);
        }
        return max + Math.log(sum);
    }
}
