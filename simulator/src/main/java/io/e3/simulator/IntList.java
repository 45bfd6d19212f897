package io.e3.simulator;

import java.util.Arrays;

/** A growable list of {@code int}s without boxing, for the few per-node and per-instance lists that change. */
final class IntList {

    private int[] items = new int[4];
    private int size;

    int size() {
        return size;
    }

    int get(int i) {
        return items[i];
    }

    void add(int v) {
        if (size == items.length) {
            items = Arrays.copyOf(items, size * 2);
        }
        items[size++] = v;
    }

    boolean contains(int v) {
        for (int i = 0; i < size; i++) {
            if (items[i] == v) {
                return true;
            }
        }
        return false;
    }

    /** Removes the first occurrence of {@code v}, keeping the order of the others; false if absent. */
    boolean remove(int v) {
        for (int i = 0; i < size; i++) {
            if (items[i] == v) {
                System.arraycopy(items, i + 1, items, i, size - i - 1);
                size--;
                return true;
            }
        }
        return false;
    }

    void clear() {
        size = 0;
    }

    int[] toArray() {
        return Arrays.copyOf(items, size);
    }
}
