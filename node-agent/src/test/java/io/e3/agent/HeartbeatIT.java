package io.e3.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.emu.Emulation;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.routing.Target;
import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.topology.ServerTypes;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The orchestrator agent: every node sends a decodable, sequence-numbered heartbeat every 50 ms to the controller,
 * signed with the key of the cluster token; the agents of one server (here all in one process) send theirs together,
 * in one datagram from one of the server's addresses.
 */
class HeartbeatIT {

    @Test
    void everyNodeSendsHeartbeatsWithItsStatistics() throws Exception {
        AddressPlan plan = TestClusters.plan(ServerTypes.TYPE1_SMARTNIC, 2);
        Map<String, List<Heartbeat>> received = new ConcurrentHashMap<>();
        java.util.concurrent.atomic.AtomicLong datagrams = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong heartbeats = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong whole = new java.util.concurrent.atomic.AtomicLong();
        HeartbeatMac mac = HeartbeatMac.forToken(TestClusters.TOKEN);
        try (DatagramSocket controller = new DatagramSocket(plan.heartbeatPort(),
                InetAddress.getByName(AddressPlan.text(plan.controllerIp())))) {
            controller.setSoTimeout(100);
            Thread listener = new Thread(() -> {
                byte[] buf = new byte[65_536];
                while (!controller.isClosed()) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        controller.receive(p);
                        datagrams.incrementAndGet();
                        int[] offsets = {0};
                        int[] lengths = {p.getLength()};
                        int count = 1;
                        if (HeartbeatCodec.isBatch(p.getData(), p.getLength())) {
                            offsets = new int[HeartbeatCodec.MAX_BATCH];
                            lengths = new int[HeartbeatCodec.MAX_BATCH];
                            count = HeartbeatCodec.unbatch(p.getData(), p.getLength(), offsets, lengths);
                        }
                        String from = p.getAddress().getHostAddress();
                        String sendingServer = plan.cluster().nodes().stream()
                                .filter(n -> AddressPlan.text(plan.ipOf(n.id())).equals(from))
                                .map(n -> n.serverId()).findFirst().orElse("no server");
                        for (int i = 0; i < count; i++) {
                            Heartbeat hb = HeartbeatCodec.decode(p.getData(), offsets[i], lengths[i]);
                            if (!mac.verify(p.getData(), offsets[i],
                                    offsets[i] + lengths[i] - 4 - HeartbeatMac.TAG_BYTES)) {
                                received.computeIfAbsent("undecodable: bad tag from " + hb.nodeId(),
                                        k -> new ArrayList<>());
                            }
                            String server = plan.cluster().node(hb.nodeId()).orElseThrow().serverId();
                            if (!server.equals(sendingServer)) {
                                received.computeIfAbsent("undecodable: " + hb.nodeId() + " from " + from,
                                        k -> new ArrayList<>());
                            }
                            heartbeats.incrementAndGet();
                            if (count == plan.cluster().server(server).orElseThrow().nodes().size()) {
                                whole.incrementAndGet();
                            }
                            received.computeIfAbsent(hb.nodeId(), k -> java.util.Collections.synchronizedList(
                                    new ArrayList<>())).add(hb);
                        }
                    } catch (SocketTimeoutException e) {
                        // poll again
                    } catch (Exception e) {
                        if (!controller.isClosed()) {
                            received.computeIfAbsent("undecodable: " + e, k -> new ArrayList<>());
                        }
                    }
                }
            });
            listener.setDaemon(true);
            listener.start();
            try (EmbeddedCluster c = EmbeddedCluster.start(plan, Emulation.DEFAULT, TestClusters.TOKEN)) {
                TestClusters.deploy(c, "s1/nic0", "hb/kv.0", "kvs");
                AppClient client = c.client(0);
                Target kv = new Target("hb/kv.0", "s1/nic0", plan.ipOf("s1/nic0"), 0);
                for (int i = 0; i < 50; i++) {
                    client.call(kv, i, ("{\"stages\": {\"kv\": {\"op\": \"put\", \"key\": \"k" + i
                            + "\", \"value\": \"v\"}}}").getBytes(StandardCharsets.UTF_8)).get(30, TimeUnit.SECONDS);
                }
                await().atMost(Duration.ofSeconds(30)).until(() -> plan.cluster().nodes().stream()
                        .allMatch(n -> received.getOrDefault(n.id(), List.of()).size() >= 20));
            }
        }
        assertThat(received.keySet()).noneMatch(k -> k.startsWith("undecodable"));
        for (List<Heartbeat> beats : received.values()) {
            List<Heartbeat> copy;
            synchronized (beats) {
                copy = List.copyOf(beats);
            }
            for (int i = 1; i < copy.size(); i++) {
                assertThat(copy.get(i).sequence()).as("%s", copy.stream().map(h -> h.nodeId() + "#" + h.sequence()
                        + "@" + h.sentAtMillis()).toList()).isGreaterThan(copy.get(i - 1).sequence());
            }
            // The first tick comes at the server's phase, at least half a period after the start; then a period apart.
            assertThat(copy).allSatisfy(hb -> assertThat(hb.periodMillis()).as("the window it covers")
                    .isGreaterThanOrEqualTo(25));
            long spanMillis = copy.get(copy.size() - 1).sentAtMillis() - copy.get(0).sentAtMillis();
            assertThat(spanMillis / (double) (copy.size() - 1)).as("mean interval, ms").isBetween(40.0, 100.0);
        }
        assertThat(whole.get()).as("heartbeats that came with all of their server's (of %d in %d datagrams)",
                heartbeats.get(), datagrams.get()).isGreaterThan(heartbeats.get() / 2);
        List<Heartbeat> nic = received.get("s1/nic0");
        long served;
        synchronized (nic) {
            assertThat(nic.get(nic.size() - 1).instances()).extracting(s -> s.instanceId())
                    .containsExactly("hb/kv.0");
            served = nic.stream().flatMap(hb -> hb.instances().stream()).mapToLong(s -> s.requests()).sum();
        }
        assertThat(served).as("requests reported over the heartbeats").isEqualTo(50);
    }
}
