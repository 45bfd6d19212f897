package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.energy.EnergyModel;
import io.e3.model.placement.Assignment;
import io.e3.model.placement.PlacementResult;
import io.e3.model.topology.CoreClass;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployed apps compiled to arrays: services, channels and instances by number, where each instance runs, which
 * instances serve each service (a primary, or the backup that replaced it), and the routing of every channel.
 *
 * <p>Every client request enters on a <em>channel</em> of its own (one per entry service), so a call always names the
 * channel it came by: that gives its target's type, hence its service time on each core class
 * ({@link MicroserviceProfile#serviceTimeSeconds(CoreClass, int)}, the node agents' governor formula at dilation 1) and
 * its modelled energy ({@link EnergyModel#joulesPerRequest}). Every channel's request has the client's request size,
 * as in the agents, which forward the client's envelope unchanged and build every stage's request from it: a manifest
 * channel's {@code rate.requestBytes}, like its rate, is a placement hint only.
 */
final class Workload {

    static final int ROUND_ROBIN = RoutingPolicy.ROUND_ROBIN.ordinal();
    static final int SHARD_KEYED = RoutingPolicy.SHARD_KEYED.ordinal();
    static final int BROADCAST = RoutingPolicy.BROADCAST.ordinal();

    final String[] appNames;
    /** Per app: its entry channels. */
    final int[][] appEntries;
    final int[] appNextEntry;

    /** Per service: instances serving it, their shard hashes (aligned), outgoing channels. */
    final int[][] serving;
    final long[][] shardHash;
    final int[][] channelsFrom;

    /** Per channel: target service, routing, request bytes, service nanos and joules per core class (beefy, wimpy). */
    final int[] channelTo;
    final int[] routing;
    final int[] requestBytes;
    final long[] serviceNanos;
    final double[] joules;
    final int[] channelNext;

    /** Per instance: id, node, service, type, memory, state bytes, backups, serving, replaced by. */
    final String[] instanceIds;
    final int[] instanceNode;
    final int[] instanceService;
    final MicroserviceType[] instanceType;
    final long[] instanceMemoryMiB;
    final long[] stateBytes;
    final IntList[] backups;
    final boolean[] isServing;
    final int[] replacedBy;
    final Map<String, Integer> instanceById = new HashMap<>();
    /** Per node: instances on it. */
    final IntList[] onNode;

    Workload(Deployment deployment, Fabric fabric, int entryRequestBytes) {
        List<AppSpec> apps = deployment.apps();
        appNames = apps.stream().map(AppSpec::name).toArray(String[]::new);
        appEntries = new int[apps.size()][];
        appNextEntry = new int[apps.size()];
        Builder b = new Builder(fabric);
        for (int a = 0; a < apps.size(); a++) {
            appEntries[a] = b.app(apps.get(a), deployment.placements().get(a), entryRequestBytes);
        }
        serving = b.serving.toArray(int[][]::new);
        shardHash = b.shardHash.toArray(long[][]::new);
        channelsFrom = b.channelsFrom.stream().map(IntList::toArray).toArray(int[][]::new);
        int channels = b.channelTo.size();
        channelTo = b.channelTo.toArray();
        routing = b.routing.toArray();
        requestBytes = b.requestBytes.toArray();
        serviceNanos = b.serviceNanos.stream().mapToLong(Long::longValue).toArray();
        joules = b.joules.stream().mapToDouble(Double::doubleValue).toArray();
        channelNext = new int[channels];
        int instances = b.ids.size();
        instanceIds = b.ids.toArray(String[]::new);
        instanceNode = b.node.toArray();
        instanceService = b.service.toArray();
        instanceType = b.type.toArray(MicroserviceType[]::new);
        instanceMemoryMiB = b.memory.stream().mapToLong(Long::longValue).toArray();
        stateBytes = new long[instances];
        backups = new IntList[instances];
        isServing = new boolean[instances];
        replacedBy = new int[instances];
        onNode = new IntList[fabric.size()];
        for (int n = 0; n < onNode.length; n++) {
            onNode[n] = new IntList();
        }
        for (int i = 0; i < instances; i++) {
            instanceById.put(instanceIds[i], i);
            backups[i] = new IntList();
            replacedBy[i] = -1;
            onNode[instanceNode[i]].add(i);
            MicroserviceProfile p = MicroserviceProfile.of(instanceType[i]);
            // Modelled: a stateful instance's state is the heap one instance keeps (measured, Table 5.1's companion).
            stateBytes[i] = instanceType[i].stateful() ? Math.round(p.memoryMiB() * 1024 * 1024) : 0;
        }
        for (int[] s : serving) {
            for (int i : s) {
                isServing[i] = true;
            }
        }
        b.backupsOf.forEach((servingInstance, list) -> list.forEach(x -> backups[servingInstance].add(x)));
    }

    int apps() {
        return appNames.length;
    }

    int instances() {
        return instanceIds.length;
    }

    /** The instance serving {@code inst}'s shard now: itself, or the backup that replaced it after its node died. */
    int current(int inst) {
        int i = inst;
        while (replacedBy[i] >= 0) {
            i = replacedBy[i];
        }
        return i;
    }

    /** Service nanos of a call on {@code channel} on a node with wimpy ({@code true}) or beefy cores. */
    long serviceNanos(int channel, boolean wimpy) {
        return serviceNanos[2 * channel + (wimpy ? 1 : 0)];
    }

    double joules(int channel, boolean wimpy) {
        return joules[2 * channel + (wimpy ? 1 : 0)];
    }

    /** Whether every service reachable from app {@code a}'s entries has a serving instance, so requests can flow. */
    boolean servable(int a) {
        java.util.ArrayDeque<Integer> todo = new java.util.ArrayDeque<>();
        java.util.Set<Integer> seen = new java.util.HashSet<>();
        for (int ch : appEntries[a]) {
            todo.add(channelTo[ch]);
        }
        while (!todo.isEmpty()) {
            int service = todo.poll();
            if (!seen.add(service)) {
                continue;
            }
            if (serving[service].length == 0) {
                return false;
            }
            for (int ch : channelsFrom[service]) {
                todo.add(channelTo[ch]);
            }
        }
        return true;
    }

    /** The instance of {@code channel}'s target a single-target call with {@code key} goes to. */
    int choose(int channel, long key) {
        int[] targets = serving[channelTo[channel]];
        if (routing[channel] == SHARD_KEYED) {
            return shard(channelTo[channel], key);
        }
        int next = channelNext[channel];
        channelNext[channel] = next + 1 == Integer.MAX_VALUE ? 0 : next + 1;
        return targets[next % targets.length];
    }

    /** The shard of {@code service} that owns {@code key}: highest rendezvous score, as the agents' routes pick. */
    int shard(int service, long key) {
        int[] targets = serving[service];
        long[] hashes = shardHash[service];
        long k = Hashing.mix(key);
        int best = 0;
        long bestScore = Hashing.mix(k ^ hashes[0]);
        for (int t = 1; t < targets.length; t++) {
            long score = Hashing.mix(k ^ hashes[t]);
            if (Long.compareUnsigned(score, bestScore) > 0) {
                best = t;
                bestScore = score;
            }
        }
        return targets[best];
    }

    /** Collects the arrays while apps are compiled one by one. */
    private static final class Builder {
        private final Fabric fabric;
        final List<int[]> serving = new ArrayList<>();
        final List<long[]> shardHash = new ArrayList<>();
        final List<IntList> channelsFrom = new ArrayList<>();
        final IntList channelTo = new IntList();
        final IntList routing = new IntList();
        final IntList requestBytes = new IntList();
        final List<Long> serviceNanos = new ArrayList<>();
        final List<Double> joules = new ArrayList<>();
        final List<String> ids = new ArrayList<>();
        final IntList node = new IntList();
        final IntList service = new IntList();
        final List<MicroserviceType> type = new ArrayList<>();
        final List<Long> memory = new ArrayList<>();
        final Map<Integer, List<Integer>> backupsOf = new LinkedHashMap<>();

        Builder(Fabric fabric) {
            this.fabric = fabric;
        }

        /** Compiles one app; returns its entry channels. */
        int[] app(AppSpec app, PlacementResult placement, int entryBytes) {
            Map<String, Assignment> placed = new HashMap<>();
            for (Assignment a : placement.assignments()) {
                placed.put(a.instance().id(), a);
            }
            Map<String, Integer> services = new LinkedHashMap<>();
            for (ServiceSpec s : app.services()) {
                services.put(s.name(), serving.size());
                service(app, s, placed);
            }
            for (ChannelSpec c : app.channels()) {
                int to = services.get(c.to());
                // The agents forward the client's envelope unchanged and every stage builds its request from it, so
                // every stage's request is the client's size; the channel's requestBytes is a placement hint only.
                channelsFrom.get(services.get(c.from())).add(channel(to, app.service(c.to()).orElseThrow(),
                        c.routing(), entryBytes));
            }
            int[] entries = new int[app.entry().size()];
            for (int e = 0; e < entries.length; e++) {
                ServiceSpec s = app.service(app.entry().get(e)).orElseThrow();
                RoutingPolicy r = s.scaling() == Scaling.SHARDED ? RoutingPolicy.SHARD_KEYED
                        : RoutingPolicy.ROUND_ROBIN;
                entries[e] = channel(services.get(s.name()), s, r, entryBytes);
            }
            return entries;
        }

        private void service(AppSpec app, ServiceSpec s, Map<String, Assignment> placed) {
            IntList servingNow = new IntList();
            List<Long> hashes = new ArrayList<>();
            for (int i = 0; i < s.instances(); i++) {
                Instance primary = Instance.primary(app.name(), s, i);
                List<Integer> copies = new ArrayList<>();
                Assignment p = placed.get(primary.id());
                if (p != null) {
                    copies.add(instance(p, serving.size()));
                }
                for (int k = 1; k <= s.backups(); k++) {
                    Assignment bk = placed.get(Instance.backupOf(primary, k).id());
                    if (bk != null) {
                        copies.add(instance(bk, serving.size()));
                    }
                }
                if (copies.isEmpty()) {
                    continue; // no copy placed: the shard is missing, its keys go to the other shards
                }
                // An unplaced primary is served by its first placed backup, as if failover had promoted it.
                servingNow.add(copies.get(0));
                hashes.add(Hashing.of(primary.id()));
                backupsOf.put(copies.get(0), new ArrayList<>(copies.subList(1, copies.size())));
            }
            serving.add(servingNow.toArray());
            shardHash.add(hashes.stream().mapToLong(Long::longValue).toArray());
            channelsFrom.add(new IntList());
        }

        private int instance(Assignment a, int serviceIndex) {
            ids.add(a.instance().id());
            node.add(fabric.indexOf(a.nodeId()));
            service.add(serviceIndex);
            type.add(a.instance().type());
            memory.add(a.reserved().memoryMiB());
            return ids.size() - 1;
        }

        private int channel(int to, ServiceSpec target, RoutingPolicy policy, int bytes) {
            channelTo.add(to);
            routing.add(policy.ordinal());
            requestBytes.add(bytes);
            MicroserviceProfile p = MicroserviceProfile.of(target.type());
            for (CoreClass cc : new CoreClass[] {CoreClass.BEEFY, CoreClass.WIMPY}) {
                serviceNanos.add(Math.round(p.serviceTimeSeconds(cc, bytes) * 1e9));
                joules.add(EnergyModel.joulesPerRequest(target.type(), cc, bytes));
            }
            return channelTo.size() - 1;
        }
    }
}
