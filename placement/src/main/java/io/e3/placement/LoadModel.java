package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.ServiceSpec;
import io.e3.model.topology.CoreClass;

import java.util.HashMap;
import java.util.Map;

/**
 * The load each instance of an app is expected to carry, from its channels' stated rates (§5.4.3, constraint type 3:
 * request rate and size × per-request execution time).
 *
 * <p>A channel's requests are split evenly over the target's instances (round-robin and shard-keyed, assuming an even
 * key spread), or reach every instance (broadcast). An entry service receives as many requests as the busiest channel
 * it sends on, split over its instances. Backups carry no requests.
 */
public final class LoadModel {

    /**
     * What one instance asks of a node.
     *
     * @param instance          the instance
     * @param requestsPerSecond requests it is expected to serve
     * @param bandwidthGbps     traffic it is expected to receive and send
     */
    public record Demand(Instance instance, double requestsPerSecond, double bandwidthGbps) {

        /** Cores needed on a core of {@code coreClass}: the declared demand, or more if the load needs more. */
        public double coresOn(CoreClass coreClass) {
            double load = requestsPerSecond * MicroserviceProfile.of(instance.type()).serviceTimeSeconds(coreClass);
            return Math.max(instance.demand().cores(), load);
        }

        public long memoryMiB() {
            return instance.demand().memoryMiB();
        }
    }

    private final Map<String, Double> rpsPerInstance = new HashMap<>();
    private final Map<String, Double> gbpsPerInstance = new HashMap<>();

    public LoadModel(AppSpec app) {
        for (ServiceSpec s : app.services()) {
            double in = 0;
            double bytesIn = 0;
            for (ChannelSpec c : app.channelsInto(s.name())) {
                double share = c.routing() == RoutingPolicy.BROADCAST ? 1.0 : 1.0 / s.instances();
                in += c.load().requestsPerSecond() * share;
                bytesIn += c.load().bytesPerSecond() * share;
            }
            double bytesOut = 0;
            double busiestOut = 0;
            for (ChannelSpec c : app.channelsFrom(s.name())) {
                int targets = app.service(c.to()).orElseThrow().instances();
                double fanOut = c.routing() == RoutingPolicy.BROADCAST ? targets : 1;
                bytesOut += c.load().bytesPerSecond() * fanOut / s.instances();
                busiestOut = Math.max(busiestOut, c.load().requestsPerSecond());
            }
            if (app.entry().contains(s.name()) && app.channelsInto(s.name()).isEmpty()) {
                in = busiestOut / s.instances();
            }
            rpsPerInstance.put(s.name(), in);
            gbpsPerInstance.put(s.name(), (bytesIn + bytesOut) * 8 / 1e9);
        }
    }

    /** The demand of {@code instance}, which must belong to the app this model was built from. */
    public Demand demandOf(Instance instance) {
        if (instance.isBackup()) {
            return new Demand(instance, 0, 0);
        }
        return new Demand(instance, rpsPerInstance.get(instance.service()), gbpsPerInstance.get(instance.service()));
    }
}
