package io.e3.cli;

import io.e3.orchestrator.OrchestratorBenchmark;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code e3 bench orchestrator}: heartbeat ingest and decision latency of the data-plane orchestrator at scale. */
@Command(name = "orchestrator", mixinStandardHelpOptions = true,
        description = {"The data-plane orchestrator at scale (§5.6.6, Figure 5.11): synthetic heartbeats from a "
                + "FatTree of Type2-SmartNIC servers, one per server per period, taken on one thread as fast as it "
                + "can, the way the controller takes them: decoded and checked, recorded for membership, fed to the "
                + "orchestrator. Prints the ingest rate beside the offered load (servers / period) and the latency "
                + "of one heartbeat's whole path.",
                "The defaults (50,000 servers, 20 rounds: 1 million heartbeats, one second of load at 50 ms) take "
                        + "a few seconds, most of it encoding. Progress goes to stderr."})
final class OrchestratorBenchCommand implements Callable<Integer> {

    @Option(names = "--servers", paramLabel = "N", defaultValue = "50000",
            description = "Type2-SmartNIC servers (default: ${DEFAULT-VALUE}).")
    int servers;

    @Option(names = "--rounds", paramLabel = "N", defaultValue = "20",
            description = "Heartbeats per server (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Option(names = "--period-ms", paramLabel = "MS", defaultValue = "50",
            description = "Heartbeat period the offered load is computed with (default: ${DEFAULT-VALUE}).")
    int periodMillis;

    /** With --udp, the default cluster: 3,000 Type2 servers, whose 15,000 nodes send 300,000 heartbeats a second. */
    static final int UDP_SERVERS = 3_000;

    @Option(names = "--udp", description = "Instead: start the real controller for --servers Type2 servers (at most "
            + "13,000, what one address block holds; default then 3,000, whose 15,000 nodes send 300,000 heartbeats "
            + "a second: the senders share this machine's cores with the controller) and send it signed heartbeats over "
            + "loopback UDP from one socket per server at its first SmartNIC's address, from --senders threads as "
            + "fast as they can, for --seconds; print the rates offered and accepted, what was refused and how many "
            + "were lost. Each datagram is a server batch of --batch heartbeats, as the agents of one server in one "
            + "process send them. The heartbeats are pre-signed (signed before the clock starts; the senders' signing "
            + "is not timed), each with its own sequence number, and sent in a fixed shuffled order of the servers.")
    boolean udp;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "5",
            description = "With --udp: heartbeats per datagram, 1 to 5 (default: ${DEFAULT-VALUE}, one from each node "
                    + "of a Type2 server: its host and four SmartNICs; 1: one plain heartbeat of the first SmartNIC, "
                    + "as an agent alone in its process sends it).")
    int batch;

    @Option(names = "--rate", paramLabel = "N",
            description = "With --udp: heartbeats a second to offer, paced over the senders (default: what the "
                    + "servers' --batch nodes send at a 50 ms period, servers x batch x 20; 0: as fast as the senders "
                    + "can, which on a machine of few cores overruns the controller and measures that).")
    Long rate;

    @Option(names = "--senders", paramLabel = "N",
            description = "With --udp: sender threads (default: one per core, here ${DEFAULT-VALUE}).")
    int senders = Runtime.getRuntime().availableProcessors();

    @Option(names = "--sender-nice", paramLabel = "N", defaultValue = "10",
            description = "With --udp: the sender threads' nice value, 0 to 19 (default: ${DEFAULT-VALUE}): lower "
                    + "priority than the controller, so that where senders and controller share few cores the "
                    + "senders do not starve the controller's receiving thread (Linux; 0 leaves it).")
    int senderNice;

    @Option(names = "--seconds", paramLabel = "N", defaultValue = "5",
            description = "With --udp: how long to send (default: ${DEFAULT-VALUE}).")
    int seconds;

    /** With --udp, the controller's block. */
    @CommandLine.Mixin
    AddressBlockOption block = new AddressBlockOption(44);

    @CommandLine.Mixin
    OutputOption output;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (udp) {
            int udpServers = spec.commandLine().getParseResult().hasMatchedOption("--servers") ? servers
                    : UDP_SERVERS;
            long offered = rate != null ? rate : (long) udpServers * batch * (1000 / UdpIngest.PERIOD_MILLIS);
            return new UdpIngest(spec, udpServers, seconds, block.block(), senders, senderNice, batch, offered,
                    output.format).run();
        }
        java.util.List<String> problems = new java.util.ArrayList<>();
        if (servers < 1 || servers > 200_000) {
            problems.add("--servers: " + servers + " is not in [1, 200000]");
        }
        if (rounds < 1 || (long) rounds * servers > 5_000_000) {
            problems.add("--rounds: " + rounds + " must be >= 1, with servers x rounds at most 5,000,000");
        }
        if (periodMillis < 1) {
            problems.add("--period-ms: " + periodMillis + " is not >= 1");
        }
        if (!problems.isEmpty()) {
            throw new BadInputException(problems);
        }
        ProgressLine progress = new ProgressLine(spec.commandLine().getErr());
        OrchestratorBenchmark.Result r = OrchestratorBenchmark.run(servers, rounds, periodMillis, progress);
        progress.done();
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            OutputFormat.printJson(out, r);
            return ExitCodes.OK;
        }
        out.printf(Locale.ROOT, "%,d heartbeats from %,d Type2-SmartNIC servers ingested on one thread in %.2f s%n",
                r.heartbeats(), r.servers(), r.seconds());
        out.printf(Locale.ROOT, "  ingest rate      %,.0f heartbeats/s (offered load at %d ms: %,.0f/s, %s)%n",
                r.ingestPerSecond(), r.periodMillis(), r.offeredPerSecond(),
                r.ingestPerSecond() >= r.offeredPerSecond() ? "kept up" : "fell behind");
        out.printf(Locale.ROOT, "  per CPU second   %,.0f heartbeats (the thread was on a core %.2f s of the %.2f s)%n",
                r.ingestPerCpuSecond(), r.cpuSeconds(), r.seconds());
        out.printf(Locale.ROOT, "  per heartbeat    p50 %.2f µs, p99 %.2f µs, p99.9 %.2f µs, max %.1f µs "
                + "(decode, membership, orchestrator)%n",
                r.p50Micros(), r.p99Micros(), r.p999Micros(), r.maxMicros());
        out.printf(Locale.ROOT, "  migration decisions %d, stale heartbeats %d%n", r.decisions(), r.stale());
        return ExitCodes.OK;
    }
}
