package io.e3.model.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPlanTest {

    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE2_SMARTNIC, 2);
    private static final AddressPlan PLAN = AddressPlan.of(CLUSTER, 42);

    @Test
    void putsTheSwitchAndTheControllerAtTheStartOfTheBlock() {
        assertThat(AddressPlan.text(PLAN.torIp())).isEqualTo("127.42.0.1");
        assertThat(AddressPlan.text(PLAN.controllerIp())).isEqualTo("127.42.0.2");
        assertThat(PLAN.nodeAt(PLAN.torIp())).isEmpty();
        assertThat(PLAN.isClient(PLAN.torIp())).isFalse();
        assertThat(PLAN.isClient(PLAN.controllerIp())).isFalse();
        assertThat(PLAN.block()).isEqualTo("127.42.0.0/16");
        assertThat(PLAN.switchUrl()).isEqualTo("http://127.42.0.1:7080");
    }

    @Test
    void numbersClientsFromDotTenToDotTwoFiftyFour() {
        assertThat(AddressPlan.text(PLAN.clientIp(0))).isEqualTo("127.42.0.10");
        assertThat(AddressPlan.text(PLAN.clientIp(244))).isEqualTo("127.42.0.254");
        assertThat(PLAN.isClient(PLAN.clientIp(0))).isTrue();
        assertThat(PLAN.isClient(PLAN.clientIp(244))).isTrue();
        assertThat(PLAN.isClient(AddressPlan.parse("127.42.0.9"))).isFalse();
        assertThat(PLAN.isClient(PLAN.ipOf("s0/host"))).isFalse();
        assertThatThrownBy(() -> PLAN.clientIp(245)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[0, 244]");
        assertThatThrownBy(() -> PLAN.clientIp(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void numbersComputeNodesFromDotOneDotZeroServerByServerHostFirst() {
        assertThat(AddressPlan.text(PLAN.ipOf("s0/host"))).isEqualTo("127.42.1.0");
        assertThat(AddressPlan.text(PLAN.ipOf("s0/nic0"))).isEqualTo("127.42.1.1");
        assertThat(AddressPlan.text(PLAN.ipOf("s0/nic3"))).isEqualTo("127.42.1.4");
        assertThat(AddressPlan.text(PLAN.ipOf("s1/host"))).isEqualTo("127.42.1.5");
        assertThat(AddressPlan.text(PLAN.ipOf("s1/nic3"))).isEqualTo("127.42.1.9");
        for (ComputeNode node : CLUSTER.nodes()) {
            assertThat(PLAN.nodeAt(PLAN.ipOf(node.id()))).contains(node);
        }
        assertThat(PLAN.nodeAt(AddressPlan.parse("127.42.1.10"))).isEmpty();
    }

    @Test
    void givesEachNodeAControlUrlOnTheSharedHttpPort() {
        assertThat(PLAN.httpUrl("s1/nic3")).isEqualTo("http://127.42.1.9:7080");
        AddressPlan custom = new AddressPlan(CLUSTER, 7, 9000, 9080, 9001);
        assertThat(custom.httpUrl("s0/host")).isEqualTo("http://127.7.1.0:9080");
        assertThat(custom.dataPort()).isEqualTo(9000);
        assertThat(custom.heartbeatPort()).isEqualTo(9001);
        assertThat(custom.cluster()).isSameAs(CLUSTER);
    }

    @Test
    void refusesANodeNotInTheCluster() {
        assertThatThrownBy(() -> PLAN.ipOf("s2/host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'s2/host'")
                .hasMessageContaining(CLUSTER.name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0", "127.42.1.9", "255.255.255.255", "10.0.255.1", "192.168.0.1"})
    void writesAndReadsDottedQuads(String dotted) {
        assertThat(AddressPlan.text(AddressPlan.parse(dotted))).isEqualTo(dotted);
    }

    @Test
    void readsDottedQuadsBigEndian() {
        assertThat(AddressPlan.parse("127.0.0.1")).isEqualTo(0x7f000001);
        assertThat(AddressPlan.parse("255.255.255.255")).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1.2.3", "1.2.3.4.5", "1.2.3.256", "1.2.-1.4", "a.b.c.d", "1..2.3", "1.2.3.4."})
    void refusesWhatIsNotADottedQuad(String text) {
        assertThatThrownBy(() -> AddressPlan.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("not an IPv4 address: '" + text + "'");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 255, -1})
    void refusesASecondOctetOutsideOneTo254(int octet) {
        assertThatThrownBy(() -> AddressPlan.of(CLUSTER, octet))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got " + octet);
    }

    @Test
    void refusesPortsOutsideTheUdpRange() {
        assertThatThrownBy(() -> new AddressPlan(CLUSTER, 42, 0, 7080, 7001)).hasMessageContaining("got 0");
        assertThatThrownBy(() -> new AddressPlan(CLUSTER, 42, 7000, 65_536, 7001)).hasMessageContaining("got 65536");
        assertThatThrownBy(() -> new AddressPlan(CLUSTER, 42, 7000, 7080, -5)).hasMessageContaining("got -5");
    }
}
