package io.e3.microservices.services.sql;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Rows as compact bytes, and primary-key values as hash-table keys.
 *
 * <p>Row format: a null bitmap of ceil(n / 8) bytes (bit i set: column i is NULL), then each non-null column in order:
 * BIGINT and INT as a zig-zag varint, DOUBLE as 8 big-endian bytes, VARCHAR as a varint byte length and UTF-8, BOOLEAN
 * as one byte. Key format: the decimal integer, {@link Double#toString} with -0.0 written as 0.0 (they are equal in
 * SQL), the string itself, or {@code true}/{@code false}.
 */
final class RowCodec {

    private RowCodec() {
    }

    static byte[] encode(TableSchema schema, Object[] row) {
        int n = schema.size();
        byte[] buf = new byte[64];
        int pos = (n + 7) >>> 3;
        buf = ensure(buf, pos);
        for (int i = 0; i < n; i++) {
            Object v = row[i];
            if (v == null) {
                buf[i >>> 3] |= (byte) (1 << (i & 7));
                continue;
            }
            switch (schema.column(i).type()) {
                case BIGINT, INT -> {
                    buf = ensure(buf, pos + 10);
                    pos = putVarint(buf, pos, zigzag((Long) v));
                }
                case DOUBLE -> {
                    buf = ensure(buf, pos + 8);
                    long bits = Double.doubleToRawLongBits((Double) v);
                    for (int b = 7; b >= 0; b--) {
                        buf[pos++] = (byte) (bits >>> (8 * b));
                    }
                }
                case VARCHAR -> {
                    byte[] utf8 = ((String) v).getBytes(StandardCharsets.UTF_8);
                    buf = ensure(buf, pos + 5 + utf8.length);
                    pos = putVarint(buf, pos, utf8.length);
                    System.arraycopy(utf8, 0, buf, pos, utf8.length);
                    pos += utf8.length;
                }
                case BOOLEAN -> {
                    buf = ensure(buf, pos + 1);
                    buf[pos++] = (byte) ((Boolean) v ? 1 : 0);
                }
            }
        }
        return Arrays.copyOf(buf, pos);
    }

    static Object[] decode(TableSchema schema, byte[] bytes) {
        return decode(schema, bytes, null);
    }

    /** Decodes the columns {@code needed} marks (all when null); the others are left null, saving string decoding. */
    static Object[] decode(TableSchema schema, byte[] bytes, boolean[] needed) {
        int n = schema.size();
        Object[] row = new Object[n];
        int[] pos = {(n + 7) >>> 3};
        for (int i = 0; i < n; i++) {
            if ((bytes[i >>> 3] & (1 << (i & 7))) != 0) {
                continue;
            }
            row[i] = switch (schema.column(i).type()) {
                case BIGINT, INT -> unzigzag(varint(bytes, pos));
                case DOUBLE -> {
                    long bits = 0;
                    for (int b = 0; b < 8; b++) {
                        bits = (bits << 8) | (bytes[pos[0]++] & 0xff);
                    }
                    yield Double.longBitsToDouble(bits);
                }
                case VARCHAR -> {
                    int length = (int) varint(bytes, pos);
                    String s = needed == null || needed[i] ? new String(bytes, pos[0], length, StandardCharsets.UTF_8)
                            : null;
                    pos[0] += length;
                    yield s;
                }
                case BOOLEAN -> bytes[pos[0]++] != 0;
            };
        }
        return row;
    }

    /** The hash-table key of a stored primary-key value. */
    static String key(Object pk) {
        if (pk instanceof Double d) {
            return d == 0 ? "0.0" : Double.toString(d);
        }
        return pk.toString();
    }

    /**
     * The key of the row whose primary key (of type {@code pkType}) equals {@code value} under SQL comparison, or
     * null when no value of that type can equal it (NULL, 2.5 for an integer key, 2^53 + 1 for a DOUBLE key).
     */
    static String keyFor(ColumnType pkType, Object value) {
        if (value == null) {
            return null;
        }
        switch (pkType.sqlType) {
            case INTEGER -> {
                if (value instanceof Long l) {
                    return l.toString();
                }
                double d = (Double) value;
                return d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63 ? Long.toString((long) d) : null;
            }
            case DOUBLE -> {
                if (value instanceof Double d) {
                    return key(d);
                }
                long l = (Long) value;
                return Values.compareLongDouble(l, (double) l) == 0 ? key((double) l) : null;
            }
            default -> {
                return SqlType.of(value) == pkType.sqlType ? value.toString() : null;
            }
        }
    }

    private static byte[] ensure(byte[] buf, int size) {
        return size <= buf.length ? buf : Arrays.copyOf(buf, Math.max(size, buf.length * 2));
    }

    private static long zigzag(long v) {
        return (v << 1) ^ (v >> 63);
    }

    private static long unzigzag(long v) {
        return (v >>> 1) ^ -(v & 1);
    }

    private static int putVarint(byte[] buf, int pos, long v) {
        while ((v & ~0x7fL) != 0) {
            buf[pos++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        buf[pos++] = (byte) v;
        return pos;
    }

    private static long varint(byte[] bytes, int[] pos) {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = bytes[pos[0]++];
            v |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return v;
            }
        }
    }
}
