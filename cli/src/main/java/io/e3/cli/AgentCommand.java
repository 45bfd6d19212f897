package io.e3.cli;

import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.net.TorSwitch;
import io.e3.model.manifest.ManifestException;
import io.e3.model.topology.Cluster;
import io.e3.model.topology.ComputeNode;
import io.vertx.core.Vertx;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

/** {@code e3 agent}: one part of an emulated cluster, a node agent or the switch, in this process. */
@Command(name = "agent", mixinStandardHelpOptions = true,
        description = {
                "Run one part of an emulated cluster in this process: a node agent, or the switch.",
                "With --node ID it starts the node agent of compute node ID; with --node " + AgentCommand.SWITCH
                        + ", the cluster's top-of-rack switch. Each part listens "
                        + "on its own address in 127.B.0.0/16 (UDP port " + AddressPlan.DEFAULT_DATA_PORT
                        + ", TCP port " + AddressPlan.DEFAULT_HTTP_PORT + "), so a cluster can run as one process "
                        + "per node: one 'e3 agent --node " + AgentCommand.SWITCH + "' plus one 'e3 agent --node ID' "
                        + "per compute node, all with the same --cluster, --address-block, --dilation and --token.",
                "Prints the part's address, control URL and metrics URL, then runs until interrupted (Ctrl-C or "
                        + "SIGTERM stop it cleanly) or until --exit-after has passed, printing nothing more. "
                        + "'e3 cluster up' runs a whole cluster in one process instead."},
        footer = {"", "Example: the 3-server cluster as 7 processes, sharing one token",
                "  export " + RunOptions.TOKEN_VARIABLE + "=$(openssl rand -hex 16)",
                "  e3 agent --cluster examples/clusters/3x-type1-smartnic.yaml --node " + AgentCommand.SWITCH + " &",
                "  for n in s0/host s0/nic0 s1/host s1/nic0 s2/host s2/nic0; do",
                "    e3 agent --cluster examples/clusters/3x-type1-smartnic.yaml --node $n &",
                "  done"})
final class AgentCommand implements Callable<Integer> {

    /** The --node value that runs the switch; compute node ids always hold a '/', so it names no compute node. */
    static final String SWITCH = "switch";

    /** Beyond this many, a message lists the first valid node ids only. */
    private static final int MAX_LISTED = 20;

    @Option(names = "--node", required = true, paramLabel = "ID",
            description = "The compute node to run, e.g. s0/nic0 ('e3 describe cluster' lists them), or '" + SWITCH
                    + "' for the cluster's top-of-rack switch.")
    String node;

    @CommandLine.Mixin
    RunOptions options;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws ManifestException {
        RunOptions.Setup setup = options.setup(spec, this::checkNode);
        AddressPlan plan = setup.plan();
        boolean isSwitch = node.equals(SWITCH);
        int ip = isSwitch ? plan.torIp() : plan.ipOf(node);
        AddressCheck.requireFree(plan, setup.block(), Map.of(node, ip));
        String where = AddressPlan.text(ip) + " (UDP " + plan.dataPort() + ", TCP " + plan.httpPort() + ")";
        Vertx vertx = EmbeddedCluster.newVertx();
        Runnable stop;
        List<ComputeNode> running;
        try {
            if (isSwitch) {
                TorSwitch tor = new TorSwitch(vertx, plan, setup.emulation(), setup.token());
                stop = () -> stopThenClose(vertx, () -> EmbeddedCluster.await(tor.stop()));
                startOrStop(() -> EmbeddedCluster.await(tor.start()), stop);
                running = List.of();
            } else {
                NodeAgent agent = startOrStop(() -> EmbeddedCluster.await(NodeAgent.start(vertx, setup.agent(node))),
                        () -> EmbeddedCluster.await(vertx.close()));
                stop = () -> stopThenClose(vertx, () -> EmbeddedCluster.await(agent.stop()));
                running = List.of(agent.node());
            }
        } catch (RuntimeException e) {
            throw AddressCheck.explain(e, where);
        }
        try (Foreground foreground = Foreground.of(stop, spec.commandLine().getErr())) {
            options.show(spec, RunReport.of(setup, isSwitch, running), setup.exitAfter());
            foreground.hold(setup.exitAfter());
        }
        return ExitCodes.OK;
    }

    private List<String> checkNode(Cluster cluster) {
        if (node.equals(SWITCH) || cluster.node(node).isPresent()) {
            return List.of();
        }
        List<String> valid = new ArrayList<>();
        valid.add(SWITCH);
        cluster.nodes().stream().limit(MAX_LISTED).forEach(n -> valid.add(n.id()));
        int more = cluster.nodes().size() - MAX_LISTED;
        return List.of("--node: no compute node '" + node + "' in cluster " + cluster.name() + "; valid: "
                + String.join(", ", valid) + (more > 0 ? " and " + more + " more ('e3 describe cluster' lists them)"
                : ""));
    }

    /** Runs {@code start}; if it fails, runs {@code stop} before passing the failure on. */
    private static <T> T startOrStop(Supplier<T> start, Runnable stop) {
        try {
            return start.get();
        } catch (RuntimeException e) {
            try {
                stop.run();
            } catch (RuntimeException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw e;
        }
    }

    private static void stopThenClose(Vertx vertx, Runnable stopPart) {
        try {
            stopPart.run();
        } finally {
            EmbeddedCluster.await(vertx.close());
        }
    }
}
