package io.e3.model.app;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Graph checks shared by the manifest validator and {@link AppSpec}. */
public final class Dags {

    private Dags() {
    }

    /**
     * Finds a cycle among the channels, if any.
     *
     * @param channels edges in RPC direction
     * @return the services of one cycle in order, first repeated at the end ({@code [a, b, c, a]}), or empty if
     * the channels form a DAG
     */
    public static Optional<List<String>> findCycle(List<ChannelSpec> channels) {
        return findCycles(channels).stream().findFirst();
    }

    /**
     * Finds the cycles a depth-first search meets: one for each channel that closes a cycle (a back edge), so that
     * removing one channel per returned cycle leaves a DAG.
     *
     * @param channels edges in RPC direction
     * @return each cycle's services in order, first repeated at the end; empty if the channels form a DAG
     */
    public static List<List<String>> findCycles(List<ChannelSpec> channels) {
        Map<String, List<String>> out = new HashMap<>();
        for (ChannelSpec c : channels) {
            out.computeIfAbsent(c.from(), k -> new ArrayList<>()).add(c.to());
        }
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the stack, 2: done
        List<List<String>> cycles = new ArrayList<>();
        for (ChannelSpec c : channels) {
            visit(c.from(), out, state, new ArrayList<>(), cycles);
        }
        return cycles;
    }

    private static void visit(String node, Map<String, List<String>> out, Map<String, Integer> state,
                              List<String> stack, List<List<String>> cycles) {
        if (state.containsKey(node)) {
            return;
        }
        state.put(node, 1);
        stack.add(node);
        for (String next : out.getOrDefault(node, Collections.emptyList())) {
            Integer s = state.get(next);
            if (s == null) {
                visit(next, out, state, stack, cycles);
            } else if (s == 1) {
                List<String> cycle = new ArrayList<>(stack.subList(stack.indexOf(next), stack.size()));
                cycle.add(next);
                cycles.add(cycle);
            }
        }
        stack.remove(stack.size() - 1);
        state.put(node, 2);
    }

    /**
     * The services that no path of channels reaches from the entry services, in the order given.
     *
     * @param services all service names
     * @param channels edges in RPC direction
     * @param entry    where requests enter the app
     */
    public static List<String> unreachable(List<String> services, List<ChannelSpec> channels, List<String> entry) {
        Map<String, List<String>> out = new HashMap<>();
        for (ChannelSpec c : channels) {
            out.computeIfAbsent(c.from(), k -> new ArrayList<>()).add(c.to());
        }
        Set<String> seen = new HashSet<>(entry);
        ArrayDeque<String> queue = new ArrayDeque<>(entry);
        while (!queue.isEmpty()) {
            for (String next : out.getOrDefault(queue.poll(), Collections.emptyList())) {
                if (seen.add(next)) {
                    queue.add(next);
                }
            }
        }
        return services.stream().filter(s -> !seen.contains(s)).toList();
    }

    /** The services no channel points into, in the order given: the default entry services. */
    public static List<String> sources(List<String> services, List<ChannelSpec> channels) {
        Set<String> called = new HashSet<>();
        channels.forEach(c -> called.add(c.to()));
        return services.stream().filter(s -> !called.contains(s)).toList();
    }

    /** Renders a cycle as {@code a -> b -> c -> a}. */
    public static String render(List<String> cycle) {
        return String.join(" -> ", cycle);
    }
}
