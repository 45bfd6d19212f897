package io.e3.agent.net;

import io.e3.agent.emu.DelayLine;
import io.e3.agent.emu.Emulation;
import io.e3.agent.http.Families;
import io.e3.agent.http.Http;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.NodeKind;
import io.e3.model.topology.Server;
import io.prometheus.client.CollectorRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The emulated top-of-rack switch (§5.4.2; DESIGN.md "Emulation rules"), one component for the whole emulated fabric,
 * listening on the cluster's switch address. It forwards every data-plane datagram by destination address:
 *
 * <ul>
 *   <li>to a SmartNIC, a host without SmartNICs or a client: directly;</li>
 *   <li>to a host with SmartNICs: over one of that server's SmartNIC ports, chosen by ECMP on the flow
 *       {@code (source, destination, flow id)} ({@link Ecmp}); the SmartNIC's traffic manager passes it on to the
 *       host. A port that is down leaves the group and its flows move to the remaining ports; with no port left the
 *       datagram is dropped and counted.</li>
 * </ul>
 *
 * Each forwarded datagram is delayed by the one-way latency of its hop class between sender and final receiver
 * ({@link HopClass}, dilated); a client counts as a host outside the cluster's servers. Malformed datagrams and datagrams
 * to unknown addresses are dropped and counted; for fault injection, {@link Emulation#lossRate()} of the forwarded
 * datagrams are dropped at random.
 */
public final class TorSwitch {

    /** Distinct flows counted per port, at most (for the port statistics only; forwarding keeps no flow state). */
    public static final int MAX_TRACKED_FLOWS = 65_536;

    private final Vertx vertx;
    private final AddressPlan plan;
    private final Emulation emulation;
    private final String token;
    private final DelayLine delays = new DelayLine("e3-delay-tor");
    private final Map<Integer, Group> groups = new LinkedHashMap<>();
    private final Map<Integer, String> text = new ConcurrentHashMap<>();
    private final SplittableRandom random = new SplittableRandom(0x5eed);
    private final CollectorRegistry registry = new CollectorRegistry();
    private final Http.Stats httpStats = new Http.Stats();
    private volatile double lossRate;
    private DatagramSocket socket;
    private HttpServer http;

    public final LongAdder forwarded = new LongAdder();
    public final LongAdder malformed = new LongAdder();
    public final LongAdder unroutable = new LongAdder();
    public final LongAdder noLivePort = new LongAdder();
    public final LongAdder injectedLoss = new LongAdder();

    /** The SmartNIC ports of one server, the ECMP group of its host address. */
    private static final class Group {
        final List<String> nics = new ArrayList<>();
        final List<Integer> ips = new ArrayList<>();
        boolean[] live;
        LongAdder[] datagrams;
        Set<Long>[] flows;
    }

    public TorSwitch(Vertx vertx, AddressPlan plan, Emulation emulation, String token) {
        this.vertx = vertx;
        this.plan = plan;
        this.emulation = emulation;
        this.token = token;
        this.lossRate = emulation.lossRate();
        for (Server s : plan.cluster().servers()) {
            if (s.smartNics().isEmpty()) {
                continue;
            }
            Group g = new Group();
            for (ComputeNode nic : s.smartNics()) {
                g.nics.add(nic.id());
                g.ips.add(plan.ipOf(nic.id()));
            }
            int n = g.nics.size();
            g.live = new boolean[n];
            java.util.Arrays.fill(g.live, true);
            g.datagrams = new LongAdder[n];
            @SuppressWarnings("unchecked")
            Set<Long>[] flows = new Set[n];
            g.flows = flows;
            for (int i = 0; i < n; i++) {
                g.datagrams[i] = new LongAdder();
                g.flows[i] = ConcurrentHashMap.newKeySet();
            }
            groups.put(plan.ipOf(s.host().id()), g);
        }
        registry.register(new Families()
                .counter("e3_switch_forwarded_datagrams", "Datagrams the switch forwarded", forwarded::sum)
                .counter("e3_switch_malformed_datagrams", "Datagrams dropped as malformed", malformed::sum)
                .counter("e3_switch_unroutable_datagrams", "Datagrams dropped for an unknown destination",
                        unroutable::sum)
                .counter("e3_switch_no_port_datagrams", "Datagrams to a host none of whose SmartNIC ports is up",
                        noLivePort::sum)
                .counter("e3_switch_injected_loss_datagrams", "Datagrams dropped on purpose (loss injection)",
                        injectedLoss::sum)
                .counter("e3_malformed_control_requests", "Control requests refused as malformed or unauthorised",
                        httpStats.malformed::sum));
    }

    public Future<TorSwitch> start() {
        // A verticle of its own: the switch gets an event loop context of its own, not its caller's.
        return vertx.deployVerticle(new io.vertx.core.AbstractVerticle() {
            @Override
            public void start(io.vertx.core.Promise<Void> started) {
                bind().onComplete(started);
            }
        }).map(id -> this).recover(e -> stop().transform(x -> Future.failedFuture(e)));
    }

    private Future<Void> bind() {
        String host = AddressPlan.text(plan.torIp());
        socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(FrameCodec.RECEIVE_BUFFER)
                .setSendBufferSize(16 << 20));
        socket.handler(p -> onDatagram(p.data().getBytes()));
        http = vertx.createHttpServer();
        return socket.listen(plan.dataPort(), host)
                .compose(s -> http.requestHandler(router()).listen(plan.httpPort(), host))
                .<Void>mapEmpty()
                .recover(e -> Future.failedFuture(new java.io.IOException("switch at " + host
                        + " (UDP " + plan.dataPort() + ", TCP " + plan.httpPort() + "): " + e.getMessage(), e)));
    }

    public String url() {
        return plan.switchUrl();
    }

    public CollectorRegistry registry() {
        return registry;
    }

    /** Sets the share of forwarded datagrams dropped on purpose, in [0, 1). */
    public void setLossRate(double rate) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("loss rate must be in [0, 1), got " + rate);
        }
        lossRate = rate;
    }

    /** Takes a SmartNIC port out of (false) or back into (true) its host's ECMP group. */
    public synchronized void setPort(String nicId, boolean up) {
        for (Group g : groups.values()) {
            int i = g.nics.indexOf(nicId);
            if (i >= 0) {
                g.live[i] = up;
                return;
            }
        }
        throw new IllegalArgumentException("no SmartNIC port '" + nicId + "' in cluster " + plan.cluster().name());
    }

    /** Per port: whether it is up, datagrams and distinct flows it carried to its host. */
    public synchronized Map<String, PortStats> ports() {
        Map<String, PortStats> out = new LinkedHashMap<>();
        for (Group g : groups.values()) {
            for (int i = 0; i < g.nics.size(); i++) {
                out.put(g.nics.get(i), new PortStats(g.live[i], g.datagrams[i].sum(), g.flows[i].size()));
            }
        }
        return out;
    }

    /** Forgets the per-port counts. */
    public synchronized void resetPortStats() {
        for (Group g : groups.values()) {
            for (int i = 0; i < g.nics.size(); i++) {
                g.datagrams[i].reset();
                g.flows[i].clear();
            }
        }
    }

    /** One port's state and load. */
    public record PortStats(boolean up, long datagrams, long flows) {
    }

    private void onDatagram(byte[] data) {
        try {
            FrameCodec.checkHeader(data, 0, data.length);
        } catch (MalformedFrameException e) {
            malformed.increment();
            return;
        }
        int src = FrameCodec.peekSource(data, 0);
        int dst = FrameCodec.peekDestination(data, 0);
        ComputeNode to = plan.nodeAt(dst).orElse(null);
        if (to == null && !plan.isClient(dst)) {
            unroutable.increment();
            return;
        }
        int nextHop = dst;
        Group g = to != null && to.kind() == NodeKind.HOST ? groups.get(dst) : null;
        if (g != null) {
            long key = Ecmp.flowKey(src, dst, FrameCodec.peekFlow(data, 0));
            int port;
            synchronized (this) {
                port = Ecmp.choose(key, g.ips, g.live);
            }
            if (port < 0) {
                noLivePort.increment();
                return;
            }
            g.datagrams[port].increment();
            if (g.flows[port].size() < MAX_TRACKED_FLOWS) {
                g.flows[port].add(key);
            }
            nextHop = g.ips.get(port);
        }
        double loss = lossRate;
        if (loss > 0) {
            boolean drop;
            synchronized (random) {
                drop = random.nextDouble() < loss;
            }
            if (drop) {
                injectedLoss.increment();
                return;
            }
        }
        ComputeNode from = plan.nodeAt(src).orElse(null);
        long delay = emulation.oneWayNanos(hop(from, to));
        if (g != null) {
            // The SmartNIC adds the PCIe leg to the host; the hop class's latency covers the whole way.
            delay = Math.max(0, delay - emulation.oneWayNanos(HopClass.PCIE));
        }
        int hopTo = nextHop;
        forwarded.increment();
        delays.at(System.nanoTime() + delay, () -> socket.send(Buffer.buffer(data), plan.dataPort(),
                text.computeIfAbsent(hopTo, AddressPlan::text)));
    }

    /** The hop class between two ends; a null end is a client, taken as a host of another server. */
    static HopClass hop(ComputeNode a, ComputeNode b) {
        if (a != null && b != null) {
            return HopClass.between(a, b);
        }
        boolean aNic = a != null && a.isSmartNic();
        boolean bNic = b != null && b.isSmartNic();
        return HopClass.of(false, false, true, true, aNic, bNic);
    }

    private Router router() {
        Router r = Http.router(vertx, token, registry, httpStats);
        r.get("/v1/ports").handler(ctx -> Http.json(ctx, 200, ports()));
        r.put("/v1/ports/:server/:nic").handler(ctx -> {
            String id = ctx.pathParam("server") + "/" + ctx.pathParam("nic");
            try {
                com.fasterxml.jackson.databind.JsonNode up = Http.jsonBody(ctx).get("up");
                if (up == null || !up.isBoolean()) {
                    throw new io.e3.agent.http.InvalidBodyException("up: expected true or false");
                }
                setPort(id, up.booleanValue());
                Http.json(ctx, 200, Map.of("port", id, "up", up.booleanValue()));
            } catch (io.e3.agent.http.InvalidBodyException e) {
                Http.refuse(ctx, httpStats, 400, e.getMessage());
            } catch (IllegalArgumentException e) {
                Http.error(ctx, 404, e.getMessage());
            }
        });
        return r;
    }

    public Future<Void> stop() {
        delays.close();
        Future<Void> s = socket == null ? Future.succeededFuture() : socket.close();
        Future<Void> h = http == null ? Future.succeededFuture() : http.close();
        return Future.all(s, h).mapEmpty();
    }
}
