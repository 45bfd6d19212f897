package io.e3.controller;

import java.util.List;

/**
 * A CDI event, fired on the control-plane thread once {@link FailoverManager#readmit} has taken nodes declared down
 * back into use: they heartbeat again, the failover manager places on them again and a readmitted SmartNIC's port is
 * back in its host's ECMP group. Instances they still run from before they were declared down were re-placed
 * elsewhere meanwhile; observe this event ({@code @Observes NodesReadmitted}) to deal with them.
 *
 * @param nodes the readmitted nodes, a server's host before its SmartNICs
 */
public record NodesReadmitted(List<String> nodes) {

    public NodesReadmitted {
        nodes = List.copyOf(nodes);
    }
}
