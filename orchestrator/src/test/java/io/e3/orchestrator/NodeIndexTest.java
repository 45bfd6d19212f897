package io.e3.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatView;
import io.e3.model.telemetry.MalformedHeartbeatException;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Node numbers in cluster order, found from a string or from a heartbeat's bytes. */
class NodeIndexTest {

    private static final Cluster CLUSTER = Clusters.fatTree("index", ServerTypes.TYPE2_SMARTNIC, 2_000, 40, 16);
    private static final NodeIndex INDEX = NodeIndex.of(CLUSTER);

    @Test
    void numbersEveryNodeByItsPlaceInTheCluster() {
        assertThat(INDEX.size()).isEqualTo(10_000);
        for (int n = 0; n < CLUSTER.nodes().size(); n++) {
            String id = CLUSTER.nodes().get(n).id();
            assertThat(INDEX.indexOf(id)).as(id).isEqualTo(n);
            assertThat(INDEX.node(n)).isSameAs(CLUSTER.nodes().get(n));
        }
    }

    @Test
    void findsANodeFromItsBytesAnywhereInABuffer() {
        byte[] buffer = "xxs1999/nic3yy".getBytes(StandardCharsets.UTF_8);
        assertThat(INDEX.indexOf(buffer, 2, 10)).isEqualTo(CLUSTER.nodes().size() - 1);
        assertThat(INDEX.indexOf(buffer, 2, 9)).as("s1999/nic").isEqualTo(NodeIndex.UNKNOWN);
        assertThat(INDEX.indexOf(buffer, 1, 11)).as("xs1999/nic3").isEqualTo(NodeIndex.UNKNOWN);
    }

    @Test
    void findsTheNodeThatSentAHeartbeat() throws MalformedHeartbeatException {
        byte[] datagram = HeartbeatCodec.encode(new Heartbeat("s17/nic2", 1, 0, 50, 0, 0, 0, List.of()));
        HeartbeatView view = new HeartbeatView();
        HeartbeatCodec.decode(datagram, 0, datagram.length, view);
        assertThat(INDEX.node(INDEX.indexOf(view)).id()).isEqualTo("s17/nic2");
    }

    @Test
    void idsOfNoNodeAreUnknown() {
        for (String id : List.of("", "s2000/host", "s0/nic4", "s0/Host", "s0", "s0/host ", "s00/host", "x".repeat(255))) {
            assertThat(INDEX.indexOf(id)).as("'%s'", id).isEqualTo(NodeIndex.UNKNOWN);
        }
    }

    @Test
    void aClusterOfOneServerHasRoomForItsNodes() {
        NodeIndex one = NodeIndex.of(Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1));
        assertThat(List.of(one.indexOf("s0/host"), one.indexOf("s0/nic0"), one.indexOf("s1/host")))
                .containsExactly(0, 1, NodeIndex.UNKNOWN);
    }
}
