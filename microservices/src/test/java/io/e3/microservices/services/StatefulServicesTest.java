package io.e3.microservices.services;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.microservices.InvalidRequestException;
import io.e3.microservices.state.ReliableCollections;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Known-answer tests of the stateful services against independent oracles. */
class StatefulServicesTest {

    @Test
    void kvsAgreesWithAHashMap() throws InvalidRequestException {
        Kvs kvs = new Kvs(new ReliableCollections());
        Map<String, String> oracle = new HashMap<>();
        Random r = new Random(1);
        for (int i = 0; i < 5000; i++) {
            String key = "k" + r.nextInt(300);
            switch (r.nextInt(3)) {
                case 0 -> {
                    String value = "v" + r.nextInt();
                    JsonNode resp = kvs.handle(Json.of("op", "put", "key", key, "value", value));
                    assertThat(resp.get("found").asBoolean()).isEqualTo(oracle.put(key, value) != null);
                }
                case 1 -> assertThat(kvs.handle(Json.of("op", "delete", "key", key)).get("found").asBoolean())
                        .isEqualTo(oracle.remove(key) != null);
                default -> {
                    JsonNode resp = kvs.handle(Json.of("op", "get", "key", key));
                    assertThat(resp.get("found").asBoolean()).isEqualTo(oracle.containsKey(key));
                    if (oracle.containsKey(key)) {
                        assertThat(resp.get("value").asText()).isEqualTo(oracle.get(key));
                    }
                }
            }
        }
    }

    @Test
    void kvsNamesWhatIsWrongWithARequest() {
        Kvs kvs = new Kvs(new ReliableCollections());
        assertThatThrownBy(() -> kvs.handle(Json.of("op", "put", "key", "a"))).hasMessage("value: required field is missing");
        assertThatThrownBy(() -> kvs.handle(Json.of("op", "scan", "key", "a")))
                .hasMessage("op: must be one of get, put, delete, got 'scan'");
        assertThatThrownBy(() -> kvs.handle(Json.parse("[1]"))).hasMessage("request: must be a JSON object");
    }

    @Test
    void emaFollowsItsDefinition() throws InvalidRequestException {
        Ema ema = new Ema(new ReliableCollections());
        // Hand-computed with alpha 0.5: 10, then 0.5*20 + 0.5*10 = 15, then 0.5*0 + 0.5*15 = 7.5.
        assertThat(ema.handle(Json.of("stream", "t", "value", 10, "alpha", 0.5)).get("ema").asDouble()).isEqualTo(10);
        assertThat(ema.handle(Json.of("stream", "t", "value", 20, "alpha", 0.5)).get("ema").asDouble()).isEqualTo(15);
        assertThat(ema.handle(Json.of("stream", "t", "value", 0, "alpha", 0.5)).get("ema").asDouble()).isEqualTo(7.5);
        assertThat(ema.handle(Json.of("stream", "other", "value", 3)).get("samples").asLong()).isEqualTo(1);
        assertThatThrownBy(() -> ema.handle(Json.of("stream", "t", "value", 1, "alpha", 1.5)))
                .hasMessageContaining("alpha: must be in (0, 1]");
    }

    @Test
    void spikeStatisticsMatchATwoPassComputationAndFlagTheOutlier() throws InvalidRequestException {
        Spike spike = new Spike(new ReliableCollections());
        Random r = new Random(2);
        List<Double> seen = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            double x = 20 + r.nextGaussian();
            JsonNode resp = spike.handle(Json.of("stream", "temp", "value", x));
            seen.add(x);
            double mean = seen.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            double var = seen.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum() / Math.max(1, seen.size() - 1);
            assertThat(resp.get("mean").asDouble()).isCloseTo(mean, within(1e-9));
            assertThat(resp.get("stddev").asDouble()).isCloseTo(seen.size() < 2 ? 0 : Math.sqrt(var), within(1e-9));
        }
        JsonNode outlier = spike.handle(Json.of("stream", "temp", "value", 35.0));
        assertThat(outlier.get("spike").asBoolean()).isTrue();
        assertThat(outlier.get("zscore").asDouble()).isGreaterThan(10);
    }

    @Test
    void countIsExactPerItemAndEstimatesDistinctItemsClosely() throws InvalidRequestException {
        Count count = new Count(new ReliableCollections());
        Map<String, Long> oracle = new HashMap<>();
        Random r = new Random(3);
        JsonNode last = null;
        for (int i = 0; i < 60_000; i++) {
            String item = "item-" + r.nextInt(20_000);
            long expected = oracle.merge(item, 1L, Long::sum);
            last = count.handle(Json.of("item", item));
            assertThat(last.get("count").asLong()).isEqualTo(expected);
        }
        // Linear counting with 2^20 bits at ~19k items: standard error well under 1 %.
        assertThat(last.get("distinct").asDouble()).isCloseTo(oracle.size(), within(oracle.size() * 0.02));
    }

    @Test
    void flowMonitorNeverUndercountsAndStaysWithinItsBound() throws InvalidRequestException {
        FlowMonitor fm = new FlowMonitor(new ReliableCollections());
        Map<String, Long> truth = new HashMap<>();
        Random r = new Random(4);
        long n = 0;
        for (int i = 0; i < 100_000; i++) {
            // Zipf-like: a few heavy flows and a long tail.
            String flow = "flow-" + (int) Math.floor(Math.pow(r.nextDouble(), 3) * 10_000);
            fm.handle(Json.of("flow", flow));
            truth.merge(flow, 1L, Long::sum);
            n++;
        }
        double bound = FlowMonitor.epsilon() * n;
        int beyond = 0;
        for (Map.Entry<String, Long> e : truth.entrySet()) {
            long estimate = fm.handle(Json.of("flow", e.getKey(), "count", 0)).get("estimate").asLong();
            assertThat(estimate).as("never below the true count").isGreaterThanOrEqualTo(e.getValue());
            if (estimate - e.getValue() > bound) {
                beyond++;
            }
        }
        // At most a delta share of the flows may exceed eps * N (delta = e^-4 = 1.8 %).
        assertThat((double) beyond / truth.size()).isLessThanOrEqualTo(FlowMonitor.delta());
    }

    @Test
    void topRankerAgreesWithSortingEverything() throws InvalidRequestException {
        TopRanker ranker = new TopRanker(new ReliableCollections());
        Map<String, Double> oracle = new HashMap<>();
        Random r = new Random(5);
        for (int i = 0; i < 5000; i++) {
            String key = "tag" + r.nextInt(700);
            double s = r.nextInt(10);
            ranker.handle(Json.of("op", "add", "key", key, "score", s));
            oracle.merge(key, s, Double::sum);
        }
        for (int k : new int[] {1, 10, 100, 700, 1000}) {
            JsonNode top = ranker.handle(Json.of("op", "top", "k", k)).get("top");
            List<Map.Entry<String, Double>> expected = oracle.entrySet().stream()
                    .sorted(Comparator.<Map.Entry<String, Double>>comparingDouble(Map.Entry::getValue).reversed()
                            .thenComparing(Map.Entry::getKey))
                    .limit(k).toList();
            assertThat(top).hasSize(expected.size());
            for (int i = 0; i < expected.size(); i++) {
                assertThat(top.get(i).get("key").asText()).isEqualTo(expected.get(i).getKey());
                assertThat(top.get(i).get("score").asDouble()).isEqualTo(expected.get(i).getValue());
            }
        }
    }
}
