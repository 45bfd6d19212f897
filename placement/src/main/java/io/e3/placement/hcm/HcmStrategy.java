package io.e3.placement.hcm;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.model.topology.CoreClass;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementRequest;
import io.e3.placement.PlacementStrategy;
import io.e3.placement.Topology;
import io.e3.placement.search.PlacementContext;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/**
 * HCM, the hierarchical communication-aware placement of Algorithm 3 (§5.4.3), made energy-aware, over instances:
 * every replica, shard and backup is a DAG node.
 *
 * <p>A breadth-first traversal from the entry services' instances. An instance not yet placed goes to the first node
 * that satisfies the constraints ({@code find_first_fit}). Each of its direct descendants not yet placed goes to the
 * best-fitting node of the closest level of its parent's hierarchical topology ({@code MS_PLACE}): the same node, the
 * same server, SmartNICs then hosts of the rack, then beyond the rack. Backups are placed after all primaries, by the
 * same levels around their primary's node, never in its fault domain.
 *
 * <p><b>Energy.</b> E3's goal is energy efficiency (§5.4: "maximize microservice energy efficiency"), so with
 * {@link Preference#ENERGY} both searches first consider only the nodes whose kind of core serves the instance at the
 * lowest modelled energy per request ({@link io.e3.model.energy.EnergyModel}, Table 5.1, at the instance's request
 * size), and turn to the other kind only when no node of that kind in the whole hierarchy can take it, with its
 * expected load on that kind of core (so a SmartNIC is chosen only where it sustains the rate). That is how NFV-FIN
 * runs wholly on SmartNICs (§5.6.1) and how "as many microservices on the SmartNIC as fit" (§5.6.2) comes about, while
 * Top ranker, Bayes, SQL and the API gateway, which Table 5.1 shows cheaper on a host, go to hosts.
 * {@link Preference#HOSTS} keeps the original order: every node in one search, the host listed first on each server.
 *
 * <p><b>Never strand.</b> When the traversal leaves instances unplaced, HCM tries again in other orders: the same
 * breadth-first levels with each level's instances largest first and the backups last, largest first; every primary
 * smallest first, then every backup, which leaves out the fewest where the app cannot wholly fit; and two packed orders
 * ({@link Packing}), for apps the cluster can only just hold, where how tightly the instances are packed matters more
 * than how close they sit: each instance is given a kind of core (the SmartNICs' memory runs out before their cores,
 * the hosts' cores before their memory), then the replica sets go largest first, or smallest first, each instance to
 * the roomiest node of its kind. The three traversals also run with the other node preference, since the energy-first
 * search packs SmartNIC memory and can leave no room for backups that a host-first search finds. The
 * {@value #REPAIRED_RUNS} runs with the fewest unplaced are repaired ({@link EjectionChains}: chains of up to three
 * moves of the app's own instances that make room, instances moved to the kind of core where they need fewer cores,
 * and backups left out for primaries, all within fixed budgets of tries). HCM keeps the best run: fewer unplaced, then
 * more requests served, then less modelled active power among the traversals of the preference asked for. An
 * instance no node can take is returned unplaced, with the closest node of each kind and its shortfall.
 */
public final class HcmStrategy implements PlacementStrategy {

    public static final String NAME = "hcm";

    /** Which nodes HCM considers first. */
    public enum Preference {
        /** The kind of core with the lowest modelled energy per request first (the default). */
        ENERGY,
        /** All nodes at once, in cluster order (host first on each server): Algorithm 3 as the chapter prints it. */
        HOSTS
    }

    /** The orders in which a run places the app's instances. */
    private enum Order {
        /** Algorithm 3's breadth-first traversal. */
        BREADTH_FIRST,
        /** Breadth-first levels, each level's instances largest first; backups last, largest first. */
        LARGEST_FIRST,
        /**
         * Every primary smallest first, then every backup smallest first, each near a placed parent: where the
         * cluster cannot hold the whole app, this leaves out the fewest instances.
         */
        SMALLEST_FIRST,
        /** {@link Packing}: replica sets largest first, each instance on the roomiest node of the kind chosen for it. */
        PACKED_LARGEST_FIRST,
        /** {@link Packing} with the smallest replica sets first. */
        PACKED_SMALLEST_FIRST;

        boolean packed() {
            return this == PACKED_LARGEST_FIRST || this == PACKED_SMALLEST_FIRST;
        }
    }

    /**
     * Runs repaired when the first strands: those with the fewest unplaced instances. The others rarely catch up, and
     * a repair costs more than a run.
     */
    static final int REPAIRED_RUNS = 2;

    private final Preference preference;
    private final boolean localityPass;

    /**
     * The index of the last cluster placed on, kept because apps are usually placed one after another. Shared use
     * from several threads at worst builds it twice: a Topology is immutable.
     */
    private Topology topology;

    public HcmStrategy() {
        this(Preference.ENERGY);
    }

    public HcmStrategy(Preference preference) {
        this(preference, true);
    }

    /**
     * @param preference   which nodes to consider first
     * @param localityPass whether to finish with the {@link LocalityPass} (true in every named strategy; false shows
     *                     Algorithm 3's traversal alone)
     */
    public HcmStrategy(Preference preference, boolean localityPass) {
        this.preference = preference;
        this.localityPass = localityPass;
    }

    @Override
    public String name() {
        return preference == Preference.ENERGY ? NAME : NAME + "-hosts";
    }

    @Override
    public PlacementResult place(PlacementRequest request) {
        long start = System.nanoTime();
        topology = Topology.reuse(topology, request.cluster());
        Run first = new Run(PlacementContext.of(request, topology), preference);
        first.traverse(Order.BREADTH_FIRST);
        if (first.unplacedCount() == 0) {
            return finish(first, start);
        }
        List<Run> runs = new ArrayList<>(List.of(first));
        for (Preference p : List.of(preference, preference == Preference.ENERGY ? Preference.HOSTS
                : Preference.ENERGY)) {
            for (Order o : Order.values()) {
                // The packed orders choose nodes by room alone, so they run once, as the preference asked for.
                if (p == preference && o == Order.BREADTH_FIRST || p != preference && o.packed()) {
                    continue;
                }
                Run other = new Run(PlacementContext.of(request, topology), p);
                other.traverse(o);
                runs.add(other);
            }
        }
        List<Run> fewestUnplaced = new ArrayList<>(runs);
        fewestUnplaced.sort(Comparator.comparingInt(Run::unplacedCount)); // stable: ties in the order run
        fewestUnplaced.subList(0, Math.min(REPAIRED_RUNS, runs.size())).forEach(Run::repair);
        Run best = first;
        for (Run other : runs) {
            if (other.betterThan(best)) {
                best = other;
            }
        }
        return finish(best, start);
    }

    /** The locality pass over the run kept, if asked for, then its result. */
    private PlacementResult finish(Run kept, long start) {
        if (localityPass) {
            LocalityPass.improve(kept.ctx, preference == Preference.ENERGY);
        }
        return kept.result(start);
    }

    /** The state of one placement. */
    private final class Run {
        final PlacementContext ctx;
        final Preference order;
        /** Whether it ran a packed order, which places by room alone. */
        boolean packed;
        /** Instances no search found a node for; the reasons are worked out for the result alone. */
        final Set<String> failed = new LinkedHashSet<>();
        final Map<String, List<Instance>> primaries = new LinkedHashMap<>();
        final List<Instance> backups = new ArrayList<>();
        final Map<String, Instance> byId = new HashMap<>();

        Run(PlacementContext ctx, Preference order) {
            this.ctx = ctx;
            this.order = order;
            for (Instance i : ctx.app().instances()) {
                byId.put(i.id(), i);
                if (i.isBackup()) {
                    backups.add(i);
                } else {
                    primaries.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i);
                }
            }
        }

        /** Places the app's instances in {@code order}. */
        void traverse(Order order) {
            AppSpec app = ctx.app();
            packed = order.packed();
            if (packed) {
                new Packing(ctx, failed).place(order == Order.PACKED_LARGEST_FIRST);
                return;
            }
            if (order == Order.SMALLEST_FIRST) {
                Comparator<Instance> smallestFirst = Comparator.comparingDouble(this::size);
                List<Instance> all = new ArrayList<>();
                primaries.values().forEach(all::addAll);
                all.sort(smallestFirst);
                for (Instance i : all) {
                    placeNear(i, anchorOf(i));
                }
                placeBackups(smallestFirst);
                return;
            }
            if (order == Order.BREADTH_FIRST) {
                ArrayDeque<Instance> queue = new ArrayDeque<>();
                Set<String> enqueued = new HashSet<>();
                for (String entry : app.entry()) {
                    for (Instance i : primaries.get(entry)) {
                        enqueued.add(i.id());
                        queue.add(i);
                    }
                }
                while (!queue.isEmpty()) {
                    Instance v = queue.poll();
                    int node = nodeOrFirstFit(v);
                    for (ChannelSpec c : app.channelsFrom(v.service())) {
                        for (Instance w : primaries.get(c.to())) {
                            placeNear(w, node);
                            if (enqueued.add(w.id())) {
                                queue.add(w);
                            }
                        }
                    }
                }
                for (Instance b : backups) {
                    placeNear(b, anchorOf(b));
                }
                return;
            }
            Comparator<Instance> largestFirst = Comparator.comparingDouble(this::size).reversed();
            Set<String> seen = new HashSet<>(app.entry());
            List<String> level = new ArrayList<>(app.entry());
            while (!level.isEmpty()) {
                List<Instance> instances = new ArrayList<>();
                level.forEach(s -> instances.addAll(primaries.get(s)));
                instances.sort(largestFirst);
                for (Instance i : instances) {
                    placeNear(i, anchorOf(i));
                }
                List<String> next = new ArrayList<>();
                for (String s : level) {
                    for (ChannelSpec c : app.channelsFrom(s)) {
                        if (seen.add(c.to())) {
                            next.add(c.to());
                        }
                    }
                }
                level = next;
            }
            placeBackups(largestFirst);
        }

        /** Places the backups, after all primaries, in the order {@code by}, each near its primary. */
        void placeBackups(Comparator<Instance> by) {
            List<Instance> sorted = new ArrayList<>(backups);
            sorted.sort(by);
            for (Instance b : sorted) {
                placeNear(b, anchorOf(b));
            }
        }

        /** Where to place {@code i} near: its primary's node for a backup, else a placed caller's node; -1 if none. */
        int anchorOf(Instance i) {
            return i.isBackup() ? ctx.state().nodeOf(i.primary()) : parentNode(i);
        }

        /** The node of one placed instance of a service that calls {@code i}'s, or -1. */
        int parentNode(Instance i) {
            for (ChannelSpec c : ctx.app().channelsInto(i.service())) {
                for (Instance p : primaries.get(c.from())) {
                    int node = ctx.state().nodeOf(p.id());
                    if (node >= 0) {
                        return node;
                    }
                }
            }
            return -1;
        }

        /** How much of a node an instance takes: its share of a beefy node's cores plus of its memory. */
        double size(Instance i) {
            LoadModel.Demand d = ctx.load().demandOf(i);
            return d.coresOn(CoreClass.BEEFY) / 12 + d.memoryMiB() / 4096.0;
        }

        /**
         * The kinds of core to search, in order: with {@link Preference#ENERGY}, lowest modelled energy per request
         * of this instance first; with {@link Preference#HOSTS}, one search over every node.
         */
        List<IntPredicate> tiers(LoadModel.Demand d) {
            if (order == Preference.HOSTS) {
                return List.of(n -> true);
            }
            Topology t = ctx.topology();
            boolean wimpyFirst = d.joulesPerRequestOn(CoreClass.WIMPY) < d.joulesPerRequestOn(CoreClass.BEEFY);
            CoreClass first = wimpyFirst ? CoreClass.WIMPY : CoreClass.BEEFY;
            CoreClass second = wimpyFirst ? CoreClass.BEEFY : CoreClass.WIMPY;
            return List.of(n -> t.node(n).capacity().coreClass() == first,
                    n -> t.node(n).capacity().coreClass() == second);
        }

        /** The node of {@code v}, placing it by first fit if it has none; -1 if it cannot be placed. */
        int nodeOrFirstFit(Instance v) {
            int node = ctx.state().nodeOf(v.id());
            if (node >= 0 || failed.contains(v.id())) {
                return node;
            }
            return placeNear(v, -1);
        }

        /**
         * {@code MS_PLACE}: places {@code w}, if not yet placed, in the closest level around {@code anchor}, or by
         * first fit if it has no anchor; each kind of core in turn. Returns its node, or -1.
         */
        int placeNear(Instance w, int anchor) {
            int placed = ctx.state().nodeOf(w.id());
            if (placed >= 0 || failed.contains(w.id())) {
                return placed;
            }
            LoadModel.Demand d = ctx.load().demandOf(w);
            int node = find(d, anchor);
            if (node >= 0) {
                ctx.state().assign(d, node);
            } else {
                failed.add(w.id());
            }
            return node;
        }

        /** Where {@code d} would go near {@code anchor} (-1: no anchor, first fit), or -1 if nowhere. */
        int find(LoadModel.Demand d, int anchor) {
            return findAmong(d, anchor, n -> true);
        }

        /** {@link #find} among the nodes {@code where} accepts. */
        int findAmong(LoadModel.Demand d, int anchor, IntPredicate where) {
            List<Topology.Level> levels = anchor < 0 ? List.of() : ctx.topology().levels(anchor);
            for (IntPredicate tier : tiers(d)) {
                IntPredicate among = n -> where.test(n) && tier.test(n);
                if (anchor < 0) {
                    int node = ctx.fit().firstFit(d, among);
                    if (node >= 0) {
                        return node;
                    }
                    continue;
                }
                for (Topology.Level level : levels) {
                    int node = ctx.fit().bestFit(d, level, among);
                    if (node >= 0) {
                        return node;
                    }
                }
            }
            return -1;
        }

        /** {@link EjectionChains}, with this run's search near each instance's anchor. */
        void repair() {
            new EjectionChains(ctx, (d, where) -> findAmong(d, anchorOf(d.instance()), where), this::size)
                    .repair(failed, byId);
        }

        int unplacedCount() {
            return failed.size();
        }

        double activeWatts() {
            double watts = 0;
            for (var a : ctx.state().assignments()) {
                watts += ctx.state().demandOf(a.instance().id())
                        .activeWattsOn(ctx.topology().node(ctx.topology().indexOf(a.nodeId())).capacity().coreClass());
            }
            return watts;
        }

        /** Requests per second the app serves with the primaries placed ({@link LoadModel#servedRequestsPerSecond}). */
        double servedRequestsPerSecond() {
            Map<String, Integer> placed = new HashMap<>();
            primaries.forEach((service, instances) -> placed.put(service,
                    (int) instances.stream().filter(i -> ctx.state().nodeOf(i.id()) >= 0).count()));
            return ctx.load().servedRequestsPerSecond(placed);
        }

        /**
         * Fewer unplaced; at equal numbers, more requests served (leaving out a backup rather than the only entry
         * instance); then less modelled active power, but only among the traversals of the preference asked for: the
         * other preference and the packed orders are there to strand less, not to overrule the one chosen.
         */
        boolean betterThan(Run other) {
            if (unplacedCount() != other.unplacedCount()) {
                return unplacedCount() < other.unplacedCount();
            }
            double served = servedRequestsPerSecond();
            double otherServed = other.servedRequestsPerSecond();
            if (Math.abs(served - otherServed) > 1e-9 * Math.max(1, otherServed)) {
                return served > otherServed;
            }
            return order == preference && !packed && activeWatts() < other.activeWatts() - 1e-9;
        }

        /** The result; its elapsed time counts every run since {@code startNanos}, not only this one. */
        PlacementResult result(long startNanos) {
            List<Unplaced> unplaced = new ArrayList<>();
            for (Instance i : ctx.app().instances()) {
                if (ctx.state().nodeOf(i.id()) < 0) {
                    // Why not now, not when it failed: a repair may have moved what stood in its way.
                    unplaced.add(new Unplaced(i, ctx.fit().whyNot(ctx.load().demandOf(i))));
                }
            }
            return ctx.result(name(), unplaced, Map.of("elapsedMillis", (System.nanoTime() - startNanos) / 1e6));
        }
    }
}
