package io.e3.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.e3.controller.HeartbeatReceiver.Outcome;
import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import io.e3.orchestrator.NodeIndex;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The receiver's checks without a socket: their order, and that only an accepted heartbeat moves the replay mark. */
class HeartbeatReceiverTest {

    private static final HeartbeatMac KEY = HeartbeatMac.forToken("cluster-token");
    private static final HeartbeatMac OTHER = HeartbeatMac.forToken("another-token");

    private final Cluster cluster = Clusters.fatTree("t", ServerTypes.TYPE1_SMARTNIC, 2, 40, 16);
    private final AddressPlan plan = AddressPlan.of(cluster, 9);
    private final NodeIndex nodes = NodeIndex.of(cluster);
    private final List<String> taken = new ArrayList<>();
    private final HeartbeatReceiver receiver = new HeartbeatReceiver(nodes, ips(),
            KEY, (node, view, now) -> taken.add(nodes.node(node).id() + "#" + view.sequence()));

    private int[] ips() {
        int[] ips = new int[nodes.size()];
        for (int n = 0; n < ips.length; n++) {
            ips[n] = plan.ipOf(nodes.node(n).id());
        }
        return ips;
    }

    private Outcome take(byte[] datagram, String from) {
        return receiver.take(datagram, datagram.length, plan.ipOf(from), 0);
    }

    private static byte[] beat(String node, long epoch, long seq, HeartbeatMac mac) {
        return HeartbeatCodec.encode(new Heartbeat(node, seq, 0, 50, 0, 0, 0, List.of()), epoch, mac);
    }

    @Test
    void checksRunInOrderAndOnlyAcceptedHeartbeatsMoveTheReplayMark() {
        String nic = cluster.nodes().get(1).id();
        String host = cluster.nodes().get(0).id();
        assertThat(take(beat(nic, 10, 5, KEY), nic)).isEqualTo(Outcome.ACCEPTED);
        byte[] truncated = java.util.Arrays.copyOf(beat(nic, 10, 6, KEY), 30);
        assertThat(receiver.take(truncated, truncated.length, plan.ipOf(nic), 0)).isEqualTo(Outcome.MALFORMED);
        assertThat(take(beat(nic, 10, 6, OTHER), host)).as("forged and misaddressed").isEqualTo(Outcome.MISADDRESSED);
        assertThat(take(beat(nic, 10, 1, OTHER), nic)).as("forged and replayed").isEqualTo(Outcome.FORGED);
        assertThat(take(beat("s99/nic0", 10, 6, KEY), nic)).as("no such node").isEqualTo(Outcome.MISADDRESSED);
        assertThat(take(beat(nic, 10, 1_000, OTHER), nic)).isEqualTo(Outcome.FORGED);
        assertThat(take(beat(nic, 10, 1_000, KEY), host)).isEqualTo(Outcome.MISADDRESSED);
        assertThat(receiver.take(beat(nic, 10, 1_000, KEY), beat(nic, 10, 1_000, KEY).length, plan.controllerIp(), 0))
                .as("from an address no node has").isEqualTo(Outcome.MISADDRESSED);
        assertThat(take(beat(nic, 10, 6, KEY), nic)).as("neither moved the mark").isEqualTo(Outcome.ACCEPTED);
        assertThat(take(beat(nic, 10, 6, KEY), nic)).isEqualTo(Outcome.REPLAYED);
        assertThat(take(beat(nic, 9, 7, KEY), nic)).as("older epoch").isEqualTo(Outcome.REPLAYED);
        assertThat(take(beat(nic, 11, 0, KEY), nic)).as("restarted agent").isEqualTo(Outcome.ACCEPTED);
        assertThat(taken).containsExactly(nic + "#5", nic + "#6", nic + "#0");
        Map<Outcome, Long> counted = new EnumMap<>(Outcome.class);
        for (Outcome o : Outcome.values()) {
            counted.put(o, receiver.count(o));
        }
        assertThat(counted).containsEntry(Outcome.ACCEPTED, 3L).containsEntry(Outcome.MALFORMED, 1L)
                .containsEntry(Outcome.MISADDRESSED, 4L).containsEntry(Outcome.FORGED, 2L)
                .containsEntry(Outcome.REPLAYED, 2L);
        assertThat(receiver.total()).isEqualTo(12);
    }

    @Test
    void aServerBatchIsTakenHeartbeatByHeartbeatAndMayNameOnlyNodesOfTheSendersServer() {
        String host = cluster.nodes().get(0).id();
        String nic = cluster.nodes().get(1).id();
        String otherServersNic = cluster.nodes().stream().filter(n -> !n.serverId().equals(cluster.nodes().get(0)
                .serverId()) && n.isSmartNic()).findFirst().orElseThrow().id();
        byte[] batch = HeartbeatCodec.batch(List.of(beat(host, 10, 1, KEY), beat(nic, 20, 1, KEY),
                beat(otherServersNic, 30, 1, KEY), beat(nic, 20, 2, OTHER), beat(nic, 20, 1, KEY)));
        assertThat(take(batch, nic)).as("the last one's outcome").isEqualTo(Outcome.REPLAYED);
        assertThat(taken).containsExactly(host + "#1", nic + "#1");
        assertThat(receiver.count(Outcome.ACCEPTED)).isEqualTo(2);
        assertThat(receiver.count(Outcome.MISADDRESSED)).as("another server's node").isEqualTo(1);
        assertThat(receiver.count(Outcome.FORGED)).isEqualTo(1);
        assertThat(receiver.count(Outcome.REPLAYED)).isEqualTo(1);
        assertThat(take(HeartbeatCodec.batch(List.of(beat(nic, 20, 3, KEY))), otherServersNic))
                .as("a batch from another server's address").isEqualTo(Outcome.MISADDRESSED);
        byte[] fromNoNode = HeartbeatCodec.batch(List.of(beat(nic, 20, 3, KEY)));
        assertThat(receiver.take(fromNoNode, fromNoNode.length, plan.controllerIp(), 0)).as("from no node's address")
                .isEqualTo(Outcome.MISADDRESSED);
        assertThat(receiver.count(Outcome.MISADDRESSED)).isEqualTo(3);
        byte[] cut = HeartbeatCodec.batch(List.of(beat(nic, 20, 4, KEY), beat(host, 10, 4, KEY)));
        assertThat(receiver.take(cut, cut.length - 1, plan.ipOf(nic), 0)).as("framing cut short")
                .isEqualTo(Outcome.MALFORMED);
        assertThat(receiver.count(Outcome.MALFORMED)).as("a bad frame counts once").isEqualTo(1);
        assertThat(taken).as("nothing from the bad batches").containsExactly(host + "#1", nic + "#1");
        byte[] junk = HeartbeatCodec.batch(java.util.Collections.nCopies(200, new byte[0]));
        assertThat(receiver.take(junk, junk.length, plan.controllerIp(), 0)).isEqualTo(Outcome.MISADDRESSED);
        assertThat(receiver.count(Outcome.MISADDRESSED)).as("junk from no node: not decoded, each misaddressed")
                .isEqualTo(203);
        assertThat(take(junk, nic)).isEqualTo(Outcome.MALFORMED);
        assertThat(receiver.count(Outcome.MALFORMED)).as("junk from a node: each heartbeat malformed").isEqualTo(201);
    }

    @Test
    void anIpv4AddressIsItsInt() throws Exception {
        assertThat(HeartbeatReceiver.ipv4(InetAddress.getByName("127.41.1.3")))
                .isEqualTo(AddressPlan.parse("127.41.1.3"));
        assertThat(HeartbeatReceiver.ipv4(InetAddress.getByName("::1"))).isZero();
    }
}
