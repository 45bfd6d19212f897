package io.e3.simulator;

import java.util.Arrays;

/**
 * Calls waiting for an instance that cannot take them yet: it is migrating, or its node died and failover has not yet
 * found it a replacement. One FIFO list per instance, linked through {@link Calls#next}, so holding allocates nothing.
 */
final class HeldCalls {

    private final Calls calls;
    private final int[] head;
    private final int[] tail;
    private final int[] count;

    HeldCalls(Calls calls, int instances) {
        this.calls = calls;
        head = new int[instances];
        tail = new int[instances];
        count = new int[instances];
        Arrays.fill(head, -1);
    }

    void hold(int inst, int c) {
        calls.next(c, -1);
        if (head[inst] < 0) {
            head[inst] = c;
        } else {
            calls.next(tail[inst], c);
        }
        tail[inst] = c;
        count[inst]++;
    }

    /** How many calls wait for {@code inst}. */
    int count(int inst) {
        return count[inst];
    }

    /** Takes every call held for {@code inst}: returns the first, the others follow through {@link Calls#next}. */
    int takeAll(int inst) {
        int first = head[inst];
        head[inst] = -1;
        count[inst] = 0;
        return first;
    }
}
