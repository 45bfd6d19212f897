package io.e3.agent;

import io.e3.agent.emu.DelayLine;
import io.e3.model.topology.AddressPlan;
import io.e3.agent.net.Frame;
import io.e3.agent.net.FrameCodec;
import io.e3.agent.net.MalformedFrameException;
import io.e3.agent.routing.AppRoutes;
import io.e3.agent.routing.Target;
import io.e3.agent.rpc.Endpoint;
import io.e3.agent.rpc.Reply;
import io.e3.agent.rpc.RpcSettings;
import io.e3.agent.rpc.RpcStats;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;
import io.vertx.core.datagram.DatagramSocketOptions;
import java.util.concurrent.CompletableFuture;

/**
 * A client of an emulated cluster's applications: a lossless channel end on one of the cluster's client addresses,
 * sending requests through the switch like any traffic from outside the servers (load generators, tests, the CLI).
 */
public final class AppClient {

    private final Vertx vertx;
    private final AddressPlan plan;
    private final int ip;
    private final DelayLine delays;
    private final Endpoint endpoint;
    private DatagramSocket socket;

    private AppClient(Vertx vertx, AddressPlan plan, int clientNumber, RpcSettings rpc) {
        this.vertx = vertx;
        this.plan = plan;
        this.ip = plan.clientIp(clientNumber);
        this.delays = new DelayLine("e3-delay-client" + clientNumber);
        String tor = AddressPlan.text(plan.torIp());
        this.endpoint = new Endpoint(ip, (frame, bytes) -> socket.send(Buffer.buffer(bytes), plan.dataPort(), tor),
                delays, rpc, new RpcStats(), (request, reply) -> reply.accept(Frame.Status.NO_SUCH_INSTANCE,
                Endpoint.errorJson("a client serves no instances")));
    }

    /** Binds client number {@code clientNumber} of {@code plan}. */
    public static Future<AppClient> start(Vertx vertx, AddressPlan plan, int clientNumber, RpcSettings rpc) {
        AppClient c = new AppClient(vertx, plan, clientNumber, rpc);
        c.socket = vertx.createDatagramSocket(new DatagramSocketOptions().setReceiveBufferSize(FrameCodec.RECEIVE_BUFFER)
                .setSendBufferSize(16 << 20));
        c.socket.handler(p -> c.onDatagram(p.data().getBytes()));
        return c.socket.listen(plan.dataPort(), AddressPlan.text(c.ip)).map(s -> c);
    }

    private void onDatagram(byte[] data) {
        try {
            FrameCodec.checkHeader(data, 0, data.length);
        } catch (MalformedFrameException e) {
            endpoint.stats().malformedDatagrams.increment();
            return;
        }
        endpoint.receive(data, 0, data.length);
    }

    public int ip() {
        return ip;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** Sends an envelope to one instance on flow {@code flowId}. */
    public CompletableFuture<Reply> call(Target target, int flowId, byte[] envelope) {
        return endpoint.call(target.ip(), flowId, target.instance(), envelope);
    }

    /** Sends an envelope to the instance of {@code service} that {@code key} enters at. */
    public CompletableFuture<Reply> call(AppRoutes routes, String service, String key, int flowId, byte[] envelope) {
        return call(routes.entry(service, key, flowId), flowId, envelope);
    }

    /**
     * Sends an envelope to the instance of {@code service} that {@code key} enters at, by the routing table
     * {@code routes} gives now; if that instance answers NO_SUCH_INSTANCE (it moved) or cannot be reached (its node
     * died), asks {@code routes} again and follows the instance to its new node, or to the backup failover promoted in
     * its place (waiting 150 ms when the table has not caught up yet), at most 3 times. After a move the old node
     * never ran the request, so it runs once; after a node death it may have run there, so it may run twice.
     */
    public CompletableFuture<Reply> call(java.util.function.Supplier<AppRoutes> routes, String service, String key,
                                         int flowId, byte[] envelope) {
        Target t = routes.get().entry(service, key, flowId);
        return follow(routes, t.instance(), t.ip(), flowId, envelope, 3);
    }

    private CompletableFuture<Reply> follow(java.util.function.Supplier<AppRoutes> routes, String instance, int ip,
                                            int flowId, byte[] envelope, int left) {
        return endpoint.call(ip, flowId, instance, envelope).thenCompose(r -> {
            if ((r.status() != Frame.Status.NO_SUCH_INSTANCE && r.status() != Frame.Status.UNREACHABLE) || left == 0) {
                return CompletableFuture.completedFuture(r);
            }
            Target now = routes.get().locate(instance).orElse(null);
            if (now != null && (now.ip() != ip || !now.instance().equals(instance))) {
                return follow(routes, now.instance(), now.ip(), flowId, envelope, left - 1);
            }
            // The table has not caught up with the move yet: look again a little later.
            CompletableFuture<Reply> later = new CompletableFuture<>();
            delays.at(System.nanoTime() + 150_000_000L, () -> follow(routes, instance, ip, flowId, envelope, left - 1)
                    .whenComplete((x, e) -> {
                        if (e != null) {
                            later.completeExceptionally(e);
                        } else {
                            later.complete(x);
                        }
                    }));
            return later;
        });
    }

    public Future<Void> stop() {
        endpoint.failAll("client stopped");
        delays.close();
        return socket == null ? Future.succeededFuture() : socket.close();
    }
}
