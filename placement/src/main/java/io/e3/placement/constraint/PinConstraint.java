package io.e3.placement.constraint;

import io.e3.model.app.AppSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.NodeKind;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

import java.util.HashMap;
import java.util.Map;

/**
 * Pins: a service pinned to a node kind runs only there. A manifest pin wins; without one, SQL is pinned to hosts
 * because its state cannot be migrated (§5.5).
 */
public final class PinConstraint implements PlacementConstraint {

    private final Map<String, NodeKind> pinOfService = new HashMap<>();
    private final Map<String, String> why = new HashMap<>();

    public PinConstraint(AppSpec app) {
        for (ServiceSpec s : app.services()) {
            if (s.pin() != null) {
                pinOfService.put(s.name(), s.pin());
                why.put(s.name(), "pinned to " + s.pin() + " by the manifest");
            } else if (s.type() == MicroserviceType.SQL) {
                pinOfService.put(s.name(), NodeKind.HOST);
                why.put(s.name(), "SQL runs on hosts: its state cannot migrate (§5.5)");
            }
        }
    }

    /** The node kind {@code service} must run on, or {@code null}. */
    public NodeKind pinOf(String service) {
        return pinOfService.get(service);
    }

    @Override
    public String name() {
        return "pin";
    }

    @Override
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        NodeKind pin = pinOfService.get(demand.instance().service());
        NodeKind kind = state.topology().node(node).kind();
        if (pin == null || pin == kind) {
            return Verdict.OK;
        }
        String why = this.why.get(demand.instance().service());
        return Verdict.never(() -> Describe.node(state.topology().node(node)) + ": " + why);
    }
}
