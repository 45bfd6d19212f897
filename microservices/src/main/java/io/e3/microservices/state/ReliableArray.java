package io.e3.microservices.state;

import java.util.Arrays;

/**
 * A reliable array (§5.3.1): a fixed number of 64-bit slots, part of a service's migratable state; bitmaps, counters
 * and sketches live in these. Not thread-safe, like {@link ReliableHashTable}.
 */
public final class ReliableArray {

    /** 2^24 slots (128 MiB): more than any service here needs, and a bound on what a snapshot may claim. */
    public static final int MAX_LENGTH = 1 << 24;

    private final String name;
    private final long[] slots;

    ReliableArray(String name, int length) {
        if (length < 1 || length > MAX_LENGTH) {
            throw new IllegalArgumentException(name + ": length must be in [1, " + MAX_LENGTH + "], got " + length);
        }
        this.name = name;
        this.slots = new long[length];
    }

    public String name() {
        return name;
    }

    public int length() {
        return slots.length;
    }

    public long get(int index) {
        return slots[index];
    }

    public void set(int index, long value) {
        slots[index] = value;
    }

    /** Adds {@code delta} to slot {@code index} and returns the new value. */
    public long add(int index, long delta) {
        return slots[index] += delta;
    }

    /** Sets bit {@code bit}; returns whether it was clear before. */
    public boolean setBit(long bit) {
        int slot = (int) (bit >>> 6);
        long mask = 1L << (bit & 63);
        boolean wasClear = (slots[slot] & mask) == 0;
        slots[slot] |= mask;
        return wasClear;
    }

    long[] slots() {
        return slots;
    }

    boolean sameContent(ReliableArray other) {
        return name.equals(other.name) && Arrays.equals(slots, other.slots);
    }
}
