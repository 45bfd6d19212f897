package io.e3.model.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One server of a rack: its host and its SmartNICs.
 *
 * @param id     unique in the cluster
 * @param rackId the rack it sits in
 * @param podId  the pod of that rack
 * @param type   the server type, with any per-cluster overrides applied
 * @param nodes  the host first, then SmartNICs {@code nic0, nic1, ...}
 */
public record Server(String id, String rackId, String podId, ServerType type, List<ComputeNode> nodes) {

    public Server {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(rackId, "rackId");
        Objects.requireNonNull(podId, "podId");
        Objects.requireNonNull(type, "type");
        nodes = List.copyOf(nodes);
        if (nodes.size() != type.computeNodes() || nodes.get(0).kind() != NodeKind.HOST) {
            throw new IllegalArgumentException(id + ": nodes must be the host then " + type.smartNics() + " SmartNICs");
        }
    }

    /** Builds a server of {@code type} with its compute nodes named after {@code id}. */
    public static Server of(String id, String rackId, String podId, ServerType type) {
        List<ComputeNode> nodes = new ArrayList<>(type.computeNodes());
        nodes.add(new ComputeNode(id + "/host", id, rackId, podId, NodeKind.HOST, type.host()));
        for (int i = 0; i < type.smartNics(); i++) {
            nodes.add(new ComputeNode(id + "/nic" + i, id, rackId, podId, NodeKind.SMARTNIC, type.smartNic()));
        }
        return new Server(id, rackId, podId, type, nodes);
    }

    public ComputeNode host() {
        return nodes.get(0);
    }

    public List<ComputeNode> smartNics() {
        return nodes.subList(1, nodes.size());
    }
}
