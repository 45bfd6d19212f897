package io.e3.simulator;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.Clusters;
import io.e3.model.topology.NodeCapacity;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.ServerType;

import java.util.List;

/** Clusters and apps for the simulator's tests. */
final class Fixtures {

    /** A server whose host has one beefy core and no SmartNIC: a single-server queue. */
    static final ServerType ONE_CORE = new ServerType("OneCore", 1000, 50, 100,
            NodeCapacity.beefy(1, 64 * 1024, 20), 0, null);

    private Fixtures() {
    }

    static Cluster oneCore() {
        return Clusters.of(ONE_CORE, 1);
    }

    /** An app of one replicated service of {@code type} and nothing else. */
    static AppSpec single(String name, MicroserviceType type) {
        return AppSpec.of(name, List.of(new ServiceSpec("svc", type, 1, Scaling.REPLICATED,
                new ResourceDemand(0.5, 64), null, 0)), List.of());
    }

    /** A service with all fields given. */
    static ServiceSpec service(String name, MicroserviceType type, int instances, Scaling scaling, NodeKind pin,
                               int backups) {
        return new ServiceSpec(name, type, instances, scaling, new ResourceDemand(0.25, 64), pin, backups);
    }

    static ChannelSpec channel(String from, String to, RoutingPolicy routing) {
        return ChannelSpec.of(from, to, routing);
    }
}
