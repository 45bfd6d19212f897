package io.e3.cli;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.NodeKind;

import java.io.PrintWriter;
import java.util.List;

/**
 * What {@code e3 cluster up} and {@code e3 agent} print once everything they run listens: where the switch and each
 * running node agent can be reached, the dilation and the cluster token. As JSON:
 * {@code {cluster, dilation, token, switch: {address, url}, nodes: [{id, kind, server, address, url, metricsUrl}]}}.
 *
 * @param tor            the cluster's switch; for a lone node agent, where that agent expects it
 * @param nodes          the node agents this process runs
 * @param addressBlock   the cluster's loopback block, e.g. {@code 127.42.0.0/16}
 * @param switchHere     whether this process runs the switch
 * @param tokenGenerated whether the token was made up for this run
 * @param showToken      whether the table may print the token; the JSON document always holds it, since it is what
 *                       whoever runs the controller needs
 */
record RunReport(String cluster, double dilation, String token, @JsonProperty("switch") SwitchView tor,
                 List<NodeView> nodes, @JsonIgnore String addressBlock, @JsonIgnore boolean switchHere,
                 @JsonIgnore boolean tokenGenerated, @JsonIgnore boolean showToken) implements Report {

    record SwitchView(String address, String url) {
    }

    record NodeView(String id, NodeKind kind, String server, String address, String url, String metricsUrl) {
    }

    static final String METRICS_PATH = "/metrics";

    /** The report of a run of {@code setup} with the switch (or not) and the agents of {@code running}. */
    static RunReport of(RunOptions.Setup setup, boolean switchHere, List<ComputeNode> running) {
        AddressPlan plan = setup.plan();
        String torAddress = AddressPlan.text(plan.torIp());
        SwitchView tor = new SwitchView(torAddress, plan.switchUrl());
        List<NodeView> nodes = running.stream().map(n -> new NodeView(n.id(), n.kind(), n.serverId(),
                AddressPlan.text(plan.ipOf(n.id())), plan.httpUrl(n.id()), plan.httpUrl(n.id()) + METRICS_PATH))
                .toList();
        return new RunReport(setup.cluster().name(), setup.emulation().dilation(), setup.token(), tor, nodes,
                setup.block(), switchHere, setup.tokenGenerated(), setup.showToken());
    }

    @Override
    public void print(PrintWriter out) {
        out.println("Cluster " + cluster + " on " + addressBlock + ", dilation D=" + Units.number(dilation) + ": "
                + running() + " listening");
        out.println("  token: " + tokenLine());
        out.println();
        TextTable table = new TextTable("PART", "KIND", "SERVER", "ADDRESS", "CONTROL", "METRICS");
        if (switchHere) {
            table.row("switch", "SWITCH", "-", tor.address(), tor.url(), tor.url() + METRICS_PATH);
        }
        nodes.forEach(n -> table.row(n.id(), n.kind(), n.server(), n.address(), n.url(), n.metricsUrl()));
        table.print(out, "  ");
        out.println();
        out.println("  Control calls need the header 'Authorization: Bearer TOKEN'; GET /metrics needs none.");
        String sameOptions = " with the same --cluster, --address-block, --dilation and --token.";
        if (!switchHere) {
            out.println("  Datagrams go through the switch at " + tor.address() + "; run it with 'e3 agent --node "
                    + AgentCommand.SWITCH + "'" + sameOptions);
        } else if (nodes.isEmpty()) {
            out.println("  Run each compute node with 'e3 agent --node ID'" + sameOptions);
        }
    }

    /** The token itself only when asked: a terminal's output often ends up in a log. */
    private String tokenLine() {
        String choose = "choose one with --token or " + RunOptions.TOKEN_VARIABLE;
        if (showToken) {
            return token + (tokenGenerated ? "  (generated; " + choose + ")" : "");
        }
        return (tokenGenerated ? "generated, not shown (" + choose + ", or " : "as given, not shown (")
                + "--show-token prints it, -o json holds it)";
    }

    private String running() {
        if (!switchHere) {
            return "node agent " + nodes.get(0).id();
        }
        return nodes.isEmpty() ? "switch" : "switch and " + Units.plural(nodes.size(), "node agent", "node agents");
    }
}
