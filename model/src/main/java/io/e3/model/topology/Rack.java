package io.e3.model.topology;

import java.util.List;
import java.util.Objects;

/**
 * A rack: servers under one top-of-rack switch.
 *
 * @param id      unique in the cluster
 * @param podId   the pod of a FatTree the rack belongs to; clusters of one pod use {@value #DEFAULT_POD}
 * @param servers its servers, in order
 */
public record Rack(String id, String podId, List<Server> servers) {

    public static final String DEFAULT_POD = "pod-0";

    public Rack {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(podId, "podId");
        servers = List.copyOf(servers);
    }
}
