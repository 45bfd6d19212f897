package io.e3.agent;

import io.e3.model.telemetry.HeartbeatCodec;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The heartbeats of the agents of one server that run in one process (one Vert.x instance), sent to the controller
 * together: one datagram a period for the server ({@link HeartbeatCodec#batch}) instead of one a node, which is what
 * lets one controller take the heartbeats of a large cluster. Agents of a server tick at the same phase
 * ({@link #phaseMillis}), so a period's heartbeats arrive here within a millisecond or two; the batch goes out when every
 * agent of the server here has offered one, or {@link #windowMillis} after the first, whichever is sooner. An agent
 * alone on its server in its process (one {@code e3 agent} per node) sends its heartbeat as it is, at once.
 *
 * <p>Each heartbeat in a batch keeps its own epoch, sequence and tag, so the controller checks each as it would alone;
 * the batch goes out from the address of one of the server's agents, which the controller accepts for any node of the
 * server. An agent that stops leaves the batch ({@link #leave}): a heartbeat it offered and that is not sent yet is
 * dropped, so a stopped node sends nothing more.
 *
 * <p>Thread-safe: agents offer from their own event loops.
 */
final class ServerHeartbeats implements Shareable {

    /** Sends a datagram to the controller from one agent's socket; false if that agent is stopping. */
    interface Sender extends Predicate<byte[]> {
    }

    private record Offer(String nodeId, byte[] heartbeat, Sender sender) {
    }

    private final Vertx vertx;
    private final long windowMillis;
    private final Set<String> members = new HashSet<>();
    private final List<Offer> pending = new ArrayList<>();
    private long timer = -1;

    private ServerHeartbeats(Vertx vertx, long periodMillis) {
        this.vertx = vertx;
        this.windowMillis = Math.max(1, Math.min(10, periodMillis / 4));
    }

    /** The batch of {@code serverId}'s agents in {@code vertx} that send every {@code periodMillis}, joined by nodeId. */
    static ServerHeartbeats join(Vertx vertx, String serverId, long periodMillis, String nodeId) {
        LocalMap<String, ServerHeartbeats> all = vertx.sharedData().getLocalMap("e3.server-heartbeats");
        String key = serverId + "@" + periodMillis;
        ServerHeartbeats fresh = new ServerHeartbeats(vertx, periodMillis);
        ServerHeartbeats batch = all.putIfAbsent(key, fresh);
        batch = batch == null ? fresh : batch;
        synchronized (batch) {
            batch.members.add(nodeId);
        }
        return batch;
    }

    /**
     * The phase, in ms within the period, at which the agents of {@code serverId} send: the same for all of them, and
     * spread over the period across servers, so the controller does not get the whole cluster's heartbeats at once.
     */
    static long phaseMillis(String serverId, long periodMillis) {
        return Math.floorMod(serverId.hashCode() * 0x9E3779B9L, periodMillis);
    }

    /** Takes node {@code nodeId}'s heartbeat of this period; sends the batch if it is complete. */
    void offer(String nodeId, byte[] heartbeat, Sender sender) {
        List<Offer> ready = null;
        synchronized (this) {
            if (!members.contains(nodeId)) {
                return;
            }
            for (Offer o : pending) {
                if (o.nodeId().equals(nodeId)) {
                    // Its previous heartbeat still waits: this is a new period, so send what waits first.
                    ready = take();
                    break;
                }
            }
            if (ready != null) {
                send(ready, sender);
                ready = null;
            }
            pending.add(new Offer(nodeId, heartbeat, sender));
            if (pending.size() >= members.size()) {
                ready = take();
            } else if (timer < 0) {
                timer = vertx.setTimer(windowMillis, this::flush);
            }
        }
        if (ready != null) {
            send(ready, sender);
        }
    }

    /** Node {@code nodeId} stops: its waiting heartbeat is dropped, and the batch no longer waits for it. */
    void leave(String nodeId) {
        List<Offer> ready = null;
        synchronized (this) {
            members.remove(nodeId);
            pending.removeIf(o -> o.nodeId().equals(nodeId));
            if (!pending.isEmpty() && pending.size() >= members.size()) {
                ready = take();
            } else if (!pending.isEmpty()) {
                // The window's timer may have been the leaving agent's, which its undeployment cancels: set another.
                if (timer >= 0) {
                    vertx.cancelTimer(timer);
                }
                timer = vertx.setTimer(windowMillis, this::flush);
            }
        }
        if (ready != null) {
            send(ready, ready.get(0).sender());
        }
    }

    /** The window of timer {@code id} has passed: sends what waits, unless that timer was cancelled meanwhile. */
    private void flush(long id) {
        List<Offer> ready;
        synchronized (this) {
            if (id != timer) {
                return; // it fired as a complete batch cancelled it; the batch waiting now has a timer of its own
            }
            timer = -1;
            ready = pending.isEmpty() ? null : take();
        }
        if (ready != null) {
            // The timer runs on the event loop of the agent that set it, the first to offer.
            send(ready, ready.get(0).sender());
        }
    }

    /** What waits, taken out; cancels the window's timer. Holding the lock. */
    private List<Offer> take() {
        List<Offer> ready = new ArrayList<>(pending);
        pending.clear();
        if (timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
        return ready;
    }

    /**
     * Sends {@code ready} as one datagram through {@code first} (from an offer, the sender of the agent on whose event
     * loop this runs), else through the first of their agents that is not stopping. Sending through the agent of the running event
     * loop writes the datagram at once: another agent's socket would queue it on that agent's event loop, which may be
     * busy, and a later batch sent meanwhile would overtake it.
     */
    private static void send(List<Offer> ready, Sender first) {
        byte[] datagram;
        if (ready.size() == 1) {
            datagram = ready.get(0).heartbeat();
        } else {
            List<byte[]> beats = new ArrayList<>(ready.size());
            ready.forEach(o -> beats.add(o.heartbeat()));
            if (HeartbeatCodec.batchBytes(beats) > HeartbeatCodec.MAX_BYTES) {
                // Too large together (nodes with hundreds of instances): each goes alone.
                ready.forEach(o -> o.sender().test(o.heartbeat()));
                return;
            }
            datagram = HeartbeatCodec.batch(beats);
        }
        if (first.test(datagram)) {
            return;
        }
        for (Offer o : ready) {
            if (o.sender() != first && o.sender().test(datagram)) {
                return;
            }
        }
    }
}
