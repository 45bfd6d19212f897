package io.e3.model.telemetry;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The object decode as it was before {@link HeartbeatView}: {@link ByteBuffer} reads, field ranges checked by the
 * records' constructors. {@link HeartbeatViewTest} holds the codec to it: the same datagrams accepted, the same
 * heartbeats out of them.
 */
final class ByteBufferHeartbeatDecoder {

    private static final int MAGIC = 0x45334842; // "E3HB"

    private ByteBufferHeartbeatDecoder() {
    }

    static Heartbeat decode(byte[] data, int offset, int length) throws MalformedHeartbeatException {
        if (length < 4 + 1 + HeartbeatMac.TAG_BYTES + 4 || offset < 0 || offset + length > data.length) {
            throw new MalformedHeartbeatException("too short: " + length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(data, offset, length);
        if (b.getInt() != MAGIC) {
            throw new MalformedHeartbeatException("not a heartbeat (bad magic)");
        }
        int version = b.get() & 0xff;
        if (version != HeartbeatCodec.VERSION) {
            throw new MalformedHeartbeatException("version " + version + " is not supported; this build reads "
                    + HeartbeatCodec.VERSION);
        }
        CRC32C crc = new CRC32C();
        crc.update(data, offset, length - 4);
        if ((int) crc.getValue() != ByteBuffer.wrap(data, offset + length - 4, 4).getInt()) {
            throw new MalformedHeartbeatException("checksum mismatch");
        }
        try {
            return body(b.limit(offset + length - 4 - HeartbeatMac.TAG_BYTES));
        } catch (BufferUnderflowException e) {
            throw new MalformedHeartbeatException("truncated");
        } catch (IllegalArgumentException e) {
            throw new MalformedHeartbeatException("bad field: " + e.getMessage());
        }
    }

    private static Heartbeat body(ByteBuffer b) throws MalformedHeartbeatException {
        String node = readId(b);
        if (b.getLong() < 0) {
            throw new MalformedHeartbeatException("bad field: epoch");
        }
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
        return new Heartbeat(node, sequence, sentAt, period, queue, in, out, List.of(instances));
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
