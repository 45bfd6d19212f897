package io.e3.model.topology;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Builds clusters in code: for generated topologies (the FatTree of §5.6.6) and for tests. Servers are named
 * {@code s0, s1, ...} in the order added, as the manifest reader names them.
 *
 * <pre>{@code
 * Cluster c = Clusters.named("lab").rack("r0", ServerTypes.TYPE1_SMARTNIC, 3).build();
 * Cluster big = Clusters.fatTree("ft", ServerTypes.TYPE2_SMARTNIC, 1000, 40, 10);
 * }</pre>
 */
public final class Clusters {

    private final String name;
    private final List<Rack> racks = new ArrayList<>();
    private int nextServer;

    private Clusters(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** A builder for a cluster called {@code name}. */
    public static Clusters named(String name) {
        return new Clusters(name);
    }

    /** {@code count} servers of {@code type} in one rack of the default pod. */
    public static Cluster of(ServerType type, int count) {
        return named(type.name().toLowerCase(Locale.ROOT) + "-x" + count).rack("rack-0", type, count)
                .build();
    }

    /**
     * A FatTree-style cluster (§5.6.6): {@code servers} servers of one type, {@code perRack} to a rack, racks grouped
     * {@code racksPerPod} to a pod. The last rack holds the remainder.
     */
    public static Cluster fatTree(String name, ServerType type, int servers, int perRack, int racksPerPod) {
        if (servers < 1 || perRack < 1 || racksPerPod < 1) {
            throw new IllegalArgumentException("servers, perRack and racksPerPod must be >= 1");
        }
        Clusters b = named(name);
        for (int r = 0; r * perRack < servers; r++) {
            b.rack("rack-" + r, "pod-" + (r / racksPerPod), type, Math.min(perRack, servers - r * perRack));
        }
        return b.build();
    }

    /** Adds a rack of {@code count} servers of {@code type} in the default pod. */
    public Clusters rack(String rackId, ServerType type, int count) {
        return rack(rackId, Rack.DEFAULT_POD, type, count);
    }

    /** Adds a rack of {@code count} servers of {@code type} in pod {@code podId}. */
    public Clusters rack(String rackId, String podId, ServerType type, int count) {
        return rack(rackId, podId, Collections.nCopies(count, type));
    }

    /** Adds a rack in pod {@code podId} with one server of each type listed, in order. */
    public Clusters rack(String rackId, String podId, List<ServerType> types) {
        List<Server> servers = new ArrayList<>(types.size());
        for (ServerType type : types) {
            servers.add(Server.of("s" + nextServer++, rackId, podId, type));
        }
        racks.add(new Rack(rackId, podId, servers));
        return this;
    }

    public Cluster build() {
        return new Cluster(name, racks);
    }
}
