package io.e3.model.app;

import io.e3.model.topology.CoreClass;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MicroserviceProfileTest {

    @ParameterizedTest
    @EnumSource(MicroserviceType.class)
    void everyTypeHasATable51Profile(MicroserviceType type) {
        MicroserviceProfile p = MicroserviceProfile.of(type);
        assertThat(p.type()).isEqualTo(type);
        assertThat(p.serviceTimeSeconds(CoreClass.BEEFY)).isPositive();
        assertThat(p.serviceTimeSeconds(CoreClass.WIMPY)).isPositive();
    }

    @Test
    void perCoreServiceTimeIsCoresOverThroughput() {
        // KVS, Table 5.1: host (DPDK) 2.0M RPS on 2 cores -> 1 us; SmartNIC 2.0M RPS on 12 cores -> 6 us.
        MicroserviceProfile kvs = MicroserviceProfile.of(MicroserviceType.KVS);
        assertThat(kvs.serviceTimeSeconds(CoreClass.BEEFY)).isCloseTo(1e-6, within(1e-12));
        assertThat(kvs.serviceTimeSeconds(CoreClass.WIMPY)).isCloseTo(6e-6, within(1e-12));
    }

    @Test
    void serviceTimeScalesWithRequestSizeByTheMeasuredShare() {
        MicroserviceProfile sql = MicroserviceProfile.of(MicroserviceType.SQL);
        double at512 = sql.serviceTimeSeconds(CoreClass.BEEFY);
        assertThat(sql.serviceTimeSeconds(CoreClass.BEEFY, 512)).isCloseTo(at512, within(1e-15));
        // (1 - s) + s * 1024 / 512 = 1 + s: twice the bytes cost s more.
        assertThat(sql.serviceTimeSeconds(CoreClass.BEEFY, 1024)).isCloseTo(at512 * (1 + sql.sizeShare()),
                within(1e-15));
        // A type without a variable-size field costs the same at any size.
        MicroserviceProfile ema = MicroserviceProfile.of(MicroserviceType.EMA);
        assertThat(ema.sizeShare()).isZero();
        assertThat(ema.serviceTimeSeconds(CoreClass.WIMPY, 64)).isEqualTo(ema.serviceTimeSeconds(CoreClass.WIMPY));
    }

    @ParameterizedTest
    @EnumSource(MicroserviceType.class)
    void everyTypeHasAMeasuredFootprintAndSizeShare(MicroserviceType type) {
        MicroserviceProfile p = MicroserviceProfile.of(type);
        assertThat(p.memoryMiB()).isPositive();
        assertThat(p.sizeShare()).isBetween(0.0, 1.0);
    }

    @Test
    void hostOutrunsTheSmartNicForBranchHeavyServices() {
        // §5.3.3: Top ranker, Bayes, SQL and the API gateway run better on the host.
        for (MicroserviceType t : new MicroserviceType[] {MicroserviceType.TOP_RANKER, MicroserviceType.BAYES,
                MicroserviceType.SQL, MicroserviceType.API_GATEWAY}) {
            MicroserviceProfile p = MicroserviceProfile.of(t);
            assertThat(p.perCoreRps(CoreClass.BEEFY)).as(t.name()).isGreaterThan(p.perCoreRps(CoreClass.WIMPY));
        }
    }
}
