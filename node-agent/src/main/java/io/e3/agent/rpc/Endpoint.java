package io.e3.agent.rpc;

import io.e3.agent.emu.DelayLine;
import io.e3.agent.net.Frame;
import io.e3.agent.net.FrameCodec;
import io.e3.agent.net.MalformedFrameException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

/**
 * The lossless channel end of one address (§5.4: "a channel provides lossless data communication"): request/response
 * over datagrams with acknowledgements, bounded retransmission and duplicate suppression, so that every request is
 * executed at most once and its caller gets either the response or an error.
 *
 * <ul>
 *   <li>A caller sends a request and retransmits it on a timeout estimated per destination from round-trip samples
 *       (RFC 6298: {@code srtt + 4·rttvar}, sampled only from requests answered on their first transmission, Karn's
 *       rule), doubling per retransmission up to {@link RpcSettings#maxRtoMillis}. After
 *       {@link RpcSettings#maxAttempts} transmissions with no sign of life from the responder it gives up with
 *       {@link Frame.Status#UNREACHABLE}.</li>
 *   <li>A responder acknowledges a request it has not answered within half the minimum timeout (a delayed ack,
 *       skipped when the response goes out first) and whenever a duplicate of it arrives. An ack resets the caller's
 *       count and turns its retransmissions into probes every {@link RpcSettings#maxRtoMillis}, so a slow request is
 *       not given up while the responder works on it, up to {@link RpcSettings#timeoutMillis}.</li>
 *   <li>A responder remembers each request by (sender address, request id): a duplicate of a request in progress gets
 *       an ack, a duplicate of a finished one gets the same response again, and the handler never sees it twice.
 *       Responses are kept for {@link RpcSettings#retentionMillis()}, longer than a caller can go on probing.</li>
 *   <li>A caller completes each request once; later copies of its response are counted and dropped.</li>
 * </ul>
 *
 * Request ids are unique per address: a random 24-bit epoch per endpoint, then a counter, so a restarted endpoint does
 * not collide with what its peers remember of its predecessor. Thread-safe.
 */
public final class Endpoint {

    /** Sends a frame towards its destination address, by whatever path the node uses (same node, PCIe, switch). */
    @FunctionalInterface
    public interface Transport {
        void transmit(Frame frame, byte[] encoded);
    }

    /** Serves requests; calls {@code reply} exactly once per request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Frame request, BiConsumer<Frame.Status, byte[]> reply);
    }

    private final int address;
    private final Transport transport;
    private final DelayLine delays;
    private final RpcSettings settings;
    private final RpcStats stats;
    private final Handler handler;
    private final AtomicLong nextId;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final Map<Key, Incoming> incoming = new ConcurrentHashMap<>();
    private final Queue<Key> finished = new ConcurrentLinkedQueue<>();
    private final Map<Integer, Rtt> rtt = new ConcurrentHashMap<>();
    private volatile String closed;

    public Endpoint(int address, Transport transport, DelayLine delays, RpcSettings settings, RpcStats stats,
                    Handler handler) {
        this.address = address;
        this.transport = transport;
        this.delays = delays;
        this.settings = settings;
        this.stats = stats;
        this.handler = handler;
        this.nextId = new AtomicLong((ThreadLocalRandom.current().nextLong() & 0xffffffL) << 40);
    }

    public int address() {
        return address;
    }

    public RpcStats stats() {
        return stats;
    }

    /** Requests waiting for their response. */
    public int inFlight() {
        return pending.size();
    }

    /** Requests (in progress or answered) the responder side remembers. */
    public int remembered() {
        return incoming.size();
    }

    /** Sends a request for {@code instance} at address {@code dstIp} on flow {@code flowId}. */
    public CompletableFuture<Reply> call(int dstIp, int flowId, String instance, byte[] payload) {
        String why = closed;
        if (why != null) {
            return CompletableFuture.completedFuture(new Reply(Frame.Status.UNREACHABLE, errorJson(why), 0));
        }
        long id = nextId.getAndIncrement();
        Frame frame = new Frame(Frame.Kind.REQUEST, Frame.Status.OK, address, dstIp, flowId, id, instance, payload);
        byte[] encoded = FrameCodec.encode(frame);
        Pending p = new Pending(frame, encoded, System.nanoTime() + settings.timeoutMillis() * 1_000_000L,
                rtt.computeIfAbsent(dstIp, k -> new Rtt()).rtoNanos());
        pending.put(id, p);
        stats.requestsSent.increment();
        send(p);
        return p.future;
    }

    private void send(Pending p) {
        long wait;
        long now = System.nanoTime();
        synchronized (p) {
            p.attempts++;
            p.sinceLife++;
            p.sentAt = now;
            if (p.ackedAt != 0) {
                wait = maxRtoNanos();
            } else {
                wait = p.rtoNanos;
                p.rtoNanos = Math.min(p.rtoNanos * 2, maxRtoNanos());
            }
        }
        transport.transmit(p.frame, p.encoded);
        delays.at(now + wait, () -> retry(p));
    }

    private long maxRtoNanos() {
        return settings.maxRtoMillis() * 1_000_000L;
    }

    private void retry(Pending p) {
        if (p.future.isDone()) {
            return;
        }
        String failure = null;
        long now = System.nanoTime();
        synchronized (p) {
            if (p.ackedAt != 0 && now - p.ackedAt < maxRtoNanos() && now - p.deadline < 0) {
                // Acknowledged lately: the responder is working on it; probe one interval after the ack.
                long at = p.ackedAt + maxRtoNanos();
                delays.at(at, () -> retry(p));
                return;
            }
            if (p.sinceLife >= settings.maxAttempts()) {
                failure = "no sign of life from the responder after " + p.sinceLife + " transmissions";
            } else if (now - p.deadline > 0) {
                failure = "no response within " + settings.timeoutMillis() + " ms";
            }
        }
        if (failure != null) {
            if (pending.remove(p.frame.requestId(), p)) {
                stats.unreachable.increment();
                p.future.complete(new Reply(Frame.Status.UNREACHABLE,
                        ("{\"error\":\"" + failure + "\"}").getBytes(StandardCharsets.UTF_8), p.attempts));
            }
            return;
        }
        stats.retransmissions.increment();
        send(p);
    }

    /** Takes a datagram addressed to this endpoint. Malformed ones are counted and dropped. */
    public void receive(byte[] data, int offset, int length) {
        Frame f;
        try {
            f = FrameCodec.decode(data, offset, length);
        } catch (MalformedFrameException e) {
            stats.malformedDatagrams.increment();
            return;
        }
        receive(f);
    }

    /** Takes a decoded frame addressed to this endpoint. */
    public void receive(Frame f) {
        if (f.dstIp() != address) {
            stats.misroutedDatagrams.increment();
            return;
        }
        switch (f.kind()) {
            case REQUEST -> onRequest(f);
            case RESPONSE -> onResponse(f);
            case ACK -> onAck(f);
        }
    }

    private void onRequest(Frame f) {
        Key key = new Key(f.srcIp(), f.requestId());
        Incoming fresh = new Incoming();
        Incoming known = incoming.putIfAbsent(key, fresh);
        if (known != null) {
            stats.duplicateRequests.increment();
            byte[] response = known.response;
            if (response != null) {
                transport.transmit(known.responseFrame, response);
            } else {
                transmit(Frame.ack(f));
            }
            return;
        }
        stats.requestsReceived.increment();
        delays.at(System.nanoTime() + settings.minRtoMillis() * 1_000_000L / 2, () -> {
            if (fresh.response == null) {
                transmit(Frame.ack(f));
            }
        });
        Handler h = handler;
        try {
            h.handle(f, (status, payload) -> respond(key, fresh, f, status, payload));
        } catch (RuntimeException e) {
            respond(key, fresh, f, Frame.Status.SERVICE_FAILED, errorJson("handler failed: " + e));
        }
    }

    private void respond(Key key, Incoming entry, Frame request, Frame.Status status, byte[] payload) {
        Frame response;
        byte[] encoded;
        try {
            response = Frame.response(request, status, payload);
            encoded = FrameCodec.encode(response);
        } catch (IllegalArgumentException tooLarge) {
            response = Frame.response(request, Frame.Status.SERVICE_FAILED, errorJson(tooLarge.getMessage()));
            encoded = FrameCodec.encode(response);
        }
        synchronized (entry) {
            if (entry.response != null) {
                return;
            }
            entry.responseFrame = response;
            entry.response = encoded;
            entry.finishedAt = System.nanoTime();
        }
        finished.add(key);
        transport.transmit(response, encoded);
    }

    private void onResponse(Frame f) {
        Pending p = pending.get(f.requestId());
        if (p == null || p.frame.dstIp() != f.srcIp() || !pending.remove(f.requestId(), p)) {
            stats.duplicateResponses.increment();
            return;
        }
        long now = System.nanoTime();
        synchronized (p) {
            if (p.attempts == 1 && p.ackedAt == 0) {
                rtt.computeIfAbsent(f.srcIp(), k -> new Rtt()).sample(now - p.sentAt);
            }
        }
        p.future.complete(new Reply(f.status(), f.payload(), p.attempts));
    }

    private void onAck(Frame f) {
        Pending p = pending.get(f.requestId());
        if (p != null && p.frame.dstIp() == f.srcIp()) {
            synchronized (p) {
                p.sinceLife = 0;
                p.ackedAt = System.nanoTime();
            }
        }
    }

    /** Forgets responses older than the retention time; call now and then (the agent does every second). */
    public void expire() {
        long cutoff = System.nanoTime() - settings.retentionMillis() * 1_000_000L;
        for (Key k; (k = finished.peek()) != null; ) {
            Incoming e = incoming.get(k);
            if (e != null && e.finishedAt - cutoff > 0) {
                return;
            }
            finished.poll();
            incoming.remove(k);
        }
    }

    /** Fails every request still waiting, and every later call at once; for shutdown. */
    public void failAll(String reason) {
        closed = reason;
        for (Long id : pending.keySet()) {
            Pending p = pending.remove(id);
            if (p != null) {
                p.future.complete(new Reply(Frame.Status.UNREACHABLE, errorJson(reason), p.attempts));
            }
        }
    }

    private void transmit(Frame f) {
        transport.transmit(f, FrameCodec.encode(f));
    }

    /** {@code {"error": message}} as JSON bytes. */
    public static byte[] errorJson(String message) {
        StringBuilder s = new StringBuilder("{\"error\":\"");
        for (char c : message.toCharArray()) {
            if (c == '"' || c == '\\') {
                s.append('\\').append(c);
            } else if (c < 0x20) {
                s.append(String.format("\\u%04x", (int) c));
            } else {
                s.append(c);
            }
        }
        return s.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    private record Key(int src, long requestId) {
    }

    private static final class Incoming {
        volatile byte[] response;
        Frame responseFrame;
        long finishedAt;
    }

    private static final class Pending {
        final Frame frame;
        final byte[] encoded;
        final long deadline;
        final CompletableFuture<Reply> future = new CompletableFuture<>();
        int attempts;
        int sinceLife;
        long rtoNanos;
        long sentAt;
        long ackedAt;

        Pending(Frame frame, byte[] encoded, long deadline, long rtoNanos) {
            this.frame = frame;
            this.encoded = encoded;
            this.deadline = deadline;
            this.rtoNanos = rtoNanos;
        }
    }

    /** Round-trip estimate towards one address, RFC 6298. */
    private final class Rtt {
        private double srtt = -1;
        private double rttvar;

        synchronized void sample(long nanos) {
            if (srtt < 0) {
                srtt = nanos;
                rttvar = nanos / 2.0;
            } else {
                rttvar = 0.75 * rttvar + 0.25 * Math.abs(srtt - nanos);
                srtt = 0.875 * srtt + 0.125 * nanos;
            }
        }

        synchronized long rtoNanos() {
            long min = settings.minRtoMillis() * 1_000_000L;
            if (srtt < 0) {
                return settings.initialRtoMillis() * 1_000_000L;
            }
            return Math.max(min, Math.min(maxRtoNanos(), Math.round(srtt + 4 * rttvar)));
        }
    }
}
