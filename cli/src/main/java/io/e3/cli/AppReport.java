package io.e3.cli;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Scaling;
import io.e3.model.app.ServiceSpec;

import java.io.PrintWriter;
import java.util.List;

/** What {@code e3 describe app} shows: the DAG's services and channels, as a table or as JSON. */
record AppReport(String app, String source, int services, int channels, int instances, int primaries,
                 List<String> entry, List<ServiceView> serviceList, List<ChannelView> channelList)
        implements Report {

    record ServiceView(String name, String type, boolean stateful, String scaling, int primaries, int backups,
                       int instances, double cores, long memoryMiB, String pin) {
    }

    record ChannelView(String from, String to, String routing, double requestsPerSecond, int requestBytes) {
    }

    static AppReport of(AppSpec app, String source) {
        List<ServiceView> services = app.services().stream().map(AppReport::service).toList();
        List<ChannelView> channels = app.channels().stream().map(AppReport::channel).toList();
        int primaries = app.services().stream().mapToInt(ServiceSpec::instances).sum();
        return new AppReport(app.name(), source, services.size(), channels.size(), app.instanceCount(), primaries,
                app.entry(), services, channels);
    }

    private static ServiceView service(ServiceSpec s) {
        return new ServiceView(s.name(), s.type().manifestName(), s.type().stateful(),
                s.scaling() == Scaling.SHARDED ? "shards" : "replicas", s.instances(), s.backups(),
                s.totalInstances(), s.demand().cores(), s.demand().memoryMiB(),
                s.pinned().map(Enum::name).orElse(null));
    }

    private static ChannelView channel(ChannelSpec c) {
        return new ChannelView(c.from(), c.to(), c.routing().manifestName(), c.load().requestsPerSecond(),
                c.load().requestBytes());
    }

    @Override
    public void print(PrintWriter out) {
        out.println("App " + app + "  (" + source + ")");
        out.println("  " + Units.plural(services, "service", "services") + ", "
                + Units.plural(channels, "channel", "channels") + ", "
                + Units.plural(instances, "instance", "instances") + " (" + primaries + " primary, "
                + (instances - primaries) + " backup); entry: " + String.join(", ", entry));
        out.println();
        TextTable serviceTable = new TextTable("SERVICE", "TYPE", "STATEFUL", "INSTANCES", "BACKUPS", "CORES",
                "MEMORY", "PIN");
        serviceList.forEach(s -> serviceTable.row(s.name(), s.type(), s.stateful() ? "yes" : "no",
                s.scaling().equals("shards") ? Units.plural(s.primaries(), "shard", "shards")
                        : Units.plural(s.primaries(), "replica", "replicas"), s.backups(), Units.number(s.cores()), Units.memory(s.memoryMiB()),
                s.pin() == null ? "-" : s.pin()));
        serviceTable.print(out, "  ");
        if (!channelList.isEmpty()) {
            out.println();
            TextTable channelTable = new TextTable("CHANNEL", "ROUTING", "RATE", "REQUEST");
            channelList.forEach(c -> channelTable.row(c.from() + " -> " + c.to(), c.routing(),
                    c.requestsPerSecond() == 0 ? "not stated" : Units.number(c.requestsPerSecond()) + " req/s",
                    Units.number(c.requestBytes()) + " B"));
            channelTable.print(out, "  ");
        }
    }
}
