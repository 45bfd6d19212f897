package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What the controller takes from its heartbeat socket. Damaged datagrams are counted as malformed and ignored; and a
 * flood of forged, misaddressed and replayed heartbeats (well-formed, but signed with another key, sent from another
 * address than the node's, or copies of heartbeats already taken) is counted and ignored too: it neither brings back
 * a node that is down nor makes the orchestrator decide anything. The test cluster has no agents: the test sends
 * what they would.
 */
@QuarkusTest
class HeartbeatIngestTest {

    /** Datagrams per burst of damaged ones: the socket's receive buffer holds many times more. */
    private static final int BURST = 20;
    /** Datagrams per burst of the flood, each burst counted before the next is sent, so none is lost to the socket. */
    private static final int FLOOD_BURST = 500;
    private static final HeartbeatMac KEY = HeartbeatMac.forToken("test-token");
    private static final Pattern METRIC = Pattern.compile(
            "e3_controller_heartbeats_total\\{outcome=\"(\\w+)\",} ([0-9.E]+)");

    @Inject
    ControllerConfig config;

    @Inject
    HeartbeatIngest ingest;

    @Test
    void malformedHeartbeatsAreCountedAndIgnored() throws Exception {
        long received = events("heartbeatsReceived");
        long malformed = events("heartbeatsMalformed");
        long epoch = nowMicros();
        SplittableRandom random = new SplittableRandom(6);
        List<byte[]> damaged = new ArrayList<>();
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] good = HeartbeatCodec.encode(heartbeat("s1/nic0", i + 1, 3), epoch, KEY);
            valid.add(good);
            byte[] noise = new byte[1 + random.nextInt(200)];
            random.nextBytes(noise);
            damaged.add(noise);
            byte[] flipped = good.clone();
            int bit = random.nextInt(flipped.length * 8);
            flipped[bit / 8] ^= (byte) (1 << (bit % 8));
            damaged.add(flipped);
            damaged.add(Arrays.copyOf(good, random.nextInt(good.length)));
        }

        AddressPlan plan = config.plan();
        try (DatagramSocket socket = socketAt(plan.ipOf("s1/nic0"))) {
            int sentDamaged = 0;
            int sentValid = 0;
            while (sentDamaged < damaged.size()) {
                for (int i = 0; i < BURST && sentDamaged < damaged.size(); i++) {
                    send(socket, damaged.get(sentDamaged++));
                }
                send(socket, valid.get(sentValid++));
                long wantMalformed = malformed + sentDamaged;
                long wantReceived = received + sentValid;
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() ->
                        events("heartbeatsMalformed") == wantMalformed && events("heartbeatsReceived") == wantReceived);
            }
            System.out.printf("heartbeat ingest: %d damaged datagrams counted malformed, %d valid taken%n",
                    sentDamaged, sentValid);
            assertThat(events("heartbeatsMalformed") - malformed).isEqualTo(damaged.size());
            assertThat(events("heartbeatsReceived") - received).isEqualTo(sentValid);
        }
        api().when().get("/v1/health").then().statusCode(200);
        assertThat(metric("malformed")).isGreaterThanOrEqualTo(damaged.size());
    }

    /**
     * 10,000 bad heartbeats while a node is down: 5,000 forged (signed with another token's key, from the right
     * address, fresh), 2,500 misaddressed (signed with the cluster's key, fresh, from another address) and 2,500
     * replayed (copies of heartbeats taken before the node went down, and freshly signed ones of an older epoch).
     * Half of them name a SmartNIC with a standing queue, which the orchestrator would act on if it took them.
     * The other nodes heartbeat meanwhile, as agents would, so that the failure detector sees one server fail rather
     * than a disruption. Each bad heartbeat is counted under exactly one refusal, so refusals adding up to 10,000 mean
     * none was accepted; no decision is made and the node stays down until its genuine heartbeats resume.
     */
    @Test
    void forgedMisaddressedAndReplayedHeartbeatsChangeNothing() throws Exception {
        AddressPlan plan = config.plan();
        String host = "s2/host";
        String nic = "s2/nic0";
        List<String> all = config.cluster().nodes().stream().map(ComputeNode::id).toList();
        Map<String, DatagramSocket> at = new ConcurrentHashMap<>();
        for (String node : all) {
            at.put(node, socketAt(plan.ipOf(node)));
        }
        long epoch = nowMicros();
        AtomicLong sequence = new AtomicLong();
        Set<String> beating = ConcurrentHashMap.newKeySet();
        List<byte[]> taken = java.util.Collections.synchronizedList(new ArrayList<>());
        ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> {
            for (String node : beating) {
                byte[] d = HeartbeatCodec.encode(heartbeat(node, sequence.incrementAndGet(), 0), epoch, KEY);
                send(at.get(node), d);
                if (node.startsWith("s2/") && taken.size() < 100) {
                    taken.add(d);
                }
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        try (DatagramSocket elsewhere = socketAt(plan.clientIp(7))) {
            beating.addAll(all);
            await().atMost(Duration.ofSeconds(60)).until(() -> all.stream().allMatch(ingest::isUp)
                    && taken.size() >= 10);
            beating.removeAll(List.of(host, nic));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> !ingest.isUp(host));

            long forged = events("heartbeatsForged");
            long misaddressed = events("heartbeatsMisaddressed");
            long replayed = events("heartbeatsReplayed");
            long decisions = ingest.decisions().size();
            int membershipEvents = ingest.events().size();
            double forgedMetric = metric("forged");
            double misaddressedMetric = metric("misaddressed");
            double replayedMetric = metric("replayed");

            HeartbeatMac otherKey = HeartbeatMac.forToken("not-the-cluster-token");
            long fresh = sequence.get() + 1_000_000;
            List<Runnable> flood = new ArrayList<>();
            for (int i = 0; i < 5_000; i++) {
                String node = i % 2 == 0 ? nic : host;
                byte[] d = HeartbeatCodec.encode(heartbeat(node, fresh + i, 64), epoch, otherKey);
                flood.add(() -> send(at.get(node), d));
            }
            for (int i = 0; i < 2_500; i++) {
                String node = i % 2 == 0 ? nic : host;
                byte[] d = HeartbeatCodec.encode(heartbeat(node, fresh + 10_000 + i, 64), epoch, KEY);
                DatagramSocket from = i % 3 == 0 ? at.get("s0/host") : i % 3 == 1 ? elsewhere
                        : at.get(node.equals(nic) ? host : nic);
                flood.add(() -> send(from, d));
            }
            List<byte[]> copies = List.copyOf(taken);
            for (int i = 0; i < 2_500; i++) {
                byte[] d = i % 2 == 0
                        ? HeartbeatCodec.encode(heartbeat(i % 4 == 0 ? nic : host, fresh + 20_000 + i, 64), epoch - 1,
                                KEY)
                        : copies.get((i / 2) % copies.size());
                String node = HeartbeatCodec.decode(d, 0, d.length).nodeId();
                flood.add(() -> send(at.get(node), d));
            }
            Collections.shuffle(flood, new Random(10));
            long bad = forged + misaddressed + replayed;
            for (int k = 0; k < flood.size(); k += FLOOD_BURST) {
                flood.subList(k, Math.min(flood.size(), k + FLOOD_BURST)).forEach(Runnable::run);
                long want = bad + Math.min(flood.size(), k + FLOOD_BURST);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10)).until(() ->
                        events("heartbeatsForged") + events("heartbeatsMisaddressed") + events("heartbeatsReplayed")
                                >= want);
            }

            System.out.printf("heartbeat ingest: 10,000 bad heartbeats: %d forged, %d misaddressed, %d replayed, "
                            + "%d decisions%n", events("heartbeatsForged") - forged,
                    events("heartbeatsMisaddressed") - misaddressed, events("heartbeatsReplayed") - replayed,
                    ingest.decisions().size() - decisions);
            assertThat(events("heartbeatsForged") - forged).isEqualTo(5_000);
            assertThat(events("heartbeatsMisaddressed") - misaddressed).isEqualTo(2_500);
            assertThat(events("heartbeatsReplayed") - replayed).isEqualTo(2_500);
            assertThat(metric("forged") - forgedMetric).isEqualTo(5_000);
            assertThat(metric("misaddressed") - misaddressedMetric).isEqualTo(2_500);
            assertThat(metric("replayed") - replayedMetric).isEqualTo(2_500);
            assertThat(ingest.decisions()).as("migration decisions").hasSize((int) decisions);
            assertThat(ingest.isUp(host)).as(host + " is still down").isFalse();
            assertThat(ingest.events().subList(membershipEvents, ingest.events().size()))
                    .as("membership changes during the flood").noneMatch(e -> e.up() && e.nodeId().startsWith("s2/"));

            beating.addAll(List.of(host, nic));
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> ingest.isUp(host));
        } finally {
            beats.shutdownNow();
            beats.awaitTermination(10, TimeUnit.SECONDS);
            at.values().forEach(DatagramSocket::close);
        }
    }

    /**
     * A heartbeat from {@code nodeId}; with a queue of 64 and a SmartNIC's link nearly idle, it reports a standing
     * queue: three in a row would make the orchestrator move one of its instances.
     */
    private static Heartbeat heartbeat(String nodeId, long sequence, int queue) {
        return new Heartbeat(nodeId, sequence, System.currentTimeMillis(), 50, queue, 1_000_000, 900_000,
                List.of(new InstanceStats("app/kv.0", 40, 0, 120_000, 0.4f),
                        new InstanceStats("app/rank.0", 10, 1, 2_500_000, 0.9f)));
    }

    private static long nowMicros() {
        return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    }

    private static DatagramSocket socketAt(int ip) throws IOException {
        return new DatagramSocket(0, InetAddress.getByName(AddressPlan.text(ip)));
    }

    private void send(DatagramSocket socket, byte[] datagram) {
        AddressPlan plan = config.plan();
        try {
            socket.send(new DatagramPacket(datagram, datagram.length,
                    InetAddress.getByName(AddressPlan.text(plan.controllerIp())), plan.heartbeatPort()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long events(String counter) {
        return ((Number) api().when().get("/v1/events").then().statusCode(200).extract().path(counter)).longValue();
    }

    /** The controller's e3_controller_heartbeats_total of {@code outcome} (0 before its first). */
    private static double metric(String outcome) {
        Matcher m = METRIC.matcher(api().when().get("/metrics").then().statusCode(200).extract().asString());
        while (m.find()) {
            if (m.group(1).equals(outcome)) {
                return Double.parseDouble(m.group(2));
            }
        }
        return 0;
    }
}
