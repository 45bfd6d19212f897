package io.e3.controller;

import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.telemetry.ReplayGuard;
import io.e3.orchestrator.NodeIndex;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * The controller's heartbeat socket: a {@link DatagramChannel} read by one dedicated thread, {@value #THREAD}, into one
 * reused direct buffer, with a receive buffer as large as the system grants (up to {@value #RECEIVE_BUFFER_BYTES}
 * bytes asked) so that bursts wait in the kernel instead of being dropped. Under load the thread reads the socket in
 * runs, polling it every {@value #POLL_NANOS} ns when it is empty, rather than waking up for each datagram; after
 * {@value #IDLE_POLLS} empty polls it waits on the socket. Each datagram is checked, cheapest first, and counted by
 * its {@link Outcome}:
 *
 * <ol>
 *   <li><b>malformed</b>: not a well-formed heartbeat of this version (structure, fields, CRC-32C);</li>
 *   <li><b>misaddressed</b>: its source address is not the address the cluster assigns the node it names (or it names
 *       no node of the cluster): the node is found from the source address, then its id compared with the one named;</li>
 *   <li><b>forged</b>: its tag does not verify under the cluster token's key ({@link HeartbeatMac});</li>
 *   <li><b>replayed</b>: its (epoch, sequence) is not above the last accepted from that node
 *       ({@link ReplayGuard});</li>
 *   <li><b>accepted</b>: handed to the {@link Sink}, on this thread, while the datagram is in the view.</li>
 * </ol>
 *
 * A server batch ({@link HeartbeatCodec#batch}) is taken heartbeat by heartbeat, each counted by its own outcome, as
 * if each had come in a datagram of its own from the batch's source address, with one difference: the address check
 * asks that the node a heartbeat names be <em>on the same server</em> as the node at the source address (the agents
 * of one server send together, from one of their addresses). A batch whose framing is wrong counts as one malformed
 * heartbeat. So the counts are of heartbeats, not datagrams.
 *
 * <p>Only an accepted heartbeat moves its node's replay mark. Nothing in the path allocates per datagram but what the
 * JDK allocates for the source address of a datagram from another sender than the one before: the bytes are copied
 * to one array and decoded in place into one {@link HeartbeatView}, the tag is checked on a reused digest, the guard
 * is one array. The counts per outcome are plain {@code long}s that only this thread writes (others read them with
 * {@link #count}); the metric {@code e3_controller_heartbeats_total} reads them when scraped, so counting costs
 * nothing more per datagram. The sink must be as quick: anything slow belongs on another thread.
 */
final class HeartbeatReceiver implements AutoCloseable {

    static final String THREAD = "e3-heartbeats";
    /** What is asked for the socket's receive buffer; Linux grants at most twice net.core.rmem_max. */
    static final int RECEIVE_BUFFER_BYTES = 16 << 20;
    /**
     * While heartbeats come in, the socket is read without blocking and, when it is empty, read again this much later
     * instead of waiting on it: the datagrams that arrive meanwhile wait in the receive buffer and are read in one
     * run. Waiting on the socket costs every datagram a wake-up of this thread, which at hundreds of thousands a
     * second takes more CPU than the checks do; a heartbeat is at most this late, against a period of 50 ms.
     */
    static final long POLL_NANOS = 200_000;
    /** After this many empty polls in a row (2 ms), the thread waits on the socket until the next datagram. */
    static final int IDLE_POLLS = 10;
    private static final Logger LOG = Logger.getLogger(HeartbeatReceiver.class);
    /** Whether {@link Inet4Address#hashCode()} is the address as an int on this JDK (checked, not assumed). */
    private static final boolean HASH_IS_ADDRESS = hashIsAddress();

    /** What became of one datagram; the label is the metric's {@code outcome}. */
    enum Outcome {
        ACCEPTED, MALFORMED, MISADDRESSED, FORGED, REPLAYED;

        final String label = name().toLowerCase(Locale.ROOT);
    }

    /** Takes accepted heartbeats, on the receiving thread. */
    interface Sink {
        /** {@code view} holds the heartbeat of node number {@code node} ({@link NodeIndex}) during the call only. */
        void accept(int node, HeartbeatView view, long nowMillis);
    }

    /** Reads and writes of {@link #counts}: written by the receiving thread only, read by any. */
    private static final VarHandle COUNT = MethodHandles.arrayElementVarHandle(long[].class);

    /**
     * The node each address belongs to: open addressing with linear probing, at least twice as many entries as nodes.
     * An entry is two {@code long}s side by side: the IPv4 address in the high half and the node's number plus one in
     * the low half (0: empty); then where the node's id starts and ends in {@link #ids}. So the address check reads one
     * entry and one run of id bytes.
     */
    private final long[] nodeOfIp;
    /** Entries of {@link #nodeOfIp}, a power of two. */
    private final int entries;
    /** The nodes' UTF-8 ids, node after node. */
    private final byte[] ids;
    /** Per node number, where its id starts (high half) and ends (low half) in {@link #ids}. */
    private final long[] idSpans;
    /** Per node number, the number of its server. */
    private final int[] serverOf;
    /** The node numbers of server 0, then of server 1, ... */
    private final int[] serverMembers;
    /** Per server number, where its nodes start in {@link #serverMembers}; one more entry holding their count. */
    private final int[] serverStart;
    /** Where the heartbeats of the batch being taken lie, and their lengths ({@link HeartbeatCodec#unbatch}). */
    private final int[] batchOffsets = new int[HeartbeatCodec.MAX_BATCH];
    private final int[] batchLengths = new int[HeartbeatCodec.MAX_BATCH];
    private final HeartbeatMac mac;
    private final Sink sink;
    private final ReplayGuard guard;
    private final HeartbeatView view = new HeartbeatView();
    private final byte[] datagram = new byte[HeartbeatCodec.MAX_BYTES];
    /** Per {@link Outcome}, heartbeats counted so far (see {@link #COUNT}). */
    private final long[] counts = new long[Outcome.values().length];
    private DatagramChannel channel;
    private Thread thread;
    private int grantedReceiveBuffer;
    /** The node of the datagram {@link #check} last looked at. */
    private int node;

    /**
     * @param nodeIps per node number, the address the cluster assigns that node (no two the same)
     */
    HeartbeatReceiver(NodeIndex nodes, int[] nodeIps, HeartbeatMac mac, Sink sink) {
        if (nodeIps.length != nodes.size()) {
            throw new IllegalArgumentException(nodeIps.length + " addresses for " + nodes.size() + " nodes");
        }
        this.entries = Integer.highestOneBit(Math.max(1, nodeIps.length) * 2 - 1) * 2;
        this.nodeOfIp = new long[2 * entries];
        ByteArrayOutputStream idBytes = new ByteArrayOutputStream();
        this.idSpans = new long[nodeIps.length];
        this.serverOf = new int[nodeIps.length];
        java.util.Map<String, java.util.List<Integer>> byServer = new java.util.LinkedHashMap<>();
        for (int n = 0; n < nodeIps.length; n++) {
            byServer.computeIfAbsent(nodes.node(n).serverId(), k -> new java.util.ArrayList<>()).add(n);
        }
        this.serverStart = new int[byServer.size() + 1];
        this.serverMembers = new int[nodeIps.length];
        int server = 0;
        int at = 0;
        for (java.util.List<Integer> members : byServer.values()) {
            serverStart[server] = at;
            for (int n : members) {
                serverOf[n] = server;
                serverMembers[at++] = n;
            }
            server++;
        }
        serverStart[server] = at;
        for (int n = 0; n < nodeIps.length; n++) {
            int entry = slot(nodeIps[n]);
            while (nodeOfIp[2 * entry] != 0) {
                if ((int) (nodeOfIp[2 * entry] >>> 32) == nodeIps[n]) {
                    throw new IllegalArgumentException("nodes " + ((int) nodeOfIp[2 * entry] - 1) + " and " + n
                            + " have the same address");
                }
                entry = (entry + 1) & (entries - 1);
            }
            byte[] id = nodes.node(n).id().getBytes(StandardCharsets.UTF_8);
            nodeOfIp[2 * entry] = (long) nodeIps[n] << 32 | (n + 1);
            nodeOfIp[2 * entry + 1] = (long) idBytes.size() << 32 | (idBytes.size() + id.length);
            idSpans[n] = nodeOfIp[2 * entry + 1];
            idBytes.writeBytes(id);
        }
        this.ids = idBytes.toByteArray();
        this.mac = mac;
        this.sink = sink;
        this.guard = new ReplayGuard(nodes.size());
    }

    /**
     * The first entry of {@link #nodeOfIp} to try for {@code ip}: its low bits. An address plan gives the nodes
     * consecutive addresses in one block, which then take consecutive entries, none colliding, so the table is in
     * effect an array indexed by address.
     */
    private int slot(int ip) {
        return ip & (entries - 1);
    }

    /**
     * The number of the node at {@code ip} if the id in {@code data[offset, offset + length)} is that node's, else
     * {@link NodeIndex#UNKNOWN}.
     */
    private int nodeAt(int ip, byte[] data, int offset, int length) {
        int entry = entryAt(ip);
        if (entry < 0) {
            return NodeIndex.UNKNOWN;
        }
        long span = nodeOfIp[2 * entry + 1];
        return Arrays.equals(ids, (int) (span >>> 32), (int) span, data, offset, offset + length)
                ? (int) nodeOfIp[2 * entry] - 1 : NodeIndex.UNKNOWN;
    }

    /** The entry of {@link #nodeOfIp} that holds {@code ip}, or -1 if no node has that address. */
    private int entryAt(int ip) {
        for (int entry = slot(ip); ; entry = (entry + 1) & (entries - 1)) {
            long e = nodeOfIp[2 * entry];
            if (e == 0) {
                return -1;
            }
            if ((int) (e >>> 32) == ip) {
                return entry;
            }
        }
    }

    /** Whether {@code ip} is the address of a node of the cluster. */
    private boolean isNodeAddress(int ip) {
        return entryAt(ip) >= 0;
    }

    /**
     * The number of the node named by the id in {@code data[offset, offset + length)} if it is on the same server as
     * the node at {@code ip}, else {@link NodeIndex#UNKNOWN}.
     */
    private int siblingAt(int ip, byte[] data, int offset, int length) {
        int entry = entryAt(ip);
        if (entry < 0) {
            return NodeIndex.UNKNOWN;
        }
        int source = (int) nodeOfIp[2 * entry] - 1;
        int server = serverOf[source];
        for (int m = serverStart[server]; m < serverStart[server + 1]; m++) {
            long span = idSpans[serverMembers[m]];
            if (Arrays.equals(ids, (int) (span >>> 32), (int) span, data, offset, offset + length)) {
                return serverMembers[m];
            }
        }
        return NodeIndex.UNKNOWN;
    }

    /** Binds {@code address} and starts the receiving thread. */
    synchronized void start(InetSocketAddress address) throws IOException {
        if (channel != null) {
            throw new IllegalStateException("already started");
        }
        DatagramChannel c = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            c.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            c.bind(address);
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
        grantedReceiveBuffer = c.getOption(StandardSocketOptions.SO_RCVBUF);
        LOG.infof("heartbeats: listening on %s, receive buffer %,d KiB granted of %,d KiB asked", address,
                grantedReceiveBuffer / 1024, RECEIVE_BUFFER_BYTES / 1024);
        c.configureBlocking(false);
        channel = c;
        thread = new Thread(this::receive, THREAD);
        thread.setDaemon(true);
        thread.start();
    }

    /** The receive buffer the system granted, in bytes (0 before {@link #start}). */
    synchronized int grantedReceiveBuffer() {
        return grantedReceiveBuffer;
    }

    private void receive() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(HeartbeatCodec.MAX_BYTES + 1);
        DatagramChannel c = channel;
        int idlePolls = 0;
        while (c.isOpen()) {
            SocketAddress from;
            try {
                buffer.clear();
                if (idlePolls < IDLE_POLLS) {
                    from = c.receive(buffer);
                    if (from == null) {
                        idlePolls++;
                        LockSupport.parkNanos(POLL_NANOS);
                        continue;
                    }
                } else {
                    from = receiveBlocking(c, buffer);
                }
                idlePolls = 0;
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                LOG.warnf("heartbeats: receive failed: %s", e.getMessage());
                continue;
            }
            int length = buffer.position();
            buffer.flip();
            buffer.get(datagram, 0, Math.min(length, datagram.length));
            try {
                take(datagram, length, ipv4(((InetSocketAddress) from).getAddress()), System.currentTimeMillis());
            } catch (RuntimeException e) {
                // A bug behind the sink must not stop heartbeats: every node would be declared down.
                LOG.errorf(e, "heartbeats: a heartbeat from %s could not be taken", from);
            }
        }
    }

    /** Waits for the next datagram in blocking mode, then goes back to polling. */
    private static SocketAddress receiveBlocking(DatagramChannel c, ByteBuffer buffer) throws IOException {
        c.configureBlocking(true);
        try {
            return c.receive(buffer);
        } finally {
            if (c.isOpen()) {
                c.configureBlocking(false);
            }
        }
    }

    /**
     * Checks the {@code length} bytes of {@code data} received from {@code sourceIp} at {@code nowMillis}, hands them
     * to the sink if accepted, counts and returns the outcome. Only the receiving thread (or a test in its place).
     */
    Outcome take(byte[] data, int length, int sourceIp, long nowMillis) {
        if (length <= HeartbeatCodec.MAX_BYTES && HeartbeatCodec.isBatch(data, length)) {
            return takeBatch(data, length, sourceIp, nowMillis);
        }
        Outcome outcome = length > HeartbeatCodec.MAX_BYTES ? Outcome.MALFORMED
                : check(data, 0, length, sourceIp, false);
        counted(outcome, nowMillis);
        return outcome;
    }

    /**
     * Takes the heartbeats of a server batch one by one; returns the outcome of the last one, or malformed if the
     * framing is wrong (counted once).
     */
    private Outcome takeBatch(byte[] data, int length, int sourceIp, long nowMillis) {
        int count;
        try {
            count = HeartbeatCodec.unbatch(data, length, batchOffsets, batchLengths);
        } catch (MalformedHeartbeatException e) {
            counted(Outcome.MALFORMED, nowMillis);
            return Outcome.MALFORMED;
        }
        if (!isNodeAddress(sourceIp)) {
            // From no node's address: every heartbeat in it is misaddressed, and none is worth decoding.
            for (int i = 0; i < count; i++) {
                counted(Outcome.MISADDRESSED, nowMillis);
            }
            return Outcome.MISADDRESSED;
        }
        Outcome outcome = Outcome.MALFORMED;
        for (int i = 0; i < count; i++) {
            outcome = check(data, batchOffsets[i], batchLengths[i], sourceIp, true);
            counted(outcome, nowMillis);
        }
        return outcome;
    }

    /** Counts {@code outcome} and, if accepted, hands the heartbeat in {@link #view} to the sink. */
    private void counted(Outcome outcome, long nowMillis) {
        int o = outcome.ordinal();
        COUNT.setOpaque(counts, o, (long) COUNT.getOpaque(counts, o) + 1);
        if (outcome == Outcome.ACCEPTED) {
            sink.accept(node, view, nowMillis);
        }
    }

    /**
     * Checks the heartbeat in {@code data[offset, offset + length)} from {@code sourceIp}; {@code batched}: it came in
     * a server batch, so it may name any node of the source's server.
     */
    private Outcome check(byte[] data, int offset, int length, int sourceIp, boolean batched) {
        try {
            HeartbeatCodec.decode(data, offset, length, view);
        } catch (MalformedHeartbeatException e) {
            return Outcome.MALFORMED;
        }
        // The node at the source address must be the node the heartbeat names (in a batch: a node of its server): an
        // array probe and one comparison (in a batch, one per node of the server at most).
        node = batched ? siblingAt(sourceIp, view.data(), view.nodeIdOffset(), view.nodeIdLength())
                : nodeAt(sourceIp, view.data(), view.nodeIdOffset(), view.nodeIdLength());
        if (node == NodeIndex.UNKNOWN) {
            return Outcome.MISADDRESSED;
        }
        if (!mac.verify(data, offset, view.tagOffset())) {
            return Outcome.FORGED;
        }
        if (!guard.advance(node, view.epochMicros(), view.sequence())) {
            return Outcome.REPLAYED;
        }
        return Outcome.ACCEPTED;
    }

    /** Heartbeats counted with {@code outcome} so far (a badly framed batch counts as one malformed). */
    long count(Outcome outcome) {
        return (long) COUNT.getOpaque(counts, outcome.ordinal());
    }

    /** Heartbeats read off the socket so far, whatever became of them. */
    long total() {
        long sum = 0;
        for (Outcome o : Outcome.values()) {
            sum += count(o);
        }
        return sum;
    }

    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (channel == null) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                LOG.warnf("heartbeats: closing the socket: %s", e.getMessage());
            }
            t = thread;
        }
        try {
            t.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The IPv4 address as an int, or 0 (no node's) for anything else. */
    static int ipv4(InetAddress address) {
        if (!(address instanceof Inet4Address)) {
            return 0;
        }
        if (HASH_IS_ADDRESS) {
            return address.hashCode(); // no copy of the bytes, unlike getAddress()
        }
        byte[] b = address.getAddress();
        return (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff);
    }

    private static boolean hashIsAddress() {
        try {
            return InetAddress.getByAddress(new byte[] {127, 1, 2, (byte) 203}).hashCode() == 0x7f0102cb
                    && InetAddress.getByAddress(new byte[] {(byte) 192, (byte) 168, 0, 1}).hashCode() == 0xc0a80001;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
