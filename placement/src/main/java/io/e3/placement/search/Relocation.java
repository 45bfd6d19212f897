package io.e3.placement.search;

import io.e3.model.app.AppSpec;
import io.e3.model.app.Instance;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.placement.ClusterSnapshot;
import io.e3.placement.LoadModel;
import io.e3.placement.PlacementRequest;
import io.e3.placement.Topology;
import io.e3.placement.constraint.Constraints;
import java.util.Collection;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Where one running instance goes when it must leave its node: failover (its node died), a migration off an
 * overloaded SmartNIC, a move back, a new backup seeded from a live copy. The same constraints as every placement
 * apply (cores, memory and bandwidth free, pins, fault domains: a backup never on a server with its primary or
 * sibling backups), plus nodes to avoid (nodes declared down, the node it leaves); when nothing fits, the answer says
 * why, as placement does for an unplaced instance. The controller only executes the choice.
 */
public final class Relocation {

    private Relocation() {
    }

    /** Which nodes are tried first. */
    public enum Prefer {
        /** A host: the given server's host first, then the roomiest host (§5.4.4: an overloaded SmartNIC's instance
         * goes to a host). */
        HOST,
        /** Any node outside the given server (the fault domain that failed), the roomiest; then one inside it. */
        ELSEWHERE,
        /** Exactly the given node, if it passes every constraint (a move back to its SmartNIC). */
        EXACTLY
    }

    /**
     * The node chosen, or null with the reasons nothing fits.
     *
     * @param node   the chosen node's id, or null
     * @param whyNot why no node takes the instance (empty when one does)
     */
    public record Choice(String node, List<String> whyNot) {

        public boolean found() {
            return node != null;
        }
    }

    /**
     * Chooses a node for {@code instance} of {@code app}.
     *
     * @param snapshot what the cluster carries, without {@code instance} itself (so that neither its reservation nor
     *                 its old place counts against the new one)
     * @param avoid    nodes it must not go to (down, or the one it leaves)
     * @param prefer   which nodes to try first
     * @param where    the server ({@link Prefer#HOST}: whose host first; {@link Prefer#ELSEWHERE}: to stay out of) or
     *                 the node ({@link Prefer#EXACTLY}); may be null
     */
    public static Choice choose(Cluster cluster, ClusterSnapshot snapshot, AppSpec app, Instance instance,
                                Collection<String> avoid, Prefer prefer, String where) {
        ClusterSnapshot usable = snapshot.withUnavailable(cluster, avoid);
        PlacementContext ctx = PlacementContext.of(new PlacementRequest(cluster, usable, app, 0,
                PlacementRequest.DEFAULT_TIME_LIMIT));
        Topology t = ctx.topology();
        LoadModel.Demand demand = ctx.load().demandOf(instance);
        Fit fit = new Fit(ctx.state(), Constraints.forRelocation(app));
        int chosen = switch (prefer) {
            case EXACTLY -> {
                int n = where == null ? -1 : t.indexOf(where);
                yield n >= 0 ? fit.firstFit(demand, i -> i == n) : -1;
            }
            case HOST -> {
                IntPredicate host = i -> !t.node(i).isSmartNic();
                int own = fit.firstFit(demand, i -> host.test(i) && t.node(i).serverId().equals(where));
                yield own >= 0 ? own : fit.roomiest(demand, host);
            }
            case ELSEWHERE -> {
                int outside = fit.roomiest(demand, i -> !t.node(i).serverId().equals(where));
                yield outside >= 0 ? outside : fit.roomiest(demand, i -> true);
            }
        };
        if (chosen >= 0) {
            return new Choice(t.node(chosen).id(), List.of());
        }
        List<String> why = fit.whyNot(demand);
        if (prefer == Prefer.EXACTLY && where != null) {
            ComputeNode n = cluster.node(where).orElse(null);
            why = n == null ? List.of("no compute node '" + where + "' in cluster " + cluster.name())
                    : avoid.contains(where) ? List.of(where + " is to be avoided (down, or the node it leaves)") : why;
        }
        return new Choice(null, why.isEmpty() ? List.of("no node passes the constraints") : why);
    }
}
