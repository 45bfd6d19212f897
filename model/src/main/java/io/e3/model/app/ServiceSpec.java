package io.e3.model.app;

import io.e3.model.topology.NodeKind;

import java.util.Objects;
import java.util.Optional;

/**
 * One service (DAG node) of an application.
 *
 * @param name      unique in its app; a DNS-1123 label
 * @param type      which microservice of Table 5.2 it runs
 * @param instances number of primary instances: replicas or shards, at least 1
 * @param scaling   whether the instances are interchangeable replicas or key-partitioned shards
 * @param demand    what each instance asks of its node
 * @param pin       the node kind it must run on, or {@code null} to let placement decide
 * @param backups   backup replicas per primary instance, at least 0; placed outside the primary's fault domain
 */
public record ServiceSpec(String name, MicroserviceType type, int instances, Scaling scaling, ResourceDemand demand,
                          NodeKind pin, int backups) {

    public ServiceSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(scaling, "scaling");
        Objects.requireNonNull(demand, "demand");
        if (instances < 1) {
            throw new IllegalArgumentException(name + ": instances must be >= 1, got " + instances);
        }
        if (backups < 0) {
            throw new IllegalArgumentException(name + ": backups must be >= 0, got " + backups);
        }
    }

    /** A replicated service with default demand, no pin and no backups; for tests and generators. */
    public static ServiceSpec of(String name, MicroserviceType type, int replicas) {
        return new ServiceSpec(name, type, replicas, Scaling.REPLICATED, ResourceDemand.DEFAULT, null, 0);
    }

    public Optional<NodeKind> pinned() {
        return Optional.ofNullable(pin);
    }

    /** Primary and backup instances together: the DAG nodes this service contributes (Table 5.3, column N). */
    public int totalInstances() {
        return instances * (1 + backups);
    }
}
