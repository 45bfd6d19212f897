package io.e3.orchestrator;

import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Numbers a cluster's compute nodes 0 to n - 1 in {@link Cluster#nodes()} order, and finds a node's number from its id,
 * given either as a string or as the UTF-8 bytes inside a heartbeat datagram. The second costs no allocation, so the
 * controller resolves each heartbeat's node once, from the bytes, and hands the number to {@link Membership} and
 * {@link DataPlaneOrchestrator}, which keep their per-node state in arrays indexed by it.
 *
 * <p>An open-addressing table with linear probing. An entry is two {@code long}s side by side: a hash of the id in the
 * high half and the node's number plus one in the low half (0: empty); then where the id's bytes start and end in one
 * byte array that holds them all end to end. So a look-up reads one table entry, then one run of id bytes, which it
 * compares only when the hashes agree. Immutable after construction.
 */
public final class NodeIndex {

    /** Index not found: the id names no node of this cluster. */
    public static final int UNKNOWN = -1;

    private final Cluster cluster;
    /** Two longs per entry: hash and number, then the id's start and end in {@link #ids}. */
    private final long[] table;
    /** Entries minus one: a hash's first entry is {@code hash & mask}. */
    private final int mask;
    /** The UTF-8 ids, node after node. */
    private final byte[] ids;
    private final int size;

    private NodeIndex(Cluster cluster) {
        this.cluster = cluster;
        List<ComputeNode> nodes = cluster.nodes();
        // Twice the smallest power of two that holds them all: a load factor of at most 1/2 keeps probe runs short.
        int entries = Integer.highestOneBit(Math.max(1, nodes.size()) * 2 - 1) * 2;
        table = new long[2 * entries];
        mask = entries - 1;
        byte[][] encoded = new byte[nodes.size()][];
        int total = 0;
        for (int n = 0; n < nodes.size(); n++) {
            encoded[n] = nodes.get(n).id().getBytes(StandardCharsets.UTF_8);
            total += encoded[n].length;
        }
        ids = new byte[total];
        int start = 0;
        for (int n = 0; n < nodes.size(); n++) {
            System.arraycopy(encoded[n], 0, ids, start, encoded[n].length);
            int hash = hash(encoded[n], 0, encoded[n].length);
            int entry = hash & mask;
            while (table[2 * entry] != 0) {
                entry = (entry + 1) & mask;
            }
            table[2 * entry] = (long) hash << 32 | (n + 1);
            table[2 * entry + 1] = (long) start << 32 | (start + encoded[n].length);
            start += encoded[n].length;
        }
        size = nodes.size();
    }

    /** The index of {@code cluster}'s nodes; {@link Cluster} already rejects duplicate ids. */
    public static NodeIndex of(Cluster cluster) {
        return new NodeIndex(cluster);
    }

    public Cluster cluster() {
        return cluster;
    }

    /** How many nodes: indices run from 0 to this, exclusive. */
    public int size() {
        return size;
    }

    /** The node at {@code index}, which is {@code cluster().nodes().get(index)}. */
    public ComputeNode node(int index) {
        return cluster.nodes().get(index);
    }

    /** The index of the node {@code nodeId}, or {@link #UNKNOWN}. */
    public int indexOf(String nodeId) {
        byte[] id = nodeId.getBytes(StandardCharsets.UTF_8);
        return indexOf(id, 0, id.length);
    }

    /** The index of the node that sent the heartbeat in {@code view}, or {@link #UNKNOWN}; allocates nothing. */
    public int indexOf(HeartbeatView view) {
        return indexOf(view.data(), view.nodeIdOffset(), view.nodeIdLength());
    }

    /** The index of the node whose UTF-8 id is {@code data[offset, offset + length)}, or {@link #UNKNOWN}. */
    public int indexOf(byte[] data, int offset, int length) {
        int hash = hash(data, offset, length);
        for (int entry = hash & mask; ; entry = (entry + 1) & mask) {
            long number = table[2 * entry];
            if (number == 0) {
                return UNKNOWN;
            }
            long span = table[2 * entry + 1];
            if ((int) (number >>> 32) == hash
                    && Arrays.equals(ids, (int) (span >>> 32), (int) span, data, offset, offset + length)) {
                return (int) number - 1;
            }
        }
    }

    /** FNV-1a over the bytes, then MurmurHash3's finalizer so that the low bits, which pick the slot, vary well. */
    private static int hash(byte[] data, int offset, int length) {
        int h = 0x811c9dc5;
        for (int i = offset; i < offset + length; i++) {
            h = (h ^ data[i]) * 0x01000193;
        }
        h = (h ^ h >>> 16) * 0x85ebca6b;
        h = (h ^ h >>> 13) * 0xc2b2ae35;
        return h ^ h >>> 16;
    }
}
