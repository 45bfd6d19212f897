package io.e3.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Servers a command keeps running in the foreground: they are stopped once, either when the process is told to end
 * (SIGINT, SIGTERM: a shutdown hook stops them before the JVM exits) or when the command closes this.
 */
final class Foreground implements AutoCloseable {

    private final Runnable stop;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread hook;

    private Foreground(Runnable stop, PrintWriter err) {
        this.stop = stop;
        this.hook = new Thread(() -> {
            try {
                stopOnce();
            } catch (RuntimeException e) {
                err.println("e3: error: while stopping: " + e.getMessage());
                err.flush();
            }
        }, "e3-shutdown");
    }

    /** Takes charge of servers that {@code stop} stops; failures to stop at shutdown go to {@code err}. */
    static Foreground of(Runnable stop, PrintWriter err) {
        Foreground f = new Foreground(stop, err);
        Runtime.getRuntime().addShutdownHook(f.hook);
        return f;
    }

    /**
     * Waits until the process is told to end, the calling thread is interrupted, or {@code limit} has passed.
     *
     * @param limit how long to wait at most; null: no limit
     */
    void hold(Duration limit) {
        try {
            if (limit == null) {
                stopped.await();
            } else {
                stopped.await(limit.toNanos(), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the servers, unless the shutdown hook is already at it. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownUnderWay) {
            return;
        }
        stopOnce();
    }

    private void stopOnce() {
        if (stopping.compareAndSet(false, true)) {
            try {
                stop.run();
            } finally {
                stopped.countDown();
            }
        }
    }
}
