package io.e3.placement;

import io.e3.model.app.Instance;
import io.e3.model.app.ResourceDemand;
import io.e3.model.placement.Assignment;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable working state of one placement: free capacity per node and where each instance went. Starts from a
 * {@link ClusterSnapshot}; strategies reserve into it and read the assignments out.
 *
 * <p>The snapshot's usage is read in place and this state keeps only its own changes, for the nodes it touched. So
 * starting a placement costs the same whatever the cluster's size, and HCM can try several orders, each in its own
 * state, on a cluster of 50,000 nodes.
 */
public final class PlacementState {

    private final Topology topology;
    private final ClusterSnapshot.Aligned base;
    /** This placement's own reservations, by node. */
    private final Deltas deltas = new Deltas();
    private final Map<String, Integer> nodeOfInstance = new HashMap<>();
    private final Map<String, Assignment> assignments = new LinkedHashMap<>();
    private final Map<String, LoadModel.Demand> demands = new HashMap<>();

    /**
     * @param topology the cluster
     * @param snapshot what the cluster already carries
     * @param app      the app being placed: of the snapshot's assignments, only its own are looked up by instance
     *                 (to keep a re-placed app's fault domains)
     */
    public PlacementState(Topology topology, ClusterSnapshot snapshot, String app) {
        this.topology = topology;
        this.base = snapshot.aligned(topology.cluster());
        for (Assignment a : snapshot.assignmentsOf(app)) {
            int node = topology.indexOf(a.nodeId());
            if (node >= 0) {
                nodeOfInstance.put(a.instance().id(), node);
            }
        }
    }

    public Topology topology() {
        return topology;
    }

    public double freeCores(int node) {
        int s = deltas.slot(node);
        return topology.node(node).capacity().cores() - base.at(node).cores() - (s < 0 ? 0 : deltas.cores[s]);
    }

    public long freeMemoryMiB(int node) {
        int s = deltas.slot(node);
        return topology.node(node).capacity().memoryMiB() - base.at(node).memoryMiB()
                - (s < 0 ? 0 : deltas.memoryMiB[s]);
    }

    public double freeBandwidthGbps(int node) {
        int s = deltas.slot(node);
        return topology.node(node).capacity().bandwidthGbps() - base.at(node).bandwidthGbps()
                - (s < 0 ? 0 : deltas.bandwidthGbps[s]);
    }

    public double utilisation(int node) {
        return base.at(node).utilisation();
    }

    public long outstandingRequests(int node) {
        return base.at(node).outstandingRequests();
    }

    /** Modelled active watts of the load placed on {@code node} so far, the snapshot's included. */
    public double activeWatts(int node) {
        int s = deltas.slot(node);
        return base.at(node).activeWatts() + (s < 0 ? 0 : deltas.activeWatts[s]);
    }

    /** The snapshot's cluster-wide figures with this placement's reservations added. */
    public ClusterSnapshot.Totals totals() {
        ClusterSnapshot.Totals t = base.totals();
        for (int s = 0; s < deltas.size; s++) {
            int node = deltas.nodes[s];
            NodeUsage before = base.at(node);
            // max(0, ...): an assign and unassign of different sizes can leave a rounding error below zero
            NodeUsage after = new NodeUsage(Math.max(0, before.cores() + deltas.cores[s]),
                    before.memoryMiB() + deltas.memoryMiB[s],
                    Math.max(0, before.bandwidthGbps() + deltas.bandwidthGbps[s]),
                    Math.max(0, before.activeWatts() + deltas.activeWatts[s]), before.utilisation(),
                    before.outstandingRequests());
            t = t.replacing(topology.node(node), before, after);
        }
        return t;
    }

    /** The node {@code instanceId} is on, or -1. */
    public int nodeOf(String instanceId) {
        return nodeOfInstance.getOrDefault(instanceId, -1);
    }

    /** Reserves {@code demand} on {@code node} for its instance; the caller has checked the constraints. */
    public void assign(LoadModel.Demand demand, int node) {
        Instance instance = demand.instance();
        double cores = demand.coresOn(topology.node(node).capacity().coreClass());
        deltas.add(node, cores, demand.memoryMiB(), demand.bandwidthGbps(),
                demand.activeWattsOn(topology.node(node).capacity().coreClass()));
        nodeOfInstance.put(instance.id(), node);
        assignments.put(instance.id(), new Assignment(instance, topology.node(node).id(),
                new ResourceDemand(cores, demand.memoryMiB())));
        demands.put(instance.id(), demand);
    }

    /** Undoes {@link #assign} of {@code instanceId}, giving its node back what it reserved; false if it had none. */
    public boolean unassign(String instanceId) {
        Assignment a = assignments.remove(instanceId);
        if (a == null) {
            return false;
        }
        LoadModel.Demand demand = demands.remove(instanceId);
        int node = nodeOfInstance.remove(instanceId);
        deltas.add(node, -a.reserved().cores(), -a.reserved().memoryMiB(), -demand.bandwidthGbps(),
                -demand.activeWattsOn(topology.node(node).capacity().coreClass()));
        return true;
    }

    /** The demand {@code instanceId} was assigned with through this state, or null. */
    public LoadModel.Demand demandOf(String instanceId) {
        return demands.get(instanceId);
    }

    /** The assignments made through this state, in the order made. */
    public List<Assignment> assignments() {
        return List.copyOf(assignments.values());
    }

    /**
     * Reservations by node for the nodes touched: an open-addressing table from node index to a slot in parallel
     * arrays, so that reading a node costs a probe or two and nothing is allocated per node of the cluster.
     */
    private static final class Deltas {
        private int[] table = filled(16);
        int size;
        int[] nodes = new int[8];
        double[] cores = new double[8];
        long[] memoryMiB = new long[8];
        double[] bandwidthGbps = new double[8];
        double[] activeWatts = new double[8];

        private static int[] filled(int length) {
            int[] t = new int[length];
            Arrays.fill(t, -1);
            return t;
        }

        /** The slot of {@code node}, or -1 if this state has not touched it. */
        int slot(int node) {
            int mask = table.length - 1;
            for (int h = mix(node) & mask; ; h = (h + 1) & mask) {
                int s = table[h];
                if (s < 0 || nodes[s] == node) {
                    return s;
                }
            }
        }

        void add(int node, double c, long m, double b, double w) {
            int s = slot(node);
            if (s < 0) {
                s = insert(node);
            }
            cores[s] += c;
            memoryMiB[s] += m;
            bandwidthGbps[s] += b;
            activeWatts[s] += w;
        }

        private int insert(int node) {
            if (size == nodes.length) {
                int n = size * 2;
                nodes = Arrays.copyOf(nodes, n);
                cores = Arrays.copyOf(cores, n);
                memoryMiB = Arrays.copyOf(memoryMiB, n);
                bandwidthGbps = Arrays.copyOf(bandwidthGbps, n);
                activeWatts = Arrays.copyOf(activeWatts, n);
            }
            int s = size++;
            nodes[s] = node;
            if (size * 2 > table.length) {
                table = filled(table.length * 2);
                for (int k = 0; k < size; k++) {
                    place(k);
                }
            } else {
                place(s);
            }
            return s;
        }

        private void place(int s) {
            int mask = table.length - 1;
            int h = mix(nodes[s]) & mask;
            while (table[h] >= 0) {
                h = (h + 1) & mask;
            }
            table[h] = s;
        }

        private static int mix(int x) {
            return x * 0x9E3779B9 >>> 7 ^ x;
        }
    }
}
