package io.e3.simulator;

import io.e3.model.perf.Knee;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Prints the table "Knees of the three cross-validation apps" of docs/simulator.md: each app alone on
 * {@code examples/clusters/3x-type1-smartnic.yaml}, HCM placement, orchestrator on, {@code KneeSearch.Settings.from(100)},
 * constant and Poisson arrivals, with replication on and off. Not a test; run from the repository's root:
 *
 * <pre>
 *   java -cp simulator/target/test-classes:simulator/target/classes:... io.e3.simulator.KneeTable [apps...]
 * </pre>
 */
public final class KneeTable {

    private KneeTable() {
    }

    public static void main(String[] args) throws Exception {
        List<String> apps = args.length > 0 ? List.of(args) : List.of("nfv-fin", "rta-shm", "iot-ts");
        System.out.println("app | replication | arrivals | knee/s | offered/s | L0 µs | mean µs | p99 µs | wall s");
        for (String app : apps) {
            Scenario s = Scenario.fromManifests(List.of(Path.of("examples/clusters/3x-type1-smartnic.yaml"),
                    Path.of("examples/apps/" + app + ".yaml")));
            for (boolean replication : new boolean[] {true, false}) {
                for (ClientModel client : List.of(ClientModel.constant(100), ClientModel.poisson(100))) {
                    Simulator sim = Simulator.place(s, SimulationConfig.builder().client(client)
                            .replication(replication).build());
                    long start = System.nanoTime();
                    Knee.Result k = KneeSearch.find(sim, KneeSearch.Settings.from(100), ProgressListener.NONE);
                    double wall = (System.nanoTime() - start) / 1e9;
                    Knee.Step at = k.steps().stream().filter(st -> st.offeredRate() == k.offeredRate()).findFirst()
                            .orElseThrow();
                    System.out.println(String.format(Locale.ROOT, "%s | %s | %s | %,.0f | %,.0f | %.1f | %.1f | %.1f | %.1f",
                            app, replication ? "on" : "off", client.arrivals(), k.throughput(), k.offeredRate(), k.baselineMeanMicros(),
                            at.meanMicros(), at.p99Micros(), wall));
                }
            }
        }
    }
}
