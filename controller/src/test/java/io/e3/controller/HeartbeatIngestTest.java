package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.AddressPlan;
import io.quarkus.test.junit.QuarkusTest;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Malformed heartbeats are counted and ignored. Noise, valid heartbeats with one bit flipped and
 * truncated ones are sent to the controller's heartbeat socket between valid ones; every damaged one is counted as
 * malformed, every valid one is taken, and the controller goes on serving.
 */
@QuarkusTest
class HeartbeatIngestTest {

    /** Datagrams per burst: the socket's 64 KiB receive buffer holds several dozen, so none is lost to it. */
    private static final int BURST = 20;

    @jakarta.inject.Inject
    ControllerConfig config;

    @Test
    void malformedHeartbeatsAreCountedAndIgnored() throws Exception {
        long received = events("heartbeatsReceived");
        long malformed = events("heartbeatsMalformed");
        SplittableRandom random = new SplittableRandom(6);
        List<byte[]> damaged = new ArrayList<>();
        List<byte[]> valid = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] good = HeartbeatCodec.encode(heartbeat(i + 1));
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
        InetAddress controller = InetAddress.getByName(AddressPlan.text(plan.controllerIp()));
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getByName("127.0.0.1"))) {
            int sentDamaged = 0;
            int sentValid = 0;
            while (sentDamaged < damaged.size()) {
                for (int i = 0; i < BURST && sentDamaged < damaged.size(); i++) {
                    byte[] d = damaged.get(sentDamaged++);
                    socket.send(new DatagramPacket(d, d.length, controller, plan.heartbeatPort()));
                }
                byte[] v = valid.get(sentValid++);
                socket.send(new DatagramPacket(v, v.length, controller, plan.heartbeatPort()));
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
        assertThat(api().when().get("/metrics").then().statusCode(200).extract().asString())
                .contains("e3_controller_heartbeats_total{outcome=\"malformed\",} " + damaged.size() + ".0");
    }

    private static Heartbeat heartbeat(long sequence) {
        return new Heartbeat("s1/nic0", sequence, System.currentTimeMillis(), 50, 3, 1_000_000, 900_000,
                List.of(new InstanceStats("app/kv.0", 40, 0, 120_000, 0.4f),
                        new InstanceStats("app/rank.0", 10, 1, 2_500_000, 0.9f)));
    }

    private static long events(String counter) {
        return ((Number) api().when().get("/v1/events").then().statusCode(200).extract().path(counter)).longValue();
    }
}
