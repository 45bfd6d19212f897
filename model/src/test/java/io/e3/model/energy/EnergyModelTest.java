package io.e3.model.energy;

import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.model.topology.Server;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class EnergyModelTest {

    /** Table 5.1, copied here on its own: type, Host (DPDK) RPS, W, C, RPJ, SmartNIC RPS, W, RPJ. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "IPSEC,        0.9e6, 112.1, 12, 8.1e3,  1.9e6,  23.4, 79.0e3",
            "BM25,        99.5e3, 110.0, 12, 0.9e3,  0.4e6,  19.2, 20.6e3",
            "NIDS,         1.8e6, 106.8, 12, 17.2e3, 2.0e6,  23.4, 84.8e3",
            "RECOMMEND,    4.1e3, 111.7, 12, 0.04e3, 12.8e3, 18.9, 0.7e3",
            "NATV4,        1.9e6,  52.1,  4, 36.8e3, 2.0e6,  23.6, 86.9e3",
            "COUNT,        2.0e6,  48.6,  4, 40.3e3, 2.0e6,  21.0, 96.1e3",
            "EMA,          2.0e6,  52.1,  4, 38.6e3, 2.1e6,  22.0, 93.5e3",
            "KVS,          2.0e6,  33.6,  2, 59.6e3, 2.0e6,  21.6, 97.1e3",
            "FLOW_MONITOR, 2.0e6,  49.8,  4, 40.4e3, 2.0e6,  24.3, 83.6e3",
            "DDOS,         1.8e6, 105.7, 12, 17.4e3, 2.0e6,  24.3, 80.4e3",
            "KNN,         42.4e3, 110.4, 12, 0.4e3,  29.9e3, 20.0, 1.5e3",
            "SPIKE,        0.1e6, 112.3, 12, 0.9e3,  73.8e3, 23.5, 3.1e3",
            "BAYES,       13.7e3, 112.0, 12, 0.1e3,  1.6e3,  19.5, 0.08e3",
            "API_GATEWAY,  1.6e6, 110.6, 12, 14.3e3, 0.1e6,  24.7, 5.0e3",
            "TOP_RANKER,   0.8e6, 109.2, 12, 7.1e3,  14.8e3, 20.3, 0.7e3",
            "SQL,          0.5e6, 113.0, 12, 4.7e3,  39.5e3, 18.8, 2.1e3"})
    void requestsPerJouleOnEachKindOfCoreIsTable51s(MicroserviceType type, double hostRps, double hostWatts,
                                                   int hostCores, double hostRpj, double nicRps, double nicWatts,
                                                   double nicRpj) {
        // The acceptance bound is 5 %; the model takes the RPJ column itself, so it lands on it.
        assertThat(1 / EnergyModel.joulesPerRequest(type, CoreClass.BEEFY, 512)).isCloseTo(hostRpj,
                within(hostRpj * 0.05));
        assertThat(1 / EnergyModel.joulesPerRequest(type, CoreClass.WIMPY, 512)).isCloseTo(nicRpj,
                within(nicRpj * 0.05));
        // At the table's peak (all its active cores busy) the model's active power is the W column, within the
        // rounding of the RPS column to two digits (worst: Bayes on the host, 137 W against 112 W).
        assertThat(EnergyModel.activeWattsOfBusyCores(type, CoreClass.BEEFY, hostCores)).isCloseTo(hostWatts,
                within(hostWatts * 0.25));
        assertThat(EnergyModel.activeWattsOfBusyCores(type, CoreClass.WIMPY, 12)).isCloseTo(nicWatts,
                within(nicWatts * 0.25));
        assertThat(EnergyModel.activeWatts(type, CoreClass.BEEFY, hostRps, 512)).isCloseTo(hostRps / hostRpj,
                within(1e-6 * hostRps / hostRpj));
        assertThat(nicRps).isPositive();
    }

    @Test
    void smartNicBeatsTheHostExactlyWhereTable51Says() {
        // §5.3.3: the SmartNIC is more efficient for 12 services; Top ranker, Bayes, SQL and the gateway are not.
        for (MicroserviceType t : MicroserviceType.values()) {
            boolean hostBetter = t == MicroserviceType.TOP_RANKER || t == MicroserviceType.BAYES
                    || t == MicroserviceType.SQL || t == MicroserviceType.API_GATEWAY;
            assertThat(EnergyModel.joulesPerRequest(t, CoreClass.BEEFY, 512)
                    < EnergyModel.joulesPerRequest(t, CoreClass.WIMPY, 512)).as(t.name()).isEqualTo(hostBetter);
        }
        // Two anchors: Top ranker gets a tenth of the host's RPJ on a SmartNIC, Count 2.4 times more.
        assertThat(EnergyModel.requestsPerJoule(MicroserviceType.TOP_RANKER, CoreClass.WIMPY)
                / EnergyModel.requestsPerJoule(MicroserviceType.TOP_RANKER, CoreClass.BEEFY)).isCloseTo(0.1,
                within(0.005));
        assertThat(EnergyModel.requestsPerJoule(MicroserviceType.COUNT, CoreClass.WIMPY)
                / EnergyModel.requestsPerJoule(MicroserviceType.COUNT, CoreClass.BEEFY)).isCloseTo(2.4,
                within(0.05));
    }

    @Test
    void energyPerRequestGrowsWithRequestSizeLikeTheServiceTime() {
        MicroserviceProfile sql = MicroserviceProfile.of(MicroserviceType.SQL);
        double at512 = EnergyModel.joulesPerRequest(MicroserviceType.SQL, CoreClass.BEEFY, 512);
        // (1 - s) + s * 2048 / 512 = 1 + 3s.
        assertThat(EnergyModel.joulesPerRequest(MicroserviceType.SQL, CoreClass.BEEFY, 2048))
                .isCloseTo(at512 * (1 + 3 * sql.sizeShare()), within(at512 * 1e-12));
        assertThat(EnergyModel.joulesPerRequest(MicroserviceType.EMA, CoreClass.WIMPY, 64))
                .isEqualTo(EnergyModel.joulesPerRequest(MicroserviceType.EMA, CoreClass.WIMPY, 512));
    }

    @Test
    void serversShareTheirIdlePowerBetweenHostAndSmartNics() {
        Server type1 = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 1).servers().get(0);
        Server type2 = Clusters.of(ServerTypes.TYPE2_SMARTNIC, 1).servers().get(0);
        Server beefy = Clusters.of(ServerTypes.BEEFY, 1).servers().get(0);
        // Table 5.4: Type1 98 W = host 83 + LiquidIO 15; Type2 145 W = host 85 + 4 x 15; Beefy all on its host.
        assertThat(EnergyModel.idleWatts(type1, type1.host())).isCloseTo(83, within(1e-9));
        assertThat(EnergyModel.idleWatts(type1, type1.smartNics().get(0))).isCloseTo(15, within(1e-9));
        assertThat(EnergyModel.idleWatts(type2, type2.host())).isCloseTo(85, within(1e-9));
        assertThat(EnergyModel.idleWatts(beefy, beefy.host())).isCloseTo(83, within(1e-9));
        double sum = 0;
        for (ComputeNode n : type2.nodes()) {
            sum += EnergyModel.idleWatts(type2, n);
        }
        assertThat(sum).isCloseTo(145, within(1e-9));
    }

    @Test
    void requestsPerJouleIsThroughputOverWallPower() {
        assertThat(EnergyModel.requestsPerJoule(1000, 250)).isEqualTo(4.0);
        assertThat(EnergyModel.requestsPerJoule(1000, 0)).isZero();
    }
}
