package io.e3.model.topology;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterTest {

    private static Cluster twoType2() {
        Rack rack = new Rack("rack-0", Rack.DEFAULT_POD, List.of(
                Server.of("s0", "rack-0", Rack.DEFAULT_POD, ServerTypes.TYPE2_SMARTNIC),
                Server.of("s1", "rack-0", Rack.DEFAULT_POD, ServerTypes.TYPE2_SMARTNIC)));
        return new Cluster("two", List.of(rack));
    }

    @Test
    void serverOfType2HasHostFirstThenFourSmartNics() {
        Server s = Server.of("s7", "r", "p", ServerTypes.TYPE2_SMARTNIC);
        assertThat(s.nodes()).extracting(ComputeNode::id)
                .containsExactly("s7/host", "s7/nic0", "s7/nic1", "s7/nic2", "s7/nic3");
        assertThat(s.host().kind()).isEqualTo(NodeKind.HOST);
        assertThat(s.smartNics()).allMatch(ComputeNode::isSmartNic).hasSize(4);
        assertThat(s.nodes()).extracting(ComputeNode::faultDomain).containsOnly("s7");
    }

    @Test
    void totalsAddUpOverServers() {
        Cluster c = twoType2();
        assertThat(c.nodes()).hasSize(10);
        assertThat(c.count(NodeKind.HOST)).isEqualTo(2);
        assertThat(c.count(NodeKind.SMARTNIC)).isEqualTo(8);
        assertThat(c.idleWatts()).isEqualTo(290);
        assertThat(c.peakWatts()).isEqualTo(504);
        assertThat(c.costUsd()).isEqualTo(13_500);
    }

    @Test
    void looksUpNodesAndServersById() {
        Cluster c = twoType2();
        assertThat(c.node("s1/nic3")).hasValueSatisfying(n -> assertThat(n.serverId()).isEqualTo("s1"));
        assertThat(c.node("s2/host")).isEmpty();
        assertThat(c.server("s0")).hasValueSatisfying(s -> assertThat(s.type()).isEqualTo(ServerTypes.TYPE2_SMARTNIC));
    }

    @Test
    void rejectsDuplicateServerIds() {
        Rack a = new Rack("a", "p", List.of(Server.of("s0", "a", "p", ServerTypes.BEEFY)));
        Rack b = new Rack("b", "p", List.of(Server.of("s0", "b", "p", ServerTypes.BEEFY)));
        assertThatThrownBy(() -> new Cluster("c", List.of(a, b))).hasMessageContaining("duplicate server id 's0'");
    }
}
