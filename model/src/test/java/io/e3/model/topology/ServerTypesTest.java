package io.e3.model.topology;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ServerTypesTest {

    @ParameterizedTest(name = "{0} matches its Table 5.4 row")
    @CsvSource({
            // name,          cost,  BC, WC, Mem GB, idle, peak, Bw
            "Beefy,           4500,  12,  0,  64,  83, 201, 20",
            "Wimpy,           2209,   0, 32,   2,  79,  95, 20",
            "Type1-SmartNIC,  4650,  12, 12,  68,  98, 222, 20",
            "Type2-SmartNIC,  6750,  16, 48, 144, 145, 252, 40",
            "SuperBeefy,     12550,  24,  0, 192,  77, 256, 80"})
    void builtInTypeMatchesTable54(String name, double cost, int beefy, int wimpy, long memoryGiB, double idle,
                                   double peak, double bandwidth) {
        ServerType type = ServerTypes.byName(name).orElseThrow();
        assertThat(type.costUsd()).isEqualTo(cost);
        assertThat(type.beefyCores()).isEqualTo(beefy);
        assertThat(type.wimpyCores()).isEqualTo(wimpy);
        assertThat(type.memoryMiB()).isEqualTo(memoryGiB * 1024);
        assertThat(type.idleWatts()).isEqualTo(idle);
        assertThat(type.peakWatts()).isEqualTo(peak);
        assertThat(type.bandwidthGbps()).isEqualTo(bandwidth);
    }

    @Test
    void type1IsOneHostAndOneLiquidIoClassSmartNic() {
        ServerType t = ServerTypes.TYPE1_SMARTNIC;
        assertThat(t.computeNodes()).isEqualTo(2);
        assertThat(t.smartNic()).isEqualTo(NodeCapacity.wimpy(12, 4096, 20));
    }

    @Test
    void type2IsOneHostAndFourSmartNicsSharingTheBandwidth() {
        ServerType t = ServerTypes.TYPE2_SMARTNIC;
        assertThat(t.smartNics()).isEqualTo(4);
        assertThat(t.smartNic().bandwidthGbps() * t.smartNics()).isEqualTo(t.bandwidthGbps());
    }

    @Test
    void wimpyServerIsAHostOf32WimpyCores() {
        assertThat(ServerTypes.WIMPY.host()).isEqualTo(NodeCapacity.wimpy(32, 2048, 20));
        assertThat(ServerTypes.WIMPY.smartNics()).isZero();
    }

    @Test
    void namesMatchWithoutRegardToCase() {
        assertThat(ServerTypes.byName("type2-smartnic")).contains(ServerTypes.TYPE2_SMARTNIC);
        assertThat(ServerTypes.byName("Type3-SmartNIC")).isEmpty();
    }

    @Test
    void rejectsPeakPowerBelowIdle() {
        assertThatThrownBy(() -> new ServerType("x", 1, 100, 90, NodeCapacity.beefy(1, 1, 1), 0, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("peakWatts must be >= idleWatts");
    }

    @Test
    void rejectsHostBandwidthAboveItsSmartNicPorts() {
        assertThatThrownBy(() -> new ServerType("x", 1, 1, 2, NodeCapacity.beefy(1, 1, 40), 2,
                NodeCapacity.wimpy(1, 1, 10)))
                .hasMessageContaining("exceeds the SmartNIC ports' 2 x 10.0 Gb/s");
    }
}
