package io.e3.model.topology;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A whole cluster: pods of racks of servers of compute nodes. Immutable; lookups by id are constant time.
 */
public final class Cluster {

    private final String name;
    private final List<Rack> racks;
    private final List<Server> servers;
    private final List<ComputeNode> nodes;
    private final Map<String, Server> serversById;
    private final Map<String, ComputeNode> nodesById;

    public Cluster(String name, List<Rack> racks) {
        this.name = Objects.requireNonNull(name, "name");
        this.racks = List.copyOf(racks);
        this.servers = this.racks.stream().flatMap(r -> r.servers().stream()).toList();
        this.nodes = servers.stream().flatMap(s -> s.nodes().stream()).toList();
        this.serversById = index(servers.stream().map(s -> Map.entry(s.id(), s)).toList(), "server");
        this.nodesById = index(nodes.stream().map(n -> Map.entry(n.id(), n)).toList(), "compute node");
        index(this.racks.stream().map(r -> Map.entry(r.id(), r)).toList(), "rack");
    }

    private static <T> Map<String, T> index(List<Map.Entry<String, T>> entries, String what) {
        Map<String, T> byId = new LinkedHashMap<>();
        for (Map.Entry<String, T> e : entries) {
            if (byId.putIfAbsent(e.getKey(), e.getValue()) != null) {
                throw new IllegalArgumentException("duplicate " + what + " id '" + e.getKey() + "'");
            }
        }
        return Map.copyOf(byId);
    }

    public String name() {
        return name;
    }

    public List<Rack> racks() {
        return racks;
    }

    /** All servers, rack by rack. */
    public List<Server> servers() {
        return servers;
    }

    /** All compute nodes, server by server, each server's host first. */
    public List<ComputeNode> nodes() {
        return nodes;
    }

    public Optional<ComputeNode> node(String id) {
        return Optional.ofNullable(nodesById.get(id));
    }

    public Optional<Server> server(String id) {
        return Optional.ofNullable(serversById.get(id));
    }

    public long count(NodeKind kind) {
        return nodes.stream().filter(n -> n.kind() == kind).count();
    }

    public double costUsd() {
        return servers.stream().mapToDouble(s -> s.type().costUsd()).sum();
    }

    public double idleWatts() {
        return servers.stream().mapToDouble(s -> s.type().idleWatts()).sum();
    }

    public double peakWatts() {
        return servers.stream().mapToDouble(s -> s.type().peakWatts()).sum();
    }

    public double bandwidthGbps() {
        return servers.stream().mapToDouble(s -> s.type().bandwidthGbps()).sum();
    }

    public int beefyCores() {
        return servers.stream().mapToInt(s -> s.type().beefyCores()).sum();
    }

    public int wimpyCores() {
        return servers.stream().mapToInt(s -> s.type().wimpyCores()).sum();
    }

    public long memoryMiB() {
        return servers.stream().mapToLong(s -> s.type().memoryMiB()).sum();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cluster c && c.name.equals(name) && c.racks.equals(racks);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, racks);
    }

    @Override
    public String toString() {
        return "Cluster[" + name + ": " + racks.size() + " racks, " + servers.size() + " servers, "
                + nodes.size() + " compute nodes]";
    }
}
