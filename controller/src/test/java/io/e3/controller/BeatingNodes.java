package io.e3.controller;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.topology.AddressPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for the agents of the test cluster: sends each node in {@link #beating()} a heartbeat 20 times a second,
 * signed with the test token's key and from the node's own address, as an agent does.
 */
final class BeatingNodes implements AutoCloseable {

    static final HeartbeatMac KEY = HeartbeatMac.forToken("test-token");

    private final Set<String> beating = ConcurrentHashMap.newKeySet();
    private final Map<String, DatagramSocket> sockets = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final long epoch = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    private final ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();

    BeatingNodes(AddressPlan plan, List<String> nodes) throws IOException {
        InetAddress controller = InetAddress.getByName(AddressPlan.text(plan.controllerIp()));
        for (String n : nodes) {
            sockets.put(n, new DatagramSocket(0, InetAddress.getByName(AddressPlan.text(plan.ipOf(n)))));
        }
        beats.scheduleAtFixedRate(() -> {
            for (String node : beating) {
                byte[] b = HeartbeatCodec.encode(new Heartbeat(node, sequence.incrementAndGet(),
                        System.currentTimeMillis(), 50, 0, 0, 0, List.of()), epoch, KEY);
                try {
                    sockets.get(node).send(new DatagramPacket(b, b.length, controller, plan.heartbeatPort()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
    }

    /** The nodes heartbeating now; add or remove to start or silence one. */
    Set<String> beating() {
        return beating;
    }

    @Override
    public void close() throws InterruptedException {
        beats.shutdownNow();
        beats.awaitTermination(10, TimeUnit.SECONDS);
        sockets.values().forEach(DatagramSocket::close);
    }
}
