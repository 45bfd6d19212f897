package io.e3.model.topology;

/**
 * How a message travels between two compute nodes, with its relative latency: the round trip against a host-to-host
 * round trip through the top-of-rack switch (1.0).
 *
 * <p>Calibration (modelled, §5.3.4 and Figure 5.3): SmartNIC-host over PCIe is 83.3 % and SmartNIC-SmartNIC through
 * the ToR 86.2 % faster than host-host kernel-bypass through the ToR. A host talking to another server's SmartNIC
 * pays the host's stack at one end only, so it is taken as the mean of the two. Each switch layer beyond the rack adds
 * one host-to-host round trip's worth (two more switch hops per direction in a FatTree).
 */
public enum HopClass {
    /** Both ends on one node: an in-memory queue. */
    SAME_NODE(0.0),
    /** A host and one of its own SmartNICs: PCIe DMA (§5.4.1). */
    PCIE(1 - 0.833),
    /** Two SmartNICs, of one server or of two servers in one rack, through the ToR switch. */
    SMARTNIC_TOR(1 - 0.862),
    /** A host and a SmartNIC of another server in the rack, through the ToR switch. */
    HOST_SMARTNIC_TOR(((1 - 0.862) + 1.0) / 2),
    /** Two hosts in one rack, through the ToR switch. */
    HOST_TOR(1.0),
    /** Two nodes in different racks of one pod: through the aggregation layer. */
    CROSS_RACK(2.0),
    /** Two nodes in different pods: through the core layer. */
    CROSS_POD(3.0);

    private final double relativeLatency;

    HopClass(double relativeLatency) {
        this.relativeLatency = relativeLatency;
    }

    /** Round-trip latency relative to host-to-host through the ToR; 0 for the same node. */
    public double relativeLatency() {
        return relativeLatency;
    }

    /** The hop class between two nodes. */
    public static HopClass between(ComputeNode a, ComputeNode b) {
        return of(a.id().equals(b.id()), a.serverId().equals(b.serverId()), a.rackId().equals(b.rackId()),
                a.podId().equals(b.podId()), a.isSmartNic(), b.isSmartNic());
    }

    /** The hop class between two nodes described by where they are relative to each other and what they are. */
    public static HopClass of(boolean sameNode, boolean sameServer, boolean sameRack, boolean samePod,
                              boolean aIsSmartNic, boolean bIsSmartNic) {
        if (sameNode) {
            return SAME_NODE;
        }
        if (!samePod) {
            return CROSS_POD;
        }
        if (!sameRack) {
            return CROSS_RACK;
        }
        if (sameServer && aIsSmartNic != bIsSmartNic) {
            return PCIE;
        }
        if (aIsSmartNic && bIsSmartNic) {
            return SMARTNIC_TOR;
        }
        return aIsSmartNic || bIsSmartNic ? HOST_SMARTNIC_TOR : HOST_TOR;
    }
}
