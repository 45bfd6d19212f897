package io.e3.placement.hcm;

import io.e3.model.app.Instance;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;
import io.e3.placement.Topology;
import io.e3.placement.TrafficPairs;
import io.e3.placement.search.PlacementContext;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A local search after HCM's traversal: each placed primary in turn moves to the node, among its communication
 * partners' nodes and the other nodes of their servers, that lowers the app's communication cost the most, if every
 * constraint allows it there. Where a closer node is full, it may make room: one of the app's own instances on that
 * node (the least attached to it first) moves out, to the node the primary leaves (a swap) or to another node of its
 * server; or a group of the app's instances that talk only among themselves, all on that node, moves out together.
 * Only if that lowers the cost more than the best move that needs no room. It never unplaces anything. A few passes
 * ({@value #PASSES}), stopping early when one moves nothing.
 *
 * <p>Then, where single moves have stopped, coarse moves: {@link #mergeNodes merging} the app's share of one node
 * into another, and a multilevel {@link #refine refinement} of how the app is split between two nodes (the nodes of
 * each server it uses, without {@code keepKinds}, and the pairs that exchange the most of its traffic); each round is
 * followed by single moves again.
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
    /** Rounds of coarse moves after the single moves converge. */
    static final int COARSE_ROUNDS = 2;
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
    /**
     * The most instances one {@link #refine} pass over two nodes considers; beyond it the pass is skipped. An app with
     * no more instances that exchange traffic than this is refined whole; a larger one only around the two nodes.
     */
    static final int REFINED_LIMIT = 256;
    /** Times the instances of a {@link #refine} are merged pairwise into larger units. */
    static final int COARSENING_LEVELS = 3;
    /**
     * Pairs of nodes exchanging the most of the app's traffic that {@link #refine} works on, with the hosts-first
     * order. Energy-aware HCM refines only the heaviest pair: more gained little on the generated apps and cost a
     * third of HCM's time in the placement benchmark.
     */
    static final int HEAVIEST_PAIRS_REFINED = 4;
    /** Nodes tried, each with backups to move off its server, for a group that fits nowhere else. */
    static final int BACKUP_MOVES_TRIED = 8;
    /** Moves a {@link #fmPass} makes past its best point before it gives up. */
    static final int FRUITLESS_MOVES = 24;
    /** The most instances in one unit of a {@link #refine}. */
    static final int UNIT_LIMIT = 16;

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
    /** Whether {@link #consolidate} has searched beyond a group's own nodes for one that takes it whole. */
    private final boolean[] searchedNearby;
    /** Scratch for {@link #gatherPartnerNodes}: an instance's partners' distinct nodes and the bytes to each. */
    private int[] partnerNode = new int[8];
    private double[] partnerBytes = new double[8];
    /** For each primary, its backups (indices into {@link #ids}); empty for a backup. */
    private final int[][] backups;
    /** For each instance, its unit in the {@link #coarsen} or {@link #fmPass} under way; -1 if none. */
    private final int[] unitOf;
    /**
     * For each instance, its service (an index in the app's list of services); null with {@code keepKinds}, which
     * never refines by services.
     */
    private final int[] service;
    /** How many of the app's instances may move and exchange traffic. */
    private final int talking;
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
        searchedNearby = new boolean[components.length];
        unitOf = new int[ids.length];
        if (keepKinds) {
            service = null;
        } else {
            service = new int[ids.length];
            Map<String, Integer> services = new HashMap<>();
            for (Instance i : ctx.app().instances()) {
                service[index.get(i.id())] = services.computeIfAbsent(i.service(), k -> services.size());
            }
        }
        int count = 0;
        for (int i = 0; i < ids.length; i++) {
            count += movable[i] && partner[i].length > 0 ? 1 : 0;
        }
        talking = count;
        List<List<Integer>> backupLists = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            backupLists.add(new ArrayList<>());
        }
        for (Instance i : ctx.app().instances()) {
            if (i.isBackup()) {
                backupLists.get(index.get(i.primary())).add(index.get(i.id()));
            }
        }
        backups = backupLists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
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

    /**
     * The passes of single moves until they converge, then rounds of coarse moves ({@link #mergeNodes},
     * {@link #refinePairs}), each followed by single moves again, while a round still moves something. Every step
     * only lowers the cost, and the coarse moves start from where single moves stopped, so the result is never worse
     * than single moves alone would leave it.
     *
     * <p>Without {@code keepKinds}, the coarse rounds run twice from that point: refining with units merged by
     * traffic alone, around the two nodes, and with the instances of each service as units, over the whole app ({@link #refine}). The lower cost
     * is kept. Neither finds every cut the other does: by services found all of the generated apps' proved optima
     * within 25 %, but from the traversal's split it lost to the first on 19 of 200 apps, by up to 27 %.
     */
    private int run() {
        int moves = movePasses();
        if (keepKinds) {
            // Energy-aware HCM refines one pair of nodes; the second run lowered 12 of the 200 generated apps' cost
            // a little, none of them to within 25 % of ilp-energy where it was not, and took a third more time in
            // the placement benchmark, whose budget is HCM's.
            return moves + coarseRounds(false);
        }
        int[] converged = node.clone();
        boolean[] searched = searchedNearby.clone();
        int byTraffic = coarseRounds(false);
        double cost = appCost();
        int[] first = node.clone();
        moveAll(converged);
        System.arraycopy(searched, 0, searchedNearby, 0, searched.length);
        int byServices = coarseRounds(true);
        if (appCost() < cost - gainEpsilon(cost)) {
            return moves + byServices;
        }
        moveAll(first);
        return moves + byTraffic;
    }

    /** Rounds of coarse moves, each followed by single moves, while one moves something; returns the moves. */
    private int coarseRounds(boolean byServices) {
        int moves = 0;
        for (int round = 0; round < COARSE_ROUNDS; round++) {
            int coarse = mergeNodes() + refinePairs(byServices);
            if (coarse == 0) {
                break;
            }
            moves += coarse + movePasses();
        }
        return moves;
    }

    /** The app's communication cost among its placed instances, each pair once. */
    private double appCost() {
        double c = 0;
        for (int i = 0; i < ids.length; i++) {
            if (node[i] >= 0) {
                c += cost(i, node[i]) / 2;
            }
        }
        return c;
    }

    /** Moves every movable instance to its node in {@code to}, a placement this pass held before. */
    private void moveAll(int[] to) {
        List<Integer> moving = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (movable[i] && node[i] != to[i]) {
                moving.add(i);
            }
        }
        int[] members = moving.stream().mapToInt(Integer::intValue).toArray();
        LoadModel.Demand[] demands = lift(members);
        for (int k = 0; k < members.length; k++) {
            place(members[k], demands[k], to[members[k]]);
        }
    }

    private int movePasses() {
        int moves = 0;
        int[] candidates = new int[16];
        double[] costs = new double[16];
        int[] seen = new int[16];
        for (int pass = 0; pass < PASSES; pass++) {
            // Merging in every pass, not only after, helps the hosts-first order; for energy-aware HCM it packed the
            // placement benchmark's apps more tightly and raised later apps' cost.
            int moved = consolidate() + (keepKinds ? 0 : mergeNodes());
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
        for (int c = 0; c < components.length; c++) {
            int[] group = components[c];
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
            if (to < 0 && !searchedNearby[c]) {
                // The search beyond the group's own nodes is costly and rarely succeeds later if it failed once.
                searchedNearby[c] = true;
                to = wholeGroupFits(demands, hosts[0], hosts[0]);
                if (to < 0) {
                    to = fitsOnceBackupsMove(group, demands, hosts[0]);
                }
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

    /**
     * Moves all of the app's instances on one node onto another node that exchanges traffic with them, where they all
     * fit, when that lowers the cost: the best such merge for each node in turn. A coarse move that single moves cannot
     * make: on a full host, say, the traversal's hosts-first order leaves an app split between the host and its
     * SmartNIC, and a store pinned to hosts on another server; once the host's share joins the SmartNIC, the store
     * can come to the host. With {@code keepKinds}, only onto a node of the same kind. Returns the instances moved.
     */
    private int mergeNodes() {
        int moved = 0;
        for (Integer a : new ArrayList<>(onNode.keySet())) {
            List<Integer> there = onNode.get(a);
            if (there == null || there.isEmpty()) {
                continue;
            }
            int[] group = there.stream().mapToInt(Integer::intValue).toArray();
            double before = 0;
            int[] targets = new int[8];
            int count = 0;
            for (int x : group) {
                before += cost(x, a);
                for (int p : partner[x]) {
                    int n = node[p];
                    if (n >= 0 && n != a && sameKindAllowed(a, n) && !contains(targets, count, n)) {
                        if (count == targets.length) {
                            targets = Arrays.copyOf(targets, count * 2);
                        }
                        targets[count++] = n;
                    }
                }
            }
            if (before <= 0 || count == 0) {
                continue;
            }
            LoadModel.Demand[] demands = lift(group);
            int best = -1;
            double bestGain = gainEpsilon(before);
            for (int k = 0; k < count; k++) {
                int b = targets[k];
                for (int x : group) {
                    node[x] = b;
                }
                double after = 0;
                for (int x : group) {
                    after += cost(x, b);
                }
                for (int x : group) {
                    node[x] = a;
                }
                if (before - after > bestGain && takesAll(demands, b)) {
                    best = b;
                    bestGain = before - after;
                }
            }
            for (int k = 0; k < group.length; k++) {
                state.assign(demands[k], a);
            }
            if (best < 0) {
                continue;
            }
            for (int k = 0; k < group.length; k++) {
                state.unassign(ids[group[k]]);
                place(group[k], demands[k], best);
            }
            moved += group.length;
        }
        return moved;
    }

    /**
     * {@link #refine Refines} the split of the app between two nodes. Without {@code keepKinds}: each two nodes of
     * every server that holds one of its movable instances, and the {@value #HEAVIEST_PAIRS_REFINED} pairs of nodes
     * that exchange the most of its traffic (bytes times hop latency). With it: only the pair of nodes of one kind
     * that exchange the most. Returns the instances moved.
     */
    private int refinePairs(boolean byServices) {
        List<long[]> pairs = new ArrayList<>();
        if (!keepKinds) {
            List<Integer> servers = new ArrayList<>();
            for (int i = 0; i < ids.length; i++) {
                if (movable[i] && partner[i].length > 0 && !servers.contains(t.serverOf(node[i]))) {
                    servers.add(t.serverOf(node[i]));
                    int[] nodes = t.serverNodes(node[i]);
                    for (int x = 0; x < nodes.length; x++) {
                        for (int y = x + 1; y < nodes.length; y++) {
                            pairs.add(new long[] {Math.min(nodes[x], nodes[y]), Math.max(nodes[x], nodes[y])});
                        }
                    }
                }
            }
        }
        // The two nodes that exchange the most of the app's traffic, and so on, of one kind where kinds are kept.
        Map<Long, Double> between = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            for (int k = 0; k < partner[i].length; k++) {
                int a = node[i];
                int b = node[partner[i][k]];
                if (a >= 0 && b > a && movable[i] && movable[partner[i][k]] && sameKindAllowed(a, b)) {
                    between.merge(((long) a << 32) | b, bytes[i][k] * latency(a, b), Double::sum);
                }
            }
        }
        between.entrySet().stream().sorted(Map.Entry.<Long, Double>comparingByValue().reversed())
                .limit(keepKinds ? 1 : HEAVIEST_PAIRS_REFINED)
                .map(e -> new long[] {e.getKey() >>> 32, e.getKey() & 0xffffffffL})
                .filter(p -> pairs.stream().noneMatch(q -> q[0] == p[0] && q[1] == p[1]))
                .forEach(pairs::add);
        int moved = 0;
        for (long[] p : pairs) {
            moved += refine((int) p[0], (int) p[1], byServices);
        }
        return moved;
    }

    /**
     * Refines how the app is split between two nodes {@code a} and {@code b}, in the manner of multilevel graph
     * partitioning. The {@link #refinedAround candidates} are first grouped by service if {@code byServices}, the
     * instances of one service on one node together, then merged into larger units by heaviest traffic, pairs of units
     * at a time (up to
     * {@value #COARSENING_LEVELS} times, units of at most {@value #UNIT_LIMIT}). A {@link #fmPass Fiduccia-Mattheyses
     * pass} runs over the single instances, then over the largest units and again over each finer level down to
     * single instances. A unit moves whole, so a chain of services that talk mostly to each other can leave a full node
     * together where no single member could gain by leaving first. The instances of a service share their partners,
     * so the best split of an app between two nodes usually cuts between services; merging instances by traffic alone
     * mixes services and misses it (generated app 144: the front half of the call graph on the SmartNIC, the back
     * half on the host). Returns the instances moved (those kept).
     */
    private int refine(int a, int b, boolean byServices) {
        List<Integer> candidates = refinedAround(a, b, byServices);
        if (candidates.size() < 2 || candidates.size() > REFINED_LIMIT || !crossing(candidates)) {
            return 0;
        }
        List<int[][]> levels = new ArrayList<>();
        int[][] units = candidates.stream().map(i -> new int[] {i}).toArray(int[][]::new);
        levels.add(units);
        if (byServices) {
            int[][] byService = byService(candidates);
            if (byService.length < units.length) {
                levels.add(byService);
                units = byService;
            }
        }
        for (int level = 0; level < COARSENING_LEVELS; level++) {
            int[][] coarser = coarsen(units);
            if (coarser.length > units.length * 0.9) {
                break;
            }
            levels.add(coarser);
            units = coarser;
        }
        int moved = fmPass(levels.get(0), a, b);
        if (levels.size() > 1) {
            for (int level = levels.size() - 1; level >= 0; level--) {
                moved += fmPass(levels.get(level), a, b);
            }
        }
        return moved;
    }

    /**
     * The instances a {@link #refine} of nodes {@code a} and {@code b} may move: those on either node and those
     * elsewhere that talk to them; or, refining {@code byServices} two nodes of the {@link #homeServer}, every movable
     * instance that exchanges traffic, if there are at most {@value #REFINED_LIMIT}. Taking them all lets a refinement
     * gather an app spread over several servers onto its home: on generated app 53 the traversal leaves a store and its
     * callers on a third server, beyond the partners of either node. Only on the home server, because refining the
     * whole app for every pair made the hosts-first order twice as slow in the placement benchmark.
     */
    private List<Integer> refinedAround(int a, int b, boolean byServices) {
        boolean whole = byServices && talking <= REFINED_LIMIT && t.serverOf(a) == homeServer()
                && t.serverOf(b) == homeServer();
        List<Integer> candidates = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            if (!movable[i] || partner[i].length == 0) {
                continue;
            }
            if (whole || node[i] == a || node[i] == b) {
                candidates.add(i);
                continue;
            }
            for (int p : partner[i]) {
                if (node[p] == a || node[p] == b) {
                    candidates.add(i);
                    break;
                }
            }
        }
        return candidates;
    }

    /** The server that holds the most of the app's movable instances that exchange traffic. */
    private int homeServer() {
        Map<Integer, Integer> count = new HashMap<>();
        int best = -1;
        for (int i = 0; i < ids.length; i++) {
            if (movable[i] && partner[i].length > 0) {
                int s = t.serverOf(node[i]);
                int c = count.merge(s, 1, Integer::sum);
                if (best < 0 || c > count.get(best)) {
                    best = s;
                }
            }
        }
        return best;
    }

    /** {@code candidates} in units, the instances of one service on one node in each. */
    private int[][] byService(List<Integer> candidates) {
        Map<Long, List<Integer>> groups = new LinkedHashMap<>();
        for (int c : candidates) {
            groups.computeIfAbsent(((long) service[c] << 32) | node[c], k -> new ArrayList<>()).add(c);
        }
        return groups.values().stream().map(g -> g.stream().mapToInt(Integer::intValue).toArray())
                .toArray(int[][]::new);
    }

    /** Whether any of {@code candidates} exchanges bytes across nodes; if none does, no move can gain. */
    private boolean crossing(List<Integer> candidates) {
        for (int c : candidates) {
            if (cost(c, node[c]) > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Heavy-edge matching: each unit, in turn, joins the not yet matched unit it exchanges the most bytes with, if
     * the two together hold at most {@value #UNIT_LIMIT} instances.
     */
    private int[][] coarsen(int[][] units) {
        markUnits(units);
        boolean[] matched = new boolean[units.length];
        List<int[]> out = new ArrayList<>();
        double[] between = new double[units.length];
        for (int u = 0; u < units.length; u++) {
            if (matched[u]) {
                continue;
            }
            matched[u] = true;
            int best = -1;
            for (int m : units[u]) {
                for (int k = 0; k < partner[m].length; k++) {
                    int v = unitOf[partner[m][k]];
                    if (v >= 0 && !matched[v] && units[u].length + units[v].length <= UNIT_LIMIT) {
                        between[v] += bytes[m][k];
                        if (best < 0 || between[v] > between[best]) {
                            best = v;
                        }
                    }
                }
            }
            for (int m : units[u]) {
                for (int p : partner[m]) {
                    if (unitOf[p] >= 0) {
                        between[unitOf[p]] = 0;
                    }
                }
            }
            if (best < 0) {
                out.add(units[u]);
                continue;
            }
            matched[best] = true;
            int[] joined = Arrays.copyOf(units[u], units[u].length + units[best].length);
            System.arraycopy(units[best], 0, joined, units[u].length, units[best].length);
            out.add(joined);
        }
        return out.toArray(int[][]::new);
    }

    /**
     * One Fiduccia-Mattheyses pass over the units: each unit may move whole to {@code a} or {@code b} (one it is not
     * wholly on already), each at most once, always the move that gains the most of those every constraint allows,
     * even when it gains nothing or loses. Then every move after the point where the cost was lowest is undone.
     * Moves that lose let the pass out of a split no single move improves: a host filled by the traversal's first fit
     * gives its least attached instances to the SmartNIC, which in turn hands back the ones that talk to the host,
     * until a store on another server fits beside its callers. Returns the instances moved (those kept).
     */
    private int fmPass(int[][] units, int a, int b) {
        int n = units.length;
        markUnits(units);
        boolean[] locked = new boolean[n];
        int[] movedUnit = new int[n];
        int[][] movedFrom = new int[n][];
        double[] gain = new double[n];
        int[] dest = new int[n];
        Integer[] order = new Integer[n];
        double[] gainA = new double[n];
        double[] gainB = new double[n];
        int[] dirty = new int[n];
        // A unit refused by a node stays refused until something leaves that node: departures from a and b, and for
        // each unit the node that refused it and how many had left it then.
        int[] departures = new int[2];
        int[] refusedBy = new int[n];
        int[] refusedAfter = new int[n];
        Arrays.fill(refusedBy, -1);
        for (int k = 0; k < n; k++) {
            updateGain(units, k, a, b, gain, dest, gainA, gainB);
        }
        int steps = 0;
        double total = 0;
        double best = 0;
        int bestSteps = 0;
        while (steps < n) {
            for (int k = 0; k < n; k++) {
                order[k] = k;
            }
            Arrays.sort(order, (x, y) -> Double.compare(gain[y], gain[x]));
            int chosen = -1;
            for (int k = 0; k < n && gain[order[k]] > Double.NEGATIVE_INFINITY && chosen < 0; k++) {
                int u = order[k];
                int to = dest[u];
                if (refusedBy[u] == to && refusedAfter[u] == departures[to == a ? 0 : 1]) {
                    continue;
                }
                int[] unit = units[u];
                LoadModel.Demand[] demands = lift(unit);
                chosen = takesAll(demands, to) ? u : -1;
                for (int m = 0; m < unit.length; m++) {
                    state.assign(demands[m], node[unit[m]]);
                }
                if (chosen < 0) {
                    refusedBy[u] = to;
                    refusedAfter[u] = departures[to == a ? 0 : 1];
                }
            }
            if (chosen < 0) {
                break;
            }
            int[] unit = units[chosen];
            locked[chosen] = true;
            movedUnit[steps] = chosen;
            movedFrom[steps++] = Arrays.stream(unit).map(m -> node[m]).toArray();
            LoadModel.Demand[] demands = lift(unit);
            for (int m = 0; m < unit.length; m++) {
                place(unit[m], demands[m], dest[chosen]);
            }
            total += gain[chosen];
            gain[chosen] = Double.NEGATIVE_INFINITY;
            int to = dest[chosen];
            int[] from = movedFrom[steps - 1];
            for (int f : from) {
                departures[0] += f == a && to != a ? 1 : 0;
                departures[1] += f == b && to != b ? 1 : 0;
            }
            for (int j = 0; j < unit.length; j++) {
                int m = unit[j];
                if (from[j] == to) {
                    continue;
                }
                for (int k = 0; k < partner[m].length; k++) {
                    int u = unitOf[partner[m][k]];
                    if (u < 0 || locked[u]) {
                        continue;
                    }
                    if (units[u].length == 1) {
                        // Only the partner that moved changed: adjust the two gains by its pair alone.
                        int here = node[units[u][0]];
                        double w = bytes[m][k];
                        double changeHere = latency(here, to) - latency(here, from[j]);
                        gainA[u] += w * (changeHere - (latency(a, to) - latency(a, from[j])));
                        gainB[u] += w * (changeHere - (latency(b, to) - latency(b, from[j])));
                        gain[u] = Math.max(gainA[u], gainB[u]);
                        dest[u] = gainA[u] >= gainB[u] ? a : b;
                    } else if (dirty[u] != steps) {
                        dirty[u] = steps;
                        updateGain(units, u, a, b, gain, dest, gainA, gainB);
                    }
                }
            }
            if (total > best + gainEpsilon(best)) {
                best = total;
                bestSteps = steps;
            } else if (steps - bestSteps >= FRUITLESS_MOVES) {
                break;
            }
        }
        int kept = 0;
        for (int k = steps - 1; k >= 0; k--) {
            int[] moved = units[movedUnit[k]];
            if (k < bestSteps) {
                kept += moved.length;
                continue;
            }
            LoadModel.Demand[] demands = lift(moved);
            for (int m = 0; m < moved.length; m++) {
                place(moved[m], demands[m], movedFrom[k][m]);
            }
        }
        return kept;
    }

    /** Sets {@link #unitOf}: each member of {@code units} to its unit, every other instance to -1. */
    private void markUnits(int[][] units) {
        Arrays.fill(unitOf, -1);
        for (int u = 0; u < units.length; u++) {
            for (int m : units[u]) {
                unitOf[m] = u;
            }
        }
    }

    /**
     * Sets unit {@code k}'s gains on moving to {@code a} and to {@code b}, the better of them and the node it goes to
     * for it.
     */
    private void updateGain(int[][] units, int k, int a, int b, double[] gain, int[] dest, double[] gainA,
                            double[] gainB) {
        gainA[k] = moveGain(units[k], k, a);
        gainB[k] = moveGain(units[k], k, b);
        gain[k] = Math.max(gainA[k], gainB[k]);
        dest[k] = gainA[k] >= gainB[k] ? a : b;
    }

    /**
     * How much the app's cost falls if every member of {@code unit} goes to {@code to}; negative infinity if none
     * would move or one may not run on that kind of core there.
     */
    private double moveGain(int[] unit, int u, int to) {
        if (unit.length == 1) {
            int m = unit[0];
            return node[m] == to || !sameKindAllowed(node[m], to) ? Double.NEGATIVE_INFINITY
                    : cost(m, node[m]) - cost(m, to);
        }
        boolean moves = false;
        for (int m : unit) {
            if (node[m] != to) {
                if (!sameKindAllowed(node[m], to)) {
                    return Double.NEGATIVE_INFINITY;
                }
                moves = true;
            }
        }
        if (!moves) {
            return Double.NEGATIVE_INFINITY;
        }
        double before = unitCost(unit, u);
        int[] was = new int[unit.length];
        for (int k = 0; k < unit.length; k++) {
            was[k] = node[unit[k]];
            node[unit[k]] = to;
        }
        double after = unitCost(unit, u);
        for (int k = 0; k < unit.length; k++) {
            node[unit[k]] = was[k];
        }
        return before - after;
    }

    /** The cost of the pairs with at least one end in {@code unit} (number {@code u}), each pair once. */
    private double unitCost(int[] unit, int u) {
        double c = 0;
        for (int m : unit) {
            for (int k = 0; k < partner[m].length; k++) {
                int p = partner[m][k];
                if (node[p] >= 0) {
                    c += (unitOf[p] == u ? 0.5 : 1) * bytes[m][k] * latency(node[m], node[p]);
                }
            }
        }
        return c;
    }

    /**
     * A node near {@code near} that takes the whole {@code group} (unassigned) once the backups of its members on that
     * node's server move to other servers, or -1. A backup never shares a server with its primary, so the backups the
     * traversal spread over the other servers can keep a group off every server but the one it is spread over. On
     * success the backups have moved (they carry no traffic, so the cost is unchanged); otherwise the state is as it
     * was.
     */
    private int fitsOnceBackupsMove(int[] group, LoadModel.Demand[] demands, int near) {
        CoreClass kind = t.node(near).capacity().coreClass();
        int tried = 0;
        for (Topology.Level level : t.levels(near).subList(1, NEARBY_LEVELS)) {
            for (int n : level.candidates()) {
                if (tried >= BACKUP_MOVES_TRIED) {
                    return -1;
                }
                if (!level.member().test(n) || keepKinds && t.node(n).capacity().coreClass() != kind) {
                    continue;
                }
                int[] blocking = backupsOn(group, t.serverOf(n));
                if (blocking.length == 0) {
                    continue;
                }
                tried++;
                LoadModel.Demand[] backups = lift(blocking);
                if (takesAll(demands, n)) {
                    for (LoadModel.Demand d : demands) {
                        state.assign(d, n);
                    }
                    int[] to = new int[blocking.length];
                    int found = 0;
                    while (found < blocking.length) {
                        int from = node[blocking[found]];
                        int m = ctx.fit().firstFit(backups[found], x -> t.serverOf(x) != t.serverOf(n)
                                && sameKindAllowed(from, x));
                        if (m < 0) {
                            break;
                        }
                        state.assign(backups[found], m);
                        to[found++] = m;
                    }
                    for (int k = 0; k < found; k++) {
                        state.unassign(ids[blocking[k]]);
                    }
                    for (LoadModel.Demand d : demands) {
                        state.unassign(d.instance().id());
                    }
                    if (found == blocking.length) {
                        for (int k = 0; k < blocking.length; k++) {
                            place(blocking[k], backups[k], to[k]);
                        }
                        return n;
                    }
                }
                for (int k = 0; k < blocking.length; k++) {
                    state.assign(backups[k], node[blocking[k]]);
                }
            }
        }
        return -1;
    }

    /** The placed, movable backups of {@code group}'s members on server {@code server}. */
    private int[] backupsOn(int[] group, int server) {
        List<Integer> out = new ArrayList<>();
        for (int x : group) {
            for (int b : backups[x]) {
                if (movable[b] && node[b] >= 0 && t.serverOf(node[b]) == server) {
                    out.add(b);
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
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
