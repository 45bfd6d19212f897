package io.e3.microservices.state;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * All the state of one stateful microservice instance (§5.3.1, §5.5): named hash tables and arrays. Because a service
 * keeps nothing outside them, the platform can migrate it by moving a {@link #snapshot()} and restoring it elsewhere.
 *
 * <p>Snapshot format, version {@value #FORMAT_VERSION}: magic {@code E3RC}, the version, the number of collections;
 * then each collection by name in order: a kind byte ({@code H} hash table, {@code A} array), its name, and its
 * content (entry count, then key (UTF-8) and value, each with an int length; or length, then the slots).
 * Big-endian throughout.
 */
public final class ReliableCollections {

    public static final int FORMAT_VERSION = 1;
    private static final int MAGIC = 0x45335243; // "E3RC"
    /** A snapshot claiming more entries than this is corrupt, not large. */
    private static final int MAX_ENTRIES = 1 << 26;

    private final Map<String, ReliableHashTable> tables = new TreeMap<>();
    private final Map<String, ReliableArray> arrays = new TreeMap<>();

    /** The hash table called {@code name}, created empty on first use. */
    public ReliableHashTable hashTable(String name) {
        if (arrays.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is an array, not a hash table");
        }
        return tables.computeIfAbsent(name, ReliableHashTable::new);
    }

    /** The array called {@code name}, created zeroed with {@code length} slots on first use. */
    public ReliableArray array(String name, int length) {
        if (tables.containsKey(name)) {
            throw new IllegalArgumentException("'" + name + "' is a hash table, not an array");
        }
        ReliableArray a = arrays.computeIfAbsent(name, n -> new ReliableArray(n, length));
        if (a.length() != length) {
            throw new IllegalArgumentException("array '" + name + "' has " + a.length() + " slots, not " + length);
        }
        return a;
    }

    /** An estimate of the heap all collections hold, for the node agent's memory cap. */
    public long byteSize() {
        long total = 0;
        for (ReliableHashTable t : tables.values()) {
            total += t.byteSize();
        }
        for (ReliableArray a : arrays.values()) {
            total += 8L * a.length();
        }
        return total;
    }

    /** The whole state as bytes, for migration. */
    public byte[] snapshot() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(MAGIC);
            out.writeInt(FORMAT_VERSION);
            out.writeInt(tables.size() + arrays.size());
            for (ReliableHashTable t : tables.values()) {
                out.writeByte('H');
                out.writeUTF(t.name());
                Map<String, byte[]> sorted = new TreeMap<>(t.entries());
                out.writeInt(sorted.size());
                for (Map.Entry<String, byte[]> e : sorted.entrySet()) {
                    writeKey(out, e.getKey());
                    out.writeInt(e.getValue().length);
                    out.write(e.getValue());
                }
            }
            for (ReliableArray a : arrays.values()) {
                out.writeByte('A');
                out.writeUTF(a.name());
                out.writeInt(a.length());
                for (long slot : a.slots()) {
                    out.writeLong(slot);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * The state a {@link #snapshot()} holds.
     *
     * @throws StateFormatException if the bytes are not a snapshot of a version this code reads
     */
    public static ReliableCollections restore(byte[] snapshot) throws StateFormatException {
        ReliableCollections state = new ReliableCollections();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
            if (in.readInt() != MAGIC) {
                throw new StateFormatException("not a state snapshot (bad magic)");
            }
            int version = in.readInt();
            if (version != FORMAT_VERSION) {
                throw new StateFormatException("snapshot format version " + version + " is not supported; this "
                        + "build reads version " + FORMAT_VERSION);
            }
            int collections = bounded(in.readInt(), "collection count");
            for (int c = 0; c < collections; c++) {
                int kind = in.readByte();
                String name = in.readUTF();
                if (kind == 'H') {
                    ReliableHashTable t = state.hashTable(name);
                    int n = bounded(in.readInt(), "entry count of " + name);
                    for (int i = 0; i < n; i++) {
                        String key = readKey(in, name);
                        byte[] value = new byte[bounded(in.readInt(), "value length in " + name)];
                        in.readFully(value);
                        t.store(key, value);
                    }
                } else if (kind == 'A') {
                    int length = in.readInt();
                    if (length < 1 || length > ReliableArray.MAX_LENGTH) {
                        throw new StateFormatException("array " + name + ": length " + length + " out of range");
                    }
                    long[] slots = state.array(name, length).slots();
                    for (int i = 0; i < length; i++) {
                        slots[i] = in.readLong();
                    }
                } else {
                    throw new StateFormatException("unknown collection kind " + kind + " for '" + name + "'");
                }
            }
            if (in.available() > 0) {
                throw new StateFormatException(in.available() + " bytes after the last collection");
            }
        } catch (java.io.EOFException e) {
            throw new StateFormatException("truncated snapshot: it ends before its content does");
        } catch (IOException e) {
            throw new StateFormatException("corrupt snapshot: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new StateFormatException("inconsistent snapshot: " + e.getMessage());
        }
        return state;
    }

    /** Keys are UTF-8 with an int length: {@code writeUTF} would refuse keys over 64 KiB. */
    private static void writeKey(DataOutputStream out, String key) throws IOException {
        byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readKey(DataInputStream in, String table) throws IOException, StateFormatException {
        byte[] bytes = new byte[bounded(in.readInt(), "key length in " + table)];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int bounded(int n, String what) throws StateFormatException {
        if (n < 0 || n > MAX_ENTRIES) {
            throw new StateFormatException(what + " " + n + " out of range");
        }
        return n;
    }

    /** Whether {@code other} holds exactly the same collections with the same content. */
    public boolean sameContent(ReliableCollections other) {
        if (!tables.keySet().equals(other.tables.keySet()) || !arrays.keySet().equals(other.arrays.keySet())) {
            return false;
        }
        return tables.values().stream().allMatch(t -> t.sameContent(other.tables.get(t.name())))
                && arrays.values().stream().allMatch(a -> a.sameContent(other.arrays.get(a.name())));
    }
}
