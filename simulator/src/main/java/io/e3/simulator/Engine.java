package io.e3.simulator;

/**
 * The event loop and the data path: requests travel along the apps' channels, run on the nodes' cores, fan out to
 * the next services and return their replies, as the node agents' forwarder does (docs/node-agent.md, "Requests along a
 * DAG"): an instance that has run a request sends it on every channel out of its service (one instance per channel,
 * every instance for a broadcast channel), waits for all their replies, then replies to its caller. A serving instance
 * with backups also sends the request to each of them as soon as it is admitted ({@link Replication}), and goes on
 * only once both its core has finished it and every backup has acknowledged it.
 *
 * <p>An event is a time and an {@code int}: the event kind in the low {@value #KIND_BITS} bits, a number (a call, a
 * failure, a migration; below 2^26) above. Handling one allocates nothing on the data path.
 *
 * <p>A message between nodes costs: nothing on the same node (an in-memory queue); the PCIe latency between a host and
 * its own SmartNIC; otherwise the sender's link (serialisation at its bandwidth) and the one-way latency of the hop
 * class, and for a host behind SmartNICs a pass through the traffic manager of the port ECMP picks, then PCIe.
 */
final class Engine {

    static final int KIND_BITS = 5;
    static final int ARRIVAL = 0;
    static final int REQUEST_AT_TM = 1;
    static final int REQUEST_AT_NODE = 2;
    static final int DONE = 3;
    static final int REPLY_AT_TM = 4;
    static final int REPLY_AT_NODE = 5;
    static final int REPLY_AT_CLIENT = 6;
    static final int RESEND_REQUEST = 7;
    static final int RESEND_REPLY = 8;
    static final int HEARTBEAT = 9;
    static final int FAILURE = 10;
    static final int LOAD_STEP = 11;
    static final int MIGRATED = 12;
    static final int PROGRESS = 13;
    static final int REPLICA_AT_TM = 14;
    static final int REPLICA_AT_NODE = 15;
    static final int REPLICA_DONE = 16;
    static final int ACK_AT_TM = 17;
    static final int ACK_AT_NODE = 18;
    static final int RESEND_REPLICA = 19;
    static final int RESEND_ACK = 20;

    /** Per traffic-manager event kind: the kind of the message's arrival at the host behind, and of its resending. */
    private static final int[] AFTER_TM = new int[ACK_AT_TM + 1];
    private static final int[] RESEND = new int[ACK_AT_TM + 1];

    static {
        AFTER_TM[REQUEST_AT_TM] = REQUEST_AT_NODE;
        AFTER_TM[REPLY_AT_TM] = REPLY_AT_NODE;
        AFTER_TM[REPLICA_AT_TM] = REPLICA_AT_NODE;
        AFTER_TM[ACK_AT_TM] = ACK_AT_NODE;
        RESEND[REQUEST_AT_TM] = RESEND_REQUEST;
        RESEND[REPLY_AT_TM] = RESEND_REPLY;
        RESEND[REPLICA_AT_TM] = RESEND_REPLICA;
        RESEND[ACK_AT_TM] = RESEND_ACK;
    }

    final EventQueue queue = new EventQueue(1 << 12);
    final Fabric fabric;
    final Workload workload;
    final Calls calls = new Calls(1 << 12);
    final InstanceWindows windows;
    final long warmupNanos;
    final long endNanos;
    final int overheadBytes;
    final int replyBytes;
    private final long retransmitNanos;
    /** Per node: modelled active joules spent in the measured window. */
    final double[] activeJoules;
    /** Calls waiting for a migration or a failover to finish. */
    final HeldCalls held;
    final boolean[] migrating;
    /** Primary-backup replication; null when the configuration turns it off. */
    final Replication replication;
    private EngineHandlers handlers;
    long events;
    long retransmissions;

    Engine(Fabric fabric, Workload workload, SimulationConfig config) {
        this.fabric = fabric;
        this.workload = workload;
        this.windows = new InstanceWindows(workload.instances());
        this.warmupNanos = Math.round(config.warmupSeconds() * 1e9);
        this.endNanos = Math.round(config.durationSeconds() * 1e9);
        this.overheadBytes = config.fabric().frameOverheadBytes();
        this.replyBytes = config.fabric().replyBytes() + overheadBytes;
        this.retransmitNanos = Math.round(config.fabric().retransmitMillis() * 1e6);
        activeJoules = new double[fabric.size()];
        int n = workload.instances();
        held = new HeldCalls(calls, n);
        migrating = new boolean[n];
        replication = config.replication() ? new Replication(this) : null;
    }

    void handlers(EngineHandlers h) {
        this.handlers = h;
    }

    void schedule(long time, int kind, int index) {
        queue.add(time, index << KIND_BITS | kind);
    }

    /** Runs events until the queue is empty or the next one is past the end. */
    void run() {
        EventQueue q = queue;
        while (!q.isEmpty()) {
            long t = q.peekTime();
            if (t > endNanos) {
                break;
            }
            int payload = q.peekPayload();
            q.poll();
            events++;
            dispatch(payload & ((1 << KIND_BITS) - 1), payload >>> KIND_BITS, t);
        }
    }

    private void dispatch(int kind, int i, long t) {
        switch (kind) {
            case ARRIVAL -> handlers.arrival(t);
            case REQUEST_AT_TM, REPLY_AT_TM, REPLICA_AT_TM, ACK_AT_TM -> throughTrafficManager(i, t, kind);
            case REQUEST_AT_NODE -> requestArrived(i, t);
            case DONE -> done(i, t);
            case REPLY_AT_NODE -> replyArrived(i, t);
            case REPLY_AT_CLIENT -> {
                handlers.completed(i, t);
                calls.release(i);
            }
            case RESEND_REQUEST -> resendRequest(i, t);
            case RESEND_REPLY -> resendReply(i, t);
            case HEARTBEAT -> handlers.heartbeat(t);
            case FAILURE -> handlers.failure(i, t);
            case LOAD_STEP -> handlers.loadStep(i, t);
            case MIGRATED -> handlers.migrated(i, t);
            case PROGRESS -> handlers.progress(t);
            case REPLICA_AT_NODE -> replication.arrived(i, t);
            case REPLICA_DONE -> replication.applied(i, t);
            case ACK_AT_NODE -> replication.finish(i, t);
            case RESEND_REPLICA -> replication.resend(i, t);
            case RESEND_ACK -> replication.resendAck(i, t);
            default -> throw new IllegalStateException("unknown event kind " + kind);
        }
    }

    // ---- requests ----

    /** Sends call {@code c}'s request from node {@code from} (or the client) to where its instance runs now. */
    void sendRequest(int c, int from, long t) {
        int inst = calls.instance(c);
        int to = workload.instanceNode[inst];
        calls.node(c, to);
        int p = calls.parent(c);
        long flow = Hashing.flow(p < 0 ? -1 : calls.instance(p), inst, calls.key(c));
        travel(c, from, to, workload.requestBytes[calls.channel(c)] + overheadBytes, t, REQUEST_AT_TM,
                REQUEST_AT_NODE, flow);
    }

    private void requestArrived(int c, long t) {
        int n = calls.node(c);
        int inst = calls.instance(c);
        if (fabric.dead[n]) {
            lost(c, t);
            return;
        }
        if (workload.instanceNode[inst] != n) {
            sendRequest(c, n, t); // it moved while the request travelled: the old node passes it on
            return;
        }
        if (migrating[inst]) {
            held.hold(inst, c);
            return;
        }
        int ch = calls.channel(c);
        boolean wimpy = fabric.wimpy[n];
        long service = workload.serviceNanos(ch, wimpy);
        long end = fabric.admit(n, t, service);
        windows.admitted(inst, service, end - t, end);
        if (t >= warmupNanos) {
            fabric.busyNanos[n] += service;
            windows.served[inst]++;
            activeJoules[n] += workload.joules(ch, wimpy);
        }
        int wait = 1;
        if (replication != null && workload.backups[inst].size() > 0) {
            wait += replication.replicate(c, inst, t);
        }
        calls.waiting(c, wait);
        schedule(end, DONE, c);
    }

    /** Call {@code c}'s core has finished it: it goes on unless a backup has yet to acknowledge it. */
    private void done(int c, long t) {
        int n = calls.node(c);
        if (fabric.dead[n]) {
            lost(c, t);
            return;
        }
        if (calls.waited(c) == 0) {
            forward(c, n, t);
        }
    }

    /** A backup has acknowledged call {@code c} (or was given up): it goes on if its core has finished it too. */
    void acknowledged(int c, long t) {
        if (calls.waited(c) == 0) {
            int n = calls.node(c);
            if (fabric.dead[n]) {
                lost(c, t);
            } else {
                forward(c, n, t);
            }
        }
    }

    /** Call {@code c} has run on node {@code n}: sends it on every channel out of its service, or replies. */
    private void forward(int c, int n, long t) {
        Workload w = workload;
        int[] out = w.channelsFrom[w.instanceService[calls.instance(c)]];
        int count = 0;
        for (int ch : out) {
            count += w.routing[ch] == Workload.BROADCAST ? w.serving[w.channelTo[ch]].length : 1;
        }
        calls.pending(c, count);
        if (count == 0) {
            sendReply(c, t);
            return;
        }
        for (int ch : out) {
            if (w.routing[ch] == Workload.BROADCAST) {
                for (int target : w.serving[w.channelTo[ch]]) {
                    spawn(c, ch, target, n, t);
                }
            } else {
                spawn(c, ch, w.choose(ch, calls.key(c)), n, t);
            }
        }
    }

    private void spawn(int parent, int channel, int instance, int node, long t) {
        int k = calls.allocate();
        calls.init(k, parent, channel, instance, node, calls.key(parent), t);
        sendRequest(k, node, t);
    }

    // ---- replies ----

    private void sendReply(int c, long t) {
        int to = calls.from(c);
        int p = calls.parent(c);
        long flow = Hashing.flow(calls.instance(c), p < 0 ? -1 : calls.instance(p), calls.key(c));
        travel(c, calls.node(c), to, replyBytes, t, REPLY_AT_TM, to == Fabric.CLIENT ? REPLY_AT_CLIENT : REPLY_AT_NODE,
                flow);
    }

    private void replyArrived(int c, long t) {
        if (!calls.parentCurrent(c)) {
            calls.release(c);
            return;
        }
        int p = calls.parent(c);
        if (fabric.dead[calls.node(p)]) {
            callerDied(c, t);
            return;
        }
        calls.release(c);
        if (calls.replied(p) == 0) {
            sendReply(p, t);
        }
    }

    // ---- the fabric ----

    /**
     * Sends call {@code c}'s current message of {@code bytes} from node {@code from} to node {@code to}: the event
     * {@code arriveKind} happens when it gets there, or {@code tmKind} when it reaches the traffic manager of the
     * SmartNIC port in front of a host.
     */
    void travel(int c, int from, int to, int bytes, long t, int tmKind, int arriveKind, long flow) {
        calls.bytes(c, bytes);
        if (from == to) {
            dispatch(arriveKind, c, t);
            return;
        }
        if (to != Fabric.CLIENT) {
            fabric.bytesIn[to] += bytes;
        }
        if (fabric.pciePeers(from, to)) {
            fabric.bytesOut[from] += bytes;
            schedule(t + fabric.pcieNanos(), arriveKind, c);
            return;
        }
        long sent = from == Fabric.CLIENT ? t : fabric.transmit(from, t, bytes);
        long arrive = sent + fabric.oneWay(from, to);
        if (to != Fabric.CLIENT && fabric.behindSmartNics(to)) {
            int port = fabric.ecmpPort(to, flow);
            if (port < 0) {
                retransmit(c, tmKind, t);
                return;
            }
            calls.port(c, port);
            // The SmartNIC adds the PCIe leg to the host; the hop class's latency covers the whole way.
            schedule(Math.max(sent, arrive - fabric.pcieNanos()), tmKind, c);
        } else {
            schedule(arrive, arriveKind, c);
        }
    }

    private void throughTrafficManager(int c, long t, int tmKind) {
        int port = calls.port(c);
        int bytes = calls.bytes(c);
        long forwarded = fabric.dead[port] ? -1 : fabric.trafficManagers.enqueue(port, t, bytes);
        if (forwarded < 0) {
            retransmit(c, tmKind, t);
            return;
        }
        // The SmartNIC's agent counts the datagram in, and out again on its way to the host.
        fabric.bytesIn[port] += bytes;
        fabric.bytesOut[port] += bytes;
        schedule(forwarded + fabric.pcieNanos(), AFTER_TM[tmKind], c);
    }

    void retransmit(int c, int tmKind, long t) {
        retransmissions++;
        schedule(t + retransmitNanos, RESEND[tmKind], c);
    }

    private void resendRequest(int c, long t) {
        if (!calls.parentCurrent(c)) {
            calls.release(c);
            return;
        }
        int from = calls.from(c);
        if (from != Fabric.CLIENT && fabric.dead[from]) {
            callerDied(c, t);
            return;
        }
        sendRequest(c, from, t);
    }

    private void resendReply(int c, long t) {
        if (fabric.dead[calls.node(c)]) {
            lost(c, t);
        } else {
            sendReply(c, t);
        }
    }

    // ---- failures ----

    /**
     * Call {@code c} was on, or sent to, a node that died: its caller will send it again, to the instance that serves
     * its shard by then. Until failover has found one, it waits with the instance.
     */
    void lost(int c, long t) {
        calls.restart(c);
        int inst = workload.current(calls.instance(c));
        calls.instance(c, inst);
        if (fabric.dead[workload.instanceNode[inst]]) {
            held.hold(inst, c);
        } else {
            retransmit(c, REQUEST_AT_TM, t);
        }
    }

    /** The node of {@code c}'s caller died: the caller's own call is lost, and {@code c} is of no use. */
    private void callerDied(int c, long t) {
        if (calls.parentCurrent(c)) {
            lost(calls.parent(c), t);
        }
        calls.release(c);
    }

    /** For {@link #release}: each held call is sent again by its own caller. */
    static final int FROM_CALLER = Integer.MIN_VALUE;

    /**
     * Sends every call held for {@code inst} on to instance {@code to} (the same one after a migration, or the one
     * serving its shard after a failover), from node {@code via} or, with {@link #FROM_CALLER}, from each call's
     * caller; returns how many there were.
     */
    int release(int inst, int to, int via, long t) {
        int count = held.count(inst);
        int c = held.takeAll(inst);
        while (c >= 0) {
            int next = calls.next(c);
            calls.instance(c, to);
            int from = via == FROM_CALLER ? calls.from(c) : via;
            if (!calls.parentCurrent(c)) {
                calls.release(c);
            } else if (from != Fabric.CLIENT && fabric.dead[from]) {
                callerDied(c, t);
            } else {
                sendRequest(c, from, t);
            }
            c = next;
        }
        return count;
    }
}
