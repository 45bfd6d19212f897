package io.e3.model.telemetry;

import java.util.Arrays;

/**
 * Refuses replayed heartbeats: per node, a heartbeat is taken only if its (epoch, sequence) is strictly above the last
 * one taken, epoch first. An agent counts its sequence up from 0 under the epoch it started at, and a restarted agent
 * starts at a higher epoch, so every fresh heartbeat passes; a copy of an old one (a duplicate, a reordered datagram,
 * an attacker's replay of a recorded one) does not.
 *
 * <p>Only authenticated heartbeats may {@link #advance} it, or a forger could push a node's mark beyond its real
 * heartbeats. Nodes are numbered 0 to n - 1 by the caller; state is one array, a node's epoch and sequence side by
 * side (one cache line: heartbeats come from the nodes in no particular order, so a node's mark is rarely in the cache
 * already), and a check allocates nothing. Not thread-safe: one receiving thread.
 */
public final class ReplayGuard {

    /** Node n's epoch at 2n, its sequence at 2n + 1. */
    private final long[] marks;

    /** A guard for nodes 0 to {@code nodes} - 1, none heard from yet. */
    public ReplayGuard(int nodes) {
        marks = new long[2 * nodes];
        Arrays.fill(marks, -1);
    }

    /** Whether (epochMicros, seq) from {@code node} is above the last taken; changes nothing. */
    public boolean isFresh(int node, long epochMicros, long seq) {
        long epoch = marks[2 * node];
        return epochMicros > epoch || epochMicros == epoch && seq > marks[2 * node + 1];
    }

    /**
     * Takes (epochMicros, seq) from {@code node} if fresh, as the new mark to beat; returns whether it was fresh
     * (false: a replay, and nothing changes).
     */
    public boolean advance(int node, long epochMicros, long seq) {
        if (!isFresh(node, epochMicros, seq)) {
            return false;
        }
        marks[2 * node] = epochMicros;
        marks[2 * node + 1] = seq;
        return true;
    }

    public int size() {
        return marks.length / 2;
    }
}
