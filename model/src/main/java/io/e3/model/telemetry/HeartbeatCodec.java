package io.e3.model.telemetry;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The heartbeat wire format, one UDP datagram per heartbeat. Big-endian:
 *
 * <pre>
 * magic "E3HB" (4) | version (1) = {@value #VERSION} | node id: length (1), UTF-8
 * sequence (8) | sentAtMillis (8) | periodMillis (4) | queueDepth (4) | bytesIn/s (8) | bytesOut/s (8)
 * instance count (2) | per instance: id length (1), UTF-8 id, requests (4), errors (4), mean ns (8), cpu (4, float)
 * CRC-32C of everything before it (4)
 * </pre>
 *
 * <p>A node with 30 instances of 20-character ids takes 1,289 bytes. The checksum rejects a datagram that is
 * damaged or not ours, on top of UDP's own; a new version number lets receivers reject what they cannot read.
 */
public final class HeartbeatCodec {

    public static final int VERSION = 1;
    /** The most a UDP datagram over IPv4 carries. */
    public static final int MAX_BYTES = 65_507;
    /** Ids are at most 255 bytes of UTF-8. */
    public static final int MAX_ID_BYTES = 255;
    private static final int MAGIC = 0x45334842; // "E3HB"

    private HeartbeatCodec() {
    }

    /**
     * The datagram for {@code heartbeat}.
     *
     * @throws IllegalArgumentException if an id is over {@value #MAX_ID_BYTES} bytes or the whole over
     *                                  {@value #MAX_BYTES}
     */
    public static byte[] encode(Heartbeat heartbeat) {
        byte[] node = id(heartbeat.nodeId());
        List<byte[]> ids = heartbeat.instances().stream().map(s -> id(s.instanceId())).toList();
        if (ids.size() > 0xffff) {
            throw new IllegalArgumentException("more than 65,535 instances on " + heartbeat.nodeId());
        }
        int size = 4 + 1 + 1 + node.length + 8 + 8 + 4 + 4 + 8 + 8 + 2 + 4
                + ids.stream().mapToInt(id -> 1 + id.length + 4 + 4 + 8 + 4).sum();
        if (size > MAX_BYTES) {
            throw new IllegalArgumentException("heartbeat of " + heartbeat.nodeId() + " would be " + size
                    + " bytes, more than a datagram's " + MAX_BYTES);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) node.length).put(node);
        b.putLong(heartbeat.sequence()).putLong(heartbeat.sentAtMillis()).putInt(heartbeat.periodMillis())
                .putInt(heartbeat.queueDepth()).putLong(heartbeat.bytesInPerSecond())
                .putLong(heartbeat.bytesOutPerSecond()).putShort((short) ids.size());
        for (int i = 0; i < ids.size(); i++) {
            InstanceStats s = heartbeat.instances().get(i);
            b.put((byte) ids.get(i).length).put(ids.get(i)).putInt(s.requests()).putInt(s.errors())
                    .putLong(s.meanExecutionNanos()).putFloat(s.cpuShare());
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, size - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /**
     * The heartbeat in {@code length} bytes of {@code data} from {@code offset}.
     *
     * @throws MalformedHeartbeatException if they are not exactly one well-formed heartbeat of this version
     */
    public static Heartbeat decode(byte[] data, int offset, int length) throws MalformedHeartbeatException {
        if (length < 4 + 1 + 4 || offset < 0 || offset + length > data.length) {
            throw new MalformedHeartbeatException("too short: " + length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, length);
        if (b.getInt() != MAGIC) {
            throw new MalformedHeartbeatException("not a heartbeat (bad magic)");
        }
        int version = b.get() & 0xff;
        if (version != VERSION) {
            throw new MalformedHeartbeatException("version " + version + " is not supported; this build reads "
                    + VERSION);
        }
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(data, offset + length - 4, 4).getInt()) {
            throw new MalformedHeartbeatException("checksum mismatch");
        }
        try {
            return body(b.limit(offset + length - 4));
        } catch (BufferUnderflowException e) {
            throw new MalformedHeartbeatException("truncated");
        } catch (IllegalArgumentException e) {
            throw new MalformedHeartbeatException("bad field: " + e.getMessage());
        }
    }

    private static Heartbeat body(ByteBuffer b) throws MalformedHeartbeatException {
        String node = readId(b);
        long sequence = b.getLong();
        long sentAt = b.getLong();
        int period = b.getInt();
        int queue = b.getInt();
        long in = b.getLong();
        long out = b.getLong();
        int count = b.getShort() & 0xffff;
        if (count > b.remaining() / 21) {
            throw new MalformedHeartbeatException("truncated");
        }
        InstanceStats[] instances = new InstanceStats[count];
        for (int i = 0; i < count; i++) {
            instances[i] = new InstanceStats(readId(b), b.getInt(), b.getInt(), b.getLong(), b.getFloat());
        }
        if (b.hasRemaining()) {
            throw new MalformedHeartbeatException(b.remaining() + " bytes after the last instance");
        }
        // List.of over the array: the record's List.copyOf then keeps it as it is instead of copying again.
        return new Heartbeat(node, sequence, sentAt, period, queue, in, out, List.of(instances));
    }

    private static byte[] id(String id) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_ID_BYTES) {
            throw new IllegalArgumentException("id longer than " + MAX_ID_BYTES + " bytes: " + id.substring(0, 40)
                    + "...");
        }
        return bytes;
    }

    private static String readId(ByteBuffer b) throws MalformedHeartbeatException {
        int length = b.get() & 0xff;
        if (length > b.remaining()) {
            throw new MalformedHeartbeatException("truncated");
        }
        byte[] array = b.array();
        int from = b.arrayOffset() + b.position();
        b.position(b.position() + length);
        boolean ascii = true;
        for (int i = from; i < from + length; i++) {
            ascii &= array[i] >= 0;
        }
        if (ascii) {
            // Ids are ASCII in practice: one copy straight from the datagram, no decoder on the controller's hot path.
            return new String(array, from, length, StandardCharsets.ISO_8859_1);
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(array, from, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedHeartbeatException("an id is not UTF-8");
        }
    }
}
