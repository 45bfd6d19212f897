package io.e3.agent.net;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * The data-plane wire format, big-endian:
 *
 * <pre>
 *  0  magic "E3DP"            4
 *  4  version (1)             1
 *  5  kind                    1   0 request, 1 response, 2 ack
 *  6  status                  1   {@link Frame.Status} ordinal
 *  7  reserved, 0             1
 *  8  source IPv4             4
 * 12  destination IPv4        4
 * 16  flow id                 4
 * 20  request id              8
 * 28  instance id length n    1   then n bytes of UTF-8
 *     payload length m        4   then m bytes (JSON)
 *     CRC-32C of all above    4
 * </pre>
 *
 * The switch reads the fixed header only ({@link #peekDestination}); endpoints decode and check everything.
 */
public final class FrameCodec {

    public static final int VERSION = 1;
    /** The largest UDP payload over IPv4. */
    public static final int MAX_DATAGRAM = 65_507;
    /**
     * The receive buffer every socket asks for: Vert.x uses it both as SO_RCVBUF and as the fixed size of the buffer
     * each read allocates, so it is one datagram's worth (larger wastes a zeroed allocation per datagram).
     */
    public static final int RECEIVE_BUFFER = 65_536;
    static final int MAGIC = 0x45334450; // "E3DP"
    static final int FIXED_HEADER = 28;
    static final int OVERHEAD = FIXED_HEADER + 1 + 4 + 4;
    /** The largest payload that fits with the longest instance id. */
    public static final int MAX_PAYLOAD = MAX_DATAGRAM - OVERHEAD - 255;

    private FrameCodec() {
    }

    public static byte[] encode(Frame f) {
        byte[] id = f.instance().getBytes(StandardCharsets.UTF_8);
        if (id.length > 255) {
            throw new IllegalArgumentException("instance id longer than 255 bytes: " + f.instance());
        }
        int size = OVERHEAD + id.length + f.payload().length;
        if (size > MAX_DATAGRAM) {
            throw new IllegalArgumentException("frame of " + size + " bytes exceeds a datagram's " + MAX_DATAGRAM);
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putInt(MAGIC).put((byte) VERSION).put((byte) f.kind().ordinal()).put((byte) f.status().ordinal()).put((byte) 0)
                .putInt(f.srcIp()).putInt(f.dstIp()).putInt(f.flowId()).putLong(f.requestId())
                .put((byte) id.length).put(id).putInt(f.payload().length).put(f.payload());
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, size - 4);
        b.putInt((int) crc.getValue());
        return b.array();
    }

    public static Frame decode(byte[] data, int offset, int length) throws MalformedFrameException {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("bad slice");
        }
        checkHeader(data, offset, length);
        ByteBuffer b = ByteBuffer.wrap(data, offset, length);
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length - 4);
        if ((int) crc.getValue() != b.getInt(offset + length - 4)) {
            throw new MalformedFrameException("checksum mismatch");
        }
        b.position(offset + 5);
        int kind = b.get() & 0xff;
        int status = b.get() & 0xff;
        b.get();
        if (kind >= Frame.Kind.VALUES.length) {
            throw new MalformedFrameException("unknown kind " + kind);
        }
        if (status >= Frame.Status.VALUES.length) {
            throw new MalformedFrameException("unknown status " + status);
        }
        int src = b.getInt();
        int dst = b.getInt();
        int flow = b.getInt();
        long requestId = b.getLong();
        int idLength = b.get() & 0xff;
        if (b.remaining() < idLength + 4 + 4) {
            throw new MalformedFrameException("instance id runs past the end");
        }
        byte[] id = new byte[idLength];
        b.get(id);
        int payloadLength = b.getInt();
        if (payloadLength < 0 || payloadLength != b.remaining() - 4) {
            throw new MalformedFrameException("payload length " + payloadLength + " does not match the datagram");
        }
        byte[] payload = new byte[payloadLength];
        b.get(payload);
        String instance;
        try {
            instance = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(id)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new MalformedFrameException("instance id is not valid UTF-8");
        }
        return new Frame(Frame.Kind.VALUES[kind], Frame.Status.VALUES[status], src, dst, flow, requestId, instance,
                payload);
    }

    /** Checks magic, version and minimum length: enough for the switch to route on the fixed header. */
    public static void checkHeader(byte[] data, int offset, int length) throws MalformedFrameException {
        if (length < OVERHEAD) {
            throw new MalformedFrameException("datagram of " + length + " bytes is shorter than a frame header");
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, length);
        if (b.getInt(offset) != MAGIC) {
            throw new MalformedFrameException("bad magic");
        }
        int version = data[offset + 4] & 0xff;
        if (version != VERSION) {
            throw new MalformedFrameException("unsupported version " + version);
        }
    }

    public static int peekSource(byte[] data, int offset) {
        return ByteBuffer.wrap(data).getInt(offset + 8);
    }

    public static int peekDestination(byte[] data, int offset) {
        return ByteBuffer.wrap(data).getInt(offset + 12);
    }

    public static int peekFlow(byte[] data, int offset) {
        return ByteBuffer.wrap(data).getInt(offset + 16);
    }

    /** The kind byte: 0 request, 1 response, 2 ack (unchecked). */
    public static int peekKind(byte[] data, int offset) {
        return data[offset + 5] & 0xff;
    }

    public static long peekRequestId(byte[] data, int offset) {
        return ByteBuffer.wrap(data).getLong(offset + 20);
    }
}
