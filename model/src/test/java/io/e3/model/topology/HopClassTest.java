package io.e3.model.topology;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HopClassTest {

    private static final Cluster C = Clusters.named("c")
            .rack("r0", "p0", ServerTypes.TYPE2_SMARTNIC, 2)
            .rack("r1", "p0", ServerTypes.TYPE1_SMARTNIC, 1)
            .rack("r2", "p1", ServerTypes.BEEFY, 1)
            .build();

    private static HopClass hop(String a, String b) {
        return HopClass.between(C.node(a).orElseThrow(), C.node(b).orElseThrow());
    }

    @Test
    void classifiesEveryKindOfPair() {
        assertThat(hop("s0/host", "s0/host")).isEqualTo(HopClass.SAME_NODE);
        assertThat(hop("s0/host", "s0/nic2")).isEqualTo(HopClass.PCIE);
        assertThat(hop("s0/nic0", "s0/nic1")).as("SmartNICs of one server talk through the ToR (§5.4.1)")
                .isEqualTo(HopClass.SMARTNIC_TOR);
        assertThat(hop("s0/nic0", "s1/nic3")).isEqualTo(HopClass.SMARTNIC_TOR);
        assertThat(hop("s0/host", "s1/nic0")).isEqualTo(HopClass.HOST_SMARTNIC_TOR);
        assertThat(hop("s0/host", "s1/host")).isEqualTo(HopClass.HOST_TOR);
        assertThat(hop("s0/nic0", "s2/nic0")).isEqualTo(HopClass.CROSS_RACK);
        assertThat(hop("s0/nic0", "s3/host")).isEqualTo(HopClass.CROSS_POD);
    }

    @Test
    void pcieAndSmartNicPathsAreFasterThanHostToHostAsSection534Measured() {
        assertThat(HopClass.PCIE.relativeLatency()).isEqualTo(1 - 0.833, org.assertj.core.api.Assertions.within(1e-12));
        assertThat(HopClass.SMARTNIC_TOR.relativeLatency()).isLessThan(HopClass.PCIE.relativeLatency());
        assertThat(HopClass.HOST_TOR.relativeLatency()).isEqualTo(1.0);
    }
}
