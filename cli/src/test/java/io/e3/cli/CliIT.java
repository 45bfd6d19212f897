package io.e3.cli;

import io.e3.cli.PackagedCli.Result;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.e3.cli.PackagedCli.REPO;
import static io.e3.cli.PackagedCli.e3;
import static io.e3.cli.PackagedCli.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged command as a user runs it: a separate process, real exit codes, real streams ({@link PackagedCli}). */
class CliIT {

    private static List<String> examples() throws IOException {
        try (Stream<Path> files = Files.walk(REPO.resolve("examples"))) {
            return files.filter(f -> f.toString().endsWith(".yaml")).map(f -> REPO.relativize(f).toString())
                    .sorted().toList();
        }
    }

    @Test
    void validatesAllExamplesWithExitCodeZero() throws Exception {
        List<String> args = new ArrayList<>(List.of("validate", "-f"));
        args.addAll(examples());
        Result r = e3(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out().lines()).hasSize(examples().size()).hasSizeGreaterThanOrEqualTo(25)
                .allMatch(l -> l.startsWith("ok  examples/"));
    }

    @Test
    void badManifestExitsTwoWithOneLinePerProblemAndNoStackTrace() throws Exception {
        Result r = e3("validate", "-f", "cli/src/test/resources/malformed/replicas-zero.yaml",
                "cli/src/test/resources/malformed/cycle.yaml", "does/not/exist.yaml");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().lines()).containsExactly(
                "cli/src/test/resources/malformed/replicas-zero.yaml:9: spec.services[0].replicas: must be >= 1, "
                        + "got 0",
                "cli/src/test/resources/malformed/cycle.yaml:14: spec.channels[2]: channels form a cycle user -> "
                        + "graph -> user; an app is a DAG in the direction of RPC flow, and a response travels back "
                        + "on its request's channel, so drop the channel that only carries answers",
                "does/not/exist.yaml: no such file");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void describesTable54Cluster() throws Exception {
        Result r = e3("describe", "cluster", "-f", "examples/clusters/2x-type2-smartnic.yaml");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("10 compute nodes: 2 hosts, 8 SmartNICs", "idle 290 W, peak 504 W; cost $13,500");
    }

    @Test
    void demoOverloadsAnInstanceOfTheAppAndTheOrchestratorMigratesItWithNoLostRequest() throws Exception {
        // e3 demo --json exits 0 with at least one migration of an iot-ts instance and lostRequests 0. A free block, so
        // that a cluster of another test or a demo someone runs cannot collide; 30 s, so that a busy machine still
        // leaves time after the overload (at 10 s) for the detection and the move.
        int block = java.util.concurrent.ThreadLocalRandom.current().nextInt(100, 250);
        Result r = e3("demo", "--duration", "30s", "--json", "--address-block", String.valueOf(block));
        assertThat(r.exitCode()).as(r.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode d = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(d.path("app").asText()).isEqualTo("iot-ts");
        assertThat(d.path("lostRequests").asLong()).isZero();
        assertThat(d.path("servedRequests").asLong()).isPositive().isEqualTo(d.path("appRequests").asLong());
        assertThat(d.path("failedRequests").asLong()).isZero();
        // The app load is the load generator's open loop at the default rate, after a warm-up.
        assertThat(d.path("offeredRps").asDouble()).isEqualTo(2000);
        assertThat(d.path("warmupRequests").asLong()).isPositive();

        com.fasterxml.jackson.databind.JsonNode overload = d.path("overload");
        assertThat(overload.path("instance").asText()).startsWith("iot-ts/");
        assertThat(d.path("placementBefore").path(overload.path("node").asText()).path("kind").asText())
                .isEqualTo("smartnic");
        assertThat(overload.path("served").asLong()).isPositive().isEqualTo(overload.path("sent").asLong());

        List<com.fasterxml.jackson.databind.JsonNode> moved = new ArrayList<>();
        d.path("migrations").forEach(m -> {
            if (m.path("status").asText().equals("SUCCEEDED")) {
                moved.add(m);
            }
        });
        assertThat(moved).as(d.path("migrations").toString()).isNotEmpty()
                .allMatch(m -> m.path("instance").asText().startsWith("iot-ts/"));

        // The placement after the run is the controller's after the moves: each moved instance's service is counted
        // on the node it went to.
        com.fasterxml.jackson.databind.JsonNode after = d.path("placementAfter");
        assertThat(after.size()).isEqualTo(6);
        for (com.fasterxml.jackson.databind.JsonNode m : moved) {
            String instance = m.path("instance").asText();
            String service = instance.substring(instance.indexOf('/') + 1, instance.indexOf('.'));
            String role = instance.contains(".backup") ? "backups" : "primaries";
            assertThat(after.path(m.path("to").asText()).path(role).path(service).asInt()).as(instance)
                    .isPositive();
        }

        assertThat(d.path("throughputRps").asDouble()).isPositive();
        assertThat(d.path("latencyMs").path("p99").asDouble()).isGreaterThanOrEqualTo(d.path("latencyMs").path("p50")
                .asDouble());
        assertThat(d.path("powerWatts").asDouble()).isPositive();
        assertThat(d.path("requestsPerJoule").asDouble()).isPositive();
        String dashboard = "http://127." + block + ".0.2:7090/dashboard/#token=";
        assertThat(d.path("dashboardUrl").asText()).startsWith(dashboard);
        assertThat(r.err()).contains("Dashboard: " + dashboard);
        System.out.println("demo: " + d.path("appRequests") + " app requests, lost " + d.path("lostRequests")
                + ", overload on " + overload.path("instance") + ", migrations " + d.path("migrations").size() + ": "
                + moved.get(0).path("instance") + " " + moved.get(0).path("from") + " -> " + moved.get(0).path("to"));
    }

    @Test
    void demoPlanOnlyRunsFromTheBuiltInExamples() throws Exception {
        Result r = e3("demo", "--plan-only");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("E3 demo: iot-ts on 3x-type1-smartnic", "(examples/clusters/3x-type1-smartnic.yaml:2)");
    }

    @Test
    void clusterUpRunsUntilTerminatedThenStopsCleanly() throws Exception {
        try (PackagedCli.Running up = PackagedCli.start("cluster", "up", "--cluster",
                "examples/clusters/3x-type1-smartnic.yaml", "--address-block", String.valueOf(EmulatedRuns.freeBlock()),
                "--token", "it-token")) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !up.alive() || up.outSoFar().contains("Running until interrupted"));
            assertThat(up.alive()).as(up.errSoFar()).isTrue();
            Result r = up.terminate(); // SIGTERM: the shutdown hook stops the cluster before the JVM exits
            assertThat(r.exitCode()).isEqualTo(128 + 15);
            assertThat(r.err()).isEmpty();
            assertThat(r.out()).contains("switch and 6 node agents listening", "token: as given, not shown")
                    .doesNotContain("it-token");
        }
    }

    @Test
    void callWithBadInputExitsWithOneLineAndNoStackTrace() throws Exception {
        // Port 9 (discard) on a loopback address of its own: nothing answers there.
        Result unreachable = e3("call", "--app", "iot-ts", "--server", "http://127.99.0.2:9", "--token", "t");
        assertThat(unreachable.exitCode()).isEqualTo(1);
        assertThat(unreachable.err().lines()).singleElement().asString()
                .startsWith("e3: error: cannot reach the controller at http://127.99.0.2:9");

        Result malformed = e3("call", "--app", "iot-ts", "-d", "{\"key\":", "--server", "http://127.99.0.2:9");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err().lines()).singleElement().asString().startsWith("-d: the envelope is not JSON");
    }

    @Test
    void launcherScriptRunsTheBuiltCli() throws Exception {
        Result r = run(List.of(REPO.resolve("e3").toString(), "--version"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("e3 ");
    }
}
