package io.e3.model.telemetry;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * A heartbeat decoded in place: {@link HeartbeatCodec#decode(byte[], int, int, HeartbeatView)} validates a datagram
 * exactly as the object decode does and leaves its figures here, with the ids as positions in the datagram instead of
 * strings. One view is reused for every datagram, so the controller's hot path allocates nothing per heartbeat (a
 * heartbeat with more instances than any before it grows the view's arrays once).
 *
 * <p>The figures mean what {@link Heartbeat} and {@link InstanceStats} say they mean. They describe the last datagram
 * decoded into the view, and only while its bytes stay as they were; after a failed decode the view holds nothing
 * valid. Not thread-safe: one view per ingesting thread.
 */
public final class HeartbeatView {

    private static final int INITIAL_INSTANCES = 8;

    /** Reused for the checksum of each datagram decoded into this view. */
    final CRC32C crc = new CRC32C();
    byte[] data = new byte[0];
    int nodeIdOffset;
    int nodeIdLength;
    int tagOffset;
    long epochMicros;
    long sequence;
    long sentAtMillis;
    int periodMillis;
    int queueDepth;
    long bytesInPerSecond;
    long bytesOutPerSecond;
    int instanceCount;
    int[] instanceIdOffsets = new int[INITIAL_INSTANCES];
    int[] instanceIdLengths = new int[INITIAL_INSTANCES];
    int[] requests = new int[INITIAL_INSTANCES];
    int[] errors = new int[INITIAL_INSTANCES];
    long[] meanExecutionNanos = new long[INITIAL_INSTANCES];
    float[] cpuShares = new float[INITIAL_INSTANCES];

    /** Makes room for {@code count} instances, keeping none of the previous datagram's. */
    void instances(int count) {
        if (count > requests.length) {
            int capacity = Math.max(count, 2 * requests.length);
            instanceIdOffsets = new int[capacity];
            instanceIdLengths = new int[capacity];
            requests = new int[capacity];
            errors = new int[capacity];
            meanExecutionNanos = new long[capacity];
            cpuShares = new float[capacity];
        }
        instanceCount = count;
    }

    /** The datagram's bytes, which the id offsets index into (the caller's array, not a copy). */
    public byte[] data() {
        return data;
    }

    /** Where the node id's UTF-8 bytes start in {@link #data()}. */
    public int nodeIdOffset() {
        return nodeIdOffset;
    }

    /** How many UTF-8 bytes the node id has, in [0, {@value HeartbeatCodec#MAX_ID_BYTES}]. */
    public int nodeIdLength() {
        return nodeIdLength;
    }

    /** The node id as a string (allocates; for logs and the rare path). */
    public String nodeId() {
        return new String(data, nodeIdOffset, nodeIdLength, StandardCharsets.UTF_8);
    }

    /** Where the {@value HeartbeatMac#TAG_BYTES}-byte tag starts in {@link #data()}: it signs everything before it. */
    public int tagOffset() {
        return tagOffset;
    }

    /** The sending agent's start time in microseconds since 1970; a restarted agent has a higher one. */
    public long epochMicros() {
        return epochMicros;
    }

    public long sequence() {
        return sequence;
    }

    public long sentAtMillis() {
        return sentAtMillis;
    }

    public int periodMillis() {
        return periodMillis;
    }

    public int queueDepth() {
        return queueDepth;
    }

    public long bytesInPerSecond() {
        return bytesInPerSecond;
    }

    public long bytesOutPerSecond() {
        return bytesOutPerSecond;
    }

    /** How many instances the heartbeat reports; the per-instance accessors take an index in [0, this). */
    public int instanceCount() {
        return instanceCount;
    }

    /** Where instance {@code i}'s id starts in {@link #data()}. */
    public int instanceIdOffset(int i) {
        return instanceIdOffsets[Objects.checkIndex(i, instanceCount)];
    }

    /** How many UTF-8 bytes instance {@code i}'s id has, in [0, {@value HeartbeatCodec#MAX_ID_BYTES}]. */
    public int instanceIdLength(int i) {
        return instanceIdLengths[Objects.checkIndex(i, instanceCount)];
    }

    /** Whether instance {@code i}'s id is exactly the UTF-8 bytes {@code id[from, to)}. */
    public boolean instanceIdEquals(int i, byte[] id, int from, int to) {
        int offset = instanceIdOffset(i);
        return Arrays.equals(data, offset, offset + instanceIdLengths[i], id, from, to);
    }

    /** Instance {@code i}'s id as a string (allocates; for decisions and logs). */
    public String instanceId(int i) {
        return new String(data, instanceIdOffset(i), instanceIdLengths[i], StandardCharsets.UTF_8);
    }

    public int requests(int i) {
        return requests[Objects.checkIndex(i, instanceCount)];
    }

    public int errors(int i) {
        return errors[Objects.checkIndex(i, instanceCount)];
    }

    public long meanExecutionNanos(int i) {
        return meanExecutionNanos[Objects.checkIndex(i, instanceCount)];
    }

    public float cpuShare(int i) {
        return cpuShares[Objects.checkIndex(i, instanceCount)];
    }

    /** The same heartbeat as an object, ids as strings: what {@link HeartbeatCodec#decode(byte[], int, int)} returns. */
    public Heartbeat toHeartbeat() {
        InstanceStats[] instances = new InstanceStats[instanceCount];
        for (int i = 0; i < instanceCount; i++) {
            instances[i] = new InstanceStats(instanceId(i), requests[i], errors[i], meanExecutionNanos[i],
                    cpuShares[i]);
        }
        // List.of over the array: the record's List.copyOf then keeps it as it is instead of copying again.
        return new Heartbeat(nodeId(), sequence, sentAtMillis, periodMillis, queueDepth, bytesInPerSecond,
                bytesOutPerSecond, List.of(instances));
    }
}
