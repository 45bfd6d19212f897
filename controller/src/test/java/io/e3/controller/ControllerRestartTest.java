package io.e3.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.e3.agent.EmbeddedCluster;
import io.e3.agent.emu.Emulation;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.AddressPlan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restart: after a controller restart its apps and placements are back from the durable
 * state and the running agents are re-adopted; nothing is redeployed. Two controllers are wired by hand, one after
 * the other, over the same state directory and the same embedded cluster.
 */
class ControllerRestartTest {

    private static final String CLUSTER = "../examples/clusters/3x-type1-smartnic.yaml";

    @TempDir
    Path stateDir;

    private ControlPlaneManager controller(int block) {
        ControllerConfig config = new ControllerConfig(CLUSTER, block, "hcm");
        TokenAuthFilter.ControllerToken token = new TokenAuthFilter.ControllerToken();
        token.configured = Optional.of("test-token");
        AgentClient agents = new AgentClient();
        agents.config = config;
        agents.token = token;
        StateKeeper state = new StateKeeper();
        state.dir = stateDir.toString();
        ControlPlaneManager m = new ControlPlaneManager();
        m.config = config;
        m.registry = new AppRegistry();
        m.agents = agents;
        m.state = state;
        return m;
    }

    @Test
    void aRestartedControllerReadoptsRunningAppsWithoutRedeploying() throws Exception {
        // 100-149: apart from the blocks EmbeddedClusterResource draws (150-249), whose cluster may still be up.
        int block = ThreadLocalRandom.current().nextInt(100, 150);
        AddressPlan plan = AddressPlan.of(((io.e3.model.manifest.ClusterManifest) Manifests.load(Path.of(CLUSTER))
                .get(0)).cluster(), block);
        try (EmbeddedCluster cluster = EmbeddedCluster.start(plan, Emulation.DEFAULT, "test-token")) {
            ControlPlaneManager first = controller(block);
            first.restore(null);
            for (String app : new String[] {"nfv-fin", "iot-ts"}) {
                String text = Files.readString(Path.of("../examples/apps/" + app + ".yaml"));
                first.apply((AppManifest) Manifests.parse(text.getBytes(), app).get(0), text);
            }
            await().atMost(Duration.ofMinutes(2)).until(() -> first.registry.list().stream()
                    .allMatch(a -> a.phase() == AppRegistry.Phase.RUNNING));
            Map<String, String> before = nodesOf(first);
            long deployedBefore = deployed(cluster);
            first.stop();
            first.state.close();

            ControlPlaneManager second = controller(block);
            second.restore(null);
            assertThat(second.registry.list()).extracting(AppRegistry.AppView::name)
                    .containsExactly("iot-ts", "nfv-fin");
            assertThat(second.registry.list()).allSatisfy(a -> {
                assertThat(a.phase()).isEqualTo(AppRegistry.Phase.RUNNING);
                assertThat(a.reason()).startsWith("re-adopted after a controller restart");
            });
            assertThat(nodesOf(second)).as("every instance where it was").isEqualTo(before);
            assertThat(second.restored()).isEqualTo(new ControlPlaneManager.Restored(2, 180, 0, 0));
            assertThat(deployed(cluster)).as("instances on the agents, none added").isEqualTo(deployedBefore);
            assertThat(second.routes("iot-ts")).isEqualTo(first.routes("iot-ts"));
            second.stop();
        }
    }

    private static Map<String, String> nodesOf(ControlPlaneManager m) {
        return m.placements().values().stream().flatMap(p -> p.assignments().stream())
                .collect(Collectors.toMap(a -> a.instance().id(), a -> a.nodeId()));
    }

    private static long deployed(EmbeddedCluster c) {
        return c.agents().values().stream().mapToLong(a -> a.engine().view().stream()
                .mapToLong(v -> v.requests() >= 0 ? 1 : 0).sum()).sum();
    }
}
