package io.e3.agent;

import io.e3.agent.emu.DelayLine;
import io.e3.agent.emu.Link;
import io.e3.agent.emu.TrafficManager;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.agent.http.Http;
import io.e3.agent.net.Frame;
import io.e3.agent.net.FrameCodec;
import io.e3.agent.net.MalformedFrameException;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.rpc.Endpoint;
import io.e3.agent.rpc.RpcStats;
import io.e3.model.telemetry.Heartbeat;
import io.e3.model.topology.AddressPlan;
import io.e3.model.topology.ComputeNode;
import io.e3.model.topology.HopClass;
import io.e3.model.topology.Server;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The microservice runtime of one compute node (§5.4): execution engine, communication subsystem, SmartNIC traffic
 * manager, orchestrator agent (heartbeats), control API and metrics, listening on the node's own loopback address.
 *
 * <p>Data path. A request for an instance on this node runs on the {@link ExecutionEngine}; when its emulated core has
 * finished it, the envelope goes on along the app's channels ({@link Forwarder}, {@link AppRoutes}) and the node answers its caller once
 * every downstream instance has answered, with its own response and theirs. Datagrams leave by the cheapest path
 * (§5.4.1): to itself through memory, between a host and its own SmartNIC over emulated PCIe (a direct datagram
 * after the PCIe latency), anything else through the top-of-rack switch after the node's link has sent it. A SmartNIC
 * takes datagrams for its host into its {@link TrafficManager}, which passes them on over PCIe.
 */
public final class NodeAgent {

    private final AgentConfig config;
    private final Vertx vertx;
    private final AddressPlan plan;
    private final ComputeNode node;
    private final int ip;
    private final int hostIp;
    private final int torIp;
    private final DelayLine delays;
    private final ExecutionEngine engine;
    private final Endpoint endpoint;
    private final TrafficManager trafficManager;
    private final Link link;
    private final long pcieNanos;
    private final Map<String, AppRoutes> routes = new ConcurrentHashMap<>();
    private final java.util.Set<Long> queuedRequests = ConcurrentHashMap.newKeySet();
    private final Map<Integer, String> hostText = new ConcurrentHashMap<>();
    private final AgentMetrics metrics;
    private final Http.Stats httpStats = new Http.Stats();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder datagramsIn = new LongAdder();
    private final LongAdder datagramsOut = new LongAdder();
    private final Forwarder forwarder;
    private final Replication replication;
    private Context context;
    private DatagramSocket socket;
    private HttpServer http;
    private final List<Long> timers = new ArrayList<>();
    private final HeartbeatSender heartbeats;
    /** This node's server's heartbeats in this process, which go to the controller together. */
    private final ServerHeartbeats serverHeartbeats;
    private volatile boolean stopped;
    private volatile String deploymentId;

    private NodeAgent(Vertx vertx, AgentConfig config) {
        this.config = config;
        this.vertx = vertx;
        this.plan = config.plan();
        this.node = plan.cluster().node(config.nodeId()).orElseThrow();
        this.ip = plan.ipOf(node.id());
        Server server = plan.cluster().server(node.serverId()).orElseThrow();
        this.hostIp = plan.ipOf(server.host().id());
        this.torIp = plan.torIp();
        this.delays = new DelayLine("e3-delay-" + node.id());
        this.engine = new ExecutionEngine(node, config.emulation(), delays, config.factory());
        this.endpoint = new Endpoint(ip, this::transmit, delays, config.rpc(), new RpcStats(), this::serve);
        this.trafficManager = node.isSmartNic()
                ? new TrafficManager(node.capacity().bandwidthGbps(), config.emulation()) : null;
        this.link = new Link(node.capacity().bandwidthGbps(), config.emulation().dilation());
        this.pcieNanos = config.emulation().oneWayNanos(HopClass.PCIE);
        this.metrics = new AgentMetrics(this, server);
        this.forwarder = new Forwarder(node, engine, endpoint, routes, config.emulation(), metrics,
                r -> context.runOnContext(v -> r.run()));
        this.replication = new Replication(routes::get, (app, backup, to, payload) -> forwarder.callFollowingMoves(app,
                backup, to, (int) AppRoutes.hash(backup), payload, Forwarder.MAX_REROUTES));
        engine.replication(replication);
        this.serverHeartbeats = ServerHeartbeats.join(vertx, node.serverId(), config.heartbeatMillis(), node.id());
        ServerHeartbeats.Sender toController = datagram -> {
            boolean running = !stopped; // read once: sent and reported as sent, or neither
            if (running) {
                socket.send(Buffer.buffer(datagram), plan.heartbeatPort(), AddressPlan.text(plan.controllerIp()));
            }
            return running;
        };
        this.heartbeats = new HeartbeatSender(vertx, config, engine, trafficManager, metrics, this::bytesIn,
                this::bytesOut, encoded -> {
                    if (!stopped) {
                        serverHeartbeats.offer(node.id(), encoded, toController);
                    }
                    return !stopped;
                });
    }

    /**
     * Starts an agent: binds its datagram socket and HTTP server on the node's address. If either cannot bind, whatever
     * did start is stopped again and the future fails naming the address.
     */
    public static Future<NodeAgent> start(Vertx vertx, AgentConfig config) {
        NodeAgent agent = new NodeAgent(vertx, config);
        // A verticle of its own gives each agent its own event-loop context (round-robin over the event loops), so
        // the agents of an embedded cluster spread over all of them instead of sharing the caller's one.
        return vertx.deployVerticle(new io.vertx.core.AbstractVerticle() {
            @Override
            public void start(io.vertx.core.Promise<Void> started) {
                agent.context = context;
                agent.bind().onComplete(started);
            }
        }).map(id -> {
            agent.deploymentId = id;
            return agent;
        }).recover(e -> agent.stop().transform(x -> Future.failedFuture(
                new java.io.IOException(config.nodeId() + " at " + AddressPlan.text(agent.ip) + " (UDP "
                        + agent.plan.dataPort() + ", TCP " + agent.plan.httpPort() + "): " + e.getMessage(), e))));
    }

    private Future<Void> bind() {
        String host = AddressPlan.text(ip);
        socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(FrameCodec.RECEIVE_BUFFER)
                .setSendBufferSize(8 << 20));
        socket.handler(packet -> {
            Buffer b = packet.data();
            onDatagram(b.getBytes());
        });
        AgentApi api = new AgentApi(this, httpStats);
        http = vertx.createHttpServer();
        return socket.listen(plan.dataPort(), host)
                .compose(s -> http.requestHandler(api.router(vertx, config.token())).listen(plan.httpPort(), host))
                .onSuccess(h -> {
                    heartbeats.start();
                    timers.add(vertx.setPeriodic(100, t -> engine.watchdog()));
                    timers.add(vertx.setPeriodic(1000, t -> endpoint.expire()));
                })
                .mapEmpty();
    }

    public AgentConfig config() {
        return config;
    }

    public ComputeNode node() {
        return node;
    }

    public int ip() {
        return ip;
    }

    public AddressPlan plan() {
        return plan;
    }

    public ExecutionEngine engine() {
        return engine;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    public Optional<TrafficManager> trafficManager() {
        return Optional.ofNullable(trafficManager);
    }

    public AgentMetrics metrics() {
        return metrics;
    }

    public Http.Stats httpStats() {
        return httpStats;
    }

    public Map<String, AppRoutes> routes() {
        return routes;
    }

    /** Calls that followed an instance to its new node (it moved, or failover re-placed or promoted it). */
    public long rerouted() {
        return forwarder.rerouted.sum();
    }

    /** Requests applied by backups of this node's instances, and batches that reached no backup. */
    public long[] replicationCounts() {
        return new long[] {replication.replicated.sum(), replication.batches.sum(), replication.failures.sum()};
    }

    /**
     * Stops intake of an instance (requests are held); completes with the number held once nothing runs and every
     * request it ran has reached its backups, so a snapshot taken then is what the backups hold too.
     */
    public CompletableFuture<Integer> drain(String instance) {
        return engine.drain(instance).thenCompose(held -> replication.flushed(instance).thenApply(x -> held));
    }

    /** The last heartbeat this node sent, or null before the first. */
    public Heartbeat lastHeartbeat() {
        return heartbeats.last();
    }

    /** Heartbeats sent to the controller so far. */
    public long heartbeatsSent() {
        return heartbeats.sent();
    }

    public long bytesIn() {
        return bytesIn.sum();
    }

    public long bytesOut() {
        return bytesOut.sum();
    }

    public long datagramsIn() {
        return datagramsIn.sum();
    }

    public long datagramsOut() {
        return datagramsOut.sum();
    }

    /** The base URL of this agent's control API. */
    public String url() {
        return "http://" + AddressPlan.text(ip) + ":" + plan.httpPort();
    }

    // ---- data path ----

    private void onDatagram(byte[] data) {
        datagramsIn.increment();
        bytesIn.add(data.length);
        try {
            FrameCodec.checkHeader(data, 0, data.length);
        } catch (MalformedFrameException e) {
            endpoint.stats().malformedDatagrams.increment();
            return;
        }
        int dst = FrameCodec.peekDestination(data, 0);
        if (dst == ip) {
            endpoint.receive(data, 0, data.length);
        } else if (trafficManager != null && dst == hostIp) {
            forwardToHost(data);
        } else {
            endpoint.stats().misroutedDatagrams.increment();
        }
    }

    /**
     * Passes a host-bound datagram through the traffic manager, then over PCIe. A copy of a request already waiting in
     * the queue (a caller's retransmission) is dropped rather than queued again, and a request that will wait longer
     * than half the minimum retransmission timeout is acknowledged on the host's behalf, so that callers probe
     * instead of piling retransmissions into a queue that is already long.
     */
    private void forwardToHost(byte[] data) {
        boolean request = FrameCodec.peekKind(data, 0) == Frame.Kind.REQUEST.ordinal();
        long key = request ? io.e3.agent.net.Ecmp.mix(((long) FrameCodec.peekSource(data, 0) << 32)
                ^ FrameCodec.peekRequestId(data, 0)) : 0;
        if (request && !queuedRequests.add(key)) {
            trafficManager.duplicateDropped();
            return;
        }
        long now = System.nanoTime();
        long forwarded = trafficManager.enqueue(now, data.length);
        if (forwarded < 0) {
            if (request) {
                queuedRequests.remove(key);
            }
            return;
        }
        if (request && forwarded - now > config.rpc().minRtoMillis() * 1_000_000L / 2) {
            try {
                Frame f = FrameCodec.decode(data, 0, data.length);
                transmit(Frame.ack(f), FrameCodec.encode(Frame.ack(f)));
            } catch (MalformedFrameException e) {
                // The host's endpoint will count it; no ack for a damaged request.
            }
        }
        delays.at(forwarded, () -> {
            trafficManager.dequeued();
            if (request) {
                queuedRequests.remove(key);
            }
            delays.at(System.nanoTime() + pcieNanos, () -> send(data, hostIp));
        });
    }

    /** Sends a frame towards its destination by the cheapest path (§5.4.1). */
    private void transmit(Frame frame, byte[] encoded) {
        int dst = frame.dstIp();
        if (dst == ip) {
            context.runOnContext(v -> endpoint.receive(frame));
            return;
        }
        long now = System.nanoTime();
        if (isPciePeer(dst)) {
            delays.at(now + pcieNanos, () -> send(encoded, dst));
        } else {
            long sent = link.transmit(now, encoded.length);
            delays.at(sent, () -> send(encoded, torIp));
        }
    }

    private boolean isPciePeer(int dst) {
        if (node.isSmartNic()) {
            return dst == hostIp;
        }
        return plan.nodeAt(dst).map(n -> n.isSmartNic() && n.serverId().equals(node.serverId())).orElse(false);
    }

    private void send(byte[] data, int to) {
        if (stopped) {
            return;
        }
        datagramsOut.increment();
        bytesOut.add(data.length);
        socket.send(Buffer.buffer(data), plan.dataPort(), hostText.computeIfAbsent(to, AddressPlan::text));
    }

    /** Serves a request for an instance here, then sends the envelope on along the app's channels. */
    private void serve(Frame request, java.util.function.BiConsumer<Frame.Status, byte[]> reply) {
        long arrival = System.nanoTime();
        String instance = request.instance();
        if (Replication.isBatch(request.payload())) {
            forwarder.applyReplicas(request, arrival, reply);
            return;
        }
        engine.submit(instance, request, arrival, outcome -> {
            long done = System.nanoTime();
            context.runOnContext(v -> forwarder.afterExecution(request, outcome, arrival, done, reply));
        });
    }

    /** Stops serving: timers, sockets, HTTP server, running instances; waiting callers get an error. */
    public Future<Void> stop() {
        stopped = true;
        heartbeats.stop();
        serverHeartbeats.leave(node.id());
        timers.forEach(vertx::cancelTimer);
        endpoint.failAll("node agent " + node.id() + " stopped");
        engine.close();
        delays.close();
        Future<Void> s = socket == null ? Future.succeededFuture() : socket.close();
        Future<Void> h = http == null ? Future.succeededFuture() : http.close();
        String id = deploymentId;
        return Future.all(s, h).compose(x -> id == null || !vertx.deploymentIDs().contains(id)
                ? Future.<Void>succeededFuture() : vertx.undeploy(id)).mapEmpty();
    }
}
