package io.e3.placement.constraint;

import io.e3.model.topology.ComputeNode;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementState;

import java.util.Locale;

/**
 * Available resources (§5.4.3, constraint type 1): the node must have the cores, memory and bandwidth the instance
 * asks for free. Cores asked are the declared demand or, if more, what the expected load needs on that node's kind of
 * core (constraint type 3), so an instance fits only if the node can carry its load.
 */
public final class ResourceConstraint implements PlacementConstraint {

    /** Below this a shortfall is rounding, not a shortage. */
    private static final double EPSILON = 1e-9;

    @Override
    public String name() {
        return "resources";
    }

    @Override
    public Verdict check(LoadModel.Demand demand, int node, PlacementState state) {
        ComputeNode n = state.topology().node(node);
        double cores = demand.coresOn(n.capacity().coreClass());
        double shortCores = cores - state.freeCores(node);
        double shortMemory = demand.memoryMiB() - state.freeMemoryMiB(node);
        double shortBandwidth = demand.bandwidthGbps() - state.freeBandwidthGbps(node);
        if (shortCores <= EPSILON && shortMemory <= 0 && shortBandwidth <= EPSILON) {
            return Verdict.OK;
        }
        double shortfall = Math.max(0, shortCores) / n.capacity().cores()
                + Math.max(0, shortMemory) / n.capacity().memoryMiB()
                + Math.max(0, shortBandwidth) / n.capacity().bandwidthGbps();
        // The figures as they are now: the reason may be read after the state has moved on.
        double freeCores = state.freeCores(node);
        long freeMemory = state.freeMemoryMiB(node);
        double freeBandwidth = state.freeBandwidthGbps(node);
        return Verdict.shortOf(shortfall, () -> describe(demand, n, cores, freeCores, freeMemory, freeBandwidth));
    }

    private static String describe(LoadModel.Demand demand, ComputeNode n, double cores, double freeCores,
                                   long freeMemory, double freeBandwidth) {
        double shortCores = cores - freeCores;
        double shortMemory = demand.memoryMiB() - freeMemory;
        double shortBandwidth = demand.bandwidthGbps() - freeBandwidth;
        StringBuilder reason = new StringBuilder(Describe.node(n)).append(": ");
        if (shortCores > EPSILON) {
            reason.append("free cores ").append(Describe.cores(freeCores)).append(" < ")
                    .append(Describe.cores(cores)).append(" asked");
            if (cores > demand.instance().demand().cores() + EPSILON) {
                reason.append(" (its expected ").append(Math.round(demand.requestsPerSecond()))
                        .append(" req/s on ").append(n.capacity().coreClass().name().toLowerCase(Locale.ROOT))
                        .append(" cores)");
            }
        }
        if (shortMemory > 0) {
            reason.append(shortCores > EPSILON ? ", " : "").append("free memory ")
                    .append(freeMemory).append(" MiB < ").append(demand.memoryMiB()).append(" MiB asked");
        }
        if (shortBandwidth > EPSILON) {
            reason.append(shortCores > EPSILON || shortMemory > 0 ? ", " : "").append("free bandwidth ")
                    .append(String.format(Locale.ROOT, "%.3f", freeBandwidth))
                    .append(" Gb/s < ")
                    .append(String.format(Locale.ROOT, "%.3f", demand.bandwidthGbps())).append(" Gb/s asked");
        }
        return reason.toString();
    }
}
