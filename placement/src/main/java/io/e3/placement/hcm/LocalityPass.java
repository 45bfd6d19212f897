package io.e3.placement.hcm;

import io.e3.model.app.Instance;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementContext;
import io.e3.placement.PlacementState;
import io.e3.placement.Topology;
import io.e3.placement.TrafficPairs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A local search after HCM's traversal: each placed primary in turn moves to the node, among its communication
 * partners' nodes and the other nodes of their servers, that lowers the app's communication cost the most, if every
 * constraint allows it there. Where a closer node is full, it may make room: one of the app's own instances on that
 * node (the least attached to it first) moves out, to the node the primary leaves (a swap) or to another node of its
 * server; or a group of the app's instances that talk only among themselves, all on that
 * node, moves out together. Only if that lowers the cost more than the best move that needs no room. It never unplaces anything. A few passes ({@value #PASSES}), stopping early when one moves nothing.
 *
 * <p>With {@code keepKinds} (energy-aware HCM) every move stays on the same kind of core, so the modelled energy per
 * request, and with it the app's active power, stays what the traversal chose. Without it (HCM with the hosts-first
 * order, which does not weigh energy) an instance may move between a host and a SmartNIC.
 *
 * <p>The traversal places each instance near the first of its callers it reaches, before it knows where its callees
 * go; this pass brings an instance to the partners it exchanges the most bytes with, which is what the ILP's objective
 * rewards.
 */
final class LocalityPass {

    /** Passes over the app's primaries. */
    static final int PASSES = 3;
    /** Full nodes, cheapest first, where a primary tries to make room. */
    static final int FULL_NODES_TRIED = 4;
    /** Instances on a full node, least attached first, tried as the one that makes room. */
    static final int EVICTIONS_TRIED = 8;
    /**
     * Levels around a full node searched for where a group that makes room goes: the same server and the rack (beyond
     * it, a level holds thousands of nodes and a move that far rarely pays).
     */
    static final int NEARBY_LEVELS = 4;
    /** The largest group of instances that talk only among themselves brought whole onto one node. */
    static final int CONSOLIDATED_LIMIT = 64;
    /** The largest group of instances, talking only among themselves, moved together to make room. */
    static final int COMPONENT_LIMIT = 16;

    private final PlacementContext ctx;
    private final PlacementState state;
    private final Topology t;
    private final boolean keepKinds;
    /** The app's instances, those that exchange traffic first. */
    private final String[] ids;
    /** Their nodes, kept in step with the state (-1: unplaced). */
    private final int[] node;
    /** Whether this placement placed it, so the pass may move it (a re-placed app keeps what was placed before). */
    private final boolean[] movable;
    /** For each, its partners (indices into {@link #ids}) and the bytes per second exchanged, both ways summed. */
    private final int[][] partner;
    private final double[][] bytes;
    /** For each instance, its group: the instances it is linked to by traffic, directly or not. */
    private final int[] component;
    private final int[][] components;
    /** Scratch for {@link #gatherPartnerNodes}: an instance's partners' distinct nodes and the bytes to each. */
    private int[] partnerNode = new int[8];
    private double[] partnerBytes = new double[8];
    /** The movable instances on each node. */
    private final Map<Integer, List<Integer>> onNode = new HashMap<>();

    private LocalityPass(PlacementContext ctx, boolean keepKinds) {
        this.ctx = ctx;
        this.state = ctx.state();
        this.t = ctx.topology();
        this.keepKinds = keepKinds;
        Map<String, Integer> index = new HashMap<>();
        List<String> order = new ArrayList<>();
        List<Map<Integer, Double>> with = new ArrayList<>();
        for (TrafficPairs.Pair p : TrafficPairs.of(ctx.app())) {
            int a = indexOf(p.from(), index, order, with);
            int b = indexOf(p.to(), index, order, with);
            with.get(a).merge(b, p.bytesPerSecond(), Double::sum);
            with.get(b).merge(a, p.bytesPerSecond(), Double::sum);
        }
        for (Instance i : ctx.app().instances()) {
            indexOf(i.id(), index, order, with);
        }
        ids = order.toArray(String[]::new);
        node = new int[ids.length];
        movable = new boolean[ids.length];
        partner = new int[ids.length][];
        bytes = new double[ids.length][];
        for (int i = 0; i < ids.length; i++) {
            node[i] = state.nodeOf(ids[i]);
            movable[i] = node[i] >= 0 && state.demandOf(ids[i]) != null;
            if (movable[i]) {
                onNode.computeIfAbsent(node[i], k -> new ArrayList<>()).add(i);
            }
            Map<Integer, Double> w = with.get(i);
            partner[i] = new int[w.size()];
            bytes[i] = new double[w.size()];
            int k = 0;
            for (Map.Entry<Integer, Double> e : w.entrySet()) {
                partner[i][k] = e.getKey();
                bytes[i][k++] = e.getValue();
            }
        }
        component = new int[ids.length];
        components = groups();
    }

    /** Labels {@link #component} and returns the members of each group (depth-first over the partner lists). */
    private int[][] groups() {
        Arrays.fill(component, -1);
        List<int[]> out = new ArrayList<>();
        int[] stack = new int[ids.length];
        List<Integer> members = new ArrayList<>();
        for (int s = 0; s < ids.length; s++) {
            if (component[s] >= 0) {
                continue;
            }
            members.clear();
            int top = 0;
            stack[top++] = s;
            component[s] = out.size();
            while (top > 0) {
                int v = stack[--top];
                members.add(v);
                for (int p : partner[v]) {
                    if (component[p] < 0) {
                        component[p] = out.size();
                        stack[top++] = p;
                    }
                }
            }
            out.add(members.stream().mapToInt(Integer::intValue).toArray());
        }
        return out.toArray(int[][]::new);
    }

    private static int indexOf(String id, Map<String, Integer> index, List<String> order,
                               List<Map<Integer, Double>> with) {
        Integer i = index.get(id);
        if (i == null) {
            i = order.size();
            index.put(id, i);
            order.add(id);
            with.add(new HashMap<>());
        }
        return i;
    }

    /**
     * Improves the placement in {@code ctx}'s state; returns how many moves it made.
     *
     * @param keepKinds whether every instance stays on the kind of core it is on
     */
    static int improve(PlacementContext ctx, boolean keepKinds) {
        return new LocalityPass(ctx, keepKinds).run();
    }

    /**
     * A move that makes room: the instances {@code evicted} leave the full node for {@code to}; the app's cost falls
     * by {@code gain}.
     */
    private record Eviction(int[] evicted, int to, double gain) {
    }

    private int run() {
        int moves = 0;
        int[] candidates = new int[16];
        double[] costs = new double[16];
        int[] seen = new int[16];
        for (int pass = 0; pass < PASSES; pass++) {
            int moved = consolidate();
            for (int i = 0; i < ids.length; i++) {
                int from = node[i];
                if (!movable[i] || partner[i].length == 0) {
                    continue;
                }
                int spread = gatherPartnerNodes(i);
                double here = costAmongPartnerNodes(spread, from);
                double threshold = here - gainEpsilon(here);
                int count = 0;
                int evaluated = 0;
                for (int q = 0; q < spread; q++) {
                    for (int n : t.serverNodes(partnerNode[q])) {
                        if (n == from || !sameKindAllowed(from, n) || contains(seen, evaluated, n)) {
                            continue;
                        }
                        if (evaluated == seen.length) {
                            seen = Arrays.copyOf(seen, evaluated * 2);
                        }
                        seen[evaluated++] = n;
                        double c = costAmongPartnerNodes(spread, n);
                        if (c < threshold) {
                            if (count == candidates.length) {
                                candidates = Arrays.copyOf(candidates, count * 2);
                                costs = Arrays.copyOf(costs, count * 2);
                            }
                            candidates[count] = n;
                            costs[count++] = c;
                        }
                    }
                }
                if (count == 0) {
                    continue;
                }
                sortByCost(candidates, costs, count);
                LoadModel.Demand d = state.demandOf(ids[i]);
                state.unassign(ids[i]);
                int direct = 0;
                while (direct < count && !ctx.constraints().check(d, candidates[direct], state).ok()) {
                    direct++;
                }
                double directGain = direct < count ? here - costs[direct] : 0;
                Eviction best = null;
                int bestAt = -1;
                for (int k = 0; k < Math.min(direct, FULL_NODES_TRIED); k++) {
                    Eviction e = makeRoom(i, d, from, candidates[k],
                            best == null ? directGain : best.gain());
                    if (e != null) {
                        best = e;
                        bestAt = candidates[k];
                    }
                }
                if (best != null) {
                    LoadModel.Demand[] evicted = lift(best.evicted());
                    place(i, d, bestAt);
                    for (int k = 0; k < evicted.length; k++) {
                        place(best.evicted()[k], evicted[k], best.to());
                    }
                    moved += 1 + evicted.length;
                } else if (direct < count) {
                    place(i, d, candidates[direct]);
                    moved++;
                } else {
                    state.assign(d, from);
                }
            }
            moves += moved;
            if (moved == 0) {
                break;
            }
        }
        return moves;
    }

    /**
     * Brings each group of the app's instances that talk only among themselves, and are spread over several nodes,
     * whole onto one node where they all fit, so that its cost falls to 0: one of the nodes that hold its members,
     * most members first, or the best fit in the first one's rack. With {@code keepKinds}, only groups whose members
     * all run on one kind of core, onto a node of that kind. Two entry services whose call graphs never meet are the
     * usual case: the traversal's first fit starts both on the first node, and neither fits there whole. Returns the
     * instances moved.
     */
    private int consolidate() {
        int moved = 0;
        for (int[] group : components) {
            if (group.length < 2 || group.length > CONSOLIDATED_LIMIT || !allMovable(group)) {
                continue;
            }
            double spread = 0;
            for (int x : group) {
                spread += cost(x, node[x]);
            }
            if (spread <= 0) {
                continue;
            }
            if (keepKinds && !oneKind(group)) {
                continue;
            }
            int[] hosts = nodesByMembers(group);
            LoadModel.Demand[] demands = lift(group);
            int to = -1;
            for (int k = 0; k < Math.min(hosts.length, FULL_NODES_TRIED) && to < 0; k++) {
                to = takesAll(demands, hosts[k]) ? hosts[k] : -1;
            }
            if (to < 0) {
                to = wholeGroupFits(demands, hosts[0], hosts[0]);
            }
            for (int k = 0; k < group.length; k++) {
                state.assign(demands[k], node[group[k]]);
            }
            if (to < 0) {
                continue;
            }
            for (int k = 0; k < group.length; k++) {
                if (node[group[k]] != to) {
                    state.unassign(ids[group[k]]);
                    place(group[k], demands[k], to);
                    moved++;
                }
            }
        }
        return moved;
    }

    private boolean allMovable(int[] group) {
        for (int k : group) {
            if (!movable[k]) {
                return false;
            }
        }
        return true;
    }

    private boolean oneKind(int[] group) {
        CoreClass kind = t.node(node[group[0]]).capacity().coreClass();
        for (int k : group) {
            if (t.node(node[k]).capacity().coreClass() != kind) {
                return false;
            }
        }
        return true;
    }

    /** The distinct nodes of {@code group}'s members, those holding the most members first. */
    private int[] nodesByMembers(int[] group) {
        Map<Integer, Integer> count = new HashMap<>();
        for (int x : group) {
            count.merge(node[x], 1, Integer::sum);
        }
        return count.entrySet().stream()
                .sorted((a, b) -> a.getValue().equals(b.getValue()) ? Integer.compare(a.getKey(), b.getKey())
                        : Integer.compare(b.getValue(), a.getValue()))
                .mapToInt(Map.Entry::getKey).toArray();
    }

    /**
     * The best way, better than {@code toBeat}, to bring instance {@code i} (unassigned, from {@code from}) to the
     * full node {@code at} by moving one of the app's instances there elsewhere; null if none. Leaves the state as
     * it found it.
     */
    private Eviction makeRoom(int i, LoadModel.Demand d, int from, int at, double toBeat) {
        List<Integer> there = onNode.getOrDefault(at, List.of());
        Integer[] order = there.toArray(Integer[]::new);
        double[] attachment = new double[order.length];
        for (int k = 0; k < order.length; k++) {
            attachment[k] = attachment(order[k], at);
        }
        Integer[] byAttachment = new Integer[order.length];
        for (int k = 0; k < order.length; k++) {
            byAttachment[k] = k;
        }
        Arrays.sort(byAttachment, (a, b) -> Double.compare(attachment[a], attachment[b]));
        Eviction best = null;
        double bar = toBeat + gainEpsilon(toBeat);
        for (int k = 0; k < Math.min(order.length, EVICTIONS_TRIED); k++) {
            int j = order[byAttachment[k]];
            LoadModel.Demand dj = state.demandOf(ids[j]);
            double before = cost(i, from) + cost(j, at) - weight(i, j) * latency(from, at);
            state.unassign(ids[j]);
            if (ctx.constraints().check(d, at, state).ok()) {
                state.assign(d, at);
                node[i] = at;
                for (int m : destinations(dj, at, from)) {
                    node[j] = m;
                    double gain = before - (cost(i, at) + cost(j, m) - weight(i, j) * latency(at, m));
                    if (gain > bar) {
                        best = new Eviction(new int[] {j}, m, gain);
                        bar = gain + gainEpsilon(gain);
                    }
                }
                node[j] = at;
                node[i] = from;
                state.unassign(ids[i]);
            }
            state.assign(dj, at);
        }
        Eviction whole = moveComponent(i, d, from, at, best == null ? toBeat : best.gain());
        return whole != null ? whole : best;
    }

    /**
     * Makes room on {@code at} by moving a whole group of the app's instances that talk only among themselves and all
     * sit on {@code at} (say a second entry service and its store) together to another node, where their own cost
     * stays 0: the best such move better than {@code toBeat}, or null. Leaves the state as it found it.
     */
    private Eviction moveComponent(int i, LoadModel.Demand d, int from, int at, double toBeat) {
        Eviction best = null;
        double bar = toBeat + gainEpsilon(toBeat);
        List<Integer> seen = new ArrayList<>();
        for (int j : onNode.getOrDefault(at, List.of())) {
            int[] group = components[component[j]];
            if (component[j] == component[i] || group.length < 2 || group.length > COMPONENT_LIMIT
                    || seen.contains(component[j]) || !allMovableOn(group, at)) {
                continue;
            }
            seen.add(component[j]);
            LoadModel.Demand[] demands = lift(group);
            if (ctx.constraints().check(d, at, state).ok()) {
                state.assign(d, at);
                node[i] = at;
                double gain = cost(i, from) - cost(i, at);
                if (gain > bar) {
                    int to = wholeGroupFits(demands, at, from);
                    if (to >= 0) {
                        best = new Eviction(group.clone(), to, gain);
                        bar = gain + gainEpsilon(gain);
                    }
                }
                node[i] = from;
                state.unassign(ids[i]);
            }
            for (LoadModel.Demand dk : demands) {
                state.assign(dk, at);
            }
        }
        return best;
    }

    private boolean allMovableOn(int[] group, int at) {
        for (int k : group) {
            if (node[k] != at) {
                return false;
            }
        }
        return allMovable(group);
    }

    /**
     * Takes {@code members} off their nodes in the state (their {@link #node} entries stay, for putting them back or
     * moving them with {@link #place}); returns the demands they were assigned with, in the same order.
     */
    private LoadModel.Demand[] lift(int[] members) {
        LoadModel.Demand[] demands = new LoadModel.Demand[members.length];
        for (int k = 0; k < members.length; k++) {
            demands[k] = state.demandOf(ids[members[k]]);
            state.unassign(ids[members[k]]);
        }
        return demands;
    }

    /**
     * A node other than {@code at}, of the kind allowed, that takes every one of {@code demands} (unassigned) at once:
     * the node the moving primary leaves, else the best fit for the group's largest member in {@code at}'s rack that
     * takes them all; -1 if none.
     */
    private int wholeGroupFits(LoadModel.Demand[] demands, int at, int vacated) {
        if (sameKindAllowed(at, vacated) && takesAll(demands, vacated)) {
            return vacated;
        }
        LoadModel.Demand largest = demands[0];
        for (LoadModel.Demand dk : demands) {
            if (dk.memoryMiB() > largest.memoryMiB()) {
                largest = dk;
            }
        }
        CoreClass kind = t.node(at).capacity().coreClass();
        for (Topology.Level level : t.levels(at).subList(1, NEARBY_LEVELS)) {
            int m = ctx.fit().bestFit(largest, level,
                    n -> n != at && n != vacated && (!keepKinds || t.node(n).capacity().coreClass() == kind)
                            && takesAll(demands, n));
            if (m >= 0) {
                return m;
            }
        }
        return -1;
    }

    /** Whether {@code n} takes all of {@code demands} together, every constraint kept; leaves the state unchanged. */
    private boolean takesAll(LoadModel.Demand[] demands, int n) {
        int assigned = 0;
        boolean all = true;
        for (LoadModel.Demand dk : demands) {
            if (!ctx.constraints().check(dk, n, state).ok()) {
                all = false;
                break;
            }
            state.assign(dk, n);
            assigned++;
        }
        for (int k = 0; k < assigned; k++) {
            state.unassign(demands[k].instance().id());
        }
        return all;
    }

    /**
     * Where instance {@code j}, taken off {@code at} (unassigned), could go: the node the moving primary leaves (a
     * swap), and the other nodes of {@code at}'s server; each of the kind allowed and where every constraint allows
     * it. (Searching the rack too, for every instance tried, made HCM several times slower on a 90 % full cluster.)
     */
    private int[] destinations(LoadModel.Demand dj, int at, int vacated) {
        int[] out = new int[t.serverNodes(at).length];
        int count = 0;
        if (sameKindAllowed(at, vacated) && ctx.constraints().check(dj, vacated, state).ok()) {
            out[count++] = vacated;
        }
        for (int m : t.serverNodes(at)) {
            if (m != at && m != vacated && sameKindAllowed(at, m) && ctx.constraints().check(dj, m, state).ok()) {
                out[count++] = m;
            }
        }
        return Arrays.copyOf(out, count);
    }

    private void place(int i, LoadModel.Demand d, int to) {
        onNode.get(node[i]).remove(Integer.valueOf(i));
        state.assign(d, to);
        node[i] = to;
        onNode.computeIfAbsent(to, k -> new ArrayList<>()).add(i);
    }

    private boolean sameKindAllowed(int a, int b) {
        return !keepKinds || t.node(a).capacity().coreClass() == t.node(b).capacity().coreClass();
    }

    /** How much more than {@code gain} a move must gain to count: more than rounding. */
    private static double gainEpsilon(double gain) {
        return 1e-9 * Math.max(1e-9, Math.abs(gain));
    }

    /** Sorts the first {@code count} candidates by cost, cheapest first (insertion sort: a handful of entries). */
    private static void sortByCost(int[] candidates, double[] costs, int count) {
        for (int a = 1; a < count; a++) {
            int n = candidates[a];
            double c = costs[a];
            int b = a - 1;
            while (b >= 0 && costs[b] > c) {
                candidates[b + 1] = candidates[b];
                costs[b + 1] = costs[b];
                b--;
            }
            candidates[b + 1] = n;
            costs[b + 1] = c;
        }
    }

    private static boolean contains(int[] a, int count, int value) {
        for (int k = 0; k < count; k++) {
            if (a[k] == value) {
                return true;
            }
        }
        return false;
    }

    /**
     * How much instance {@code j} holds on to node {@code at}: the bytes per second it exchanges with partners there,
     * per core it would free by leaving. The instances that make room are tried least attached first.
     */
    private double attachment(int j, int at) {
        double together = 0;
        for (int k = 0; k < partner[j].length; k++) {
            if (node[partner[j][k]] == at) {
                together += bytes[j][k];
            }
        }
        double cores = state.demandOf(ids[j]).coresOn(t.node(at).capacity().coreClass());
        return together / Math.max(1e-3, cores);
    }

    /** The bytes per second instances {@code i} and {@code j} exchange. */
    private double weight(int i, int j) {
        for (int k = 0; k < partner[i].length; k++) {
            if (partner[i][k] == j) {
                return bytes[i][k];
            }
        }
        return 0;
    }

    /**
     * Fills {@link #partnerNode} and {@link #partnerBytes} with the distinct nodes of {@code i}'s placed partners and
     * the bytes per second it exchanges with each; returns how many. Partners usually share a few nodes, so costing
     * a candidate node over these is much cheaper than over every partner.
     */
    private int gatherPartnerNodes(int i) {
        int count = 0;
        for (int k = 0; k < partner[i].length; k++) {
            int n = node[partner[i][k]];
            if (n < 0) {
                continue;
            }
            int q = 0;
            while (q < count && partnerNode[q] != n) {
                q++;
            }
            if (q == count) {
                if (count == partnerNode.length) {
                    partnerNode = Arrays.copyOf(partnerNode, count * 2);
                    partnerBytes = Arrays.copyOf(partnerBytes, count * 2);
                }
                partnerNode[count] = n;
                partnerBytes[count++] = 0;
            }
            partnerBytes[q] += bytes[i][k];
        }
        return count;
    }

    /** {@link #cost} at {@code at}, over the first {@code count} entries {@link #gatherPartnerNodes} filled. */
    private double costAmongPartnerNodes(int count, int at) {
        double c = 0;
        for (int q = 0; q < count; q++) {
            c += partnerBytes[q] * latency(at, partnerNode[q]);
        }
        return c;
    }

    /** The communication cost of instance {@code i} at node {@code at} with its placed partners. */
    private double cost(int i, int at) {
        double c = 0;
        for (int k = 0; k < partner[i].length; k++) {
            int n = node[partner[i][k]];
            if (n >= 0) {
                c += bytes[i][k] * latency(at, n);
            }
        }
        return c;
    }

    private double latency(int a, int b) {
        return HopClass.of(a == b, t.serverOf(a) == t.serverOf(b), t.rackOf(a) == t.rackOf(b),
                t.podOf(a) == t.podOf(b), t.node(a).isSmartNic(), t.node(b).isSmartNic()).relativeLatency();
    }
}
