package io.e3.placement.constraint;

import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Fault domains (§5.4.5): a backup never shares a server with its primary or with another backup of the same primary,
 * since a server's SmartNICs share its power supply.
 */
public final class FaultDomainConstraint implements PlacementConstraint {

    /** For each primary id, the primary and all its backups. */
    private final Map<String, List<String>> replicaSet = new HashMap<>();

    public FaultDomainConstraint(AppSpec app) {
        for (Instance i : app.instances()) {
            String primary = i.isBackup() ? i.primary() : i.id();
            replicaSet.computeIfAbsent(primary, k -> new ArrayList<>()).add(i.id());
        }
    }

    @Override
    public String name() {
        return "fault domain";
    }

    @Override
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        Instance instance = demand.instance();
        String primary = instance.isBackup() ? instance.primary() : instance.id();
        List<String> replicas = replicaSet.get(primary);
        if (replicas == null || replicas.size() == 1) {
            return Verdict.OK;
        }
        int server = state.topology().serverOf(node);
        for (String other : replicas) {
            int otherNode = other.equals(instance.id()) ? -1 : state.nodeOf(other);
            if (otherNode >= 0 && state.topology().serverOf(otherNode) == server) {
                return Verdict.never(() -> Describe.node(state.topology().node(node)) + ": server "
                        + state.topology().node(node).serverId() + " already holds " + other
                        + " of the same replica set (fault domain, §5.4.5)");
            }
        }
        return Verdict.OK;
    }
}
