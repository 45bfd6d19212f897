package io.e3.agent;

import io.e3.agent.emu.Emulation;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.rpc.RpcSettings;
import java.util.Objects;

/**
 * How to run one node agent.
 *
 * @param plan            the cluster and where everything listens
 * @param nodeId          the compute node this agent is
 * @param emulation       the emulated hardware's knobs
 * @param token           the cluster token every control call must bear
 * @param heartbeatMillis heartbeat period in real milliseconds (50 by default, §5.4.4)
 * @param rpc             timing of the lossless channels
 * @param factory         makes service objects (the catalog; tests substitute misbehaving ones)
 */
public record AgentConfig(AddressPlan plan, String nodeId, Emulation emulation, String token, long heartbeatMillis,
                          RpcSettings rpc, ExecutionEngine.ServiceFactory factory) {

    public static final long DEFAULT_HEARTBEAT_MILLIS = 50;

    public AgentConfig {
        Objects.requireNonNull(plan, "plan");
        Objects.requireNonNull(nodeId, "nodeId");
        Objects.requireNonNull(emulation, "emulation");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(rpc, "rpc");
        Objects.requireNonNull(factory, "factory");
        if (plan.cluster().node(nodeId).isEmpty()) {
            throw new IllegalArgumentException("no compute node '" + nodeId + "' in cluster " + plan.cluster().name()
                    + "; nodes are " + plan.cluster().nodes().stream().map(n -> n.id()).toList());
        }
        if (token.isBlank()) {
            throw new IllegalArgumentException("the cluster token must not be blank");
        }
        if (heartbeatMillis < 1) {
            throw new IllegalArgumentException("heartbeat period must be >= 1 ms, got " + heartbeatMillis);
        }
    }

    public static AgentConfig of(AddressPlan plan, String nodeId, Emulation emulation, String token) {
        return new AgentConfig(plan, nodeId, emulation, token, DEFAULT_HEARTBEAT_MILLIS, RpcSettings.DEFAULT,
                ExecutionEngine.ServiceFactory.CATALOG);
    }
}
