package io.e3.simulator;

import java.util.Arrays;

/**
 * The future event list: a 4-ary min-heap of event times in nanoseconds with an {@code int} payload each, in two
 * parallel primitive arrays. Adding and removing allocate nothing once the arrays have grown to the largest number of
 * pending events. Events with equal times come out in an order fixed by the sequence of operations, so a run is
 * deterministic. Not thread-safe.
 */
final class EventQueue {

    private long[] times;
    private int[] payloads;
    private int size;

    EventQueue(int initialCapacity) {
        times = new long[Math.max(16, initialCapacity)];
        payloads = new int[times.length];
    }

    int size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Adds an event at {@code time} carrying {@code payload}. */
    void add(long time, int payload) {
        if (size == times.length) {
            times = Arrays.copyOf(times, size * 2);
            payloads = Arrays.copyOf(payloads, size * 2);
        }
        int i = size++;
        while (i > 0) {
            int parent = (i - 1) >>> 2;
            if (times[parent] <= time) {
                break;
            }
            move(parent, i);
            i = parent;
        }
        times[i] = time;
        payloads[i] = payload;
    }

    private void move(int from, int to) {
        times[to] = times[from];
        payloads[to] = payloads[from];
    }

    /** The earliest event's time; the queue must not be empty. */
    long peekTime() {
        return times[0];
    }

    /** The earliest event's payload; the queue must not be empty. */
    int peekPayload() {
        return payloads[0];
    }

    /** Removes the earliest event. */
    void poll() {
        int last = --size;
        if (last == 0) {
            return;
        }
        long t = times[last];
        int p = payloads[last];
        int i = 0;
        while (true) {
            int first = 4 * i + 1;
            if (first >= last) {
                break;
            }
            int end = Math.min(first + 4, last);
            int min = first;
            long mt = times[first];
            for (int c = first + 1; c < end; c++) {
                if (times[c] < mt) {
                    mt = times[c];
                    min = c;
                }
            }
            if (mt >= t) {
                break;
            }
            move(min, i);
            i = min;
        }
        times[i] = t;
        payloads[i] = p;
    }
}
