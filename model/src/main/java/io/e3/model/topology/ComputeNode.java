package io.e3.model.topology;

import java.util.Objects;

/**
 * A host processor or a SmartNIC: the unit that runs microservice instances.
 *
 * @param id       unique in the cluster: {@code <server>/host} or {@code <server>/nic<i>}
 * @param serverId the server it belongs to, which is also its fault domain (§5.4.5)
 * @param rackId   the rack of its server
 * @param podId    the pod of its rack
 * @param kind     host or SmartNIC
 * @param capacity what it offers
 */
public record ComputeNode(String id, String serverId, String rackId, String podId, NodeKind kind,
                          NodeCapacity capacity) {

    public ComputeNode {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(serverId, "serverId");
        Objects.requireNonNull(rackId, "rackId");
        Objects.requireNonNull(podId, "podId");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(capacity, "capacity");
    }

    /** The fault domain of this node: its server, since SmartNICs share the host's power supply (§5.4.5). */
    public String faultDomain() {
        return serverId;
    }

    public boolean isSmartNic() {
        return kind == NodeKind.SMARTNIC;
    }
}
