package io.e3.model.topology;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where every part of an emulated cluster listens: one loopback /16, {@code 127.B.0.0}, per cluster (§5.4.2: every
 * SmartNIC and every host has its own IP).
 *
 * <ul>
 *   <li>{@code 127.B.0.1}: the top-of-rack switch;</li>
 *   <li>{@code 127.B.0.2}: the controller, where heartbeats go;</li>
 *   <li>{@code 127.B.0.10} to {@code 127.B.0.254}: clients (load generators, tests, {@code e3} commands);</li>
 *   <li>{@code 127.B.1.0} onwards: the compute nodes, in the cluster's order (server by server, host first).</li>
 * </ul>
 *
 * Every address uses the same ports: {@link #dataPort()} (UDP, the data plane), {@link #httpPort()} (the control
 * API and {@code /metrics}), and the controller's {@link #heartbeatPort()} (UDP).
 */
public final class AddressPlan {

    public static final int DEFAULT_SECOND_OCTET = 42;
    public static final int DEFAULT_DATA_PORT = 7000;
    public static final int DEFAULT_HTTP_PORT = 7080;
    public static final int DEFAULT_HEARTBEAT_PORT = 7001;
    private static final int FIRST_CLIENT = 10;
    private static final int LAST_CLIENT = 254;
    private static final int FIRST_NODE = 256;

    private final Cluster cluster;
    private final int base;
    private final int dataPort;
    private final int httpPort;
    private final int heartbeatPort;
    private final Map<String, Integer> ipByNode = new HashMap<>();
    private final Map<Integer, ComputeNode> nodeByIp = new HashMap<>();

    /**
     * @param secondOctet B of {@code 127.B.0.0}, 1 to 254
     */
    public AddressPlan(Cluster cluster, int secondOctet, int dataPort, int httpPort, int heartbeatPort) {
        if (secondOctet < 1 || secondOctet > 254) {
            throw new IllegalArgumentException("the address block 127.B.0.0 needs B in [1, 254], got " + secondOctet);
        }
        List<ComputeNode> nodes = cluster.nodes();
        if (nodes.size() > 65_536 - FIRST_NODE) {
            throw new IllegalArgumentException(cluster.name() + ": " + nodes.size() + " compute nodes do not fit in 127."
                    + secondOctet + ".0.0/16");
        }
        for (int port : new int[] {dataPort, httpPort, heartbeatPort}) {
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("port must be in [1, 65535], got " + port);
            }
        }
        this.cluster = cluster;
        this.base = (127 << 24) | (secondOctet << 16);
        this.dataPort = dataPort;
        this.httpPort = httpPort;
        this.heartbeatPort = heartbeatPort;
        for (int i = 0; i < nodes.size(); i++) {
            ipByNode.put(nodes.get(i).id(), base + FIRST_NODE + i);
            nodeByIp.put(base + FIRST_NODE + i, nodes.get(i));
        }
    }

    public static AddressPlan of(Cluster cluster, int secondOctet) {
        return new AddressPlan(cluster, secondOctet, DEFAULT_DATA_PORT, DEFAULT_HTTP_PORT, DEFAULT_HEARTBEAT_PORT);
    }

    public Cluster cluster() {
        return cluster;
    }

    public int dataPort() {
        return dataPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int heartbeatPort() {
        return heartbeatPort;
    }

    public int torIp() {
        return base + 1;
    }

    public int controllerIp() {
        return base + 2;
    }

    /** The address of client number {@code n}, from 0. */
    public int clientIp(int n) {
        if (n < 0 || n > LAST_CLIENT - FIRST_CLIENT) {
            throw new IllegalArgumentException("client number must be in [0, " + (LAST_CLIENT - FIRST_CLIENT) + "]");
        }
        return base + FIRST_CLIENT + n;
    }

    public boolean isClient(int ip) {
        return ip - base >= FIRST_CLIENT && ip - base <= LAST_CLIENT;
    }

    /** The address of compute node {@code nodeId}. */
    public int ipOf(String nodeId) {
        Integer ip = ipByNode.get(nodeId);
        if (ip == null) {
            throw new IllegalArgumentException("no compute node '" + nodeId + "' in cluster " + cluster.name());
        }
        return ip;
    }

    public Optional<ComputeNode> nodeAt(int ip) {
        return Optional.ofNullable(nodeByIp.get(ip));
    }

    public String httpUrl(String nodeId) {
        return "http://" + text(ipOf(nodeId)) + ":" + httpPort;
    }

    /** The cluster's address block as people write it, e.g. {@code 127.42.0.0/16}. */
    public String block() {
        return text(base) + "/16";
    }

    /** The base URL of the switch's control API. */
    public String switchUrl() {
        return "http://" + text(torIp()) + ":" + httpPort;
    }

    /** Dotted-quad form of {@code ip}. */
    public static String text(int ip) {
        return (ip >>> 24) + "." + ((ip >>> 16) & 0xff) + "." + ((ip >>> 8) & 0xff) + "." + (ip & 0xff);
    }

    /** The int form of a dotted quad. */
    public static int parse(String dotted) {
        String[] parts = dotted.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
        }
        int ip = 0;
        for (String p : parts) {
            if (!p.matches("0|[1-9][0-9]{0,2}")) {
                throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
            }
            int v = Integer.parseInt(p);
            if (v > 255) {
                throw new IllegalArgumentException("not an IPv4 address: '" + dotted + "'");
            }
            ip = (ip << 8) | v;
        }
        return ip;
    }
}
