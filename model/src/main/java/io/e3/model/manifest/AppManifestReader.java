package io.e3.model.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelLoad;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Dags;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.NodeKind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Reads the {@code spec} of a {@code kind: MicroserviceApp} document. */
final class AppManifestReader {

    static final int MAX_SERVICES = 1_000;
    static final int MAX_CHANNELS = 10_000;
    /** Per service; a whole app may have at most {@link #MAX_APP_INSTANCES}. */
    static final int MAX_INSTANCES = 10_000;
    static final int MAX_APP_INSTANCES = 100_000;
    /** More backups than this spreads one shard over more fault domains than a rack has. */
    static final int MAX_BACKUPS = 7;
    static final double MAX_CORES = 256;
    /** 1 TiB. */
    static final long MAX_MEMORY_MIB = 1L << 20;
    static final double MAX_REQUESTS_PER_SECOND = 1e9;

    private static final Map<String, MicroserviceType> TYPES = new LinkedHashMap<>();
    private static final Map<String, RoutingPolicy> ROUTINGS = new LinkedHashMap<>();
    static final Map<String, NodeKind> PINS = new LinkedHashMap<>();

    static {
        for (MicroserviceType t : MicroserviceType.values()) {
            TYPES.put(t.manifestName(), t);
        }
        for (RoutingPolicy r : RoutingPolicy.values()) {
            ROUTINGS.put(r.manifestName(), r);
        }
        for (NodeKind k : NodeKind.values()) {
            PINS.put(k.name(), k);
        }
    }

    private AppManifestReader() {
    }

    /** The app, or empty when anything was wrong (each problem reported to {@code spec}'s problems). */
    static Optional<AppSpec> read(String name, Fields spec) {
        int before = spec.problemCount();
        spec.rejectUnknown("services", "channels", "entry");
        Set<String> declared = new HashSet<>();
        List<ServiceSpec> services = services(spec, declared);
        Map<String, ServiceSpec> byName = new HashMap<>();
        services.forEach(s -> byName.putIfAbsent(s.name(), s));
        List<Integer> positions = new ArrayList<>();
        List<ChannelSpec> channels = channels(spec, byName, declared, positions);
        List<String> entry = entry(spec, declared);
        boolean cleanSoFar = spec.problemCount() == before;
        List<List<String>> cycles = Dags.findCycles(channels);
        for (List<String> c : cycles) {
            int closing = positions.get(indexOf(channels, c.get(c.size() - 2), c.get(c.size() - 1)));
            spec.problem("channels[" + closing + "]", "channels form a cycle " + Dags.render(c)
                    + "; an app is a DAG in the direction of RPC flow, and a response travels back on its request's "
                    + "channel, so drop the channel that only carries answers");
        }
        if (!cleanSoFar || (!cycles.isEmpty() && entry.isEmpty())) {
            // Reachability means nothing with services or channels missing, or with no entry services to start from.
            return Optional.empty();
        }
        List<String> names = services.stream().map(ServiceSpec::name).toList();
        if (entry.isEmpty()) {
            entry = Dags.sources(names, channels);
        }
        List<String> unreachable = Dags.unreachable(names, channels, entry);
        for (String s : unreachable) {
            spec.problem("services[" + names.indexOf(s) + "]", "service '" + s + "' is not reachable from the entry "
                    + "services (" + String.join(", ", entry) + "); add a channel into it or list it under spec.entry");
        }
        int instances = services.stream().mapToInt(ServiceSpec::totalInstances).sum();
        if (instances > MAX_APP_INSTANCES) {
            spec.problem("services", "the app has " + instances + " instances with backups, more than the "
                    + MAX_APP_INSTANCES + " one app may have");
        }
        return spec.problemCount() == before && name != null
                ? Optional.of(new AppSpec(name, services, channels, entry))
                : Optional.empty();
    }

    /** The valid services; {@code declared} receives every name given, valid or not, so references to a service
     * whose own definition is wrong do not count as a second problem. */
    private static List<ServiceSpec> services(Fields spec, Set<String> declared) {
        List<ServiceSpec> services = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<JsonNode> items = spec.list("services", true, 1, MAX_SERVICES);
        for (int i = 0; i < items.size(); i++) {
            String path = spec.pathOf("services[" + i + "]");
            Optional<Fields> item = spec.child(items.get(i), path);
            if (item.isEmpty()) {
                continue;
            }
            Fields s = item.get();
            JsonNode name = items.get(i).get("name");
            boolean duplicate = false;
            if (name != null && name.isTextual()) {
                declared.add(name.asText());
                Integer first = seen.putIfAbsent(name.asText(), i);
                if (first != null) {
                    s.problem("name", "duplicate service name '" + name.asText() + "' (also spec.services[" + first
                            + "])");
                    duplicate = true;
                }
            }
            Optional<ServiceSpec> service = service(s);
            if (service.isPresent() && !duplicate) {
                services.add(service.get());
            }
        }
        return services;
    }

    private static Optional<ServiceSpec> service(Fields s) {
        int before = s.problemCount();
        s.rejectUnknown("name", "type", "replicas", "shards", "resources", "pin", "backups");
        String name = s.name("name");
        MicroserviceType type = s.choice("type", true, TYPES, "microservice type");
        Scaling scaling = s.has("shards") ? Scaling.SHARDED : Scaling.REPLICATED;
        if (s.has("shards") && s.has("replicas")) {
            s.problem(null, "give either replicas (interchangeable copies) or shards (key partitions), not both");
        }
        Long count = scaling == Scaling.SHARDED
                ? s.integer("shards", true, 1, MAX_INSTANCES)
                : s.integer("replicas", false, 1, MAX_INSTANCES);
        ResourceDemand demand = s.object("resources", false).map(AppManifestReader::demand)
                .orElse(s.has("resources") ? null : ResourceDemand.DEFAULT);
        NodeKind pin = s.choice("pin", false, PINS, "pin");
        Long backups = s.integer("backups", false, 0, MAX_BACKUPS);
        if (s.problemCount() != before) {
            return Optional.empty();
        }
        return Optional.of(new ServiceSpec(name, type, count == null ? 1 : count.intValue(), scaling, demand, pin,
                backups == null ? 0 : backups.intValue()));
    }

    private static ResourceDemand demand(Fields r) {
        int before = r.problemCount();
        r.rejectUnknown("cores", "memoryMiB");
        Double cores = r.number("cores", false, true, MAX_CORES);
        Long memory = r.integer("memoryMiB", false, 1, MAX_MEMORY_MIB);
        if (r.problemCount() != before) {
            return null;
        }
        return new ResourceDemand(cores == null ? ResourceDemand.DEFAULT.cores() : cores,
                memory == null ? ResourceDemand.DEFAULT.memoryMiB() : memory);
    }

    /** The valid channels; {@code positions} receives the index in {@code spec.channels} of each. */
    private static List<ChannelSpec> channels(Fields spec, Map<String, ServiceSpec> services, Set<String> declared,
                                              List<Integer> positions) {
        List<ChannelSpec> channels = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        List<JsonNode> items = spec.list("channels", false, 0, MAX_CHANNELS);
        for (int i = 0; i < items.size(); i++) {
            Optional<Fields> item = spec.child(items.get(i), spec.pathOf("channels[" + i + "]"));
            if (item.isEmpty()) {
                continue;
            }
            Fields c = item.get();
            int before = c.problemCount();
            c.rejectUnknown("from", "to", "routing", "rate");
            String from = serviceRef(c, "from", declared);
            String to = serviceRef(c, "to", declared);
            RoutingPolicy routing = c.choice("routing", false, ROUTINGS, "routing policy");
            ChannelLoad load = c.object("rate", false).map(AppManifestReader::load)
                    .orElse(c.has("rate") ? null : ChannelLoad.UNSTATED);
            if (c.problemCount() != before || !services.containsKey(from) || !services.containsKey(to)) {
                continue;
            }
            boolean sharded = services.get(to).scaling() == Scaling.SHARDED;
            if (routing == null) {
                routing = sharded ? RoutingPolicy.SHARD_KEYED : RoutingPolicy.ROUND_ROBIN;
            } else if (routing == RoutingPolicy.ROUND_ROBIN && sharded) {
                c.problem("routing", "round-robin cannot reach the shards of '" + to + "', which own disjoint keys; "
                        + "use shard-keyed or broadcast");
                continue;
            }
            Integer first = seen.putIfAbsent(from + "\u0000" + to, i);
            if (first != null) {
                c.problem(null, "duplicate channel " + from + " -> " + to + " (also spec.channels[" + first + "])");
                continue;
            }
            channels.add(new ChannelSpec(from, to, routing, load));
            positions.add(i);
        }
        return channels;
    }

    private static ChannelLoad load(Fields rate) {
        int before = rate.problemCount();
        rate.rejectUnknown("requestsPerSecond", "requestBytes");
        Double rps = rate.number("requestsPerSecond", false, false, MAX_REQUESTS_PER_SECOND);
        Long bytes = rate.integer("requestBytes", false, 1, ChannelLoad.MAX_REQUEST_BYTES);
        if (rate.problemCount() != before) {
            return null;
        }
        return new ChannelLoad(rps == null ? 0 : rps,
                bytes == null ? ChannelLoad.DEFAULT_REQUEST_BYTES : bytes.intValue());
    }

    private static String serviceRef(Fields f, String key, Set<String> declared) {
        String name = f.string(key, true);
        if (name != null && !declared.contains(name)) {
            f.problem(key, "unknown service '" + name + "'" + Fields.suggestion(name, declared));
            return null;
        }
        return name;
    }

    private static List<String> entry(Fields spec, Set<String> declared) {
        List<String> entry = new ArrayList<>();
        List<JsonNode> items = spec.list("entry", false, 1, MAX_SERVICES);
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String path = "entry[" + i + "]";
            if (!item.isTextual()) {
                spec.problem(path, "must be a service name, got " + Fields.describe(item));
            } else if (!declared.contains(item.asText())) {
                spec.problem(path, "unknown service '" + item.asText() + "'"
                        + Fields.suggestion(item.asText(), declared));
            } else if (entry.contains(item.asText())) {
                spec.problem(path, "service '" + item.asText() + "' is listed twice");
            } else {
                entry.add(item.asText());
            }
        }
        return entry;
    }

    private static int indexOf(List<ChannelSpec> channels, String from, String to) {
        for (int i = 0; i < channels.size(); i++) {
            if (channels.get(i).from().equals(from) && channels.get(i).to().equals(to)) {
                return i;
            }
        }
        throw new IllegalStateException("no channel " + from + " -> " + to);
    }
}
