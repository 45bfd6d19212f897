package io.e3.placement;

import io.e3.model.app.Instance;
import io.e3.model.app.ResourceDemand;
import io.e3.model.placement.Assignment;
import io.e3.model.topology.ComputeNode;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The mutable working state of one placement: free capacity per node and where each instance went. Starts from a
 * {@link ClusterSnapshot}; strategies reserve into it and read the assignments out.
 */
public final class PlacementState {

    private final Topology topology;
    private final double[] freeCores;
    private final long[] freeMemory;
    private final double[] freeBandwidth;
    private final double[] utilisation;
    private final long[] outstanding;
    private final double[] activeWatts;
    private final Map<String, Integer> nodeOfInstance = new HashMap<>();
    private final Map<String, Assignment> assignments = new LinkedHashMap<>();
    private final Map<String, LoadModel.Demand> demands = new HashMap<>();

    /**
     * @param topology the cluster
     * @param snapshot what the cluster already carries
     * @param app      the app being placed: of the snapshot's assignments, only its own are looked up by instance
     *                 (to keep a re-placed app's fault domains), which keeps starting a placement independent of how
     *                 many other apps the cluster runs
     */
    public PlacementState(Topology topology, ClusterSnapshot snapshot, String app) {
        this.topology = topology;
        int n = topology.size();
        freeCores = new double[n];
        freeMemory = new long[n];
        freeBandwidth = new double[n];
        utilisation = new double[n];
        outstanding = new long[n];
        activeWatts = new double[n];
        for (int i = 0; i < n; i++) {
            ComputeNode node = topology.node(i);
            freeCores[i] = node.capacity().cores();
            freeMemory[i] = node.capacity().memoryMiB();
            freeBandwidth[i] = node.capacity().bandwidthGbps();
        }
        // A cluster of 50,000 nodes is not looked up node by node: by index when the snapshot is aligned with it,
        // else only the nodes the snapshot lists.
        if (snapshot.alignedWith(topology.cluster())) {
            for (int i = 0; i < n; i++) {
                use(i, snapshot.usageAt(topology.cluster(), i));
            }
        } else {
            snapshot.usage().forEach((nodeId, used) -> {
                int i = topology.indexOf(nodeId);
                if (i >= 0) {
                    use(i, used);
                }
            });
        }
        for (Assignment a : snapshot.assignments()) {
            int node = a.instance().app().equals(app) ? topology.indexOf(a.nodeId()) : -1;
            if (node >= 0) {
                nodeOfInstance.put(a.instance().id(), node);
            }
        }
    }

    private void use(int i, NodeUsage used) {
        if (used == NodeUsage.NONE) {
            return;
        }
        freeCores[i] -= used.cores();
        freeMemory[i] -= used.memoryMiB();
        freeBandwidth[i] -= used.bandwidthGbps();
        utilisation[i] = used.utilisation();
        outstanding[i] = used.outstandingRequests();
        activeWatts[i] = used.activeWatts();
    }

    public Topology topology() {
        return topology;
    }

    public double freeCores(int node) {
        return freeCores[node];
    }

    public long freeMemoryMiB(int node) {
        return freeMemory[node];
    }

    public double freeBandwidthGbps(int node) {
        return freeBandwidth[node];
    }

    public double utilisation(int node) {
        return utilisation[node];
    }

    public long outstandingRequests(int node) {
        return outstanding[node];
    }

    /** Modelled active watts of the load placed on {@code node} so far, the snapshot's included. */
    public double activeWatts(int node) {
        return activeWatts[node];
    }

    /** The node {@code instanceId} is on, or -1. */
    public int nodeOf(String instanceId) {
        return nodeOfInstance.getOrDefault(instanceId, -1);
    }

    /** Reserves {@code demand} on {@code node} for its instance; the caller has checked the constraints. */
    public void assign(LoadModel.Demand demand, int node) {
        Instance instance = demand.instance();
        double cores = demand.coresOn(topology.node(node).capacity().coreClass());
        freeCores[node] -= cores;
        freeMemory[node] -= demand.memoryMiB();
        freeBandwidth[node] -= demand.bandwidthGbps();
        activeWatts[node] += demand.activeWattsOn(topology.node(node).capacity().coreClass());
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
        freeCores[node] += a.reserved().cores();
        freeMemory[node] += a.reserved().memoryMiB();
        freeBandwidth[node] += demand.bandwidthGbps();
        activeWatts[node] -= demand.activeWattsOn(topology.node(node).capacity().coreClass());
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
}
