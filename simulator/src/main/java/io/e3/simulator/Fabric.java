package io.e3.simulator;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.Server;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simulated hardware of a cluster, compiled to arrays indexed by node number ({@link Cluster#nodes()} order, the
 * same numbering as the orchestrator's {@code NodeIndex}): each node's cores, its link and, for a SmartNIC, its traffic
 * manager, plus the one-way latency of every hop class and ECMP over each server's SmartNIC ports.
 *
 * <p>Cores and links are virtual clocks, as in the node agents ({@code emu/Cores.java}, {@code emu/Link.java}): a
 * request admitted at {@code now} to a core free at {@code f} finishes at {@code max(now, f) + s}; requests are steered
 * onto a node's cores round-robin as the agents do, or to the first free core ({@link CoreQueueing}). So admitting a
 * request costs no event of its own, only its completion does.
 */
final class Fabric {

    /** Node number standing for the client, outside the cluster. */
    static final int CLIENT = -1;

    final Cluster cluster;
    final ComputeNode[] nodes;
    final int[] server;
    final int[] rack;
    final int[] pod;
    final boolean[] smartNic;
    final boolean[] wimpy;
    final int[] cores;
    final boolean[] dead;
    /** Per server: its host's node number and its SmartNICs' node numbers. */
    final int[] hostOfServer;
    final int[][] nicsOfServer;
    final TrafficManagers trafficManagers;
    private final boolean sharedQueue;
    private final int[] coreBase;
    private final int[] nextCore;
    private final long[] coreFreeAt;
    private final long[] linkFreeAt;
    private final double[] linkNanosPerByte;
    private final long[] oneWayNanos = new long[HopClass.values().length];
    private final int[] clientHop;
    private final long pcieNanos;
    /** Per node: core time admitted in the measured window, and bytes sent and received in the heartbeat window. */
    final long[] busyNanos;
    final long[] bytesIn;
    final long[] bytesOut;
    private final Map<String, Integer> byId = new HashMap<>();

    Fabric(Cluster cluster, FabricSettings settings, CoreQueueing queueing) {
        this.cluster = cluster;
        this.sharedQueue = queueing == CoreQueueing.SHARED_FIFO;
        List<ComputeNode> all = cluster.nodes();
        int n = all.size();
        nodes = all.toArray(ComputeNode[]::new);
        server = new int[n];
        rack = new int[n];
        pod = new int[n];
        smartNic = new boolean[n];
        wimpy = new boolean[n];
        cores = new int[n];
        dead = new boolean[n];
        coreBase = new int[n];
        nextCore = new int[n];
        linkFreeAt = new long[n];
        linkNanosPerByte = new double[n];
        busyNanos = new long[n];
        bytesIn = new long[n];
        bytesOut = new long[n];
        clientHop = new int[n];
        List<Server> servers = cluster.servers();
        hostOfServer = new int[servers.size()];
        nicsOfServer = new int[servers.size()][];
        Map<String, Integer> racks = new HashMap<>();
        Map<String, Integer> pods = new HashMap<>();
        int totalCores = 0;
        for (int i = 0, s = -1; i < n; i++) {
            ComputeNode node = nodes[i];
            byId.put(node.id(), i);
            if (!node.isSmartNic()) {
                s++;
                hostOfServer[s] = i;
                nicsOfServer[s] = new int[servers.get(s).smartNics().size()];
            } else {
                nicsOfServer[s][i - hostOfServer[s] - 1] = i;
            }
            server[i] = s;
            rack[i] = racks.computeIfAbsent(node.rackId(), k -> racks.size());
            pod[i] = pods.computeIfAbsent(node.podId(), k -> pods.size());
            smartNic[i] = node.isSmartNic();
            wimpy[i] = node.capacity().coreClass() == CoreClass.WIMPY;
            cores[i] = node.capacity().cores();
            coreBase[i] = totalCores;
            totalCores += cores[i];
            linkNanosPerByte[i] = 8.0 / node.capacity().bandwidthGbps();
            clientHop[i] = HopClass.of(false, false, true, true, false, node.isSmartNic()).ordinal();
        }
        coreFreeAt = new long[totalCores];
        for (HopClass h : HopClass.values()) {
            // One way is half the round trip, as the agents' Emulation.oneWayNanos has it.
            oneWayNanos[h.ordinal()] = Math.round(h.relativeLatency() * settings.hostRttMicros() / 2 * 1e3);
        }
        pcieNanos = oneWayNanos[HopClass.PCIE.ordinal()];
        trafficManagers = new TrafficManagers(this, settings);
    }

    int size() {
        return nodes.length;
    }

    /**
     * Puts a request needing {@code serviceNanos} of core time on node {@code n} at {@code now}: on the next core in
     * turn ({@link CoreQueueing#ROUND_ROBIN}) or the first to be free ({@link CoreQueueing#SHARED_FIFO}); returns
     * when that core finishes it.
     */
    long admit(int n, long now, long serviceNanos) {
        int core;
        if (sharedQueue) {
            core = coreBase[n];
            for (int k = core + 1, end = coreBase[n] + cores[n]; k < end; k++) {
                if (coreFreeAt[k] < coreFreeAt[core]) {
                    core = k;
                }
            }
        } else {
            int next = nextCore[n];
            core = coreBase[n] + next;
            nextCore[n] = next + 1 == cores[n] ? 0 : next + 1;
        }
        long start = Math.max(coreFreeAt[core], now);
        long end = start + serviceNanos;
        coreFreeAt[core] = end;
        return end;
    }

    /** Hands {@code bytes} to node {@code n}'s link at {@code now}; returns when the last byte has left. */
    long transmit(int n, long now, int bytes) {
        long start = Math.max(linkFreeAt[n], now);
        long end = start + Math.round(bytes * linkNanosPerByte[n]);
        linkFreeAt[n] = end;
        bytesOut[n] += bytes;
        return end;
    }

    /** One-way latency between two nodes (either may be {@link #CLIENT}, not both). */
    long oneWay(int a, int b) {
        if (a == CLIENT) {
            return oneWayNanos[clientHop[b]];
        }
        if (b == CLIENT) {
            return oneWayNanos[clientHop[a]];
        }
        return oneWayNanos[HopClass.of(a == b, server[a] == server[b], rack[a] == rack[b], pod[a] == pod[b],
                smartNic[a], smartNic[b]).ordinal()];
    }

    long pcieNanos() {
        return pcieNanos;
    }

    /** Whether {@code a} and {@code b} are a host and one of its own SmartNICs, which talk over PCIe. */
    boolean pciePeers(int a, int b) {
        return a != CLIENT && b != CLIENT && server[a] == server[b] && smartNic[a] != smartNic[b];
    }

    /** Whether traffic to {@code n} enters through SmartNIC ports: a host with SmartNICs. */
    boolean behindSmartNics(int n) {
        return !smartNic[n] && nicsOfServer[server[n]].length > 0;
    }

    /**
     * The SmartNIC port of host {@code host}'s server that carries flow {@code flowKey}: rendezvous hashing over the
     * live ports, as the agents' switch does ({@code net/Ecmp.java}); -1 if no port is up.
     */
    int ecmpPort(int host, long flowKey) {
        int[] ports = nicsOfServer[server[host]];
        int best = -1;
        long bestScore = Long.MIN_VALUE;
        for (int port : ports) {
            if (dead[port]) {
                continue;
            }
            long score = Hashing.mix(flowKey ^ ((port + 1) * 0xC2B2AE3D27D4EB4FL));
            if (best < 0 || score > bestScore) {
                best = port;
                bestScore = score;
            }
        }
        return best;
    }

    /** Node number of a node id, or -1. */
    int indexOf(String nodeId) {
        return byId.getOrDefault(nodeId, -1);
    }
}
