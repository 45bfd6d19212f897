package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.loadtest.LoadReport;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a run of {@code e3 demo} measured, as {@code --json} prints it. Throughput, latency and requests per joule count
 * the app's own requests (sent through its entry service) that were served; the overload traffic is counted apart.
 * Times are emulated (real times over the dilation D); energy and power are modelled (EnergyModel), not measured.
 *
 * @param loadSeconds        real seconds the load was sent for (--duration)
 * @param offeredRps         the app load's rate, an open loop with Poisson arrivals, in requests per emulated second
 *                           (--rate)
 * @param warmupRequests     app requests sent through the entry service at the same rate before the measured window,
 *                           not counted in what follows but lost if not served ({@link DemoRun#WARMUP})
 * @param seconds            the measured window: real seconds from the first app request to the last app answer
 * @param emulatedSeconds    the same window in emulated time
 * @param appRequests        requests sent through the entry service
 * @param servedRequests     of those, answered OK with no failed downstream call
 * @param failedRequests     of those, answered with an error or with a failed downstream call
 * @param unansweredRequests of those, not answered within {@link DemoRun#ANSWER_LIMIT} of being sent
 * @param lostRequests       requests of any kind, app (warm-up included) or overload, that were not served
 * @param throughputRps      served app requests per emulated second
 * @param latencyMs          served app requests, end to end from each one's intended send time (so that requests
 *                           held by a migration count for as long as they were held), emulated milliseconds
 * @param energyJoules       modelled energy of the whole cluster over the window, idle and dynamic (the overload's
 *                           included)
 * @param powerWatts         energyJoules over emulated seconds
 * @param requestsPerJoule   served app requests over energyJoules
 * @param migrations         every migration the controller ran, with its status
 * @param placementBefore    the app's instances per node once it was running, before any load
 * @param placementAfter     the app's instances per node after the run, migrations included
 */
record DemoSummary(String app, String cluster, double dilation, double loadSeconds, double offeredRps,
                   String entryService, long warmupRequests, double seconds, double emulatedSeconds,
                   long appRequests,
                   long servedRequests, long failedRequests, long unansweredRequests, Overload overload,
                   long lostRequests, double throughputRps, Latency latencyMs, double energyJoules,
                   double powerWatts, double requestsPerJoule, List<Migration> migrations,
                   Map<String, NodePlacement> placementBefore, Map<String, NodePlacement> placementAfter,
                   String controllerUrl, String dashboardUrl, List<String> metricsUrls) {

    DemoSummary {
        Objects.requireNonNull(overload, "overload");
        migrations = List.copyOf(migrations);
        metricsUrls = List.copyOf(metricsUrls);
    }

    /** Percentiles in emulated milliseconds. */
    record Latency(double p50, double p99) {
    }

    /**
     * The overload sent on purpose straight to one instance, not through the entry service: not app requests.
     *
     * @param instance the instance loaded, or null if the step was skipped
     * @param node     the SmartNIC it ran on when the overload began
     * @param skipped  why there was no overload, or null
     */
    record Overload(String instance, String node, String skipped, long sent, long served, long failed,
                    long unanswered) {

        /** The overload of {@code instance} on {@code node}, from the reports of its runs (steady, then overload). */
        static Overload of(String instance, String node, List<LoadReport> runs) {
            return new Overload(instance, node, null, runs.stream().mapToLong(LoadReport::sent).sum(),
                    runs.stream().mapToLong(LoadReport::ok).sum(), runs.stream().mapToLong(LoadReport::errors).sum(),
                    runs.stream().mapToLong(LoadReport::timeouts).sum());
        }

        static Overload skipped(String why) {
            return new Overload(null, null, why, 0, 0, 0, 0);
        }
    }

    /**
     * One migration as the controller reports it.
     *
     * @param status RUNNING, SUCCEEDED or ROLLED_BACK (the controller's phase)
     * @param error  why it was rolled back, or null
     */
    record Migration(long id, String instance, String from, String to, String status, String reason, String error,
                     List<String> steps) {

        static Migration of(JsonNode m) {
            List<String> steps = new ArrayList<>();
            m.path("steps").forEach(s -> steps.add(s.asText()));
            return new Migration(m.path("id").asLong(), m.path("instance").asText(), m.path("from").asText(),
                    m.path("to").asText(), m.path("phase").asText(), m.path("reason").asText(null),
                    m.path("error").asText(null), List.copyOf(steps));
        }

        static List<Migration> all(JsonNode list) {
            List<Migration> all = new ArrayList<>();
            list.forEach(m -> all.add(of(m)));
            return all;
        }

        boolean succeeded() {
            return status.equals("SUCCEEDED");
        }

        boolean rolledBack() {
            return status.equals("ROLLED_BACK");
        }
    }

    /** One node's instances of the app: how many of each service serve, and how many are backups. */
    record NodePlacement(String kind, Map<String, Integer> primaries, Map<String, Integer> backups) {

        /** Every node of {@code cluster}, in its order, with the instances of {@code app} in {@code placements}. */
        static Map<String, NodePlacement> byNode(JsonNode placements, String app, Cluster cluster) {
            Map<String, NodePlacement> all = new LinkedHashMap<>();
            for (ComputeNode n : cluster.nodes()) {
                all.put(n.id(), new NodePlacement(n.isSmartNic() ? "smartnic" : "host", new TreeMap<>(),
                        new TreeMap<>()));
            }
            for (JsonNode p : placements) {
                NodePlacement at = all.get(p.path("node").asText());
                if (at == null || !p.path("app").asText().equals(app)) {
                    continue;
                }
                (p.path("role").asText().equals("backup") ? at.backups() : at.primaries())
                        .merge(p.path("service").asText(), 1, Integer::sum);
            }
            return all;
        }

        String text() {
            String serving = counts(primaries);
            String standby = counts(backups);
            if (serving.isEmpty() && standby.isEmpty()) {
                return "-";
            }
            return standby.isEmpty() ? serving : (serving.isEmpty() ? "" : serving + "; ") + "backups: " + standby;
        }

        private static String counts(Map<String, Integer> byService) {
            return byService.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", "));
        }
    }

    /** The summary as text for a terminal. */
    void print(PrintWriter out) {
        out.printf(Locale.ROOT, "E3 demo: %s on %s, %.0f s of load at dilation D=%.0f (%.1f s to the app's last "
                + "answer)%n%n", app, cluster, loadSeconds, dilation, seconds);
        out.println("Placement after the run (" + app + "'s instances per node, from the controller):");
        TextTable nodes = new TextTable("NODE", "KIND", "INSTANCES");
        placementAfter.forEach((node, p) -> nodes.row(node, p.kind().equals("smartnic") ? "SmartNIC" : "host",
                p.text()));
        nodes.print(out, "  ");
        out.println();
        out.printf(Locale.ROOT, "App requests    %d sent through %s (open loop, %.0f requests/s offered, "
                + "emulated): %d served, %d failed, %d unanswered%n", appRequests, entryService, offeredRps,
                servedRequests, failedRequests, unansweredRequests);
        if (overload.skipped() != null) {
            out.println("Overload        skipped: " + overload.skipped());
        } else {
            out.printf(Locale.ROOT, "Overload        %s on %s: %d requests sent to it directly (not app requests), "
                    + "%d served%n", overload.instance(), overload.node(), overload.sent(), overload.served());
        }
        out.printf(Locale.ROOT, "Lost requests   %d (app and overload requests not served)%n", lostRequests);
        out.printf(Locale.ROOT, "Throughput      %.0f requests/s (emulated; served app requests)%n", throughputRps);
        out.printf(Locale.ROOT, "Latency         p50 %.2f ms, p99 %.2f ms (emulated, end to end from each "
                + "request's intended send time; served app requests)%n", latencyMs.p50(), latencyMs.p99());
        out.printf(Locale.ROOT, "Power           %.1f W (modelled, whole cluster)%n", powerWatts);
        out.printf(Locale.ROOT, "Efficiency      %.2f requests/J (modelled: served app requests over the whole "
                + "cluster's energy)%n", requestsPerJoule);
        printMigrations(out);
        out.println();
        out.println("Controller API: " + controllerUrl + ", dashboard: " + dashboardUrl
                + " (both stopped with the demo).");
        out.println("Each node's Prometheus metrics were at " + metricsUrls.get(0) + " and the like.");
    }

    private void printMigrations(PrintWriter out) {
        long done = migrations.stream().filter(Migration::succeeded).count();
        long rolledBack = migrations.stream().filter(Migration::rolledBack).count();
        long running = migrations.size() - done - rolledBack;
        out.println("Migrations      " + done + " done, " + rolledBack + " rolled back"
                + (running > 0 ? ", " + running + " still running" : ""));
        for (Migration m : migrations) {
            out.println("  #" + m.id() + " " + m.instance() + ": " + m.from() + " -> " + m.to() + ", " + m.status()
                    + (m.error() == null ? "" : " (" + m.error() + ")") + "; " + m.reason());
        }
    }
}
