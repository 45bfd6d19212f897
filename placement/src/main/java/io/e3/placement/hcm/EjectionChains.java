package io.e3.placement.hcm;

import io.e3.model.app.Instance;
import io.e3.model.placement.Assignment;
import io.e3.model.topology.CoreClass;
import io.e3.placement.LoadModel;
import io.e3.placement.constraint.Verdict;
import io.e3.placement.search.PlacementContext;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;

/**
 * HCM's repair of a run that left instances unplaced: ejection chains over the app's own instances, then, if some are
 * still left, a compaction of the kinds of core, and last backups traded for primaries. It moves only instances of the
 * app being placed, and only within fixed budgets of tries, so it stays a bounded heuristic.
 *
 * <p><b>Ejection chains.</b> An unplaced instance goes where HCM's search puts it. Failing that, it goes onto one of
 * the {@value #CANDIDATE_NODES} nodes that hold instances of the app and refuse it only for want of room (the smallest
 * shortfall first), once a set of the app's instances there has left to make that room; each of those is placed again
 * the same way, one link shorter. Chains are tried shortest first, up to {@value #MAX_LINKS} links (iterative
 * deepening), and a chain that does not close is undone move by move. An instance moved within a chain is not moved
 * again in it. Instances are taken smallest first, since each one placed counts the same, for up to {@value #ROUNDS}
 * passes while the last placed any; a primary at least as large in every resource as one that already failed in the
 * same pass is not tried.
 *
 * <p><b>Kind compaction.</b> An instance can need more cores on one kind of core than on the other (in the generated
 * apps, Recommend about three times as many beefy cores as wimpy ones for the same rate, Bayes about seven times as
 * many wimpy ones). Every placed instance of the app that sits on its dearer kind is moved to the other by a chain,
 * which frees cores where it was; then the chains run again. All of it is kept only if it placed more instances.
 *
 * <p><b>Backups for primaries.</b> Counting instances alone, a repair may leave out the app's only entry instance
 * rather than a backup, and the app then serves nothing. Last, each primary still unplaced gets a chain with one of the
 * app's placed backups set aside (the largest first); where one closes, that backup is left out instead.
 */
final class EjectionChains {

    /** HCM's node search: where it would place {@code demand} among the nodes {@code where} accepts, or -1. */
    interface Search {
        int find(LoadModel.Demand demand, IntPredicate where);
    }

    /** Longest chain: a move that makes room for a move that makes room for a move. */
    static final int MAX_LINKS = 3;
    /** Nodes tried per link, closest to taking the instance first. */
    static final int CANDIDATE_NODES = 8;
    /** Sets of the app's instances tried per node. */
    static final int EVICTION_SETS = 8;
    /** Sets tried, over all links, for one instance. */
    static final int TRIES_PER_INSTANCE = 200;
    /** Sets tried over the chains of one phase (the first chains, the compaction, the chains after it). */
    static final int TRIES_PER_PHASE = 1000;
    /** Passes of chains over the instances still unplaced, while the last one placed any. */
    static final int ROUNDS = 3;

    private static final double EPSILON = 1e-9;

    /** One move of a chain: {@code from} or {@code to} is -1 for "unplaced". */
    private record Move(LoadModel.Demand demand, int from, int to) {
    }

    private final PlacementContext ctx;
    private final Search search;
    private final ToDoubleFunction<Instance> size;
    /** The app's instances on each node, in the order they came. */
    private final Map<Integer, List<String>> onNode = new HashMap<>();
    private final List<Move> moves = new ArrayList<>();
    private int triesForInstance;
    private int triesForPhase;

    /**
     * @param ctx    the run's placement
     * @param search where the run would place an instance
     * @param size   how large an instance is, for the order in which the unplaced are tried
     */
    EjectionChains(PlacementContext ctx, Search search, ToDoubleFunction<Instance> size) {
        this.ctx = ctx;
        this.search = search;
        this.size = size;
    }

    /**
     * Places as many of the instances in {@code unplaced} as it can, and removes them from it.
     *
     * @param unplaced ids of instances of the app that have no node
     * @param byId     every instance of the app by id
     */
    void repair(Set<String> unplaced, Map<String, Instance> byId) {
        for (Assignment a : ctx.state().assignments()) {
            onNode.computeIfAbsent(ctx.topology().indexOf(a.nodeId()), k -> new ArrayList<>()).add(a.instance().id());
        }
        placeByChains(unplaced, byId);
        if (!unplaced.isEmpty()) {
            Set<String> before = new LinkedHashSet<>(unplaced);
            int mark = moves.size();
            compactKinds();
            placeByChains(unplaced, byId);
            if (unplaced.size() >= before.size()) {
                undoTo(mark);
                unplaced.clear();
                unplaced.addAll(before);
            }
        }
        tradeBackupsForPrimaries(unplaced, byId);
    }

    /**
     * For each primary still unplaced, smallest first: the app's placed backups, largest first, each set aside in turn
     * until a chain places the primary; that backup is then unplaced instead. As many instances are placed, and more
     * of them serve requests: a backup only stands by.
     */
    private void tradeBackupsForPrimaries(Set<String> unplaced, Map<String, Instance> byId) {
        triesForPhase = TRIES_PER_PHASE;
        List<Instance> primaries = new ArrayList<>(unplaced.stream().map(byId::get).filter(i -> !i.isBackup())
                .toList());
        primaries.sort(Comparator.comparingDouble(size));
        List<LoadModel.Demand> failed = new ArrayList<>();
        for (Instance p : primaries) {
            LoadModel.Demand d = ctx.load().demandOf(p);
            if (failed.stream().anyMatch(f -> atLeast(d, f))) {
                continue;
            }
            failed.add(d);
            List<LoadModel.Demand> backups = new ArrayList<>();
            for (Assignment a : ctx.state().assignments()) {
                if (a.instance().isBackup()) {
                    backups.add(ctx.state().demandOf(a.instance().id()));
                }
            }
            backups.sort(Comparator.comparingDouble((LoadModel.Demand b) -> size.applyAsDouble(b.instance()))
                    .reversed());
            for (LoadModel.Demand b : backups.subList(0, Math.min(EVICTION_SETS, backups.size()))) {
                if (triesForPhase <= 0) {
                    return;
                }
                int mark = moves.size();
                move(b, ctx.state().nodeOf(b.instance().id()), -1);
                if (shortestChain(d, n -> true)) {
                    unplaced.remove(p.id());
                    unplaced.add(b.instance().id());
                    failed.remove(d);
                    break;
                }
                undoTo(mark);
            }
        }
    }

    private void placeByChains(Set<String> unplaced, Map<String, Instance> byId) {
        triesForPhase = TRIES_PER_PHASE;
        boolean progress = true;
        for (int round = 0; progress && round < ROUNDS; round++) {
            progress = false;
            List<Instance> order = new ArrayList<>(unplaced.stream().map(byId::get).toList());
            order.sort(Comparator.comparingDouble(size));
            List<LoadModel.Demand> failed = new ArrayList<>();
            for (Instance i : order) {
                LoadModel.Demand d = ctx.load().demandOf(i);
                if (failed.stream().anyMatch(f -> atLeast(d, f))) {
                    continue;
                }
                if (shortestChain(d, n -> true)) {
                    unplaced.remove(i.id());
                    progress = true;
                } else {
                    failed.add(d);
                }
            }
        }
    }

    /**
     * Whether {@code d} cannot fit where {@code failed} could not: both primaries of the same pin, {@code d} at least
     * as large in every resource. Backups are always tried: where one may go depends on where its primary is.
     */
    private boolean atLeast(LoadModel.Demand d, LoadModel.Demand failed) {
        Instance i = d.instance();
        Instance f = failed.instance();
        return !i.isBackup() && !f.isBackup()
                && ctx.constraints().pins().pinOf(i.service()) == ctx.constraints().pins().pinOf(f.service())
                && d.coresOn(CoreClass.BEEFY) >= failed.coresOn(CoreClass.BEEFY) - EPSILON
                && d.coresOn(CoreClass.WIMPY) >= failed.coresOn(CoreClass.WIMPY) - EPSILON
                && d.memoryMiB() >= failed.memoryMiB() && d.bandwidthGbps() >= failed.bandwidthGbps() - EPSILON;
    }

    /** Places the unplaced {@code d} on a node {@code where} accepts by the shortest chain found; false if none. */
    private boolean shortestChain(LoadModel.Demand d, IntPredicate where) {
        triesForInstance = TRIES_PER_INSTANCE;
        for (int links = 1; links <= MAX_LINKS && triesForInstance > 0 && triesForPhase > 0; links++) {
            if (chain(d, links, new HashSet<>(), where)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Places the unplaced {@code d}, directly or by a chain of at most {@code links} links that moves none of
     * {@code fixed}; on failure every move it made is undone.
     */
    private boolean chain(LoadModel.Demand d, int links, Set<String> fixed, IntPredicate where) {
        int direct = search.find(d, where);
        if (direct >= 0) {
            move(d, -1, direct);
            return true;
        }
        if (links == 0) {
            return false;
        }
        fixed.add(d.instance().id());
        for (int node : closest(d, where)) {
            for (List<LoadModel.Demand> evicted : evictions(d, node, fixed)) {
                if (triesForInstance-- <= 0 || triesForPhase-- <= 0) {
                    return false;
                }
                int mark = moves.size();
                evicted.forEach(e -> move(e, node, -1));
                if (!ctx.constraints().check(d, node, ctx.state()).ok()) {
                    undoTo(mark);
                    continue;
                }
                move(d, -1, node);
                evicted.forEach(e -> fixed.add(e.instance().id()));
                if (placeAll(evicted, links - 1, fixed)) {
                    return true;
                }
                evicted.forEach(e -> fixed.remove(e.instance().id()));
                undoTo(mark);
            }
        }
        return false;
    }

    /** Places every one of {@code evicted}, largest first, each by a chain of at most {@code links} links. */
    private boolean placeAll(List<LoadModel.Demand> evicted, int links, Set<String> fixed) {
        List<LoadModel.Demand> largestFirst = new ArrayList<>(evicted);
        largestFirst.sort(Comparator.comparingDouble((LoadModel.Demand e) -> size.applyAsDouble(e.instance()))
                .reversed());
        for (LoadModel.Demand e : largestFirst) {
            if (!chain(e, links, fixed, n -> true)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Up to {@value #CANDIDATE_NODES} nodes {@code where} accepts that hold instances of the app and refuse {@code d}
     * only for want of room, the smallest shortfall first (ties: cluster order).
     */
    private List<Integer> closest(LoadModel.Demand d, IntPredicate where) {
        List<double[]> refusing = new ArrayList<>();
        onNode.forEach((node, ids) -> {
            if (!ids.isEmpty() && where.test(node)) {
                Verdict v = ctx.constraints().check(d, node, ctx.state());
                if (!v.ok() && Double.isFinite(v.shortfall())) {
                    refusing.add(new double[] {v.shortfall(), node});
                }
            }
        });
        refusing.sort(Comparator.<double[]>comparingDouble(r -> r[0]).thenComparingDouble(r -> r[1]));
        return refusing.stream().limit(CANDIDATE_NODES).map(r -> (int) r[1]).toList();
    }

    /**
     * Up to {@value #EVICTION_SETS} sets of the app's instances on {@code node}, none of {@code fixed}, whose leaving
     * would free the cores, memory and bandwidth {@code d} lacks there: for each instance in turn, smallest first, that
     * instance and then the next smallest ones that free something still lacking, until nothing is.
     */
    private List<List<LoadModel.Demand>> evictions(LoadModel.Demand d, int node, Set<String> fixed) {
        CoreClass kind = ctx.topology().node(node).capacity().coreClass();
        List<LoadModel.Demand> here = new ArrayList<>();
        for (String id : onNode.getOrDefault(node, List.of())) {
            if (!fixed.contains(id)) {
                here.add(ctx.state().demandOf(id));
            }
        }
        here.sort(Comparator.comparingDouble(e -> size.applyAsDouble(e.instance())));
        List<List<LoadModel.Demand>> sets = new ArrayList<>();
        for (int first = 0; first < here.size() && sets.size() < EVICTION_SETS; first++) {
            double cores = d.coresOn(kind) - ctx.state().freeCores(node);
            double memory = d.memoryMiB() - ctx.state().freeMemoryMiB(node);
            double bandwidth = d.bandwidthGbps() - ctx.state().freeBandwidthGbps(node);
            List<LoadModel.Demand> set = new ArrayList<>();
            for (int k = first; k < first + here.size() && lacking(cores, memory, bandwidth); k++) {
                LoadModel.Demand e = here.get(k % here.size());
                boolean frees = cores > EPSILON && e.coresOn(kind) > 0 || memory > 0 && e.memoryMiB() > 0
                        || bandwidth > EPSILON && e.bandwidthGbps() > 0;
                if (k == first || frees) {
                    set.add(e);
                    cores -= e.coresOn(kind);
                    memory -= e.memoryMiB();
                    bandwidth -= e.bandwidthGbps();
                }
            }
            if (!lacking(cores, memory, bandwidth) && !sets.contains(set)) {
                sets.add(set);
            }
        }
        return sets;
    }

    private static boolean lacking(double cores, double memory, double bandwidth) {
        return cores > EPSILON || memory > 0 || bandwidth > EPSILON;
    }

    /**
     * Moves each placed instance of the app that needs more cores on its node's kind of core than on another kind to
     * a node of a kind where it needs fewer, by a chain, the largest saving first.
     */
    private void compactKinds() {
        triesForPhase = TRIES_PER_PHASE;
        List<LoadModel.Demand> dear = new ArrayList<>();
        for (Assignment a : ctx.state().assignments()) {
            LoadModel.Demand d = ctx.state().demandOf(a.instance().id());
            if (saving(d) > EPSILON) {
                dear.add(d);
            }
        }
        dear.sort(Comparator.comparingDouble(this::saving).reversed());
        for (LoadModel.Demand d : dear) {
            double saving = saving(d);
            if (saving <= EPSILON || triesForPhase <= 0) {
                continue; // a chain already moved it
            }
            int from = ctx.state().nodeOf(d.instance().id());
            double cores = d.coresOn(coreClassOf(from));
            int mark = moves.size();
            move(d, from, -1);
            if (!shortestChain(d, n -> d.coresOn(coreClassOf(n)) < cores - EPSILON)) {
                undoTo(mark);
            }
        }
    }

    /** Cores {@code d}, placed, would need fewer on the cheapest kind of core than where it is; 0 if unplaced. */
    private double saving(LoadModel.Demand d) {
        int node = ctx.state().nodeOf(d.instance().id());
        if (node < 0) {
            return 0;
        }
        double here = d.coresOn(coreClassOf(node));
        double cheapest = here;
        for (CoreClass c : CoreClass.values()) {
            cheapest = Math.min(cheapest, d.coresOn(c));
        }
        return here - cheapest;
    }

    private CoreClass coreClassOf(int node) {
        return ctx.topology().node(node).capacity().coreClass();
    }

    private void move(LoadModel.Demand d, int from, int to) {
        String id = d.instance().id();
        if (from >= 0) {
            ctx.state().unassign(id);
            onNode.get(from).remove(id);
        }
        if (to >= 0) {
            ctx.state().assign(d, to);
            onNode.computeIfAbsent(to, k -> new ArrayList<>()).add(id);
        }
        moves.add(new Move(d, from, to));
    }

    /** Undoes the moves made since there were {@code mark} of them, last first. */
    private void undoTo(int mark) {
        while (moves.size() > mark) {
            Move m = moves.remove(moves.size() - 1);
            String id = m.demand().instance().id();
            if (m.to() >= 0) {
                ctx.state().unassign(id);
                onNode.get(m.to()).remove(id);
            }
            if (m.from() >= 0) {
                ctx.state().assign(m.demand(), m.from());
                onNode.computeIfAbsent(m.from(), k -> new ArrayList<>()).add(id);
            }
        }
    }
}
