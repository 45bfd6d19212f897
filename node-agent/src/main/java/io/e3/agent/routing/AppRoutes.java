package io.e3.agent.routing;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.control.InvalidBodyException;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.net.Ecmp;
import io.e3.model.app.RoutingPolicy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The routing table of one application, as traffic control publishes it to every agent (§5.4, traffic control): where
 * each service's serving instances are, and the channels between services with their routing policy. Immutable apart
 * from the round-robin counters.
 *
 * <p>JSON form (the body of {@code PUT /v1/routes/{app}}):
 * <pre>
 * {"services": {"gw": {"sharded": false, "instances": [{"id": "app/gw.0", "node": "s0/host"}]},
 *               "kv": {"sharded": true, "instances": [
 *                   {"id": "app/kv.0", "node": "s0/nic0", "backups": [{"id": "app/kv.0.backup1", "node": "s1/host"}]},
 *                   {"id": "app/kv.1.backup1", "node": "s2/host", "shard": "app/kv.1"}]}},
 *  "channels": [{"from": "gw", "to": "kv", "routing": "shard-keyed"}, ...],
 *  "version": 7}
 * </pre>
 *
 * {@code version} (optional, a non-negative integer, 0 when absent) numbers the controller's tables of one app: an
 * agent keeps the highest version it has been given and refuses an older one, so a retried or delayed push can never
 * undo a newer table, and the controller can see from {@code GET /v1/routes} which agents are behind.
 *
 * Shard-keyed channels pick the instance by rendezvous hashing of the request key over the shard ids: the same key
 * always reaches the same instance while the set of shards stays the same, and an instance that moves to another
 * node keeps its keys because its id does not change (partition-aware steering). An instance's shard is its own id
 * unless {@code shard} says otherwise: a backup promoted by failover (§5.4.5) serves its primary's shard, so it gets
 * the primary's keys. {@code backups} lists the standby copies a serving instance replicates its requests to; they take
 * no traffic from channels.
 */
public final class AppRoutes {

    /** Instance ids: {@code <app>/<service>.<ordinal>}, optionally {@code .backup<j>}. */
    public static final Pattern INSTANCE_ID =
            Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\\.[0-9]{1,6}(\\.backup[0-9]{1,3})?");
    public static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

    private final String app;
    private final long version;
    private final Map<String, Service> services;
    private final Map<String, List<Channel>> channelsFrom;
    /** Serving instances by their id and by their shard id; backups by their id. */
    private final Map<String, Target> byId;
    /** The backups of each serving instance that has any, by the serving instance's id. */
    private final Map<String, List<Target>> backups;

    private AppRoutes(String app, long version, Map<String, Service> services, Map<String, List<Channel>> channelsFrom,
                      Map<String, Target> byId, Map<String, List<Target>> backups) {
        this.app = app;
        this.version = version;
        this.services = services;
        this.channelsFrom = channelsFrom;
        this.byId = byId;
        this.backups = backups;
    }

    /** A service's serving instances. */
    public record Service(String name, boolean sharded, List<Target> instances, AtomicInteger next) {
    }

    /** A channel from one service to another. */
    public record Channel(String from, String to, RoutingPolicy routing, AtomicInteger next) {
    }

    /** The instances one channel sends a request to. */
    public record Hop(Channel channel, List<Target> targets) {
    }

    public String app() {
        return app;
    }

    /** The controller's number for this table; higher is newer. */
    public long version() {
        return version;
    }

    public Map<String, Service> services() {
        return services;
    }

    /** Parses and checks a routing table; node ids must be in {@code plan}'s cluster. */
    public static AppRoutes parse(String app, JsonNode body, AddressPlan plan) throws InvalidBodyException {
        if (!NAME.matcher(app).matches()) {
            throw new InvalidBodyException("app: '" + app + "' is not a DNS-1123 label");
        }
        if (body == null || !body.isObject()) {
            throw new InvalidBodyException("body: expected a JSON object with services and channels");
        }
        JsonNode ver = body.get("version");
        if (ver != null && !(ver.isIntegralNumber() && ver.canConvertToLong() && ver.asLong() >= 0)) {
            throw new InvalidBodyException("version: expected a non-negative integer, got " + ver);
        }
        long version = ver == null ? 0 : ver.asLong();
        JsonNode svcs = body.get("services");
        if (svcs == null || !svcs.isObject() || svcs.isEmpty()) {
            throw new InvalidBodyException("services: expected a non-empty object of service name to instances");
        }
        Map<String, Service> services = new LinkedHashMap<>();
        Map<String, Target> byId = new java.util.HashMap<>();
        Map<String, List<Target>> backups = new java.util.HashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = svcs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String where = "services." + name;
            if (!NAME.matcher(name).matches()) {
                throw new InvalidBodyException(where + ": not a DNS-1123 label");
            }
            JsonNode s = e.getValue();
            if (!s.isObject()) {
                throw new InvalidBodyException(where + ": expected an object");
            }
            JsonNode sharded = s.get("sharded");
            if (sharded != null && !sharded.isBoolean()) {
                throw new InvalidBodyException(where + ".sharded: expected true or false");
            }
            JsonNode list = s.get("instances");
            if (list == null || !list.isArray() || list.isEmpty()) {
                throw new InvalidBodyException(where + ".instances: expected a non-empty array");
            }
            List<Target> targets = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                String at = where + ".instances[" + i + "]";
                JsonNode t = list.get(i);
                String id = instanceId(t, "id", at, app, name);
                String node = nodeId(t, at, plan);
                String shard = id;
                if (t.has("shard")) {
                    shard = instanceId(t, "shard", at, app, name);
                    if (shard.contains(".backup") || !id.startsWith(shard + ".backup")) {
                        throw new InvalidBodyException(at + ".shard: '" + shard + "' is not the primary that " + id
                                + " is a backup of");
                    }
                }
                Target serving = new Target(id, node, plan.ipOf(node), hash(shard));
                targets.add(serving);
                for (String key : shard.equals(id) ? List.of(id) : List.of(id, shard)) {
                    if (byId.put(key, serving) != null) {
                        throw new InvalidBodyException(at + ": instance or shard '" + key + "' is listed twice");
                    }
                }
                JsonNode standby = t.get("backups");
                if (standby != null && !standby.isArray()) {
                    throw new InvalidBodyException(at + ".backups: expected an array");
                }
                List<Target> copies = new ArrayList<>();
                for (int j = 0; standby != null && j < standby.size(); j++) {
                    String bat = at + ".backups[" + j + "]";
                    String bid = instanceId(standby.get(j), "id", bat, app, name);
                    if (!bid.startsWith(shard + ".backup") || bid.equals(id)) {
                        throw new InvalidBodyException(bat + ".id: '" + bid + "' is not a backup of " + shard);
                    }
                    String bnode = nodeId(standby.get(j), bat, plan);
                    Target copy = new Target(bid, bnode, plan.ipOf(bnode), hash(shard));
                    if (byId.put(bid, copy) != null) {
                        throw new InvalidBodyException(bat + ": instance '" + bid + "' is listed twice");
                    }
                    copies.add(copy);
                }
                if (!copies.isEmpty()) {
                    backups.put(id, List.copyOf(copies));
                }
            }
            services.put(name, new Service(name, sharded != null && sharded.booleanValue(), List.copyOf(targets),
                    new AtomicInteger()));
        }
        Map<String, List<Channel>> from = new LinkedHashMap<>();
        JsonNode chans = body.get("channels");
        if (chans != null && !chans.isArray()) {
            throw new InvalidBodyException("channels: expected an array");
        }
        for (int i = 0; chans != null && i < chans.size(); i++) {
            String at = "channels[" + i + "]";
            JsonNode c = chans.get(i);
            String f = text(c, "from", at);
            String t = text(c, "to", at);
            String r = text(c, "routing", at);
            if (!services.containsKey(f)) {
                throw new InvalidBodyException(at + ".from: no service '" + f + "' in services");
            }
            if (!services.containsKey(t)) {
                throw new InvalidBodyException(at + ".to: no service '" + t + "' in services");
            }
            RoutingPolicy policy = RoutingPolicy.byManifestName(r).orElseThrow(() -> new InvalidBodyException(
                    at + ".routing: '" + r + "' is not one of " + RoutingPolicy.manifestNames()));
            from.computeIfAbsent(f, k -> new ArrayList<>()).add(new Channel(f, t, policy, new AtomicInteger()));
        }
        from.replaceAll((k, v) -> List.copyOf(v));
        String cycle = cycle(from);
        if (cycle != null) {
            throw new InvalidBodyException("channels: they form a cycle (" + cycle + "); an app is a DAG");
        }
        return new AppRoutes(app, version, Map.copyOf(services), Map.copyOf(from), Map.copyOf(byId), Map.copyOf(backups));
    }

    private static String instanceId(JsonNode obj, String field, String at, String app, String service)
            throws InvalidBodyException {
        String id = text(obj, field, at);
        if (!INSTANCE_ID.matcher(id).matches() || !id.startsWith(app + "/" + service + ".")) {
            throw new InvalidBodyException(at + "." + field + ": '" + id + "' is not an instance id of " + app + "/"
                    + service);
        }
        return id;
    }

    private static String nodeId(JsonNode obj, String at, AddressPlan plan) throws InvalidBodyException {
        String node = text(obj, "node", at);
        if (plan.cluster().node(node).isEmpty()) {
            throw new InvalidBodyException(at + ".node: no compute node '" + node + "' in cluster "
                    + plan.cluster().name());
        }
        return node;
    }

    /** A cycle among the channels as "a -> b -> a", or null when they form a DAG. */
    private static String cycle(Map<String, List<Channel>> from) {
        Map<String, Integer> state = new java.util.HashMap<>(); // 1 on the current path, 2 done
        java.util.ArrayDeque<String> path = new java.util.ArrayDeque<>();
        for (String start : from.keySet()) {
            String c = visit(start, from, state, path);
            if (c != null) {
                return c;
            }
        }
        return null;
    }

    private static String visit(String s, Map<String, List<Channel>> from, Map<String, Integer> state,
                                java.util.ArrayDeque<String> path) {
        Integer st = state.get(s);
        if (st != null && st == 2) {
            return null;
        }
        path.addLast(s);
        if (st != null) {
            List<String> p = new ArrayList<>(path);
            return String.join(" -> ", p.subList(p.indexOf(s), p.size()));
        }
        state.put(s, 1);
        for (Channel c : from.getOrDefault(s, List.of())) {
            String found = visit(c.to(), from, state, path);
            if (found != null) {
                return found;
            }
        }
        path.removeLast();
        state.put(s, 2);
        return null;
    }

    private static String text(JsonNode obj, String field, String at) throws InvalidBodyException {
        if (obj == null || !obj.isObject()) {
            throw new InvalidBodyException(at + ": expected an object");
        }
        JsonNode v = obj.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new InvalidBodyException(at + "." + field + ": expected a non-empty string");
        }
        return v.asText();
    }

    /**
     * Where a call meant for {@code instanceId} goes now: the instance itself (serving or a backup) wherever this table
     * has it, or, for a primary that failover replaced by its promoted backup, that backup.
     */
    public Optional<Target> locate(String instanceId) {
        return Optional.ofNullable(byId.get(instanceId));
    }

    /** The address of the node this table has {@code instanceId} (or what serves its shard) on, or 0 if none. */
    public int ipOf(String instanceId) {
        return locate(instanceId).map(Target::ip).orElse(0);
    }

    /** The backups that serving instance {@code instanceId} replicates to, in order; empty if it has none. */
    public List<Target> backupsOf(String instanceId) {
        return backups.getOrDefault(instanceId, List.of());
    }

    /** Where a request that {@code service} has finished goes next, channel by channel. */
    public List<Hop> next(String service, String key, long requestId) {
        List<Channel> out = channelsFrom.getOrDefault(service, List.of());
        List<Hop> hops = new ArrayList<>(out.size());
        for (Channel c : out) {
            List<Target> all = services.get(c.to()).instances();
            List<Target> chosen = switch (c.routing()) {
                case BROADCAST -> all;
                case ROUND_ROBIN -> List.of(all.get(Math.floorMod(c.next().getAndIncrement(), all.size())));
                case SHARD_KEYED -> List.of(shard(all, key, requestId));
            };
            hops.add(new Hop(c, chosen));
        }
        return hops;
    }

    /** The instance of {@code service} a client request with {@code key} enters at: by key if sharded, else in turn. */
    public Target entry(String service, String key, long requestId) {
        Service s = services.get(service);
        if (s == null) {
            throw new IllegalArgumentException("no service '" + service + "' in app " + app);
        }
        return s.sharded() ? shard(s.instances(), key, requestId)
                : s.instances().get(Math.floorMod(s.next().getAndIncrement(), s.instances().size()));
    }

    /** The shard that owns {@code key} (or, with no key, the request id): highest rendezvous score wins. */
    public static Target shard(List<Target> targets, String key, long requestId) {
        long k = key != null ? hash(key) : Ecmp.mix(requestId);
        Target best = null;
        long bestScore = 0;
        for (Target t : targets) {
            long score = Ecmp.mix(k ^ t.hash());
            if (best == null || Long.compareUnsigned(score, bestScore) > 0) {
                best = t;
                bestScore = score;
            }
        }
        return best;
    }

    /** FNV-1a over the UTF-8 bytes, then mixed: stable across processes and runs. */
    public static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        return Ecmp.mix(h);
    }
}
