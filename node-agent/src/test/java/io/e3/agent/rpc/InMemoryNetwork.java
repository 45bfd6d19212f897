package io.e3.agent.rpc;

import io.e3.agent.emu.DelayLine;
import io.e3.agent.net.Frame;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * A datagram network between {@link Endpoint}s in one process, without sockets: each frame the loss rule lets through
 * is delivered as encoded bytes after a fixed latency, on a real {@link DelayLine}. The endpoints' retransmission
 * timers run on a second delay line, as they would on a node.
 */
final class InMemoryNetwork implements Endpoint.Transport, AutoCloseable {

    private static final long LATENCY_NANOS = 50_000;

    private final DelayLine wire = new DelayLine("test-wire");
    private final DelayLine timers = new DelayLine("test-timers");
    private final Map<Integer, Endpoint> endpoints = new ConcurrentHashMap<>();
    private volatile Predicate<Frame> drop = f -> false;
    /** Frames handed to the network, including lost ones. */
    final AtomicLong sent = new AtomicLong();
    final AtomicLong dropped = new AtomicLong();

    /** Attaches a new endpoint at {@code address}. */
    Endpoint attach(int address, RpcSettings settings, Endpoint.Handler handler) {
        Endpoint e = new Endpoint(address, this, timers, settings, new RpcStats(), handler);
        endpoints.put(address, e);
        return e;
    }

    /** Frames for which {@code rule} is true are lost from now on. */
    void dropWhen(Predicate<Frame> rule) {
        drop = rule;
    }

    @Override
    public void transmit(Frame frame, byte[] encoded) {
        sent.incrementAndGet();
        if (drop.test(frame)) {
            dropped.incrementAndGet();
            return;
        }
        Endpoint to = endpoints.get(frame.dstIp());
        if (to != null) {
            byte[] copy = encoded.clone();
            wire.at(System.nanoTime() + LATENCY_NANOS, () -> to.receive(copy, 0, copy.length));
        }
    }

    @Override
    public void close() {
        wire.close();
        timers.close();
    }
}
