package io.e3.placement.hcm;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.placement.PlacementResult;
import io.e3.model.placement.Unplaced;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementContext;
import io.e3.placement.PlacementRequest;
import io.e3.placement.Topology;
import io.e3.placement.PlacementStrategy;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * HCM, the hierarchical communication-aware placement of Algorithm 3 (§5.4.3), over instances: every replica, shard
 * and backup is a DAG node.
 *
 * <p>A breadth-first traversal from the entry services' instances. An instance not yet placed goes to the first node
 * that satisfies the constraints ({@code find_first_fit}). Each of its direct descendants not yet placed goes to the
 * best-fitting node of the closest level of its parent's hierarchical topology ({@code MS_PLACE}): the same node, the
 * same server, SmartNICs then hosts of the rack, then beyond the rack. The levels cover every node, so where Algorithm
 * 3 falls back to first fit ignoring topology (line 29) nothing is left to find; first fit remains for instances with
 * no placed parent. Unlike line 14 taken literally, an instance is placed once, by the first parent that reaches it.
 * Backups are placed after all primaries, by the same levels around their primary's node, never in its fault domain.
 * An instance no node can take is returned unplaced, with the closest node of each kind and its shortfall.
 */
public final class HcmStrategy implements PlacementStrategy {

    public static final String NAME = "hcm";

    /**
     * The index of the last cluster placed on, kept because apps are usually placed one after another. Shared use
     * from several threads at worst builds it twice: a Topology is immutable.
     */
    private Topology topology;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PlacementResult place(PlacementRequest request) {
        topology = Topology.reuse(topology, request.cluster());
        Run run = new Run(PlacementContext.of(request, topology));
        AppSpec app = run.ctx.app();
        Map<String, List<Instance>> primaries = new LinkedHashMap<>();
        List<Instance> backups = new ArrayList<>();
        for (Instance i : app.instances()) {
            if (i.isBackup()) {
                backups.add(i);
            } else {
                primaries.computeIfAbsent(i.service(), k -> new ArrayList<>()).add(i);
            }
        }
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
            int node = run.nodeOrFirstFit(v);
            for (ChannelSpec c : app.channelsFrom(v.service())) {
                for (Instance w : primaries.get(c.to())) {
                    run.placeNear(w, node);
                    if (enqueued.add(w.id())) {
                        queue.add(w);
                    }
                }
            }
        }
        for (Instance b : backups) {
            run.placeNear(b, run.ctx.state().nodeOf(b.primary()));
        }
        return run.result();
    }

    /** The state of one placement. */
    private static final class Run {
        final PlacementContext ctx;
        final Map<String, List<String>> failed = new LinkedHashMap<>();

        Run(PlacementContext ctx) {
            this.ctx = ctx;
        }

        /** The node of {@code v}, placing it by first fit if it has none; -1 if it cannot be placed. */
        int nodeOrFirstFit(Instance v) {
            int node = ctx.state().nodeOf(v.id());
            if (node >= 0 || failed.containsKey(v.id())) {
                return node;
            }
            LoadModel.Demand d = ctx.load().demandOf(v);
            return assignOrFail(d, ctx.fit().firstFit(d));
        }

        /** {@code MS_PLACE}: places {@code w}, if not yet placed, in the closest level around {@code anchor}. */
        void placeNear(Instance w, int anchor) {
            if (ctx.state().nodeOf(w.id()) >= 0 || failed.containsKey(w.id())) {
                return;
            }
            LoadModel.Demand d = ctx.load().demandOf(w);
            if (anchor < 0) {
                assignOrFail(d, ctx.fit().firstFit(d));
                return;
            }
            for (Topology.Level level : ctx.state().topology().levels(anchor)) {
                int node = ctx.fit().bestFit(d, level);
                if (node >= 0) {
                    ctx.state().assign(d, node);
                    return;
                }
            }
            assignOrFail(d, ctx.fit().firstFit(d));
        }

        int assignOrFail(LoadModel.Demand d, int node) {
            if (node >= 0) {
                ctx.state().assign(d, node);
            } else {
                failed.put(d.instance().id(), ctx.fit().whyNot(d));
            }
            return node;
        }

        PlacementResult result() {
            List<Unplaced> unplaced = new ArrayList<>();
            for (Instance i : ctx.app().instances()) {
                if (ctx.state().nodeOf(i.id()) < 0) {
                    unplaced.add(new Unplaced(i, failed.get(i.id())));
                }
            }
            return ctx.result(NAME, unplaced, Map.of());
        }
    }
}
