package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's failure detector (§5.4.5) on its own heartbeat socket: the test stands in for the six agents of the
 * 3xType1-SmartNIC cluster, sending their heartbeats 20 times a second, and silences some. Five of six silent at once
 * is a disruption, not five failures; one silent node is declared down, and readmitted when it heartbeats again.
 */
@QuarkusTest
class FailureDetectorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @Inject
    ControllerConfig config;

    @Inject
    FailoverManager failover;

    @Inject
    HeartbeatIngest ingest;

    /** The nodes whose heartbeats are being sent. */
    private final Set<String> beating = ConcurrentHashMap.newKeySet();
    private final AtomicLong sequence = new AtomicLong(System.currentTimeMillis() * 1_000);
    private ScheduledExecutorService beats;
    /** Each node's heartbeats come from its own address, signed with the cluster token's key, as an agent's do. */
    private final Map<String, DatagramSocket> sockets = new ConcurrentHashMap<>();
    private final long epoch = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    private final HeartbeatMac key = HeartbeatMac.forToken("test-token");
    private List<String> all;

    @BeforeEach
    void startBeating() throws Exception {
        all = config.cluster().nodes().stream().map(ComputeNode::id).toList();
        AddressPlan plan = config.plan();
        InetAddress controller = InetAddress.getByName(AddressPlan.text(plan.controllerIp()));
        for (String node : all) {
            sockets.put(node, new DatagramSocket(0, InetAddress.getByName(AddressPlan.text(plan.ipOf(node)))));
        }
        beats = Executors.newSingleThreadScheduledExecutor();
        beats.scheduleAtFixedRate(() -> {
            for (String node : beating) {
                byte[] b = HeartbeatCodec.encode(new Heartbeat(node, sequence.incrementAndGet(),
                        System.currentTimeMillis(), 50, 0, 0, 0, List.of()), epoch, key);
                try {
                    sockets.get(node).send(new DatagramPacket(b, b.length, controller, plan.heartbeatPort()));
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            }
        }, 0, 50, TimeUnit.MILLISECONDS);
        beating.addAll(all);
        // Whatever earlier tests left (no agents run here: a disruption, most likely) is over once all six beat.
        await().atMost(PATIENCE).until(() -> all.stream().allMatch(ingest::isUp) && !disrupted());
    }

    @AfterEach
    void stopBeating() throws Exception {
        beats.shutdownNow();
        beats.awaitTermination(10, TimeUnit.SECONDS);
        sockets.values().forEach(DatagramSocket::close);
    }

    @Test
    void fiveOfSixNodesSilentAtOnceIsADisruptionNotAFailover() throws Exception {
        List<String> silenced = all.stream().filter(n -> !n.equals("s0/host")).toList();
        int downEvents = downEvents().size();
        long since = System.currentTimeMillis();
        beating.removeAll(silenced);

        await().atMost(PATIENCE).until(() -> notices("DISRUPTION", since).size() == 1);
        JsonNode disruption = notices("DISRUPTION", since).get(0);
        assertThat(disruption.path("detail").asText()).startsWith("5 of 6 up nodes silent at once");
        List<String> named = new ArrayList<>();
        disruption.path("nodes").forEach(n -> named.add(n.asText()));
        assertThat(named).containsExactlyInAnyOrderElementsOf(silenced);
        // It holds off for as long as it lasts: three seconds, six times the 500 ms timeout.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                downEvents().size() == downEvents && disrupted());

        beating.addAll(silenced);
        await().atMost(PATIENCE).until(() -> !notices("DISRUPTION_OVER", since).isEmpty());
        assertThat(downEvents()).as("no node declared down").hasSize(downEvents);
        assertThat(failover.downNodes()).doesNotContainAnyElementsOf(silenced);
        assertThat(all).allMatch(ingest::isUp);
        System.out.printf("failure detector: 5 of 6 nodes silenced; no failover; notice: %s%n",
                disruption.path("detail").asText());
    }

    @Test
    void aNodeDeclaredDownIsReadmittedWhenItHeartbeatsAgain() throws Exception {
        long since = System.currentTimeMillis();
        beating.remove("s2/nic0");
        await().atMost(PATIENCE).until(() -> failover.downNodes().contains("s2/nic0"));
        assertThat(ingest.isUp("s2/nic0")).isFalse();
        assertThat(ingest.isUp("s2/host")).as("its host beats on").isTrue();

        beating.add("s2/nic0");
        await().atMost(PATIENCE).until(() -> ingest.isUp("s2/nic0") && !failover.downNodes().contains("s2/nic0"));
        assertThat(notices("READMITTED", since)).anySatisfy(n -> assertThat(n.path("nodes").toString())
                .contains("s2/nic0"));
        JsonNode membership = events().path("membership");
        assertThat(membership.get(membership.size() - 1).path("up").asBoolean()).as("the last change: back up")
                .isTrue();
    }

    private static JsonNode events() throws Exception {
        return JSON.readTree(api().when().get("/v1/events").then().statusCode(200).extract().asString());
    }

    private static List<JsonNode> downEvents() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        events().path("membership").forEach(e -> {
            if (!e.path("up").asBoolean()) {
                out.add(e);
            }
        });
        return out;
    }

    /** The notices of {@code kind} made at or after {@code sinceMillis}. */
    private static List<JsonNode> notices(String kind, long sinceMillis) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        events().path("membershipNotices").forEach(n -> {
            if (n.path("kind").asText().equals(kind) && n.path("atMillis").asLong() >= sinceMillis) {
                out.add(n);
            }
        });
        return out;
    }

    /** Whether the detector's last word on disruptions was that one began. */
    private static boolean disrupted() throws Exception {
        String last = "";
        for (JsonNode n : events().path("membershipNotices")) {
            String kind = n.path("kind").asText();
            if (kind.startsWith("DISRUPTION")) {
                last = kind;
            }
        }
        return last.equals("DISRUPTION");
    }
}
