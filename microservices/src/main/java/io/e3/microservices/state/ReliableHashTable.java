package io.e3.microservices.state;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A reliable hash table (§5.3.1): string keys to byte values, part of a service's migratable state. Typed accessors
 * store numbers as big-endian bytes. Not thread-safe: an instance's requests run one at a time on its state.
 */
public final class ReliableHashTable {

    private final String name;
    /** Bytes an entry costs besides its key and value: map node, array headers (an estimate for memory caps). */
    static final int ENTRY_OVERHEAD_BYTES = 64;

    private final Map<String, byte[]> entries = new HashMap<>();
    private long bytes;

    ReliableHashTable(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    public Optional<byte[]> get(String key) {
        byte[] v = entries.get(key);
        return v == null ? Optional.empty() : Optional.of(v.clone());
    }

    public void put(String key, byte[] value) {
        store(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value").clone());
    }

    public boolean remove(String key) {
        byte[] old = entries.remove(key);
        if (old == null) {
            return false;
        }
        bytes -= cost(key, old);
        return true;
    }

    public boolean containsKey(String key) {
        return entries.containsKey(key);
    }

    public int size() {
        return entries.size();
    }

    /** The keys, unmodifiable, in no particular order. */
    public Set<String> keys() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public Optional<Double> getDouble(String key) {
        byte[] v = entries.get(key);
        return v == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(v).getDouble());
    }

    public void putDouble(String key, double value) {
        store(Objects.requireNonNull(key, "key"), ByteBuffer.allocate(Double.BYTES).putDouble(value).array());
    }

    public Optional<Long> getLong(String key) {
        byte[] v = entries.get(key);
        return v == null ? Optional.empty() : Optional.of(ByteBuffer.wrap(v).getLong());
    }

    public void putLong(String key, long value) {
        store(Objects.requireNonNull(key, "key"), ByteBuffer.allocate(Long.BYTES).putLong(value).array());
    }

    /** Several doubles under one key, e.g. a running mean and variance. */
    public Optional<double[]> getDoubles(String key) {
        byte[] v = entries.get(key);
        if (v == null) {
            return Optional.empty();
        }
        double[] out = new double[v.length / Double.BYTES];
        ByteBuffer.wrap(v).asDoubleBuffer().get(out);
        return Optional.of(out);
    }

    public void putDoubles(String key, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Double.BYTES);
        b.asDoubleBuffer().put(values);
        store(Objects.requireNonNull(key, "key"), b.array());
    }

    /** An estimate of the heap the table holds: keys (UTF-16), values and per-entry overhead. */
    public long byteSize() {
        return bytes;
    }

    /** Puts without copying; {@code value} must not be shared. */
    void store(String key, byte[] value) {
        byte[] old = entries.put(key, value);
        if (old != null) {
            bytes -= cost(key, old);
        }
        bytes += cost(key, value);
    }

    private static long cost(String key, byte[] value) {
        return 2L * key.length() + value.length + ENTRY_OVERHEAD_BYTES;
    }

    /** Read-only view for snapshots. */
    Map<String, byte[]> entries() {
        return entries;
    }

    boolean sameContent(ReliableHashTable other) {
        if (!name.equals(other.name) || entries.size() != other.entries.size()) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            if (!Arrays.equals(e.getValue(), other.entries.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
