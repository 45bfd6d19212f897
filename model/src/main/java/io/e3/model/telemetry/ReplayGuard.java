package io.e3.model.telemetry;

import java.util.Arrays;

/**
 * Refuses replayed heartbeats: per node, a heartbeat is taken only if its (epoch, sequence) is strictly above the last
 * one taken, epoch first. An agent counts its sequence up from 0 under the epoch it started at, and a restarted agent
 * starts at a higher epoch, so every fresh heartbeat passes; a copy of an old one (a duplicate, a reordered datagram,
 * an attacker's replay of a recorded one) does not.
 *
 * <p>Only authenticated heartbeats may {@link #advance} it, or a forger could push a node's mark beyond its real
 * heartbeats. Nodes are numbered 0 to n - 1 by the caller; state is two arrays, and a check allocates nothing. Not
 * thread-safe: one receiving thread.
 */
public final class ReplayGuard {

    private final long[] epoch;
    private final long[] sequence;

    /** A guard for nodes 0 to {@code nodes} - 1, none heard from yet. */
    public ReplayGuard(int nodes) {
        epoch = new long[nodes];
        sequence = new long[nodes];
        Arrays.fill(epoch, -1);
        Arrays.fill(sequence, -1);
    }

    /** Whether (epochMicros, seq) from {@code node} is above the last taken; changes nothing. */
    public boolean isFresh(int node, long epochMicros, long seq) {
        return epochMicros > epoch[node] || epochMicros == epoch[node] && seq > sequence[node];
    }

    /**
     * Takes (epochMicros, seq) from {@code node} if fresh, as the new mark to beat; returns whether it was fresh
     * (false: a replay, and nothing changes).
     */
    public boolean advance(int node, long epochMicros, long seq) {
        if (!isFresh(node, epochMicros, seq)) {
            return false;
        }
        epoch[node] = epochMicros;
        sequence[node] = seq;
        return true;
    }

    public int size() {
        return epoch.length;
    }
}
