package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class BayesTest {

    private static final List<Bayes.Document> TINY = List.of(
            new Bayes.Document("spam", "cheap pills"),
            new Bayes.Document("spam", "Cheap offer!"),
            new Bayes.Document("ham", "meeting today"));

    @Test
    void classifiesATinyExampleAsComputedByHand() throws InvalidRequestException {
        // V = {cheap, pills, offer, meeting, today}, |V| = 5. spam: 2 of 3 documents, 4 tokens (cheap 2, pills 1,
        // offer 1); ham: 1 of 3 documents, 2 tokens (meeting 1, today 1). For "cheap meeting lunch" ("lunch" is
        // outside V and skipped):
        //   spam: 2/3 * (2 + 1)/(4 + 5) * (0 + 1)/(4 + 5) = 2/3 * 3/9 * 1/9 = 2/81
        //   ham:  1/3 * (0 + 1)/(2 + 5) * (1 + 1)/(2 + 5) = 1/3 * 1/7 * 2/7 = 2/147
        // Normalised: spam (2/81) / (2/81 + 2/147) = 147/228 = 49/76, ham 81/228 = 27/76. MAP class: spam.
        JsonNode response = new Bayes(TINY).handle(Json.of("text", "cheap meeting lunch"));
        assertThat(response.get("class").asText()).isEqualTo("spam");
        JsonNode posteriors = response.get("posteriors");
        assertThat(posteriors.findValuesAsText("class")).containsExactly("spam", "ham");
        assertThat(posteriors.get(0).get("logPosterior").asDouble()).isCloseTo(Math.log(49.0 / 76), within(1e-12));
        assertThat(posteriors.get(1).get("logPosterior").asDouble()).isCloseTo(Math.log(27.0 / 76), within(1e-12));
        // "today today": spam 2/3 * (1/9)^2 = 2/243, ham 1/3 * (2/7)^2 = 4/147: ham wins.
        assertThat(new Bayes(TINY).handle(Json.of("text", "today today")).get("class").asText()).isEqualTo("ham");
    }

    @Test
    void agreesWithAStraightforwardComputationFromRawCounts() throws InvalidRequestException {
        Random r = new Random(31);
        for (int round = 0; round < 200; round++) {
            int classes = 1 + r.nextInt(5);
            int vocabulary = 1 + r.nextInt(30);
            List<Bayes.Document> training = new ArrayList<>();
            for (int d = 0, n = 1 + r.nextInt(40); d < n; d++) {
                training.add(new Bayes.Document("c" + r.nextInt(classes), words(r, vocabulary, r.nextInt(20))));
            }
            Bayes bayes = new Bayes(training);
            for (int q = 0; q < 10; q++) {
                String text = words(r, vocabulary + 5, r.nextInt(25)); // some words outside the vocabulary
                assertAgreesWithRawCounts(bayes.handle(Json.of("text", text)), training, text);
            }
        }
    }

    private static String words(Random r, int vocabulary, int count) {
        List<String> words = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            words.add("w" + r.nextInt(vocabulary));
        }
        return String.join(" ", words);
    }

    /** Recounts everything from the training documents and scores each class with Math.log of the raw ratios. */
    private static void assertAgreesWithRawCounts(JsonNode response, List<Bayes.Document> training, String text) {
        Map<String, Integer> documents = new TreeMap<>();
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        Map<String, Integer> totals = new HashMap<>();
        Set<String> vocabulary = new HashSet<>();
        for (Bayes.Document d : training) {
            documents.merge(d.label(), 1, Integer::sum);
            for (String w : d.text().split(" ")) {
                if (!w.isEmpty()) {
                    counts.computeIfAbsent(d.label(), c -> new HashMap<>()).merge(w, 1, Integer::sum);
                    totals.merge(d.label(), 1, Integer::sum);
                    vocabulary.add(w);
                }
            }
        }
        Map<String, Double> scores = new TreeMap<>();
        for (String c : documents.keySet()) {
            double score = Math.log(documents.get(c) / (double) training.size());
            for (String w : text.split(" ")) {
                if (vocabulary.contains(w)) {
                    int count = counts.getOrDefault(c, Map.of()).getOrDefault(w, 0);
                    score += Math.log((count + 1.0) / (totals.getOrDefault(c, 0) + vocabulary.size()));
                }
            }
            scores.put(c, score);
        }
        double evidence = Math.log(scores.values().stream().mapToDouble(Math::exp).sum());
        String best = scores.keySet().iterator().next(); // TreeMap: ties go to the first name
        for (String c : scores.keySet()) {
            best = scores.get(c) > scores.get(best) ? c : best;
        }
        assertThat(response.get("class").asText()).isEqualTo(best);
        JsonNode posteriors = response.get("posteriors");
        assertThat(posteriors).hasSize(scores.size());
        for (JsonNode p : posteriors) {
            assertThat(p.get("logPosterior").asDouble())
                    .isCloseTo(scores.get(p.get("class").asText()) - evidence, within(1e-9));
        }
    }

    @Test
    void defaultModelListsEveryClassWithPosteriorsSummingToOne() throws InvalidRequestException {
        Bayes bayes = new Bayes();
        SplittableRandom r = new SplittableRandom(32);
        Map<String, Integer> chosen = new TreeMap<>();
        for (int i = 0; i < 400; i++) {
            JsonNode request = Bayes.sampleRequest(r, 512);
            assertThat(request.toString().length()).isBetween(461, 563);
            JsonNode response = bayes.handle(request);
            JsonNode posteriors = response.get("posteriors");
            assertThat(posteriors.findValuesAsText("class")).containsExactlyInAnyOrderElementsOf(Bayes.DEFAULT_CLASSES);
            double total = 0;
            for (JsonNode p : posteriors) {
                total += Math.exp(p.get("logPosterior").asDouble());
            }
            assertThat(total).isCloseTo(1, within(1e-9));
            chosen.merge(response.get("class").asText(), 1, Integer::sum);
        }
        // Samples are drawn from the four class distributions alike, and 512 B of text is ample evidence.
        assertThat(chosen.keySet()).containsExactlyElementsOf(Bayes.DEFAULT_CLASSES);
        assertThat(chosen.values()).allSatisfy(n -> assertThat(n).isBetween(60, 140));
    }

    @Test
    void namesTheFieldOfAMalformedRequest() {
        Bayes bayes = new Bayes(TINY);
        assertThatThrownBy(() -> bayes.handle(Json.of("body", "x"))).isInstanceOf(InvalidRequestException.class)
                .hasMessage("text: required field is missing");
        assertThatThrownBy(() -> bayes.handle(Json.of("text", List.of("cheap"))))
                .hasMessageStartingWith("text: must be a string");
        assertThatThrownBy(() -> bayes.handle(Json.parse("{\"text\": null}")))
                .hasMessage("text: required field is missing");
        assertThatThrownBy(() -> bayes.handle(Json.parse("42"))).hasMessage("request: must be a JSON object");
    }
}
