package io.e3.cli;

import io.e3.agent.EmbeddedCluster;
import io.e3.agent.NodeAgent;
import io.e3.model.topology.AddressPlan;
import io.e3.model.manifest.ManifestException;
import io.e3.model.topology.ComputeNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code e3 cluster up}: a whole emulated cluster in this process. */
@Command(name = "cluster", mixinStandardHelpOptions = true,
        description = "Run an emulated cluster: its top-of-rack switch and a node agent per compute node.",
        subcommands = {ClusterCommand.Up.class})
final class ClusterCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "say what to do: up");
    }

    @Command(name = "up", mixinStandardHelpOptions = true,
            description = {
                    "Run a whole emulated cluster in this process.",
                    "It starts the cluster's top-of-rack switch and one node agent per compute node, each on an "
                            + "address of its own in 127.B.0.0/16, with UDP port "
                            + AddressPlan.DEFAULT_DATA_PORT + " for the data plane and TCP port "
                            + AddressPlan.DEFAULT_HTTP_PORT + " for the control API and /metrics.",
                    "Prints where every part listens, the dilation D and where the cluster token comes from (the "
                            + "token itself with --show-token; -o json: one document, token included), "
                            + "then runs until interrupted (Ctrl-C or SIGTERM stop it cleanly) or until --exit-after "
                            + "has passed, printing nothing more.",
                    "To run one process per node instead, see 'e3 agent --help'."},
            footer = {"", "Examples:",
                    "  e3 cluster up --cluster examples/clusters/3x-type1-smartnic.yaml",
                    "  e3 cluster up --cluster my-cluster.yaml --json --exit-after 10m"})
    static final class Up implements Callable<Integer> {

        @CommandLine.Mixin
        RunOptions options;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws ManifestException {
            RunOptions.Setup setup = options.setup(spec, cluster -> List.of());
            AddressPlan plan = setup.plan();
            Map<String, Integer> parts = new LinkedHashMap<>();
            parts.put(AgentCommand.SWITCH, plan.torIp());
            setup.cluster().nodes().forEach(n -> parts.put(n.id(), plan.ipOf(n.id())));
            AddressCheck.requireFree(plan, setup.block(), parts);
            EmbeddedCluster cluster;
            try {
                cluster = EmbeddedCluster.start(plan, setup.emulation(), setup.token(), setup::agent);
            } catch (RuntimeException e) {
                throw AddressCheck.explain(e, setup.block() + " (UDP " + plan.dataPort() + ", TCP "
                        + plan.httpPort() + ")");
            }
            try (Foreground running = Foreground.of(cluster::close, spec.commandLine().getErr())) {
                List<ComputeNode> nodes = cluster.agents().values().stream().map(NodeAgent::node).toList();
                options.show(spec, RunReport.of(setup, true, nodes), setup.exitAfter());
                running.hold(setup.exitAfter());
            }
            return ExitCodes.OK;
        }
    }
}
