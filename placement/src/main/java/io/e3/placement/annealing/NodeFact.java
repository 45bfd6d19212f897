package io.e3.placement.annealing;

import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.NodeKind;

/** A compute node as the solver sees it: fixed during solving (a problem fact). Capacities are what is free. */
public final class NodeFact {

    private final int index;
    private final String id;
    private final NodeKind kind;
    private final CoreClass coreClass;
    private final int server;
    private final int rack;
    private final int pod;
    private final long capacityMilliCores;
    private final long freeMilliCores;
    private final long freeMemoryMiB;
    private final long freeMbps;
    private final boolean busy;

    public NodeFact(int index, String id, NodeKind kind, CoreClass coreClass, int server, int rack, int pod,
                    long capacityMilliCores, long freeMilliCores, long freeMemoryMiB, long freeMbps, boolean busy) {
        this.index = index;
        this.id = id;
        this.kind = kind;
        this.coreClass = coreClass;
        this.server = server;
        this.rack = rack;
        this.pod = pod;
        this.capacityMilliCores = capacityMilliCores;
        this.freeMilliCores = freeMilliCores;
        this.freeMemoryMiB = freeMemoryMiB;
        this.freeMbps = freeMbps;
        this.busy = busy;
    }

    public int index() {
        return index;
    }

    public String id() {
        return id;
    }

    public NodeKind kind() {
        return kind;
    }

    public CoreClass coreClass() {
        return coreClass;
    }

    public int server() {
        return server;
    }

    public long capacityMilliCores() {
        return capacityMilliCores;
    }

    public long freeMilliCores() {
        return freeMilliCores;
    }

    public long freeMemoryMiB() {
        return freeMemoryMiB;
    }

    /** Network bandwidth free, in Mb/s (what earlier apps reserved already taken off). */
    public long freeMbps() {
        return freeMbps;
    }

    /** Whether runtime statistics put the node over its limits (§5.4.3, constraint type 2). */
    public boolean busy() {
        return busy;
    }

    /** The relative round-trip latency of a message from this node to {@code other} ({@link HopClass}). */
    public double latencyTo(NodeFact other) {
        return HopClass.of(index == other.index, server == other.server, rack == other.rack, pod == other.pod,
                kind == NodeKind.SMARTNIC, other.kind == NodeKind.SMARTNIC).relativeLatency();
    }

    @Override
    public String toString() {
        return id;
    }
}
