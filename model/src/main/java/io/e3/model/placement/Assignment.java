package io.e3.model.placement;

import io.e3.model.app.Instance;
import io.e3.model.app.ResourceDemand;

import java.util.Objects;

/**
 * One instance placed on one compute node.
 *
 * @param instance the instance
 * @param nodeId   the id of the compute node it runs on
 * @param reserved what placement reserved for it on that node: its declared demand, or more where its expected load
 *                 needs more cores of that node's kind
 */
public record Assignment(Instance instance, String nodeId, ResourceDemand reserved) {

    public Assignment {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(reserved, "reserved");
    }
}
