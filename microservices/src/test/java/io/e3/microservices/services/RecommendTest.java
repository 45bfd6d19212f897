package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import io.e3.microservices.state.StateFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class RecommendTest {

    @Test
    void predictsACandidateAsComputedByHand() throws InvalidRequestException {
        Recommend rec = new Recommend(new ReliableCollections());
        rate(rec, "u1", "i1", 5);
        rate(rec, "u1", "i2", 3);
        rate(rec, "u2", "i1", 4);
        rate(rec, "u2", "i3", 2);
        rate(rec, "u3", "i2", 1);
        rate(rec, "u3", "i3", 5);
        // Item vectors over (u1, u2, u3): i1 = (5, 4, 0), i2 = (3, 0, 1), i3 = (0, 2, 5).
        // sim(i3, i1) = 2*4 / sqrt(29 * 41) = 8 / sqrt(1189) = 0.23201
        // sim(i3, i2) = 5*1 / sqrt(29 * 10) = 5 / sqrt(290)  = 0.29361
        // P(u1, i3) = (0.23201 * 5 + 0.29361 * 3) / (0.23201 + 0.29361) = 3.8828
        double s1 = 8 / Math.sqrt(1189);
        double s2 = 5 / Math.sqrt(290);
        JsonNode items = rec.handle(Json.of("op", "recommend", "user", "u1")).get("items");
        assertThat(items).hasSize(1);
        assertThat(items.get(0).get("item").asText()).isEqualTo("i3");
        assertThat(items.get(0).get("score").asDouble()).isCloseTo((s1 * 5 + s2 * 3) / (s1 + s2), within(1e-12))
                .isCloseTo(3.8828, within(1e-4));
        assertThat(rec.handle(Json.of("op", "recommend", "user", "nobody")).get("items")).isEmpty();
    }

    private static JsonNode rate(Recommend rec, String user, String item, int rating) throws InvalidRequestException {
        return rec.handle(Json.of("op", "rate", "user", user, "item", item, "rating", rating));
    }

    @ParameterizedTest(name = "{0} users x {1} items")
    @CsvSource({"40, 120, true, true", "150, 15, false, true", "25, 25, false, false"})
    void agreesWithARecomputationFromScratchOverHashMaps(int userCount, int itemCount, boolean userWindowFills,
                                                         boolean itemWindowFills) throws InvalidRequestException {
        Recommend rec = new Recommend(new ReliableCollections());
        Oracle oracle = new Oracle();
        Random r = new Random(userCount * 1000L + itemCount);
        boolean userWindowFull = false;
        boolean itemWindowFull = false;
        for (int i = 0; i < 4000; i++) {
            String user = "u" + r.nextInt(userCount);
            String item = "i" + (int) Math.floor(Math.pow(r.nextDouble(), 1.5) * itemCount);
            int rating = 1 + r.nextInt(5);
            JsonNode rated = rate(rec, user, item, rating);
            oracle.rate(user, item, rating);
            assertThat(rated.get("userRatings").asInt()).isEqualTo(oracle.byUser.get(user).size());
            assertThat(rated.get("itemRatings").asInt()).isEqualTo(oracle.byItem.get(item).size());
            userWindowFull |= rated.get("userRatings").asInt() == Recommend.MAX_USER_RATINGS;
            itemWindowFull |= rated.get("itemRatings").asInt() == Recommend.MAX_ITEM_RATINGS;
            if (i % 20 == 0) {
                String who = "u" + r.nextInt(userCount);
                int k = 1 + r.nextInt(Recommend.MAX_K);
                assertSame(rec.handle(Json.of("op", "recommend", "user", who, "k", k)).get("items"),
                        oracle.recommend(who, k));
            }
        }
        // The configurations are chosen to exercise eviction from each window, and from none.
        assertThat(userWindowFull).isEqualTo(userWindowFills);
        assertThat(itemWindowFull).isEqualTo(itemWindowFills);
    }

    private static void assertSame(JsonNode items, List<Map.Entry<String, Double>> expected) {
        assertThat(items).hasSize(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(items.get(i).get("item").asText()).isEqualTo(expected.get(i).getKey());
            assertThat(items.get(i).get("score").asDouble()).isCloseTo(expected.get(i).getValue(), within(1e-9));
        }
    }

    /** The same windows and formulas, recomputed from plain maps for every recommendation. */
    private static final class Oracle {
        final Map<String, LinkedHashMap<String, Integer>> byUser = new HashMap<>();
        final Map<String, LinkedHashMap<String, Integer>> byItem = new HashMap<>();

        void rate(String user, String item, int rating) {
            LinkedHashMap<String, Integer> profile = byUser.computeIfAbsent(user, u -> new LinkedHashMap<>());
            LinkedHashMap<String, Integer> raters = byItem.computeIfAbsent(item, i -> new LinkedHashMap<>());
            if (profile.containsKey(item)) {
                profile.remove(item);
                raters.remove(user);
            } else {
                if (profile.size() == Recommend.MAX_USER_RATINGS) {
                    String oldest = profile.keySet().iterator().next();
                    profile.remove(oldest);
                    byItem.get(oldest).remove(user);
                }
                if (raters.size() == Recommend.MAX_ITEM_RATINGS) {
                    String oldest = raters.keySet().iterator().next();
                    raters.remove(oldest);
                    byUser.get(oldest).remove(item);
                }
            }
            profile.put(item, rating);
            raters.put(user, rating);
        }

        List<Map.Entry<String, Double>> recommend(String user, int k) {
            Map<String, Integer> profile = byUser.getOrDefault(user, new LinkedHashMap<>());
            List<Map.Entry<String, Double>> predictions = new ArrayList<>();
            for (String i : byItem.keySet()) {
                if (profile.containsKey(i)) {
                    continue;
                }
                double num = 0;
                double den = 0;
                for (Map.Entry<String, Integer> j : profile.entrySet()) {
                    long dot = 0;
                    for (Map.Entry<String, Integer> v : byItem.get(i).entrySet()) {
                        Integer other = byItem.get(j.getKey()).get(v.getKey());
                        dot += other == null ? 0 : (long) v.getValue() * other;
                    }
                    if (dot > 0) {
                        double sim = dot / Math.sqrt((double) squares(i) * squares(j.getKey()));
                        num += sim * j.getValue();
                        den += sim;
                    }
                }
                if (den > 0) {
                    predictions.add(Map.entry(i, num / den));
                }
            }
            predictions.sort(Comparator.<Map.Entry<String, Double>>comparingDouble(e -> -e.getValue())
                    .thenComparing(Map.Entry::getKey));
            return predictions.subList(0, Math.min(k, predictions.size()));
        }

        private long squares(String item) {
            return byItem.get(item).values().stream().mapToLong(x -> (long) x * x).sum();
        }
    }

    @Test
    void keepsOnlyTheMostRecentRatingsOfAUser() throws InvalidRequestException {
        Recommend rec = new Recommend(new ReliableCollections());
        for (int i = 0; i < 40; i++) {
            assertThat(rate(rec, "fan", "item" + i, 4).get("userRatings").asInt())
                    .isEqualTo(Math.min(i + 1, Recommend.MAX_USER_RATINGS));
        }
        // Re-rating a retained item moves it, it does not grow the window.
        assertThat(rate(rec, "fan", "item39", 2).get("userRatings").asInt()).isEqualTo(Recommend.MAX_USER_RATINGS);
        // item0 fell out of fan's window, so another rater of it is its only one.
        assertThat(rate(rec, "other", "item0", 5).get("itemRatings").asInt()).isEqualTo(1);
    }

    @Test
    void freshInstanceAcceptsEverySampleRequest() throws InvalidRequestException {
        Recommend rec = new Recommend(new ReliableCollections());
        SplittableRandom r = new SplittableRandom(42);
        int recommendations = 0;
        for (int i = 0; i < 5000; i++) {
            JsonNode request = Recommend.sampleRequest(r, 512);
            assertThat(request.toString().length()).isBetween(30, 100);
            JsonNode response = rec.handle(request);
            if (request.get("op").asText().equals("recommend")) {
                recommendations++;
                assertThat(response.get("items").size()).isLessThanOrEqualTo(Recommend.MAX_K);
            }
        }
        assertThat(recommendations).isBetween(800, 1200);
    }

    @Test
    void namesTheFieldOfAMalformedRequestAndLeavesTheStateUnchanged()
            throws InvalidRequestException, StateFormatException {
        ReliableCollections state = new ReliableCollections();
        Recommend rec = new Recommend(state);
        rate(rec, "u", "i", 3);
        ReliableCollections before = ReliableCollections.restore(state.snapshot());
        assertThatThrownBy(() -> rec.handle(Json.of("user", "u"))).isInstanceOf(InvalidRequestException.class)
                .hasMessage("op: required field is missing");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "forget", "user", "u")))
                .hasMessageStartingWith("op: must be one of rate, recommend");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "item", "i", "rating", 3)))
                .hasMessage("user: required field is missing");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "v", "rating", 3)))
                .hasMessage("item: required field is missing");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "v", "item", "j")))
                .hasMessage("rating: required field is missing");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "v", "item", "j", "rating", 6)))
                .hasMessageStartingWith("rating: must be in [1, 5]");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "v", "item", "j", "rating", 0)))
                .hasMessageStartingWith("rating: must be in [1, 5]");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "v", "item", "j", "rating", 4.5)))
                .hasMessageStartingWith("rating: must be a whole number");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "", "item", "j", "rating", 4)))
                .hasMessageStartingWith("user: must be 1 to 256 characters");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "rate", "user", "v", "item", "j".repeat(257), "rating", 4)))
                .hasMessageStartingWith("item: must be 1 to 256 characters");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "recommend", "user", 5)))
                .hasMessageStartingWith("user: must be a string");
        assertThatThrownBy(() -> rec.handle(Json.of("op", "recommend", "user", "u", "k", 51)))
                .hasMessageStartingWith("k: must be in [1, 50]");
        assertThatThrownBy(() -> rec.handle(Json.parse("\"rate\""))).hasMessage("request: must be a JSON object");
        assertThat(state.sameContent(before)).isTrue();
    }
}
