package io.e3.simulator;

import java.util.Arrays;

/**
 * Every call in flight, pooled in two primitive arrays indexed by call number: a client request is the root call, and
 * each request an instance sends on a channel is a call whose parent is the call it serves. A call's {@code int}
 * fields sit side by side in one array and its {@code long} fields in another, so one call is one or two cache lines
 * and the pool grows by copying two arrays. Numbers are reused through a free list, so a run allocates only when more
 * calls are in flight than ever before.
 *
 * <p>A call's epoch changes whenever it is freed or restarted (its node died); a child remembers its parent's epoch,
 * so a reply to a call that has since been restarted or reused is recognised and dropped.
 *
 * <p>A replication batch travelling from a primary to one of its backups and back is a call too (parent -1, its
 * instance the backup), so it uses the same fabric code; see {@link Replication}.
 */
final class Calls {

    private static final int PARENT = 0;
    private static final int PARENT_EPOCH = 1;
    private static final int EPOCH = 2;
    private static final int CHANNEL = 3;
    private static final int INSTANCE = 4;
    private static final int NODE = 5;
    private static final int FROM = 6;
    private static final int PENDING = 7;
    private static final int PORT = 8;
    private static final int NEXT = 9;
    private static final int WAIT = 10;
    private static final int BYTES = 11;
    private static final int INTS = 12;
    private static final int KEY = 0;
    private static final int START = 1;
    private static final int LONGS = 2;

    private int[] ints;
    private long[] longs;
    private int free = -1;
    private int used;
    private int live;

    Calls(int capacity) {
        ints = new int[capacity * INTS];
        longs = new long[capacity * LONGS];
    }

    /** A fresh call number; its fields other than the epoch are to be set by the caller. */
    int allocate() {
        live++;
        if (free >= 0) {
            int c = free;
            free = ints[c * INTS + NEXT];
            return c;
        }
        if (used * INTS == ints.length) {
            ints = Arrays.copyOf(ints, ints.length * 2);
            longs = Arrays.copyOf(longs, longs.length * 2);
        }
        return used++;
    }

    /** Gives call {@code c} back; replies addressed to it are dropped from now on. */
    void release(int c) {
        live--;
        ints[c * INTS + EPOCH]++;
        ints[c * INTS + NEXT] = free;
        free = c;
    }

    /** Calls in flight. */
    int live() {
        return live;
    }

    /** Sets up call {@code c}: sent on {@code channel} to {@code instance} by node {@code from} for {@code parent}. */
    void init(int c, int parent, int channel, int instance, int from, long key, long start) {
        int b = c * INTS;
        ints[b + PARENT] = parent;
        ints[b + PARENT_EPOCH] = parent < 0 ? 0 : ints[parent * INTS + EPOCH];
        ints[b + CHANNEL] = channel;
        ints[b + INSTANCE] = instance;
        ints[b + FROM] = from;
        ints[b + PENDING] = 0;
        longs[c * LONGS + KEY] = key;
        longs[c * LONGS + START] = start;
    }

    /** Whether {@code c}'s parent is still the call that sent it (not restarted or reused since). */
    boolean parentCurrent(int c) {
        int p = ints[c * INTS + PARENT];
        return p < 0 || ints[p * INTS + EPOCH] == ints[c * INTS + PARENT_EPOCH];
    }

    /** Call {@code c} starts over: replies from the children it had sent are no longer awaited. */
    void restart(int c) {
        ints[c * INTS + EPOCH]++;
        ints[c * INTS + PENDING] = 0;
    }

    int parent(int c) {
        return ints[c * INTS + PARENT];
    }

    int channel(int c) {
        return ints[c * INTS + CHANNEL];
    }

    int instance(int c) {
        return ints[c * INTS + INSTANCE];
    }

    void instance(int c, int instance) {
        ints[c * INTS + INSTANCE] = instance;
    }

    /** The node the call was sent to, and runs on. */
    int node(int c) {
        return ints[c * INTS + NODE];
    }

    void node(int c, int node) {
        ints[c * INTS + NODE] = node;
    }

    /** The node of the caller, {@link Fabric#CLIENT} for a root call. */
    int from(int c) {
        return ints[c * INTS + FROM];
    }

    void pending(int c, int count) {
        ints[c * INTS + PENDING] = count;
    }

    /** One reply fewer awaited; returns how many are still awaited. */
    int replied(int c) {
        return --ints[c * INTS + PENDING];
    }

    /** Its epoch, to tell later whether {@code c} is still the same call (not restarted or reused since). */
    int epoch(int c) {
        return ints[c * INTS + EPOCH];
    }

    /** Call {@code c} waits for {@code count} things before it goes on: its core, and each backup's acknowledgement. */
    void waiting(int c, int count) {
        ints[c * INTS + WAIT] = count;
    }

    /** One thing fewer awaited; returns how many are still awaited. */
    int waited(int c) {
        return --ints[c * INTS + WAIT];
    }

    /** Payload and frame bytes of the message the call has on the fabric now. */
    int bytes(int c) {
        return ints[c * INTS + BYTES];
    }

    void bytes(int c, int bytes) {
        ints[c * INTS + BYTES] = bytes;
    }

    /** The SmartNIC port whose traffic manager the call's current message passes. */
    int port(int c) {
        return ints[c * INTS + PORT];
    }

    void port(int c, int port) {
        ints[c * INTS + PORT] = port;
    }

    /** The next call in the list (of held calls) {@code c} is on, -1 at the end. */
    int next(int c) {
        return ints[c * INTS + NEXT];
    }

    void next(int c, int next) {
        ints[c * INTS + NEXT] = next;
    }

    /** The request key, shared by all calls of one client request. */
    long key(int c) {
        return longs[c * LONGS + KEY];
    }

    /** Root: the intended arrival time; other calls: when they were sent. */
    long start(int c) {
        return longs[c * LONGS + START];
    }
}
