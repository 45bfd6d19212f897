package io.e3.simulator;

import org.HdrHistogram.Histogram;

import java.util.SplittableRandom;

/**
 * The simulated client: sends requests into the driven apps, in turn or, for Poisson arrivals, each to an app drawn at
 * random so that every app sees a Poisson stream (entry services in turn; a random key per request), and records each
 * completed request's latency from its intended arrival time in an HdrHistogram. Open loop schedules the next arrival itself; closed loop sends a new request when one completes.
 */
final class ClientDriver {

    /** Latencies up to an hour, 3 significant digits. */
    private static final long HIGHEST_NANOS = 3_600_000_000_000L;

    private final Engine engine;
    private final Calls calls;
    private final Workload workload;
    private final int[] apps;
    private final SplittableRandom random;
    private final ClientModel.Arrivals arrivals;
    final Histogram latency = new Histogram(1, HIGHEST_NANOS, 3);
    private double rate;
    private double nextArrival;
    private int nextApp;
    long sent;
    long sentMeasured;
    long completedMeasured;

    ClientDriver(Engine engine, int[] drivenApps, ClientModel client, long seed) {
        this.engine = engine;
        this.calls = engine.calls;
        this.workload = engine.workload;
        this.apps = drivenApps;
        this.random = new SplittableRandom(seed);
        this.arrivals = client.arrivals();
        this.rate = client.rate();
    }

    /** Schedules the first arrival (open loop) or sends the first requests (closed loop). */
    void start(int outstanding) {
        if (arrivals == ClientModel.Arrivals.CLOSED) {
            for (int i = 0; i < outstanding; i++) {
                send(0);
            }
        } else {
            nextArrival = 0;
            engine.schedule(0, Engine.ARRIVAL, 0);
        }
    }

    void setRate(double newRate) {
        this.rate = newRate;
    }

    /** An open-loop arrival is due: send it, then schedule the next one. */
    void arrival(long now) {
        send(now);
        double gap = arrivals == ClientModel.Arrivals.POISSON ? -Math.log(1 - random.nextDouble()) / rate : 1 / rate;
        nextArrival += gap * 1e9;
        long next = Math.max(now, (long) nextArrival);
        if (next <= engine.endNanos) {
            engine.schedule(next, Engine.ARRIVAL, 0);
        }
    }

    private void send(long now) {
        int a;
        if (arrivals == ClientModel.Arrivals.POISSON) {
            a = apps[random.nextInt(apps.length)]; // thinning: each app sees a Poisson stream of its own
        } else {
            a = apps[nextApp];
            nextApp = nextApp + 1 == apps.length ? 0 : nextApp + 1;
        }
        int[] entries = workload.appEntries[a];
        int e = workload.appNextEntry[a];
        workload.appNextEntry[a] = e + 1 == entries.length ? 0 : e + 1;
        int ch = entries[e];
        long key = random.nextLong();
        int c = calls.allocate();
        calls.init(c, -1, ch, workload.choose(ch, key), Fabric.CLIENT, key, now);
        sent++;
        if (now >= engine.warmupNanos) {
            sentMeasured++;
        }
        engine.sendRequest(c, Fabric.CLIENT, now);
    }

    /** The reply to root call {@code c} reached the client at {@code now}. */
    void completed(int c, long now) {
        long start = calls.start(c);
        if (start >= engine.warmupNanos) {
            latency.recordValue(Math.min(HIGHEST_NANOS, Math.max(1, now - start)));
        }
        if (now >= engine.warmupNanos) {
            completedMeasured++;
        }
        if (arrivals == ClientModel.Arrivals.CLOSED) {
            send(now);
        }
    }
}
