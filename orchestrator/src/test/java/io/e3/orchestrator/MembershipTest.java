package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Failover membership: timeouts, the server as fault domain, recovery (§5.4.5). */
class MembershipTest {

    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE2_SMARTNIC, 2);
    private final Membership m = new Membership(CLUSTER, OrchestratorSettings.DEFAULT, 0);

    private void allBeat(long now, String... except) {
        List<String> skip = List.of(except);
        CLUSTER.nodes().stream().filter(n -> !skip.contains(n.id())).forEach(n -> m.heartbeat(n.id(), now));
    }

    @Test
    void aSilentSmartNicIsDeclaredDownAloneAfterTheTimeout() {
        allBeat(400, "s1/nic2");
        assertThat(m.check(500)).isEmpty();
        assertThat(m.check(501)).singleElement().satisfies(e -> {
            assertThat(e.nodeId()).isEqualTo("s1/nic2");
            assertThat(e.up()).isFalse();
            assertThat(e.reason()).isEqualTo("no heartbeat for 501 ms");
        });
        assertThat(m.isUp("s1/host")).isTrue();
        assertThat(m.check(600)).as("declared once").isEmpty();
        assertThat(m.heartbeat("s1/nic2", 650)).singleElement().satisfies(e -> assertThat(e.up()).isTrue());
    }

    @Test
    void theTimeoutIsConfigurable() {
        Membership slow = new Membership(CLUSTER, OrchestratorSettings.DEFAULT.withFailureTimeoutMillis(2_000), 0);
        CLUSTER.nodes().stream().filter(n -> !n.id().equals("s0/nic1")).forEach(n -> slow.heartbeat(n.id(), 1_500));
        assertThat(slow.check(2_000)).as("2 s of silence is not yet over the timeout").isEmpty();
        assertThat(slow.check(2_001)).singleElement().satisfies(e -> assertThat(e.nodeId()).isEqualTo("s0/nic1"));
    }

    @Test
    void aSilentHostTakesItsSmartNicsDownWithIt() {
        allBeat(400, "s0/host");
        List<NodeEvent> events = m.check(700);
        assertThat(events).extracting(NodeEvent::nodeId)
                .containsExactly("s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3");
        assertThat(events).allSatisfy(e -> assertThat(e.server()).isEqualTo("s0"));
        assertThat(m.isUp("s1/nic0")).isTrue();
        assertThat(m.heartbeat("s0/nic1", 720)).as("no SmartNIC back before its host").isEmpty();
        assertThat(m.heartbeat("s0/host", 730)).singleElement().satisfies(e -> assertThat(e.nodeId())
                .isEqualTo("s0/host"));
        assertThat(m.heartbeat("s0/nic1", 740)).singleElement().satisfies(e -> assertThat(e.up()).isTrue());
    }

    @Test
    void heartbeatsFromUnknownNodesChangeNothing() {
        assertThat(m.heartbeat("s7/host", 10)).isEmpty();
        assertThat(m.isUp("s7/host")).isFalse();
    }

    @Test
    void heartbeatsByNodeNumberCountAsByName() {
        NodeIndex nodes = NodeIndex.of(CLUSTER);
        Membership byNumber = new Membership(nodes, OrchestratorSettings.DEFAULT, 0);
        CLUSTER.nodes().stream().filter(n -> !n.id().equals("s0/host"))
                .forEach(n -> byNumber.heartbeat(nodes.indexOf(n.id()), 400));
        assertThat(byNumber.check(700)).extracting(NodeEvent::nodeId)
                .containsExactly("s0/host", "s0/nic0", "s0/nic1", "s0/nic2", "s0/nic3");
        assertThat(byNumber.heartbeat(nodes.indexOf("s0/host"), 730)).singleElement()
                .satisfies(e -> assertThat(e.reason()).isEqualTo("heartbeats again"));
        assertThat(byNumber.heartbeat(NodeIndex.UNKNOWN, 740)).isEmpty();
        assertThat(byNumber.isUp("s0/host")).isTrue();
        assertThat(byNumber.isUp("s0/nic0")).isFalse();
    }
}
