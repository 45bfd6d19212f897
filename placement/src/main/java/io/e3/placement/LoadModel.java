package io.e3.placement;

import io.e3.model.app.AppSpec;
import io.e3.model.app.ChannelLoad;
import io.e3.model.app.ChannelSpec;
import io.e3.model.app.Instance;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.RoutingPolicy;
import io.e3.model.app.ServiceSpec;
import io.e3.model.energy.EnergyModel;
import io.e3.model.topology.CoreClass;

import java.util.HashMap;
import java.util.Map;

/**
 * The load each instance of an app is expected to carry, from its channels' stated rates (§5.4.3, constraint type 3:
 * request rate and size × per-request execution time).
 *
 * <p>A channel's requests are split evenly over the target's instances (round-robin and shard-keyed, assuming an even
 * key spread), or reach every instance (broadcast). An entry service receives as many requests as the busiest channel
 * it sends on, split over its instances. Backups carry no requests. A service's requests have the rate-weighted mean
 * size of its incoming channels' (an entry service's: its busiest outgoing channel's).
 */
public final class LoadModel {

    /**
     * What one instance asks of a node.
     *
     * @param instance          the instance
     * @param requestsPerSecond requests it is expected to serve
     * @param requestBytes      the mean size of those requests, weighted by rate (512 B, Table 5.1's, if unstated)
     * @param bandwidthGbps     traffic it is expected to receive and send
     */
    public record Demand(Instance instance, double requestsPerSecond, int requestBytes, double bandwidthGbps) {

        /**
         * Cores needed on a core of {@code coreClass}: the declared demand, or more if the load needs more, at the
         * requests' size (§5.3.3: request size has a major impact).
         */
        public double coresOn(CoreClass coreClass) {
            return Math.max(instance.demand().cores(), busyCoresOn(coreClass));
        }

        /** Cores the expected load keeps busy on {@code coreClass} (modelled from Table 5.1). */
        public double busyCoresOn(CoreClass coreClass) {
            return requestsPerSecond
                    * MicroserviceProfile.of(instance.type()).serviceTimeSeconds(coreClass, requestBytes);
        }

        /** Joules of active energy one of its requests costs on {@code coreClass} ({@link EnergyModel}). */
        public double joulesPerRequestOn(CoreClass coreClass) {
            return EnergyModel.joulesPerRequest(instance.type(), coreClass, requestBytes);
        }

        /** Active watts its expected load draws on {@code coreClass} ({@link EnergyModel}, modelled). */
        public double activeWattsOn(CoreClass coreClass) {
            return EnergyModel.activeWatts(instance.type(), coreClass, requestsPerSecond, requestBytes);
        }

        public long memoryMiB() {
            return instance.demand().memoryMiB();
        }
    }

    private final Map<String, Double> rpsPerInstance = new HashMap<>();
    private final Map<String, Integer> bytesPerRequest = new HashMap<>();
    private final Map<String, Double> gbpsPerInstance = new HashMap<>();
    private final Map<String, Integer> primaries = new HashMap<>();
    private double entryRequestsPerSecond;

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
            int busiestOutBytes = ChannelLoad.DEFAULT_REQUEST_BYTES;
            for (ChannelSpec c : app.channelsFrom(s.name())) {
                int targets = app.service(c.to()).orElseThrow().instances();
                double fanOut = c.routing() == RoutingPolicy.BROADCAST ? targets : 1;
                bytesOut += c.load().bytesPerSecond() * fanOut / s.instances();
                if (c.load().requestsPerSecond() > busiestOut) {
                    busiestOut = c.load().requestsPerSecond();
                    busiestOutBytes = c.load().requestBytes();
                }
            }
            int size = in > 0 ? (int) Math.round(bytesIn / in) : ChannelLoad.DEFAULT_REQUEST_BYTES;
            if (app.entry().contains(s.name()) && app.channelsInto(s.name()).isEmpty()) {
                // Client requests: as many as its busiest channel carries on, of that channel's size.
                in = busiestOut / s.instances();
                size = busiestOutBytes;
                entryRequestsPerSecond += busiestOut;
            }
            rpsPerInstance.put(s.name(), in);
            bytesPerRequest.put(s.name(), size);
            gbpsPerInstance.put(s.name(), (bytesIn + bytesOut) * 8 / 1e9);
            primaries.put(s.name(), s.instances());
        }
    }

    /** Client requests per second the app is expected to take at its entry services (0 if no rate is stated). */
    public double entryRequestsPerSecond() {
        return entryRequestsPerSecond;
    }

    /**
     * Client requests per second the app serves when only {@code placedPrimaries} (per service) of its primaries are
     * placed: the entry rate times the smallest share of any service's primaries that is placed, since a request needs
     * every stage and a missing shard or replica takes its share of the requests with it.
     */
    public double servedRequestsPerSecond(Map<String, Integer> placedPrimaries) {
        double share = 1;
        for (Map.Entry<String, Integer> e : primaries.entrySet()) {
            share = Math.min(share, placedPrimaries.getOrDefault(e.getKey(), 0) / (double) e.getValue());
        }
        return entryRequestsPerSecond * share;
    }

    /** The demand of {@code instance}, which must belong to the app this model was built from. */
    public Demand demandOf(Instance instance) {
        int size = bytesPerRequest.get(instance.service());
        if (instance.isBackup()) {
            return new Demand(instance, 0, size, 0);
        }
        return new Demand(instance, rpsPerInstance.get(instance.service()), size,
                gbpsPerInstance.get(instance.service()));
    }
}
