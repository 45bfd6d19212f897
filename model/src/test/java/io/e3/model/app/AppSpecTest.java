package io.e3.model.app;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AppSpecTest {

    @Test
    void expandsEachPrimaryFollowedByItsBackups() {
        ServiceSpec sql = new ServiceSpec("sql", MicroserviceType.SQL, 2, Scaling.SHARDED, ResourceDemand.DEFAULT,
                null, 1);
        AppSpec app = AppSpec.of("iot", List.of(sql), List.of());
        assertThat(app.instances()).extracting(Instance::id)
                .containsExactly("iot/sql.0", "iot/sql.0.backup1", "iot/sql.1", "iot/sql.1.backup1");
        assertThat(app.instances().get(1).primary()).isEqualTo("iot/sql.0");
        assertThat(app.instances().get(1).role()).isEqualTo(InstanceRole.BACKUP);
        assertThat(app.instanceCount()).isEqualTo(4);
    }

    @Test
    void entryDefaultsToServicesNoChannelCalls() {
        AppSpec app = AppSpec.of("a", List.of(ServiceSpec.of("gw", MicroserviceType.API_GATEWAY, 1),
                ServiceSpec.of("kv", MicroserviceType.KVS, 1)), List.of(ChannelSpec.of("gw", "kv",
                RoutingPolicy.SHARD_KEYED)));
        assertThat(app.entry()).containsExactly("gw");
        assertThat(app.channelsFrom("gw")).hasSize(1);
        assertThat(app.channelsInto("gw")).isEmpty();
    }

    @Test
    void rejectsCycles() {
        List<ServiceSpec> services = List.of(ServiceSpec.of("a", MicroserviceType.KVS, 1),
                ServiceSpec.of("b", MicroserviceType.KVS, 1));
        List<ChannelSpec> channels = List.of(ChannelSpec.of("a", "b", RoutingPolicy.ROUND_ROBIN),
                ChannelSpec.of("b", "a", RoutingPolicy.ROUND_ROBIN));
        assertThatThrownBy(() -> new AppSpec("x", services, channels, List.of("a")))
                .hasMessageContaining("cycle a -> b -> a");
    }

    @Test
    void rejectsChannelToUnknownService() {
        assertThatThrownBy(() -> AppSpec.of("x", List.of(ServiceSpec.of("a", MicroserviceType.KVS, 1)),
                List.of(ChannelSpec.of("a", "nope", RoutingPolicy.ROUND_ROBIN))))
                .hasMessageContaining("a -> nope joins an unknown service");
    }

    @Test
    void backupCannotExistWithoutItsPrimary() {
        assertThatThrownBy(() -> new Instance("a/b.0.backup1", "a", "b", MicroserviceType.KVS, 0,
                InstanceRole.BACKUP, null, ResourceDemand.DEFAULT))
                .hasMessageContaining("a backup names its primary");
    }
}
