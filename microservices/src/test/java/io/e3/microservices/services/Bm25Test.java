package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class Bm25Test {

    private static final List<String> THREE_DOCUMENTS = List.of("cat sat", "Cat cat DOG dog", "dog ran far");

    @Test
    void scoresATinyCorpusAsComputedByHand() throws InvalidRequestException {
        Bm25 bm25 = new Bm25(THREE_DOCUMENTS);
        // N = 3, lengths 2, 4, 3, avgdl = 3. "cat" and "dog" are each in 2 documents:
        //   IDF = ln(1 + (3 - 2 + 0.5) / (2 + 0.5)) = ln(1 + 0.6) = ln 1.6.
        // k1 * (1 - b + b * |D| / avgdl): d0 1.2 * (0.25 + 0.75 * 2/3) = 0.9, d1 1.2 * (0.25 + 1) = 1.5, d2 1.2.
        // d0: cat tf 1: ln 1.6 * 1 * 2.2 / (1 + 0.9) = ln 1.6 * 2.2 / 1.9.
        // d1: cat tf 2 and dog tf 2: 2 * ln 1.6 * 2 * 2.2 / (2 + 1.5) = ln 1.6 * 8.8 / 3.5.
        // d2: dog tf 1: ln 1.6 * 2.2 / (1 + 1.2) = ln 1.6.
        // So d1 (1.1817), d0 (0.5442), d2 (0.4700): the shorter d0 beats d2 at the same tf and IDF.
        JsonNode hits = bm25.handle(Json.of("query", "cat dog cat")).get("hits");
        double ln16 = Math.log(1.6);
        assertThat(hits).hasSize(3);
        assertHit(hits.get(0), 1, ln16 * 8.8 / 3.5);
        assertHit(hits.get(1), 0, ln16 * 2.2 / 1.9);
        assertHit(hits.get(2), 2, ln16);
        // "ran" is in 1 document: IDF = ln(1 + (3 - 1 + 0.5) / 1.5) = ln(8/3); d2 has tf 1 and 1.2 as above.
        JsonNode ran = bm25.handle(Json.of("query", "RAN, unknown!")).get("hits");
        assertThat(ran).hasSize(1);
        assertHit(ran.get(0), 2, Math.log(8.0 / 3));
    }

    private static void assertHit(JsonNode hit, int doc, double score) {
        assertThat(hit.get("doc").asInt()).isEqualTo(doc);
        assertThat(hit.get("score").asDouble()).isCloseTo(score, within(1e-12));
    }

    @Test
    void topKAgreesWithScoringEveryDocumentDirectlyWithoutAnIndex() throws InvalidRequestException {
        Random r = new Random(11);
        for (int round = 0; round < 200; round++) {
            int vocabulary = 2 + r.nextInt(40);
            List<List<String>> corpus = new ArrayList<>();
            List<String> texts = new ArrayList<>();
            for (int d = 0, n = 1 + r.nextInt(80); d < n; d++) {
                List<String> tokens = new ArrayList<>();
                for (int t = 0, len = 1 + r.nextInt(30); t < len; t++) {
                    tokens.add("w" + (int) Math.floor(Math.pow(r.nextDouble(), 2) * vocabulary));
                }
                corpus.add(tokens);
                texts.add(String.join(" ", tokens));
            }
            Bm25 bm25 = new Bm25(texts);
            for (int q = 0; q < 10; q++) {
                List<String> query = new ArrayList<>();
                for (int t = 0, len = 1 + r.nextInt(6); t < len; t++) {
                    query.add("w" + r.nextInt(vocabulary + 3)); // a few words outside the corpus
                }
                int k = 1 + r.nextInt(Bm25.MAX_K);
                JsonNode hits = bm25.handle(Json.of("query", String.join(" ", query), "k", k)).get("hits");
                assertAgreesWithBruteForce(hits, bruteForce(corpus, query), k, corpus.size());
            }
        }
    }

    /**
     * Same scores rank by rank (1e-9) and each hit's own brute-force score; same documents except where the oracle's
     * scores are within 1e-9 of a neighbour's: mathematically equal scores may round apart differently in the two.
     */
    private static void assertAgreesWithBruteForce(JsonNode hits, List<double[]> ranked, int k, int documents) {
        double[] scoreOf = new double[documents];
        ranked.forEach(e -> scoreOf[(int) e[0]] = e[1]);
        assertThat(hits).hasSize(Math.min(k, ranked.size()));
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < hits.size(); i++) {
            int doc = hits.get(i).get("doc").asInt();
            double score = hits.get(i).get("score").asDouble();
            assertThat(seen.add(doc)).isTrue();
            assertThat(score).isCloseTo(ranked.get(i)[1], within(1e-9)).isCloseTo(scoreOf[doc], within(1e-9));
            boolean nearTie = (i > 0 && ranked.get(i - 1)[1] - ranked.get(i)[1] < 1e-9)
                    || (i + 1 < ranked.size() && ranked.get(i)[1] - ranked.get(i + 1)[1] < 1e-9);
            if (!nearTie) {
                assertThat(doc).isEqualTo((int) ranked.get(i)[0]);
            }
        }
    }

    /** {doc, score} of every document with a positive score, each scored from its tokens by the formula, best first. */
    private static List<double[]> bruteForce(List<List<String>> corpus, List<String> query) {
        int n = corpus.size();
        double avgdl = corpus.stream().mapToInt(List::size).sum() / (double) n;
        List<double[]> scored = new ArrayList<>();
        for (int d = 0; d < n; d++) {
            List<String> doc = corpus.get(d);
            double score = 0;
            for (String term : new LinkedHashSet<>(query)) {
                long tf = doc.stream().filter(term::equals).count();
                long df = corpus.stream().filter(other -> other.contains(term)).count();
                double idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
                score += idf * (tf * (1.2 + 1)) / (tf + 1.2 * (1 - 0.75 + 0.75 * doc.size() / avgdl));
            }
            if (score > 0) {
                scored.add(new double[] {d, score});
            }
        }
        scored.sort(Comparator.<double[]>comparingDouble(s -> -s[1]).thenComparingDouble(s -> s[0]));
        return scored;
    }

    @Test
    void ranksEqualScoresByLowerDocumentIdAndDefaultsToTenHits() throws InvalidRequestException {
        List<String> same = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            same.add(i % 2 == 0 ? "alpha beta" : "gamma beta");
        }
        JsonNode hits = new Bm25(same).handle(Json.of("query", "beta")).get("hits");
        assertThat(hits).hasSize(Bm25.DEFAULT_K);
        for (int i = 0; i < hits.size(); i++) {
            assertThat(hits.get(i).get("doc").asInt()).isEqualTo(i);
        }
        assertThat(new Bm25(same).handle(Json.of("query", "  ,; ")).get("hits")).isEmpty();
    }

    @Test
    void defaultInstanceAcceptsEverySampleRequestNearTheAskedSize() throws InvalidRequestException {
        Bm25 bm25 = new Bm25();
        SplittableRandom r = new SplittableRandom(12);
        int withHits = 0;
        for (int i = 0; i < 500; i++) {
            JsonNode request = Bm25.sampleRequest(r, 512);
            assertThat(request.toString().length()).isBetween(461, 563);
            withHits += bm25.handle(request).get("hits").isEmpty() ? 0 : 1;
        }
        assertThat(withHits).isEqualTo(500);
        assertThat(bm25.handle(Bm25.sampleRequest(r, 10)).get("hits")).isNotNull();
    }

    @Test
    void namesTheFieldOfAMalformedRequest() {
        Bm25 bm25 = new Bm25(THREE_DOCUMENTS);
        assertThatThrownBy(() -> bm25.handle(Json.of("k", 3))).isInstanceOf(InvalidRequestException.class)
                .hasMessage("query: required field is missing");
        assertThatThrownBy(() -> bm25.handle(Json.of("query", 7))).hasMessageStartingWith("query: must be a string");
        assertThatThrownBy(() -> bm25.handle(Json.of("query", "cat", "k", 0))).hasMessageStartingWith("k: must be in");
        assertThatThrownBy(() -> bm25.handle(Json.of("query", "cat", "k", 101)))
                .hasMessageStartingWith("k: must be in [1, 100]");
        assertThatThrownBy(() -> bm25.handle(Json.of("query", "cat", "k", "5")))
                .hasMessageStartingWith("k: must be a whole number");
        assertThatThrownBy(() -> bm25.handle(Json.of("query", "cat", "k", 2.5)))
                .hasMessageStartingWith("k: must be a whole number");
        assertThatThrownBy(() -> bm25.handle(Json.parse("\"cat\""))).hasMessage("request: must be a JSON object");
        assertThatThrownBy(() -> bm25.handle(null)).hasMessage("request: must be a JSON object");
    }
}
