package io.e3.model.placement;

import io.e3.model.app.Instance;

import java.util.Objects;

/**
 * One instance placed on one compute node.
 *
 * @param instance the instance
 * @param nodeId   the id of the compute node it runs on
 */
public record Assignment(Instance instance, String nodeId) {

    public Assignment {
        Objects.requireNonNull(instance, "instance");
        Objects.requireNonNull(nodeId, "nodeId");
    }
}
