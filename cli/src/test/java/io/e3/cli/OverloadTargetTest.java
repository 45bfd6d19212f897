package io.e3.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.ServerTypes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OverloadTargetTest {

    private static final Cluster CLUSTER = Clusters.of(ServerTypes.TYPE1_SMARTNIC, 2);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The controller's /v1/placements, built one instance at a time. */
    private static final class Placements {
        private final ArrayNode list = JSON.createArrayNode();

        Placements add(String app, String instance, String type, String role, String node) {
            String service = instance.substring(instance.indexOf('/') + 1, instance.indexOf('.'));
            list.addObject().put("app", app).put("instance", instance).put("service", service).put("type", type)
                    .put("role", role).put("node", node);
            return this;
        }
    }

    @Test
    void picksTheSlowestTypeOnASmartNicThatTheSteadyLoadMakesMeasurable() {
        // At D = 100, 8 requests outstanding over 50 ms heartbeats complete 3 a heartbeat at 750 requests/s per wimpy
        // core: recommend (12.8k / 12 = 1,067) qualifies and is slower than spike (73.8k / 12 = 6,150).
        Placements p = new Placements()
                .add("iot-ts", "iot-ts/spike.0", "spike", "primary", "s0/nic0")
                .add("iot-ts", "iot-ts/recommend.3", "recommend", "primary", "s0/nic0")
                .add("iot-ts", "iot-ts/recommend.4", "recommend", "primary", "s1/nic0");
        assertThat(OverloadTarget.choose(p.list, "iot-ts", CLUSTER, 100, 8))
                .contains(new OverloadTarget("iot-ts/recommend.3", "recommend", "s0/nic0"));
    }

    @Test
    void passesOverATypeTooSlowForTheOrchestratorToMeasure() {
        // At D = 1,000 the bar is 7,500 requests/s per wimpy core: recommend never gets 3 requests a heartbeat, spike
        // (6,150) does not either, so the fastest is taken.
        Placements p = new Placements()
                .add("iot-ts", "iot-ts/recommend.0", "recommend", "primary", "s0/nic0")
                .add("iot-ts", "iot-ts/spike.0", "spike", "primary", "s0/nic0");
        assertThat(OverloadTarget.choose(p.list, "iot-ts", CLUSTER, 1_000, 8)).map(OverloadTarget::instance)
                .contains("iot-ts/spike.0");
        p.add("iot-ts", "iot-ts/ema.0", "ema", "primary", "s1/nic0");
        assertThat(OverloadTarget.choose(p.list, "iot-ts", CLUSTER, 1_000, 8)).map(OverloadTarget::instance)
                .contains("iot-ts/ema.0");
    }

    @Test
    void takesOnlyTheAppsOwnPrimariesOnSmartNics() {
        Placements p = new Placements()
                .add("iot-ts", "iot-ts/store.0", "sql", "primary", "s0/host")
                .add("iot-ts", "iot-ts/recommend.0.backup1", "recommend", "backup", "s1/nic0")
                .add("other", "other/rank.0", "top-ranker", "primary", "s0/nic0");
        assertThat(OverloadTarget.choose(p.list, "iot-ts", CLUSTER, 100, 8)).isEmpty();
        p.add("iot-ts", "iot-ts/ema.2", "ema", "primary", "s1/nic0");
        assertThat(OverloadTarget.choose(p.list, "iot-ts", CLUSTER, 100, 8))
                .contains(new OverloadTarget("iot-ts/ema.2", "ema", "s1/nic0"));
    }
}
