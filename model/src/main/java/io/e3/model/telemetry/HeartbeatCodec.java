package io.e3.model.telemetry;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The heartbeat wire format, one UDP datagram per heartbeat. Big-endian:
 *
 * <pre>
 * magic "E3HB" (4) | version (1) = {@value #VERSION} | node id: length (1), UTF-8
 * epoch (8) | sequence (8) | sentAtMillis (8) | periodMillis (4) | queueDepth (4) | bytesIn/s (8) | bytesOut/s (8)
 * instance count (2) | per instance: id length (1), UTF-8 id, requests (4), errors (4), mean ns (8), cpu (4, float)
 * tag (16): HMAC-SHA256 of everything before it, truncated ({@link HeartbeatMac})
 * CRC-32C of everything before it (4)
 * </pre>
 *
 * <p>The epoch is the sending agent's start time in microseconds since 1970: a restarted agent counts its sequence
 * from 0 again under a higher epoch, so (epoch, sequence) only ever grows for one node, which is what a receiver's
 * {@link ReplayGuard} holds it to. A node with 30 instances of 20-character ids takes 1,313 bytes.
 *
 * <p>The checksum rejects a datagram that is damaged or not ours (malformed); the tag, which only a holder of the
 * cluster token can make, rejects one that is well-formed but forged. {@link #decode} checks the structure and the
 * checksum, not the tag: a receiver that authenticates calls {@link HeartbeatMac#verify} on the decoded datagram
 * ({@link HeartbeatView#tagOffset()}), after cheaper checks. A new version number lets receivers reject what they
 * cannot read; version 1 had neither epoch nor tag.
 *
 * <p>Two ways to decode: to a {@link Heartbeat} object, or into a reusable {@link HeartbeatView} that leaves the ids in
 * the datagram and allocates nothing, for the controller's hot path. Both run the same checks.
 *
 * <p>The agents of one server that run in one process send their heartbeats of a period together, in one datagram: a
 * <em>server batch</em> ({@link #batch}), which costs the network and the controller one datagram a server instead of
 * one a node. A batch only frames the heartbeats; each keeps its own epoch, sequence, tag and checksum:
 *
 * <pre>
 * magic "E3HS" (4) | batch version (1) = {@value #BATCH_VERSION} | count (1), at least 1
 * per heartbeat: length (2) | the heartbeat's datagram, as above
 * </pre>
 */
public final class HeartbeatCodec {

    public static final int VERSION = 2;
    /** The most a UDP datagram over IPv4 carries. */
    public static final int MAX_BYTES = 65_507;
    /** Ids are at most 255 bytes of UTF-8. */
    public static final int MAX_ID_BYTES = 255;
    private static final int MAGIC = 0x45334842; // "E3HB"
    /** A server batch's magic, "E3HS". */
    private static final int BATCH_MAGIC = 0x45334853;
    public static final int BATCH_VERSION = 1;
    /** Magic, version and count. */
    private static final int BATCH_HEADER_BYTES = 6;
    /** The most heartbeats one batch holds. */
    public static final int MAX_BATCH = 255;
    /** Epoch, sequence, sent at, period, queue depth, bytes in and out per second, instance count. */
    private static final int FIGURES_BYTES = 8 + 8 + 8 + 4 + 4 + 8 + 8 + 2;
    /** The tag and the checksum after the instances. */
    private static final int TRAILER_BYTES = HeartbeatMac.TAG_BYTES + 4;
    /** Requests, errors, mean execution time, CPU share. */
    private static final int INSTANCE_FIGURES_BYTES = 4 + 4 + 8 + 4;
    /** An instance with an empty id: its length byte and its figures. */
    private static final int INSTANCE_MIN_BYTES = 1 + INSTANCE_FIGURES_BYTES;
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class, ByteOrder.BIG_ENDIAN);

    private HeartbeatCodec() {
    }

    /**
     * The datagram for {@code heartbeat} with epoch 0 and an all-zero tag: for in-process round trips through the
     * codec (the orchestrator's object path, tests). A receiver that authenticates counts it forged.
     *
     * @throws IllegalArgumentException if an id is over {@value #MAX_ID_BYTES} bytes or the whole over
     *                                  {@value #MAX_BYTES}
     */
    public static byte[] encode(Heartbeat heartbeat) {
        return encode(heartbeat, 0, null);
    }

    /**
     * The datagram for {@code heartbeat} from an agent that started at {@code epochMicros}, signed with {@code mac}
     * (null: the tag is left zero).
     *
     * @throws IllegalArgumentException if an id is over {@value #MAX_ID_BYTES} bytes, the whole over
     *                                  {@value #MAX_BYTES}, or the epoch negative
     */
    public static byte[] encode(Heartbeat heartbeat, long epochMicros, HeartbeatMac mac) {
        if (epochMicros < 0) {
            throw new IllegalArgumentException("epoch " + epochMicros + " is not >= 0");
        }
        byte[] node = id(heartbeat.nodeId());
        List<byte[]> ids = heartbeat.instances().stream().map(s -> id(s.instanceId())).toList();
        if (ids.size() > 0xffff) {
            throw new IllegalArgumentException("more than 65,535 instances on " + heartbeat.nodeId());
        }
        int size = 4 + 1 + 1 + node.length + FIGURES_BYTES + TRAILER_BYTES
                + ids.stream().mapToInt(id -> INSTANCE_MIN_BYTES + id.length).sum();
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("heartbeat of " + heartbeat.nodeId() + " would be " + size
                    + " bytes, more than a datagram's " + MAX_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) node.length).put(node);
        b.putLong(epochMicros).putLong(heartbeat.sequence()).putLong(heartbeat.sentAtMillis())
                .putInt(heartbeat.periodMillis()).putInt(heartbeat.queueDepth()).putLong(heartbeat.bytesInPerSecond())
                .putLong(heartbeat.bytesOutPerSecond()).putShort((short) ids.size());
        for (int i = 0; i < ids.size(); i++) {
            InstanceStats s = heartbeat.instances().get(i);
            b.put((byte) ids.get(i).length).put(ids.get(i)).putInt(s.requests()).putInt(s.errors())
                    .putLong(s.meanExecutionNanos()).putFloat(s.cpuShare());
        }
        seal(b.array(), 0, size, mac, new CRC32C());
        return b.array();
    }

    /**
     * The server batch of {@code heartbeats}, each one {@link #encode} made (not checked here), in their order.
     *
     * @throws IllegalArgumentException if there are none, more than {@value #MAX_BATCH}, or the batch would be over
     *                                  {@value #MAX_BYTES} bytes
     */
    public static byte[] batch(List<byte[]> heartbeats) {
        if (heartbeats.isEmpty() || heartbeats.size() > MAX_BATCH) {
            throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " heartbeats, not "
                    + heartbeats.size());
        }
        int size = batchBytes(heartbeats);
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("a batch of " + heartbeats.size() + " heartbeats would be " + size
                    + " bytes, more than a datagram's " + MAX_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(BATCH_MAGIC).put((byte) BATCH_VERSION).put((byte) heartbeats.size());
        for (byte[] h : heartbeats) {
            b.putShort((short) h.length).put(h);
        }
        return b.array();
    }

    /** The bytes a batch of {@code heartbeats} takes. */
    public static int batchBytes(List<byte[]> heartbeats) {
        int size = BATCH_HEADER_BYTES;
        for (byte[] h : heartbeats) {
            size += 2 + h.length;
        }
        return size;
    }

    /** Whether the {@code length} bytes of {@code data} start like a server batch (and so are no plain heartbeat). */
    public static boolean isBatch(byte[] data, int length) {
        return length >= 4 && (int) INT.get(data, 0) == BATCH_MAGIC;
    }

    /**
     * Frames the server batch in the first {@code length} bytes of {@code data}: the heartbeat number i lies at
     * {@code offsets[i]} and takes {@code lengths[i]} bytes (arrays of at least {@value #MAX_BATCH}). Returns how many
     * there are. The heartbeats themselves are not looked at: decode each.
     *
     * @throws MalformedHeartbeatException if the framing is wrong (magic, version, count, a length running past the
     *                                     end, bytes after the last)
     */
    public static int unbatch(byte[] data, int length, int[] offsets, int[] lengths)
            throws MalformedHeartbeatException {
        if (length < BATCH_HEADER_BYTES || length > data.length || (int) INT.get(data, 0) != BATCH_MAGIC) {
            throw new MalformedHeartbeatException("not a heartbeat batch");
        }
        int version = data[4] & 0xff;
        if (version != BATCH_VERSION) {
            throw new MalformedHeartbeatException("batch version " + version + " is not supported; this build reads "
                    + BATCH_VERSION);
        }
        int count = data[5] & 0xff;
        if (count == 0) {
            throw new MalformedHeartbeatException("an empty batch");
        }
        int p = BATCH_HEADER_BYTES;
        for (int i = 0; i < count; i++) {
            if (length - p < 2) {
                throw new MalformedHeartbeatException("batch truncated at heartbeat " + i);
            }
            int n = (short) SHORT.get(data, p) & 0xffff;
            p += 2;
            if (n > length - p) {
                throw new MalformedHeartbeatException("batch truncated in heartbeat " + i);
            }
            offsets[i] = p;
            lengths[i] = n;
            p += n;
        }
        if (p != length) {
            throw new MalformedHeartbeatException((length - p) + " bytes after the batch's last heartbeat");
        }
        return count;
    }

    /**
     * Rewrites the epoch, sequence and send time of the well-formed datagram in {@code data[offset, offset + length)}
     * (one {@link #encode} made), then signs it with {@code mac} and checksums it again, in place and without
     * allocating: how a sender that keeps one datagram per node sends the next one.
     *
     * @throws IllegalArgumentException if the epoch or sequence is negative or the bytes do not start like a heartbeat
     */
    public static void restamp(byte[] data, int offset, int length, long epochMicros, long sequence,
                               long sentAtMillis, HeartbeatMac mac, CRC32C crc) {
        if (epochMicros < 0 || sequence < 0) {
            throw new IllegalArgumentException("epoch and sequence must be >= 0");
        }
        if (length < 6 || (int) INT.get(data, offset) != MAGIC
                || length < 6 + (data[offset + 5] & 0xff) + FIGURES_BYTES + TRAILER_BYTES) {
            throw new IllegalArgumentException("not a heartbeat datagram");
        }
        int p = offset + 6 + (data[offset + 5] & 0xff);
        LONG.set(data, p, epochMicros);
        LONG.set(data, p + 8, sequence);
        LONG.set(data, p + 16, sentAtMillis);
        seal(data, offset, length, mac, crc);
    }

    /** Writes the tag (zero without a key) and then the checksum at the end of the datagram. */
    private static void seal(byte[] data, int offset, int length, HeartbeatMac mac, CRC32C crc) {
        int tag = offset + length - TRAILER_BYTES;
        if (mac == null) {
            Arrays.fill(data, tag, tag + HeartbeatMac.TAG_BYTES, (byte) 0);
        } else {
            mac.sign(data, offset, tag - offset, data, tag);
        }
        crc.reset();
        crc.update(data, offset, length - 4);
        INT.set(data, offset + length - 4, (int) crc.getValue());
    }

    /**
     * The heartbeat in {@code length} bytes of {@code data} from {@code offset}, as an object.
     *
     * @throws MalformedHeartbeatException if they are not exactly one well-formed heartbeat of this version
     */
    public static Heartbeat decode(byte[] data, int offset, int length) throws MalformedHeartbeatException {
        HeartbeatView view = new HeartbeatView();
        decode(data, offset, length, view);
        return view.toHeartbeat();
    }

    /**
     * Decodes the heartbeat in {@code length} bytes of {@code data} from {@code offset} into {@code into} without
     * allocating: the same checks as the object decode (checksum, structure, every field in its record's range, ids
     * in UTF-8), so a datagram is accepted here exactly when it is accepted there. The tag is not checked: see
     * {@link HeartbeatMac#verify} and {@link HeartbeatView#tagOffset()}.
     *
     * @throws MalformedHeartbeatException if they are not exactly one well-formed heartbeat of this version; the view
     *                                     then holds nothing valid
     */
    public static void decode(byte[] data, int offset, int length, HeartbeatView into)
            throws MalformedHeartbeatException {
        if (length < 4 + 1 + TRAILER_BYTES || offset < 0 || offset + length > data.length) {
            throw new MalformedHeartbeatException("too short: " + length + " bytes");
        }
        if ((int) INT.get(data, offset) != MAGIC) {
            throw new MalformedHeartbeatException("not a heartbeat (bad magic)");
        }
        int version = data[offset + 4] & 0xff;
        if (version != VERSION) {
            throw new MalformedHeartbeatException("version " + version + " is not supported; this build reads "
                    + VERSION);
        }
        int end = offset + length - 4;
        CRC32C crc = into.crc;
        crc.reset();
        crc.update(data, offset, length - 4);
        if ((int) crc.getValue() != (int) INT.get(data, end)) {
            throw new MalformedHeartbeatException("checksum mismatch");
        }
        into.data = data;
        into.tagOffset = end - HeartbeatMac.TAG_BYTES;
        body(data, offset + 5, into.tagOffset, into);
    }

    /** The node id, the period's figures and the instances, from {@code p} up to the tag at {@code end}. */
    private static void body(byte[] data, int p, int end, HeartbeatView into) throws MalformedHeartbeatException {
        int figures = id(data, p, end);
        into.nodeIdOffset = p + 1;
        into.nodeIdLength = figures - p - 1;
        p = figures;
        if (end - p < FIGURES_BYTES) {
            throw new MalformedHeartbeatException("truncated");
        }
        into.epochMicros = nonNegative((long) LONG.get(data, p), "epoch");
        into.sequence = nonNegative((long) LONG.get(data, p + 8), "sequence");
        into.sentAtMillis = (long) LONG.get(data, p + 16);
        into.periodMillis = (int) INT.get(data, p + 24);
        if (into.periodMillis < 1) {
            throw new MalformedHeartbeatException("bad field: period " + into.periodMillis + " ms is not >= 1");
        }
        into.queueDepth = nonNegative((int) INT.get(data, p + 28), "queue depth");
        into.bytesInPerSecond = nonNegative((long) LONG.get(data, p + 32), "bytes in/s");
        into.bytesOutPerSecond = nonNegative((long) LONG.get(data, p + 40), "bytes out/s");
        int count = (short) SHORT.get(data, p + 48) & 0xffff;
        p += FIGURES_BYTES;
        if (count > (end - p) / INSTANCE_MIN_BYTES) {
            throw new MalformedHeartbeatException("truncated");
        }
        into.instances(count);
        for (int i = 0; i < count; i++) {
            p = instance(data, p, end, i, into);
        }
        if (p != end) {
            throw new MalformedHeartbeatException((end - p) + " bytes after the last instance");
        }
    }

    /** Instance {@code i} at {@code p}; returns where the next one starts. */
    private static int instance(byte[] data, int p, int end, int i, HeartbeatView into)
            throws MalformedHeartbeatException {
        int stats = id(data, p, end);
        if (end - stats < INSTANCE_FIGURES_BYTES) {
            throw new MalformedHeartbeatException("truncated");
        }
        into.instanceIdOffsets[i] = p + 1;
        into.instanceIdLengths[i] = stats - p - 1;
        into.requests[i] = nonNegative((int) INT.get(data, stats), "requests");
        into.errors[i] = nonNegative((int) INT.get(data, stats + 4), "errors");
        into.meanExecutionNanos[i] = nonNegative((long) LONG.get(data, stats + 8), "mean execution time");
        float cpu = (float) FLOAT.get(data, stats + 16);
        if (!(cpu >= 0) || Float.isInfinite(cpu)) {
            throw new MalformedHeartbeatException("bad field: CPU share " + cpu + " is not finite and >= 0");
        }
        into.cpuShares[i] = cpu;
        return stats + INSTANCE_FIGURES_BYTES;
    }

    private static long nonNegative(long value, String field) throws MalformedHeartbeatException {
        if (value < 0) {
            throw new MalformedHeartbeatException("bad field: " + field + " " + value + " is not >= 0");
        }
        return value;
    }

    private static int nonNegative(int value, String field) throws MalformedHeartbeatException {
        return (int) nonNegative((long) value, field);
    }

    private static byte[] id(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("id longer than " + MAX_ID_BYTES + " bytes: " + id.substring(0, 40)
                    + "...");
        }
        return bytes;
    }

    /**
     * Checks the id whose length byte is at {@code p}: it fits before {@code end} and is UTF-8. Returns where the field
     * after it starts.
     */
    private static int id(byte[] data, int p, int end) throws MalformedHeartbeatException {
        if (p >= end || (data[p] & 0xff) > end - p - 1) {
            throw new MalformedHeartbeatException("truncated");
        }
        int from = p + 1;
        int to = from + (data[p] & 0xff);
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            ascii &= data[i] >= 0;
        }
        // Ids are ASCII in practice, so the decoder, which allocates, is only for the others.
        if (!ascii) {
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(data, from, to - from));
            } catch (CharacterCodingException e) {
                throw new MalformedHeartbeatException("an id is not UTF-8");
            }
        }
        return to;
    }
}
