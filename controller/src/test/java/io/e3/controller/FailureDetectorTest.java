package io.e3.controller;

import static io.e3.controller.ControllerApi.api;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.e3.model.topology.ComputeNode;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
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

    private BeatingNodes nodes;
    private Set<String> beating;
    private List<String> all;

    @BeforeEach
    void startBeating() throws Exception {
        all = config.cluster().nodes().stream().map(ComputeNode::id).toList();
        nodes = new BeatingNodes(config.plan(), all);
        beating = nodes.beating();
        beating.addAll(all);
        // Whatever earlier tests left (no agents run here: a disruption, most likely) is over once all six beat.
        await().atMost(PATIENCE).until(() -> all.stream().allMatch(ingest::isUp) && !disrupted());
    }

    @AfterEach
    void stopBeating() throws Exception {
        nodes.close();
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
