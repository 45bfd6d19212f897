package io.e3.agent;

import io.e3.agent.emu.TrafficManager;
import io.e3.agent.exec.ExecutionEngine;
import io.e3.model.app.MicroserviceType;
import io.e3.model.energy.EnergyModel;
import io.e3.model.telemetry.Heartbeat;
import io.e3.model.telemetry.HeartbeatCodec;
import io.e3.model.telemetry.HeartbeatMac;
import io.e3.model.telemetry.InstanceStats;
import io.e3.model.topology.ComputeNode;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The orchestrator agent of one node (§5.4.4): every period it takes the execution engine's window of per-instance
 * statistics, updates the traffic manager's interference pressure and the modelled power, and sends the controller a
 * heartbeat with the queue depth, the link's byte rates (per emulated second) and the instances' statistics.
 *
 * <p>Heartbeats are signed with the key derived from the cluster token ({@link HeartbeatMac}) and carry this sender's
 * epoch, the time it was made in microseconds: the sequence starts again from 0 when the agent restarts, under a
 * higher epoch, so the controller can refuse replays of older heartbeats.
 */
final class HeartbeatSender {

    /** The instances a heartbeat carries when all of them would not fit a datagram. */
    static final int FALLBACK_INSTANCES = 500;

    private final Vertx vertx;
    private final AgentConfig config;
    private final ComputeNode node;
    private final ExecutionEngine engine;
    private final TrafficManager trafficManager;
    private final AgentMetrics metrics;
    private final LongSupplier bytesIn;
    private final LongSupplier bytesOut;
    private final Predicate<byte[]> send;
    private final LongAdder sent = new LongAdder();
    private final HeartbeatMac mac;
    private final long epochMicros = ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now());
    /** When in the period this node ticks, in ms ({@link ServerHeartbeats#phaseMillis}). */
    private final long phase;
    private long sequence;
    private long lastTick = System.nanoTime();
    private long lastBytesIn;
    private long lastBytesOut;
    private volatile Heartbeat last;
    private volatile boolean stopped;

    /**
     * @param trafficManager the node's traffic manager, or null for a host
     * @param send           sends an encoded heartbeat to the controller; false if the node is stopping
     */
    HeartbeatSender(Vertx vertx, AgentConfig config, ExecutionEngine engine, TrafficManager trafficManager,
                    AgentMetrics metrics, LongSupplier bytesIn, LongSupplier bytesOut, Predicate<byte[]> send) {
        this.vertx = vertx;
        this.config = config;
        this.node = engine.node();
        this.engine = engine;
        this.trafficManager = trafficManager;
        this.metrics = metrics;
        this.bytesIn = bytesIn;
        this.bytesOut = bytesOut;
        this.send = send;
        this.mac = HeartbeatMac.forToken(config.token());
        this.phase = ServerHeartbeats.phaseMillis(node.serverId(), config.heartbeatMillis());
    }

    Heartbeat last() {
        return last;
    }

    long sent() {
        return sent.sum();
    }

    /** The epoch this sender's heartbeats carry: when it was made, in microseconds since 1970. */
    long epochMicros() {
        return epochMicros;
    }

    /**
     * One heartbeat a period, at the server's phase ({@link ServerHeartbeats#phaseMillis}), so that the agents of one
     * server tick together and their heartbeats go out in one datagram. Each is scheduled when the last is done, for
     * the next time at the phase at least half a period away: after a stall the agent sends one heartbeat covering the
     * whole gap, not a burst of catch-up beats.
     */
    void start() {
        if (!stopped) {
            long period = config.heartbeatMillis();
            long delay = Math.floorMod(phase - System.currentTimeMillis(), period);
            if (delay < (period + 1) / 2) {
                delay += period;
            }
            vertx.setTimer(Math.max(1, delay), t -> {
                try {
                    tick();
                } finally {
                    start();
                }
            });
        }
    }

    void stop() {
        stopped = true;
    }

    private void tick() {
        long now = System.nanoTime();
        long dt = Math.max(1, now - lastTick);
        lastTick = now;
        List<InstanceStats> window = engine.takeWindow();
        Map<String, MicroserviceType> types = engine.types();
        int cores = node.capacity().cores();
        double pressure = 0;
        double busyCores = 0;
        double dynamicWatts = 0;
        for (InstanceStats s : window) {
            MicroserviceType type = types.get(s.instanceId());
            if (type == null) {
                continue;
            }
            busyCores += s.cpuShare();
            pressure += TrafficManager.interference(type) * Math.min(1, s.cpuShare() / cores);
            dynamicWatts += EnergyModel.activeWattsOfBusyCores(type, node.capacity().coreClass(), s.cpuShare());
        }
        if (trafficManager != null) {
            trafficManager.setPressure(pressure);
        }
        if (busyCores > cores) {
            dynamicWatts *= cores / busyCores; // a node keeps at most all of its cores busy
        }
        double dilation = config.emulation().dilation();
        metrics.tick(Math.min(1, busyCores / cores), dynamicWatts, config.emulation().emulatedSeconds(dt));
        long in = bytesIn.getAsLong();
        long out = bytesOut.getAsLong();
        long inRate = Math.round((in - lastBytesIn) * 1e9 / dt * dilation);
        long outRate = Math.round((out - lastBytesOut) * 1e9 / dt * dilation);
        lastBytesIn = in;
        lastBytesOut = out;
        Heartbeat hb = new Heartbeat(node.id(), sequence++, System.currentTimeMillis(),
                (int) Math.max(1, Math.round(dt / 1e6)), trafficManager == null ? 0 : trafficManager.depth(), inRate,
                outRate, window);
        byte[] encoded;
        try {
            encoded = HeartbeatCodec.encode(hb, epochMicros, mac);
        } catch (IllegalArgumentException tooMany) {
            hb = new Heartbeat(hb.nodeId(), hb.sequence(), hb.sentAtMillis(), hb.periodMillis(), hb.queueDepth(),
                    inRate, outRate, window.subList(0, Math.min(window.size(), FALLBACK_INSTANCES)));
            encoded = HeartbeatCodec.encode(hb, epochMicros, mac);
        }
        last = hb;
        if (!stopped && send.test(encoded)) {
            sent.increment();
        }
    }
}
