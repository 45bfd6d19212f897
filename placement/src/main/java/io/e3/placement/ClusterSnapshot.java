package io.e3.placement;

import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster as a placement sees it: what each node already carries and which instances are where. Immutable;
 * {@link #with(PlacementResult)} gives the snapshot after a placement, so apps placed in order see each other's load.
 *
 * @param usage       per compute node id; a node not listed carries nothing
 * @param assignments instances already placed
 */
public record ClusterSnapshot(Map<String, NodeUsage> usage, List<Assignment> assignments) {

    public static final ClusterSnapshot EMPTY = new ClusterSnapshot(Map.of(), List.of());

    public ClusterSnapshot {
        usage = Map.copyOf(usage);
        assignments = List.copyOf(assignments);
    }

    public NodeUsage usageOf(String nodeId) {
        return usage.getOrDefault(nodeId, NodeUsage.NONE);
    }

    /** This snapshot with the reservations of {@code result} added. */
    public ClusterSnapshot with(PlacementResult result) {
        Map<String, NodeUsage> next = new HashMap<>(usage);
        for (Assignment a : result.assignments()) {
            next.put(a.nodeId(), next.getOrDefault(a.nodeId(), NodeUsage.NONE)
                    .plus(a.reserved().cores(), a.reserved().memoryMiB(), 0));
        }
        List<Assignment> all = new ArrayList<>(assignments);
        all.addAll(result.assignments());
        return new ClusterSnapshot(next, all);
    }
}
