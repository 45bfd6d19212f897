package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class KnnTest {

    @Test
    void agreesWithSortingAllDistancesOnRandomData() throws InvalidRequestException {
        Random r = new Random(21);
        for (int round = 0; round < 300; round++) {
            int n = 1 + r.nextInt(300);
            int d = 1 + r.nextInt(20);
            // Half the rounds on a small integer grid, so that equal distances (ties by index) are common.
            boolean grid = round % 2 == 0;
            double[][] points = new double[n][d];
            String[] labels = new String[n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    points[i][j] = grid ? r.nextInt(3) : r.nextGaussian() * 5;
                }
                labels[i] = "L" + r.nextInt(4);
            }
            Knn knn = new Knn(points, labels);
            for (int q = 0; q < 10; q++) {
                double[] query = new double[d];
                for (int j = 0; j < d; j++) {
                    query[j] = grid ? r.nextInt(3) : r.nextGaussian() * 5;
                }
                int k = 1 + r.nextInt(Math.min(Knn.MAX_K, n));
                assertAgreesWithBruteForce(knn.handle(Json.of("features", query, "k", k)), points, labels, query, k);
            }
        }
    }

    private static void assertAgreesWithBruteForce(JsonNode response, double[][] points, String[] labels,
                                                   double[] query, int k) {
        List<double[]> all = new ArrayList<>(); // {index, distance}
        for (int i = 0; i < points.length; i++) {
            double sum = 0;
            for (int j = 0; j < query.length; j++) {
                sum += (points[i][j] - query[j]) * (points[i][j] - query[j]);
            }
            all.add(new double[] {i, Math.sqrt(sum)});
        }
        all.sort(Comparator.<double[]>comparingDouble(e -> e[1]).thenComparingDouble(e -> e[0]));
        List<double[]> nearest = all.subList(0, k);
        Map<String, Integer> votes = new LinkedHashMap<>(); // in order of each label's nearest neighbour
        for (double[] e : nearest) {
            votes.merge(labels[(int) e[0]], 1, Integer::sum);
        }
        Map.Entry<String, Integer> winner = votes.entrySet().iterator().next();
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            winner = e.getValue() > winner.getValue() ? e : winner;
        }
        JsonNode neighbours = response.get("neighbours");
        assertThat(neighbours).hasSize(k);
        for (int i = 0; i < k; i++) {
            assertThat(neighbours.get(i).get("index").asInt()).isEqualTo((int) nearest.get(i)[0]);
            assertThat(neighbours.get(i).get("distance").asDouble()).isCloseTo(nearest.get(i)[1], within(1e-9));
        }
        assertThat(response.get("label").asText()).isEqualTo(winner.getKey());
        assertThat(response.get("votes").asInt()).isEqualTo(winner.getValue());
    }

    @Test
    void breaksAVoteTieInFavourOfTheLabelWithTheNearestNeighbour() throws InvalidRequestException {
        // On a line, from the query 0: index 0 at 0 (a), 1 at 1 (b), 2 at -1.5 (b), 3 at 2 (a), 4 at -2 (b).
        Knn knn = new Knn(new double[][] {{0}, {1}, {-1.5}, {2}, {-2}}, new String[] {"a", "b", "b", "a", "b"});
        // k = 4: a, b, b, then index 3 (2) before index 4 (-2) at equal distance: 2 votes each, a's neighbour is
        // nearest.
        JsonNode four = knn.handle(Json.of("features", new double[] {0}, "k", 4));
        assertThat(four.get("label").asText()).isEqualTo("a");
        assertThat(four.get("votes").asInt()).isEqualTo(2);
        assertThat(four.get("neighbours").findValuesAsText("index")).containsExactly("0", "1", "2", "3");
        // k = 3: b has 2 votes to a's 1, nearest neighbour or not.
        assertThat(knn.handle(Json.of("features", new double[] {0}, "k", 3)).get("label").asText()).isEqualTo("b");
        // k = 5: b wins 3 to 2.
        assertThat(knn.handle(Json.of("features", new double[] {0}, "k", 5)).get("votes").asInt()).isEqualTo(3);
    }

    @Test
    void defaultInstanceAcceptsEverySampleRequestOfAboutThreeHundredBytes() throws InvalidRequestException {
        Knn knn = new Knn();
        SplittableRandom r = new SplittableRandom(22);
        int total = 0;
        for (int i = 0; i < 500; i++) {
            JsonNode request = Knn.sampleRequest(r, 512);
            total += request.toString().length();
            JsonNode response = knn.handle(request);
            int k = request.has("k") ? request.get("k").asInt() : Knn.DEFAULT_K;
            assertThat(response.get("neighbours")).hasSize(k);
            assertThat(response.get("label").asText()).startsWith("class-");
        }
        assertThat(total / 500).isBetween(250, 400);
    }

    @Test
    void namesTheFieldOfAMalformedRequest() {
        Knn knn = new Knn(new double[][] {{0, 0}, {1, 1}, {2, 2}}, new String[] {"x", "y", "y"});
        assertThatThrownBy(() -> knn.handle(Json.of("k", 1))).isInstanceOf(InvalidRequestException.class)
                .hasMessage("features: required field is missing");
        assertThatThrownBy(() -> knn.handle(Json.of("features", new double[] {1})))
                .hasMessageStartingWith("features: must be a list of 2 numbers");
        assertThatThrownBy(() -> knn.handle(Json.of("features", "1,2")))
                .hasMessageStartingWith("features: must be a list of 2 numbers");
        assertThatThrownBy(() -> knn.handle(Json.of("features", List.of(1, "2"))))
                .hasMessageStartingWith("features[1]: must be a finite number");
        assertThatThrownBy(() -> knn.handle(Json.of("features", new double[] {1, 2}, "k", 0)))
                .hasMessageStartingWith("k: must be in [1, 3]");
        assertThatThrownBy(() -> knn.handle(Json.of("features", new double[] {1, 2}, "k", 4)))
                .hasMessageStartingWith("k: must be in [1, 3]");
        assertThatThrownBy(() -> new Knn().handle(Json.of("features", new double[16], "k", 65)))
                .hasMessageStartingWith("k: must be in [1, 64]");
        assertThatThrownBy(() -> knn.handle(Json.of("features", new double[] {1, 2}, "k", true)))
                .hasMessageStartingWith("k: must be a whole number");
        assertThatThrownBy(() -> knn.handle(Json.parse("[0, 0]"))).hasMessage("request: must be a JSON object");
    }
}
