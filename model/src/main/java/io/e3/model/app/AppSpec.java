package io.e3.model.app;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An application: a DAG of services joined by channels in the direction of RPC flow (§5.4, programming model).
 *
 * <p>Invariants, checked here: service names are unique, channels join known services, the channels form no cycle,
 * the entry services exist and every service is reachable from them. The manifest reader reports violations of these
 * with their paths before it ever builds one; this constructor throws on misuse.
 *
 * @param name     unique in the cluster; a DNS-1123 label
 * @param services the DAG nodes, in manifest order
 * @param channels the DAG edges
 * @param entry    the services client requests enter at (Algorithm 3's V_src), in order
 */
public record AppSpec(String name, List<ServiceSpec> services, List<ChannelSpec> channels, List<String> entry) {

    public AppSpec {
        Objects.requireNonNull(name, "name");
        services = List.copyOf(services);
        channels = List.copyOf(channels);
        entry = List.copyOf(entry);
        Set<String> names = new HashSet<>();
        for (ServiceSpec s : services) {
            if (!names.add(s.name())) {
                throw new IllegalArgumentException(name + ": duplicate service '" + s.name() + "'");
            }
        }
        for (ChannelSpec c : channels) {
            if (!names.contains(c.from()) || !names.contains(c.to())) {
                throw new IllegalArgumentException(name + ": channel " + c.from() + " -> " + c.to()
                        + " joins an unknown service");
            }
        }
        Dags.findCycle(channels).ifPresent(cycle -> {
            throw new IllegalArgumentException(name + ": channels form a cycle " + Dags.render(cycle));
        });
        if (entry.isEmpty() || !names.containsAll(entry)) {
            throw new IllegalArgumentException(name + ": entry services " + entry + " must be known and non-empty");
        }
        List<String> unreachable = Dags.unreachable(services.stream().map(ServiceSpec::name).toList(), channels, entry);
        if (!unreachable.isEmpty()) {
            throw new IllegalArgumentException(name + ": not reachable from the entry services: " + unreachable);
        }
    }

    /** An app whose entry services are those no channel calls. */
    public static AppSpec of(String name, List<ServiceSpec> services, List<ChannelSpec> channels) {
        return new AppSpec(name, services, channels,
                Dags.sources(services.stream().map(ServiceSpec::name).toList(), channels));
    }

    public Optional<ServiceSpec> service(String serviceName) {
        return services.stream().filter(s -> s.name().equals(serviceName)).findFirst();
    }

    /** Channels {@code serviceName} sends requests on. */
    public List<ChannelSpec> channelsFrom(String serviceName) {
        return channels.stream().filter(c -> c.from().equals(serviceName)).toList();
    }

    /** Channels {@code serviceName} receives requests on. */
    public List<ChannelSpec> channelsInto(String serviceName) {
        return channels.stream().filter(c -> c.to().equals(serviceName)).toList();
    }

    /**
     * Every instance to deploy: for each service in order, each primary followed by its backups.
     */
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>(instanceCount());
        for (ServiceSpec s : services) {
            for (int i = 0; i < s.instances(); i++) {
                Instance primary = Instance.primary(name, s, i);
                all.add(primary);
                for (int b = 1; b <= s.backups(); b++) {
                    all.add(Instance.backupOf(primary, b));
                }
            }
        }
        return all;
    }

    /** The number of deployed DAG nodes, primaries and backups (Table 5.3, column N). */
    public int instanceCount() {
        return services.stream().mapToInt(ServiceSpec::totalInstances).sum();
    }
}
