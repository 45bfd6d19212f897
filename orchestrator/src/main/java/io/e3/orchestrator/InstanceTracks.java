package io.e3.orchestrator;

import io.e3.model.telemetry.HeartbeatView;
import java.util.Arrays;

/**
 * What the {@link DataPlaneOrchestrator} remembers of each node's instances: per instance its execution-time moving
 * average, how many samples that average has, and for how many heartbeats in a row it has been overloaded.
 *
 * <p>Flat arrays of slots, one slot per tracked instance, and each node's tracks one run of consecutive slots
 * ({@link #first(int)}, {@link #count(int)}). A heartbeat lists its node's instances in the same order every time, so
 * instance {@code i} of a heartbeat is normally slot {@code first + i}, checked by comparing its id's bytes in place:
 * no map, no string, and the node's figures share a few cache lines. A node whose run must grow and is not the last in
 * the arrays moves to the end; the slots it leaves are reclaimed by compacting everything once they are as many as the
 * live ones. Not thread-safe.
 */
final class InstanceTracks {

    private static final int INITIAL_SLOTS = 1024;

    /** Per node: its first slot, and how many it has. */
    private final int[] first;
    private final int[] count;
    /** Per slot: the instance's UTF-8 id, and its figures. */
    private byte[][] ids = new byte[INITIAL_SLOTS][];
    private double[] ema = new double[INITIAL_SLOTS];
    private int[] samples = new int[INITIAL_SLOTS];
    private int[] overBeats = new int[INITIAL_SLOTS];
    /** Slots handed out so far, live or left behind: the next free one. */
    private int end;
    /** Slots in some node's run. */
    private int live;

    InstanceTracks(int nodes) {
        first = new int[nodes];
        count = new int[nodes];
    }

    int first(int node) {
        return first[node];
    }

    int count(int node) {
        return count[node];
    }

    double ema(int slot) {
        return ema[slot];
    }

    int samples(int slot) {
        return samples[slot];
    }

    int overBeats(int slot) {
        return overBeats[slot];
    }

    /** Adds {@code sample} to the slot's average: the first sample is the average, then weight {@code alpha}. */
    void addSample(int slot, double sample, double alpha) {
        ema[slot] = samples[slot] == 0 ? sample : alpha * sample + (1 - alpha) * ema[slot];
        samples[slot]++;
    }

    /** One more overloaded heartbeat in a row for the slot; returns how many now. */
    int overloadedAgain(int slot) {
        return ++overBeats[slot];
    }

    void notOverloaded(int slot) {
        overBeats[slot] = 0;
    }

    /** Starts the count of overloaded heartbeats over for every instance of {@code node} (a decision was made). */
    void clearOverBeats(int node) {
        Arrays.fill(overBeats, first[node], first[node] + count[node], 0);
    }

    /**
     * The slot of instance {@code i} of {@code hb}, which {@code node} sent: slot {@code first + i} if it tracks that id,
     * else the first of the node's slots that does, else a new slot at the end of the node's run. Adding a slot may
     * move the node's run, so an earlier slot number of this node is not valid after it.
     */
    int slot(int node, HeartbeatView hb, int i) {
        int from = first[node];
        int n = count[node];
        if (i < n && hb.instanceIdEquals(i, ids[from + i], 0, ids[from + i].length)) {
            return from + i;
        }
        for (int s = from; s < from + n; s++) {
            if (hb.instanceIdEquals(i, ids[s], 0, ids[s].length)) {
                return s;
            }
        }
        int s = grow(node);
        int offset = hb.instanceIdOffset(i);
        ids[s] = Arrays.copyOfRange(hb.data(), offset, offset + hb.instanceIdLength(i));
        ema[s] = 0;
        samples[s] = 0;
        overBeats[s] = 0;
        return s;
    }

    /**
     * When {@code node} tracks a different number of instances than {@code hb} reports, keeps only the ones it
     * reports (a changed count means instances came or went; a new one is added by {@link #slot}).
     */
    void retain(int node, HeartbeatView hb) {
        if (count[node] == hb.instanceCount()) {
            return;
        }
        int from = first[node];
        int kept = from;
        for (int s = from; s < from + count[node]; s++) {
            if (reports(hb, ids[s])) {
                moveSlot(s, kept++);
            }
        }
        live -= from + count[node] - kept;
        count[node] = kept - from;
    }

    /** Forgets the instance with UTF-8 id {@code id} on every node. */
    void remove(byte[] id) {
        for (int node = 0; node < first.length; node++) {
            int from = first[node];
            int kept = from;
            for (int s = from; s < from + count[node]; s++) {
                if (!Arrays.equals(ids[s], id)) {
                    moveSlot(s, kept++);
                }
            }
            live -= from + count[node] - kept;
            count[node] = kept - from;
        }
    }

    private static boolean reports(HeartbeatView hb, byte[] id) {
        for (int i = 0; i < hb.instanceCount(); i++) {
            if (hb.instanceIdEquals(i, id, 0, id.length)) {
                return true;
            }
        }
        return false;
    }

    /** Adds a slot at the end of {@code node}'s run, moving the run to the end of the arrays first if need be. */
    private int grow(int node) {
        int n = count[node];
        // Room for the whole run: compacting may leave it anywhere, not last.
        reserve(n + 1);
        if (first[node] + n != end) {
            for (int k = 0; k < n; k++) {
                moveSlot(first[node] + k, end + k);
            }
            first[node] = end;
            end += n;
        }
        count[node]++;
        live++;
        return end++;
    }

    /** Makes room for {@code slots} more at the end: by compacting if half the slots are left behind, else growing. */
    private void reserve(int slots) {
        if (end + slots <= ids.length) {
            return;
        }
        if (end - live >= live) {
            compact(Math.max(INITIAL_SLOTS, 2 * (live + slots)));
        } else {
            resize(Math.max(2 * ids.length, end + slots));
        }
    }

    /** Copies the live runs, node by node, to the start of new arrays of {@code capacity} slots. */
    private void compact(int capacity) {
        byte[][] oldIds = ids;
        double[] oldEma = ema;
        int[] oldSamples = samples;
        int[] oldOverBeats = overBeats;
        ids = new byte[capacity][];
        ema = new double[capacity];
        samples = new int[capacity];
        overBeats = new int[capacity];
        int to = 0;
        for (int node = 0; node < first.length; node++) {
            int from = first[node];
            int n = count[node];
            System.arraycopy(oldIds, from, ids, to, n);
            System.arraycopy(oldEma, from, ema, to, n);
            System.arraycopy(oldSamples, from, samples, to, n);
            System.arraycopy(oldOverBeats, from, overBeats, to, n);
            first[node] = to;
            to += n;
        }
        end = to;
    }

    private void resize(int capacity) {
        ids = Arrays.copyOf(ids, capacity);
        ema = Arrays.copyOf(ema, capacity);
        samples = Arrays.copyOf(samples, capacity);
        overBeats = Arrays.copyOf(overBeats, capacity);
    }

    private void moveSlot(int from, int to) {
        ids[to] = ids[from];
        ema[to] = ema[from];
        samples[to] = samples[from];
        overBeats[to] = overBeats[from];
    }
}
