package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.RoutingPolicy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The instance-level traffic of an app: for every channel, each pair of caller and callee primaries with its share of
 * the channel's bytes per second. A channel's rate counts as at least 1 request/s, so that an unstated rate still
 * pulls its ends together. Round-robin and shard-keyed channels spread their requests evenly over the pairs;
 * broadcast sends each caller's requests to every callee.
 */
public final class TrafficPairs {

    /**
     * @param from           the caller's instance id
     * @param to             the callee's instance id
     * @param bytesPerSecond the traffic this pair carries
     */
    public record Pair(String from, String to, double bytesPerSecond) {
    }

    private TrafficPairs() {
    }

    public static List<Pair> of(AppSpec app) {
        Map<String, List<String>> primaries = new HashMap<>();
        for (Instance i : app.instances()) {
            if (!i.isBackup()) {
                primaries.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i.id());
            }
        }
        List<Pair> pairs = new ArrayList<>();
        for (ChannelSpec c : app.channels()) {
            List<String> callers = primaries.get(c.from());
            List<String> callees = primaries.get(c.to());
            double bytes = Math.max(1, c.load().requestsPerSecond()) * c.load().requestBytes();
            double perPair = c.routing() == RoutingPolicy.BROADCAST
                    ? bytes / callers.size()
                    : bytes / ((double) callers.size() * callees.size());
            for (String from : callers) {
                for (String to : callees) {
                    pairs.add(new Pair(from, to, perPair));
                }
            }
        }
        return pairs;
    }
}
