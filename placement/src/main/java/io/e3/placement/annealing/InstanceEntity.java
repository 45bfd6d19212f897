package io.e3.placement.annealing;

import io.e3.model.topology.CoreClass;
import io.e3.model.topology.NodeKind;
import org.optaplanner.core.api.domain.entity.PlanningEntity;
import org.optaplanner.core.api.domain.lookup.PlanningId;
import org.optaplanner.core.api.domain.variable.PlanningVariable;

/** One instance to place: the solver chooses its node, or none (a planning entity). */
@PlanningEntity
public class InstanceEntity {

    @PlanningId
    private String id;
    private String replicaSet;
    private NodeKind pin;
    private long milliCoresBeefy;
    private long milliCoresWimpy;
    private long memoryMiB;
    private long mbps;

    @PlanningVariable(valueRangeProviderRefs = "nodes", nullable = true)
    private NodeFact node;

    /** For the solver's cloning. */
    public InstanceEntity() {
    }

    /**
     * @param id              the instance id
     * @param replicaSet      the id of its primary (itself for a primary): members must not share a server
     * @param pin             the node kind it must run on, or {@code null}
     * @param milliCoresBeefy cores it needs on a beefy core, in thousandths
     * @param milliCoresWimpy cores it needs on a wimpy core, in thousandths
     * @param memoryMiB       memory it needs
     * @param mbps            network bandwidth its expected traffic needs, in Mb/s
     */
    public InstanceEntity(String id, String replicaSet, NodeKind pin, long milliCoresBeefy, long milliCoresWimpy,
                          long memoryMiB, long mbps) {
        this.id = id;
        this.replicaSet = replicaSet;
        this.pin = pin;
        this.milliCoresBeefy = milliCoresBeefy;
        this.milliCoresWimpy = milliCoresWimpy;
        this.memoryMiB = memoryMiB;
        this.mbps = mbps;
    }

    public String getId() {
        return id;
    }

    public String getReplicaSet() {
        return replicaSet;
    }

    /** Whether it is a primary: its replica set is named after it. */
    public boolean isPrimary() {
        return replicaSet.equals(id);
    }

    public NodeKind getPin() {
        return pin;
    }

    public long getMemoryMiB() {
        return memoryMiB;
    }

    public long getMbps() {
        return mbps;
    }

    public NodeFact getNode() {
        return node;
    }

    public void setNode(NodeFact node) {
        this.node = node;
    }

    /** Thousandths of a core it needs on {@code on}, whose kind of core sets the cost (Table 5.1). */
    public long milliCoresOn(NodeFact on) {
        return on.coreClass() == CoreClass.BEEFY ? milliCoresBeefy : milliCoresWimpy;
    }

    @Override
    public String toString() {
        return id + "@" + node;
    }
}
