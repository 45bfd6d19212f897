package io.e3.agent.exec;

import io.e3.microservices.Microservice;
import io.e3.microservices.state.ReliableCollections;
import io.e3.model.app.MicroserviceProfile;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;

/**
 * One deployed instance: its service object, its state and a serial run queue. Requests of one instance run one at a
 * time in arrival order on a worker thread (services are not thread-safe), while the emulated cores decide when each
 * one counts as finished. State changes only on the run queue, so snapshots and restores go through it too.
 */
final class InstanceRuntime {

    /** Where an instance is in its life. */
    enum Phase {
        /** Taking and running requests. */
        RUNNING,
        /** Holding new requests (drained): for snapshots and migration. */
        DRAINED,
        /** Stopped by a fault it caused; requests get {@code UNAVAILABLE}. */
        FAILED,
        /** Undeployed. */
        REMOVED
    }

    /** Something to run on the instance's queue. */
    interface Work {
        void run();

        /** Called instead of {@link #run()} when the instance stops before the work's turn. */
        void abandon(Phase phase, String reason);
    }

    final DeploySpec spec;
    final MicroserviceProfile profile;
    final ExecutionEngine.ServiceFactory factory;
    ReliableCollections state;
    Microservice service;

    private final Executor workers;
    private final ArrayDeque<Work> queue = new ArrayDeque<>();
    private final ArrayDeque<Work> held = new ArrayDeque<>();
    private final List<CompletableFuture<Integer>> drainWaiters = new ArrayList<>();
    private boolean running;
    private Phase phase = Phase.RUNNING;
    private String failure;
    /** The request running now, or null: what the watchdog looks at. */
    final java.util.concurrent.atomic.AtomicReference<Running> current = new java.util.concurrent.atomic.AtomicReference<>();
    /** Bytes the state held after the last request, for status and metrics (read off the run queue). */
    volatile long stateBytes;

    /** A request on its way through the service code. */
    record Running(Thread thread, long sinceNanos, Runnable abort) {
    }

    final LongAdder requests = new LongAdder();
    final LongAdder errors = new LongAdder();
    private long windowRequests;
    private long windowErrors;
    private long windowSojournNanos;
    /** Core time intervals [start, end) of requests admitted and not yet accounted in full, for utilisation. */
    private final ArrayDeque<long[]> busy = new ArrayDeque<>();

    InstanceRuntime(DeploySpec spec, ExecutionEngine.ServiceFactory factory, Executor workers) {
        this.spec = spec;
        this.profile = MicroserviceProfile.of(spec.type());
        this.factory = factory;
        this.workers = workers;
        this.state = new ReliableCollections();
        this.service = factory.create(spec, state);
    }

    synchronized Phase phase() {
        return phase;
    }

    synchronized String failure() {
        return failure;
    }

    synchronized int queued() {
        return queue.size() + (running ? 1 : 0);
    }

    synchronized int heldCount() {
        return held.size();
    }

    /** Queues a request: runs it, holds it (drained) or abandons it (failed, removed). */
    void submit(Work w) {
        Phase p;
        String why;
        synchronized (this) {
            p = phase;
            why = failure;
            if (p == Phase.RUNNING) {
                enqueue(w);
                return;
            }
            if (p == Phase.DRAINED) {
                held.add(w);
                return;
            }
        }
        w.abandon(p, why);
    }

    /** Queues internal work (snapshot, restore) even while drained. */
    boolean submitControl(Work w) {
        synchronized (this) {
            if (phase == Phase.RUNNING || phase == Phase.DRAINED) {
                enqueue(w);
                return true;
            }
        }
        return false;
    }

    private void enqueue(Work w) {
        queue.add(w);
        if (!running) {
            running = true;
            workers.execute(this::runLoop);
        }
    }

    private void runLoop() {
        while (true) {
            Work w;
            synchronized (this) {
                if (phase == Phase.FAILED || phase == Phase.REMOVED) {
                    running = false;
                    notifyDrained();
                    return;
                }
                w = queue.poll();
                if (w == null) {
                    running = false;
                    notifyDrained();
                    return;
                }
            }
            Thread.interrupted(); // a watchdog interrupt meant for an earlier request must not hit this one
            try {
                w.run();
            } catch (Throwable t) {
                // Work answers its own failures; anything left (an Error) must not leave the queue marked running.
                stop(Phase.FAILED, "run queue failed: " + t);
            }
        }
    }

    /** Stops intake: new requests are held; completes with the number held so far once nothing runs. */
    CompletableFuture<Integer> drain() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        synchronized (this) {
            if (phase == Phase.FAILED || phase == Phase.REMOVED) {
                done.completeExceptionally(new IllegalStateException("instance " + spec.id() + " is " + phase
                        .name().toLowerCase() + (failure == null ? "" : ": " + failure)));
                return done;
            }
            phase = Phase.DRAINED;
            drainWaiters.add(done);
            notifyDrained();
        }
        return done;
    }

    private void notifyDrained() {
        if (phase == Phase.DRAINED && !running && queue.isEmpty()) {
            for (CompletableFuture<Integer> f : drainWaiters) {
                f.complete(held.size());
            }
            drainWaiters.clear();
        }
    }

    /** Takes requests again, the held ones first in arrival order; returns how many were held. */
    int resume() {
        synchronized (this) {
            if (phase != Phase.DRAINED) {
                return 0;
            }
            phase = Phase.RUNNING;
            for (CompletableFuture<Integer> f : drainWaiters) {
                f.completeExceptionally(new IllegalStateException("instance " + spec.id()
                        + " was resumed before the drain finished"));
            }
            drainWaiters.clear();
            int n = held.size();
            while (!held.isEmpty()) {
                enqueue(held.poll());
            }
            return n;
        }
    }

    /** Stops the instance for good; everything queued or held is abandoned. */
    void stop(Phase to, String reason) {
        List<Work> dropped = new ArrayList<>();
        synchronized (this) {
            if (phase == Phase.FAILED || phase == Phase.REMOVED) {
                if (to == Phase.REMOVED) {
                    phase = to;
                }
                return;
            }
            phase = to;
            failure = reason;
            dropped.addAll(held);
            dropped.addAll(queue);
            held.clear();
            queue.clear();
            for (CompletableFuture<Integer> f : drainWaiters) {
                f.completeExceptionally(new IllegalStateException("instance " + spec.id() + " stopped: " + reason));
            }
            drainWaiters.clear();
        }
        for (Work w : dropped) {
            w.abandon(to, reason);
        }
    }

    /** Records that an emulated core will be busy with a request over [{@code coreStart}, {@code coreEnd}). */
    synchronized void admitted(long coreStart, long coreEnd) {
        if (coreEnd - coreStart > 0) {
            busy.add(new long[] {coreStart, coreEnd});
        }
    }

    /** Records a dispatched request and the time from its arrival to its emulated completion. */
    synchronized void finished(boolean ok, long sojournNanos) {
        windowRequests++;
        if (!ok) {
            windowErrors++;
        }
        windowSojournNanos += sojournNanos;
    }

    /**
     * This window's requests, errors, total sojourn, and the core time its requests took within
     * [{@code from}, {@code to}) (a request running across the window's end counts partly now, the rest next time);
     * resets the window.
     */
    synchronized long[] takeWindow(long from, long to) {
        long coreTime = 0;
        for (java.util.Iterator<long[]> it = busy.iterator(); it.hasNext(); ) {
            long[] b = it.next();
            if (b[1] - from <= 0) {
                coreTime += b[1] - b[0]; // admitted after its core time had passed (an overrun): counted late
                it.remove();
                continue;
            }
            long start = Math.max(b[0] - from, 0) + from;
            long end = Math.min(b[1] - to, 0) + to;
            if (end - start > 0) {
                coreTime += end - start;
            }
            if (b[1] - to <= 0) {
                it.remove();
            }
        }
        long[] w = {windowRequests, windowErrors, windowSojournNanos, coreTime};
        windowRequests = 0;
        windowErrors = 0;
        windowSojournNanos = 0;
        return w;
    }
}
