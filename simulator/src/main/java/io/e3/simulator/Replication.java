package io.e3.simulator;

import java.util.Arrays;

/**
 * Primary-backup replication on the data path, as the node agents do it ({@code Replication} and
 * {@code ExecutionEngine.submitReplicas} in the node agent; §5.4.5).
 *
 * <p>A serving instance with backups sends every request it runs to each of its backups whose node is alive, when the
 * request is admitted (the agents replicate as soon as the real code has run, not when the emulated core finishes).
 * Per backup one batch is in flight at a time: requests admitted meanwhile queue and go together in the next batch,
 * once the ack comes back, up to {@value #MAX_BATCH_BYTES} request bytes. A batch travels the fabric like a request
 * (its bytes are the sum of its requests' plus one frame), the backup's node admits each of its requests on its cores
 * with the service time of the service's type on that node's core class (busy time and modelled energy count on that
 * node; the requests are not counted as served by an instance), and once the last has finished the ack travels back
 * like a reply. The primary's call goes on (forwards downstream, or replies) only when its own core has finished and
 * every backup it was sent to has acknowledged it ({@link Engine#acknowledged}).
 *
 * <p>A backup whose node is dead is skipped when a request is admitted; a batch that reaches a dead node, or whose
 * backup or primary node dies before its ack is sent, is given up at once: its requests no longer wait for it, as the
 * agents release them when a batch fails. The backup of a stream is its key, so a backup that a promotion hands to a
 * new primary ({@link Relocations}) simply gets that primary's requests from then on.
 *
 * <p>The batch in flight is a {@link Calls call} (parent -1, instance the backup, node its node, caller the primary's
 * node); the requests queued or in flight are entries in a pool of primitive arrays with a free list, each the
 * primary's call, its epoch then (to recognise a call restarted or reused since) and its channel.
 */
final class Replication {

    /** The most request bytes in one batch, as in the agents. */
    static final int MAX_BATCH_BYTES = 48 * 1024;

    private final Engine engine;
    private final Calls calls;
    private final Fabric fabric;
    private final Workload workload;

    private int[] entryCall;
    private int[] entryEpoch;
    private int[] entryChannel;
    private int[] entryNext;
    private int freeEntry = -1;
    private int usedEntries;

    /**
     * Per backup instance: the primary it last had a request from, its queue of entries (head and tail), the batch in
     * flight (a call) and its entries.
     */
    private final int[] primary;
    private final int[] queueHead;
    private final int[] queueTail;
    private final int[] inFlight;
    private final int[] batch;
    /** Per backup instance: the batch that reached it while it was migrating, or -1. */
    private final int[] held;

    Replication(Engine engine) {
        this.engine = engine;
        this.calls = engine.calls;
        this.fabric = engine.fabric;
        this.workload = engine.workload;
        int capacity = 1 << 10;
        entryCall = new int[capacity];
        entryEpoch = new int[capacity];
        entryChannel = new int[capacity];
        entryNext = new int[capacity];
        int n = workload.instances();
        primary = new int[n];
        queueHead = new int[n];
        queueTail = new int[n];
        inFlight = new int[n];
        batch = new int[n];
        held = new int[n];
        Arrays.fill(held, -1);
        Arrays.fill(queueHead, -1);
        Arrays.fill(inFlight, -1);
        Arrays.fill(batch, -1);
    }

    /**
     * Serving instance {@code inst} has admitted call {@code c}: queues it for each backup on a live node and sends a
     * batch to each backup that has none in flight; returns how many acknowledgements {@code c} waits for.
     */
    int replicate(int c, int inst, long t) {
        IntList backups = workload.backups[inst];
        int count = 0;
        for (int k = 0; k < backups.size(); k++) {
            int b = backups.get(k);
            if (fabric.dead[workload.instanceNode[b]]) {
                continue; // the agents skip a backup they cannot reach
            }
            enqueue(b, inst, c);
            count++;
            if (inFlight[b] < 0) {
                send(b, t);
            }
        }
        return count;
    }

    private void enqueue(int b, int inst, int c) {
        primary[b] = inst;
        int e = allocate();
        entryCall[e] = c;
        entryEpoch[e] = calls.epoch(c);
        entryChannel[e] = calls.channel(c);
        entryNext[e] = -1;
        if (queueHead[b] < 0) {
            queueHead[b] = e;
        } else {
            entryNext[queueTail[b]] = e;
        }
        queueTail[b] = e;
    }

    /** Sends backup {@code b} the next batch: the longest prefix of its queue within the byte limit (at least one). */
    private void send(int b, long t) {
        int first = queueHead[b];
        int bytes = 0;
        int last = -1;
        int e = first;
        while (e >= 0) {
            int size = workload.requestBytes[entryChannel[e]];
            if (last >= 0 && bytes + size > MAX_BATCH_BYTES) {
                break;
            }
            bytes += size;
            last = e;
            e = entryNext[e];
        }
        queueHead[b] = e;
        entryNext[last] = -1;
        int from = workload.instanceNode[primary[b]];
        int to = workload.instanceNode[b];
        int r = calls.allocate();
        calls.init(r, -1, -1, b, from, primary[b], t); // the key names the primary, for the flow

        calls.node(r, to);
        inFlight[b] = r;
        batch[b] = first;
        engine.travel(r, from, to, bytes + engine.overheadBytes, t, Engine.REPLICA_AT_TM, Engine.REPLICA_AT_NODE,
                flow(r));
    }

    private long flow(int r) {
        return Hashing.flow((int) calls.key(r), calls.instance(r), 0);
    }

    /** Batch {@code r} reached its backup's node: admits each of its requests on the node's cores. */
    void arrived(int r, long t) {
        int n = calls.node(r);
        if (fabric.dead[n]) {
            finish(r, t);
            return;
        }
        int b = calls.instance(r);
        if (engine.migrating[b]) {
            held[b] = r; // it is being drained: the batch waits for it at its destination
            return;
        }
        if (workload.instanceNode[b] != n) {
            moveOn(r, n, t); // it moved while the batch travelled: the old node passes it on
            return;
        }
        boolean wimpy = fabric.wimpy[n];
        boolean measured = t >= engine.warmupNanos;
        long last = t;
        for (int e = batch[b]; e >= 0; e = entryNext[e]) {
            int ch = entryChannel[e];
            long service = workload.serviceNanos(ch, wimpy);
            long end = fabric.admit(n, t, service);
            engine.windows.admitted(b, service, end - t, end);
            if (measured) {
                fabric.busyNanos[n] += service;
                engine.activeJoules[n] += workload.joules(ch, wimpy);
            }
            last = Math.max(last, end);
        }
        engine.schedule(last, Engine.REPLICA_DONE, r);
    }

    /**
     * Instance {@code inst} has moved from node {@code from}: a batch held for it goes on to its new node (from its
     * primary's node if the old one died meanwhile).
     */
    void moved(int inst, int from, long t) {
        int r = held[inst];
        if (r >= 0) {
            held[inst] = -1;
            moveOn(r, fabric.dead[from] ? calls.from(r) : from, t);
        }
    }

    private void moveOn(int r, int from, long t) {
        int to = workload.instanceNode[calls.instance(r)];
        calls.node(r, to);
        engine.travel(r, from, to, calls.bytes(r), t, Engine.REPLICA_AT_TM, Engine.REPLICA_AT_NODE, flow(r));
    }

    /** The backup has run every request of batch {@code r}: the ack goes back to the primary's node. */
    void applied(int r, long t) {
        if (fabric.dead[calls.node(r)]) {
            finish(r, t);
            return;
        }
        sendAck(r, t);
    }

    private void sendAck(int r, long t) {
        engine.travel(r, calls.node(r), calls.from(r), engine.replyBytes, t, Engine.ACK_AT_TM, Engine.ACK_AT_NODE,
                flow(r));
    }

    /** A traffic manager dropped batch {@code r}: the primary's node sends it again, unless it died. */
    void resend(int r, long t) {
        int from = calls.from(r);
        if (fabric.dead[from]) {
            finish(r, t);
            return;
        }
        moveOn(r, from, t);
    }

    /** A traffic manager dropped the ack of batch {@code r}: the backup's node sends it again, unless it died. */
    void resendAck(int r, long t) {
        if (fabric.dead[calls.node(r)]) {
            finish(r, t);
        } else {
            sendAck(r, t);
        }
    }

    /**
     * Batch {@code r} is acknowledged, or given up: each of its requests stops waiting for it, and the backup's next
     * batch goes out; if the backup's node died or it now serves (promoted), its queue is released instead.
     */
    void finish(int r, long t) {
        int b = calls.instance(r);
        int from = calls.from(r);
        boolean ok = !fabric.dead[calls.node(r)] && !fabric.dead[from];
        int e = batch[b];
        batch[b] = -1;
        inFlight[b] = -1;
        calls.release(r);
        release(e, t);
        if (queueHead[b] < 0 || inFlight[b] >= 0) {
            return; // nothing queued, or a request released above was forwarded and started the next batch itself
        }
        if (ok && !workload.isServing[b]) {
            send(b, t);
        } else {
            int q = queueHead[b];
            queueHead[b] = -1;
            release(q, t);
        }
    }

    /** Frees the entries of list {@code e}; each call still current is told its ack came. */
    private void release(int e, long t) {
        while (e >= 0) {
            int next = entryNext[e];
            int c = entryCall[e];
            if (calls.epoch(c) == entryEpoch[e]) {
                engine.acknowledged(c, t);
            }
            entryNext[e] = freeEntry;
            freeEntry = e;
            e = next;
        }
    }

    private int allocate() {
        if (freeEntry >= 0) {
            int e = freeEntry;
            freeEntry = entryNext[e];
            return e;
        }
        if (usedEntries == entryCall.length) {
            int n = usedEntries * 2;
            entryCall = Arrays.copyOf(entryCall, n);
            entryEpoch = Arrays.copyOf(entryEpoch, n);
            entryChannel = Arrays.copyOf(entryChannel, n);
            entryNext = Arrays.copyOf(entryNext, n);
        }
        return usedEntries++;
    }
}
