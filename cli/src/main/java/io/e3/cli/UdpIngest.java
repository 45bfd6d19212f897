package io.e3.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.Cluster;
import io.e3.orchestrator.OrchestratorBenchmark;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code e3 bench orchestrator --udp}: the heartbeat rate the real controller takes over loopback UDP. It starts the
 * controller for a FatTree of Type2 servers, sends it encoded heartbeats from one thread as fast as it can, and reads
 * back from {@code /v1/events} how many it decoded and fed to the orchestrator.
 */
final class UdpIngest {

    private final CommandLine.Model.CommandSpec spec;
    private final int servers;
    private final int seconds;
    private final int block;
    private final OutputFormat output;

    UdpIngest(CommandLine.Model.CommandSpec spec, int servers, int seconds, int block, OutputFormat output) {
        this.spec = spec;
        this.servers = servers;
        this.seconds = seconds;
        this.block = block;
        this.output = output;
    }

    int run() throws Exception {
        List<String> problems = new ArrayList<>();
        if (servers < 1 || servers > 13_000) {
            problems.add("--servers: with --udp at most 13,000 (5 nodes each in one address block), got " + servers);
        }
        if (seconds < 1 || seconds > 600) {
            problems.add("--seconds: must be in [1, 600], got " + seconds);
        }
        if (block < 1 || block > 254) {
            problems.add("--address-block: must be in [1, 254], got " + block);
        }
        Path jar = ControllerCommand.controllerJar();
        if (!Files.isRegularFile(jar)) {
            problems.add("the controller is not built (" + jar + "); run ./e3 once");
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        Cluster cluster = OrchestratorBenchmark.cluster(servers);
        Path manifest = Files.createTempFile("e3-bench-cluster", ".yaml");
        manifest.toFile().deleteOnExit();
        Files.writeString(manifest, manifest(cluster));
        AddressPlan plan = AddressPlan.of(cluster, block);
        int rounds = 120;
        progress.accept("encoding " + (long) servers * rounds + " heartbeats");
        byte[][] heartbeats = OrchestratorBenchmark.heartbeats(cluster, rounds, 50);
        String token = RunOptions.randomToken();
        progress.accept("starting the controller for " + servers + " servers");
        try (ControllerProcess controller = ControllerProcess.start(jar, manifest, block, token,
                AddressPlan.text(plan.controllerIp()), 7090, Files.createTempDirectory("e3-bench-state"), "hcm",
                false);
             DatagramChannel channel = DatagramChannel.open()) {
            if (!controller.awaitReady(token, Duration.ofSeconds(120))) {
                throw new FailureException("the controller did not come up at " + controller.url());
            }
            ControllerClient api = new ControllerClient(URI.create(controller.url()), token, "");
            channel.bind(new InetSocketAddress(AddressPlan.text(plan.clientIp(0)), 0));
            InetSocketAddress to = new InetSocketAddress(AddressPlan.text(plan.controllerIp()), plan.heartbeatPort());
            progress.accept("sending for " + seconds + " s");
            long sent = 0;
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            for (int k = 0; System.nanoTime() < end; k = (k + 1) % heartbeats.length) {
                channel.send(ByteBuffer.wrap(heartbeats[k]), to);
                sent++;
            }
            double took = (System.nanoTime() - start) / 1e9;
            Thread.sleep(1000);
            JsonNode events = ControllerClient.require(api.get("/v1/events"), 200);
            long received = events.path("heartbeatsReceived").asLong();
            progress.done();
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("servers", servers);
            r.put("seconds", took);
            r.put("sent", sent);
            r.put("sentPerSecond", sent / took);
            r.put("received", received);
            r.put("receivedPerSecond", received / took);
            r.put("lost", sent - received);
            r.put("stale", events.path("heartbeatsStale").asLong());
            r.put("decisions", events.path("decisions").size());
            PrintWriter out = spec.commandLine().getOut();
            if (output == OutputFormat.json) {
                OutputFormat.printJson(out, r);
            } else {
                out.printf(Locale.ROOT, "Controller heartbeat ingest over loopback UDP, %,d Type2 servers, %.1f s:%n",
                        servers, took);
                out.printf(Locale.ROOT, "  sent      %,d (%,.0f/s from one thread)%n", sent, sent / took);
                out.printf(Locale.ROOT, "  taken     %,d (%,.0f/s decoded and fed to the orchestrator)%n", received,
                        received / took);
                out.printf(Locale.ROOT, "  lost      %,d (%.1f %%: dropped by the socket while the controller was "
                        + "busy)%n", sent - received, 100.0 * (sent - received) / Math.max(1, sent));
                out.printf(Locale.ROOT, "  decisions %d (stale heartbeats %d: the sender cycles through %d rounds)%n",
                        events.path("decisions").size(), events.path("heartbeatsStale").asLong(), rounds);
            }
            return ExitCodes.OK;
        }
    }

    /** The cluster as a manifest the controller can load (the same racks, pods and server names). */
    static String manifest(Cluster cluster) {
        StringBuilder y = new StringBuilder("apiVersion: e3.io/v1alpha1\nkind: Cluster\nmetadata:\n  name: ")
                .append(cluster.name()).append("\nspec:\n  racks:\n");
        cluster.racks().forEach(r -> y.append("    - name: ").append(r.id()).append("\n      pod: ").append(r.podId())
                .append("\n      servers:\n        - type: Type2-SmartNIC\n          count: ")
                .append(r.servers().size()).append('\n'));
        return y.toString();
    }
}
