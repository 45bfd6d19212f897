package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelLoad;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.MicroserviceType;
import io.e3.model.app.ResourceDemand;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;
import io.e3.model.manifest.AppManifest;
import io.e3.model.manifest.ManifestException;
import io.e3.model.manifest.Manifests;
import io.e3.model.topology.NodeKind;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Test apps: a fluent chain builder and the shipped examples. */
final class Apps {

    static final List<String> EXAMPLES = List.of("nfv-fin", "nfv-din", "nfv-ifid", "rta-ptc", "rta-sf", "rta-shm",
            "iot-dh", "iot-ts");

    private final String name;
    private final List<ServiceSpec> services = new ArrayList<>();

    private Apps(String name) {
        this.name = name;
    }

    static Apps named(String name) {
        return new Apps(name);
    }

    /** Adds a replicated service with one replica of {@code cores} cores and 256 MiB. */
    Apps service(String service, MicroserviceType type, double cores) {
        return service(service, type, cores, null, 0);
    }

    Apps service(String service, MicroserviceType type, double cores, NodeKind pin, int backups) {
        services.add(new ServiceSpec(service, type, 1, Scaling.REPLICATED, new ResourceDemand(cores, 256), pin,
                backups));
        return this;
    }

    /** The services in a chain, each calling the next at 1,000 req/s of 512 B. */
    AppSpec chain() {
        List<ChannelSpec> channels = new ArrayList<>();
        for (int i = 0; i + 1 < services.size(); i++) {
            channels.add(new ChannelSpec(services.get(i).name(), services.get(i + 1).name(),
                    RoutingPolicy.ROUND_ROBIN, new ChannelLoad(1000, 512)));
        }
        return AppSpec.of(name, services, channels);
    }

    static AppSpec example(String name) {
        try {
            return ((AppManifest) Manifests.load(Path.of("..", "examples", "apps", name + ".yaml")).get(0)).app();
        } catch (ManifestException e) {
            throw new IllegalStateException(e);
        }
    }
}
