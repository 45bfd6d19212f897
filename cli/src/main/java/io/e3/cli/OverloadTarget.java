package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.agent.AgentConfig;
import io.e3.model.app.MicroserviceProfile;
import io.e3.model.app.MicroserviceType;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.CoreClass;
import io.e3.orchestrator.OrchestratorSettings;
import java.util.Optional;

/**
 * The instance the demo overloads on purpose: one of the app's own primaries on a SmartNIC.
 *
 * @param instance its id
 * @param service  its service, by which the demo's requests reach it
 * @param node     the SmartNIC it runs on
 */
record OverloadTarget(String instance, String service, String node) {

    /**
     * Of {@code app}'s primaries on SmartNICs in {@code placements} (the controller's {@code /v1/placements}), one of
     * the type that serves the fewest requests per wimpy core (Table 5.1) among those the orchestrator can measure,
     * the first in the controller's order among equals; empty if the app has no primary on a SmartNIC.
     *
     * <p>The orchestrator takes a heartbeat's execution time as a sample only when the instance ran at least
     * {@code minRequests} requests in it, so {@code steadyOutstanding} requests kept outstanding must complete that
     * many per heartbeat at dilation {@code dilation}; a slower type would never be learned, nor its overload seen. If
     * no type on a SmartNIC is fast enough, the fastest is taken. Among those fast enough, the slowest costs the fewest
     * real requests per second to overload.
     */
    static Optional<OverloadTarget> choose(JsonNode placements, String app, Cluster cluster, double dilation,
                                           int steadyOutstanding) {
        double perBeat = steadyOutstanding * AgentConfig.DEFAULT_HEARTBEAT_MILLIS / 1e3 / dilation;
        double fastEnough = OrchestratorSettings.DEFAULT.minRequests() / perBeat; // requests/s per wimpy core
        OverloadTarget best = null;
        double bestRps = 0;
        for (JsonNode p : placements) {
            ComputeNode n = cluster.node(p.path("node").asText()).orElse(null);
            MicroserviceType t = MicroserviceType.byManifestName(p.path("type").asText()).orElse(null);
            if (n == null || t == null || !n.isSmartNic() || !p.path("app").asText().equals(app)
                    || !p.path("role").asText().equals("primary")) {
                continue;
            }
            double rps = MicroserviceProfile.of(t).perCoreRps(CoreClass.WIMPY);
            if (best == null || preferred(rps, bestRps, fastEnough)) {
                best = new OverloadTarget(p.path("instance").asText(), p.path("service").asText(), n.id());
                bestRps = rps;
            }
        }
        return Optional.ofNullable(best);
    }

    /** Whether a type of {@code rps} per wimpy core beats one of {@code than}: fast enough first, then slowest. */
    private static boolean preferred(double rps, double than, double fastEnough) {
        boolean enough = rps >= fastEnough;
        if (enough != than >= fastEnough) {
            return enough;
        }
        return enough ? rps < than : rps > than;
    }
}
