package io.e3.model.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.NodeCapacity;
import io.e3.model.topology.Rack;
import io.e3.model.topology.ServerType;
import io.e3.model.topology.ServerTypes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the {@code spec} of a {@code kind: Cluster} document: racks of servers by type and count, and optional
 * overrides of the built-in server types. Servers are named {@code s0, s1, ...} in manifest order across racks.
 */
final class ClusterManifestReader {

    static final int MAX_RACKS = 10_000;
    static final int MAX_GROUPS_PER_RACK = 100;
    /** Enough for the 50,000-server FatTree of Figure 5.11, with room. */
    static final int MAX_SERVERS = 100_000;
    static final double MAX_COST_USD = 1e9;
    static final double MAX_WATTS = 100_000;
    static final long MAX_NODE_CORES = 1_024;
    /** 16 TiB. */
    static final long MAX_NODE_MEMORY_MIB = 1L << 24;
    static final double MAX_BANDWIDTH_GBPS = 10_000;

    private static final Map<String, CoreClass> CORE_CLASSES = new LinkedHashMap<>();

    static {
        for (CoreClass c : CoreClass.values()) {
            CORE_CLASSES.put(c.name(), c);
        }
    }

    private ClusterManifestReader() {
    }

    /** The cluster, or empty when anything was wrong (each problem reported to {@code spec}'s problems). */
    static Optional<Cluster> read(String name, Fields spec) {
        int before = spec.problemCount();
        spec.rejectUnknown("racks", "serverTypes");
        Map<String, ServerType> types = serverTypes(spec);
        Clusters cluster = Clusters.named(name == null ? "unnamed" : name);
        racks(spec, types, cluster);
        if (spec.problemCount() != before || name == null) {
            return Optional.empty();
        }
        return Optional.of(cluster.build());
    }

    /** The built-in types by name, with the manifest's overrides applied. */
    private static Map<String, ServerType> serverTypes(Fields spec) {
        Map<String, ServerType> types = new LinkedHashMap<>();
        ServerTypes.ALL.forEach(t -> types.put(t.name(), t));
        for (Map.Entry<String, JsonNode> e : spec.entries("serverTypes")) {
            String path = spec.pathOf("serverTypes." + e.getKey());
            Optional<ServerType> base = ServerTypes.byName(e.getKey());
            if (base.isEmpty()) {
                spec.problem("serverTypes." + e.getKey(), "unknown server type '" + e.getKey() + "'"
                        + Fields.suggestion(e.getKey(), ServerTypes.names()) + "; expected one of: "
                        + String.join(", ", ServerTypes.names()));
                continue;
            }
            spec.child(e.getValue(), path).flatMap(o -> override(base.get(), o))
                    .ifPresent(t -> types.put(t.name(), t));
        }
        return types;
    }

    private static Optional<ServerType> override(ServerType base, Fields o) {
        int before = o.problemCount();
        o.rejectUnknown("costUsd", "idleWatts", "peakWatts", "host", "smartNics", "smartNic");
        Double cost = o.number("costUsd", false, false, MAX_COST_USD);
        Double idle = o.number("idleWatts", false, true, MAX_WATTS);
        Double peak = o.number("peakWatts", false, true, MAX_WATTS);
        Long nics = o.integer("smartNics", false, 0, ServerType.MAX_SMARTNICS);
        NodeCapacity host = o.object("host", false).map(h -> capacity(h, base.host())).orElse(base.host());
        NodeCapacity nic = o.object("smartNic", false).map(n -> capacity(n, base.smartNic())).orElse(base.smartNic());
        if (o.problemCount() != before || host == null || (o.has("smartNic") && nic == null)) {
            return Optional.empty();
        }
        int nicCount = nics == null ? base.smartNics() : nics.intValue();
        if (nicCount > 0 && nic == null) {
            o.problem("smartNic", "required when giving " + base.name() + " SmartNICs: their cores, memoryMiB and "
                    + "bandwidthGbps");
            return Optional.empty();
        }
        try {
            return Optional.of(new ServerType(base.name(), cost == null ? base.costUsd() : cost,
                    idle == null ? base.idleWatts() : idle, peak == null ? base.peakWatts() : peak,
                    host, nicCount, nicCount == 0 ? null : nic));
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String prefix = base.name() + ": ";
            o.problem(null, message.startsWith(prefix) ? message.substring(prefix.length()) : message);
            return Optional.empty();
        }
    }

    /**
     * {@code base} with the fields {@code c} gives, or {@code null} if any is wrong. With no {@code base} (SmartNICs
     * given to a type that has none) cores, memoryMiB and bandwidthGbps are required and the core class defaults to
     * wimpy.
     */
    private static NodeCapacity capacity(Fields c, NodeCapacity base) {
        int before = c.problemCount();
        boolean required = base == null;
        c.rejectUnknown("cores", "coreClass", "memoryMiB", "bandwidthGbps");
        Long cores = c.integer("cores", required, 1, MAX_NODE_CORES);
        CoreClass coreClass = c.choice("coreClass", false, CORE_CLASSES, "core class");
        Long memory = c.integer("memoryMiB", required, 1, MAX_NODE_MEMORY_MIB);
        Double bandwidth = c.number("bandwidthGbps", required, true, MAX_BANDWIDTH_GBPS);
        if (c.problemCount() != before) {
            return null;
        }
        if (base == null) {
            return new NodeCapacity(cores.intValue(), coreClass == null ? CoreClass.WIMPY : coreClass, memory,
                    bandwidth);
        }
        return new NodeCapacity(cores == null ? base.cores() : cores.intValue(),
                coreClass == null ? base.coreClass() : coreClass,
                memory == null ? base.memoryMiB() : memory,
                bandwidth == null ? base.bandwidthGbps() : bandwidth);
    }

    private static void racks(Fields spec, Map<String, ServerType> types, Clusters cluster) {
        Map<String, Integer> seen = new HashMap<>();
        int servers = 0;
        List<JsonNode> items = spec.list("racks", true, 1, MAX_RACKS);
        for (int i = 0; i < items.size(); i++) {
            Optional<Fields> item = spec.child(items.get(i), spec.pathOf("racks[" + i + "]"));
            if (item.isEmpty()) {
                continue;
            }
            Fields r = item.get();
            int before = r.problemCount();
            r.rejectUnknown("name", "pod", "servers");
            String name = r.name("name");
            String pod = r.has("pod") ? r.name("pod") : Rack.DEFAULT_POD;
            Integer first = name == null ? null : seen.putIfAbsent(name, i);
            if (first != null) {
                r.problem("name", "duplicate rack name '" + name + "' (also spec.racks[" + first + "])");
            }
            List<ServerType> rackServers = new ArrayList<>();
            List<JsonNode> groups = r.list("servers", true, 1, MAX_GROUPS_PER_RACK);
            for (int g = 0; g < groups.size(); g++) {
                r.child(groups.get(g), r.pathOf("servers[" + g + "]")).ifPresent(group -> {
                    group.rejectUnknown("type", "count");
                    ServerType type = group.choice("type", true, types, "server type");
                    Long count = group.integer("count", false, 1, MAX_SERVERS);
                    if (type != null && count != null) {
                        rackServers.addAll(Collections.nCopies(count.intValue(), type));
                    } else if (type != null && !group.has("count")) {
                        rackServers.add(type);
                    }
                });
            }
            servers += rackServers.size();
            if (servers > MAX_SERVERS) {
                r.problem("servers", "the cluster would have " + servers + " servers, more than the limit of "
                        + MAX_SERVERS);
                return;
            }
            if (r.problemCount() == before) {
                cluster.rack(name, pod, rackServers);
            }
        }
    }
}
